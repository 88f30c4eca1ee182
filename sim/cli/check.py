"""``workplace-sim check``: the pattern suite, stylised facts no survey figure pins.

Runs the calibrated baseline (and the variants the patterns need: the
organisation without AI, each redesign lever, +-10% in each behavioural and
evidence parameter) on common seeds, and prints one row per pattern: its id,
what it measures, the band from the literature, the model's value with its 95%
interval over seeds, and the verdict.

The command *reports*: it exits 0 even when patterns fail (a failing pattern is a
finding about the model, not an error). It exits 2 for bad input (a bad patterns
file, an unknown pattern id, a bad count, a ``--docs`` folder the report cannot go
into), with a one-line message, before anything runs. If the report cannot be
written after all (a full disk), the results are printed first, then the error.

Examples::

    workplace-sim check                       # every pattern at default size
    workplace-sim check --quick               # small sizes, well under a minute
    workplace-sim check --only burnout_team_icc,adoption_diffuses --json
    workplace-sim check --report              # regenerate docs/validation.md and its figures
"""

from __future__ import annotations

import argparse
import sys

from sim.cli._common import int_in, jobs_arg, note, print_json
from sim.errors import UserError
from sim.executors import default_workers
from sim.inputs import ROOT_SEED_RANGE
from sim.params import Params
from sim.present.describe import relabel
from sim.present.format import fmt_interval, fmt_value, render_table
from sim.validation import (
    DEFAULT_AGENTS,
    DEFAULT_SEEDS,
    QUICK_AGENTS,
    QUICK_SEEDS,
    STATISTICS,
    check,
    load_patterns,
    select,
)
from sim.validation.report import check_docs, write_report
from sim.vocabulary import PARAMETERS

__all__ = ["format_table", "register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``check`` command."""
    p = subparsers.add_parser(
        "check",
        allow_abbrev=False,
        help="the pattern suite: check the model against stylised facts from field research",
        description=(
            "Check the calibrated baseline against stylised facts from field research "
            "(sim/data/patterns.toml): each pattern's band comes from the literature; the "
            "model's value is the mean over seeds with its 95% interval; PASS when the mean "
            "lies in the band. Exits 0 even when patterns fail (it reports); 2 for bad input."
        ),
    )
    p.add_argument(
        "--seeds",
        type=int_in(2, 1000, name="seeds"),
        metavar="N",
        help=f"replicates (default {DEFAULT_SEEDS}; --quick {QUICK_SEEDS})",
    )
    p.add_argument(
        "--agents",
        type=int_in(10, 10_000_000, name="agents"),
        metavar="N",
        help=f"positions in the organisation (default {DEFAULT_AGENTS}; --quick {QUICK_AGENTS})",
    )
    p.add_argument("--quick", action="store_true", help="small sizes, for CI (well under a minute)")
    p.add_argument("--only", metavar="ID[,ID]", help="check only these patterns")
    p.add_argument("--json", action="store_true", help="print the results as JSON on stdout")
    p.add_argument(
        "--patterns", metavar="FILE", help="an alternative patterns file (default: bundled)"
    )
    p.add_argument(
        "--report",
        action="store_true",
        help="regenerate docs/validation.md and one figure per pattern in docs/img/validation/",
    )
    p.add_argument(
        "--docs",
        metavar="DIR",
        help=f"with --report: the existing folder it writes into (default: {DEFAULT_DOCS})",
    )
    p.add_argument(
        "--jobs",
        type=jobs_arg,
        metavar="N",
        help="worker processes (default: every core; the numbers do not depend on it)",
    )
    p.add_argument(
        "--root-seed",
        type=int_in(*ROOT_SEED_RANGE, name="root-seed"),
        metavar="S",
        help="root of the replicate seeds",
    )
    p.add_argument("--quiet", "-q", action="store_true", help="no notes on stderr")
    p.set_defaults(func=main)


#: The folder ``--report`` writes into when ``--docs`` is not given.
DEFAULT_DOCS = "docs"

#: Parameter names in a pattern's detail (a knife-edge change), in plain words.
_PARAMETER_WORDS = {n: PARAMETERS[n].label for n in Params.names()}


def format_table(result) -> str:
    """Return the results as a plain-text table, one row per pattern.

    Each row: the pattern's id (what ``--only`` takes), the fact in words, the band from the
    literature, the model's value and the verdict; under it, what is measured and any detail,
    with parameters in plain words.
    """
    rows = []
    for r in result.results:
        p = r.pattern
        unit = p.unit if p.unit in ("share", "per year", "ratio") else ""
        band = f"{fmt_value(p.band[0], unit)} to {fmt_value(p.band[1], unit)}"
        value = fmt_interval(r.value, r.low, r.high, unit)
        rows.append([p.id, p.title, band, value, r.verdict])
    header = [
        "pattern",
        "the fact from field research",
        "band",
        "model [95% over seeds]",
        "verdict",
    ]
    lines = render_table(header, rows).splitlines()
    indent = " " * (2 + max(len(row[0]) for row in rows) + 2) if rows else ""
    out = lines[:2]
    for line, r in zip(lines[2:], result.results, strict=True):
        out.append(line)
        measured = STATISTICS[r.pattern.statistic].what
        detail = relabel(r.detail, _PARAMETER_WORDS) if r.detail else ""
        out.append(f"{indent}(measured: {measured}" + (f"; {detail})" if detail else ")"))
    return "\n".join(out)


def main(args: argparse.Namespace) -> int:
    """Run the ``check`` command.

    Every input (the options, the patterns file, the ``--docs`` folder) is checked
    before the suite runs. The results are printed before the report is written, so
    a report that cannot be written loses nothing computed.
    """
    if args.docs is not None and not args.report:
        raise UserError("--docs: an option of --report only; add --report or leave it out")
    if args.patterns is not None and not args.patterns.strip():
        raise UserError(
            "--patterns is empty: name a patterns file (.toml), or leave it out for the bundled one"
        )
    patterns = select(load_patterns(args.patterns), args.only)
    docs = None
    if args.report:
        docs = check_docs(
            DEFAULT_DOCS if args.docs is None else args.docs, [p.id for p in patterns]
        )
    seeds = args.seeds or (QUICK_SEEDS if args.quick else DEFAULT_SEEDS)
    agents = args.agents or (QUICK_AGENTS if args.quick else DEFAULT_AGENTS)
    jobs = args.jobs or default_workers()
    note(
        args,
        f"checking {len(patterns)} pattern{'s' if len(patterns) != 1 else ''} on "
        f"{seeds} seeds x {agents:,} agents in {jobs} process{'es' if jobs != 1 else ''}...",
    )
    result = check(patterns, seeds=seeds, agents=agents, jobs=jobs, root_seed=args.root_seed)
    if args.json:
        print_json(result.to_dict())
    else:
        print(format_table(result))
        passed = sum(r.verdict == "PASS" for r in result.results)
        print(
            f"\n{passed} of {len(result.results)} patterns pass "
            f"({result.seeds} seeds x {result.agents:,} agents). A failing pattern is a "
            "finding about the model: the command exits 0.",
            file=sys.stdout,
        )
    if docs is not None:
        sys.stdout.flush()  # the results are out before any error about the report
        try:
            path = write_report(result, docs, command=_command(args))
        except UserError as exc:
            raise UserError(
                f"--docs {docs}: the report was not written: {exc} (the results are printed"
                " above; mend the cause, or run again with another --docs folder)"
            ) from None
        note(args, f"wrote {path} and its figures")
    return 0


def _command(args: argparse.Namespace) -> str:
    parts = ["workplace-sim check --report"]
    if args.quick:
        parts.append("--quick")
    if args.seeds:
        parts.append(f"--seeds {args.seeds}")
    if args.agents:
        parts.append(f"--agents {args.agents}")
    if args.only:
        parts.append(f"--only {args.only}")
    if args.patterns:
        parts.append(f"--patterns {args.patterns}")
    return " ".join(parts)
