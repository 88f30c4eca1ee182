"""``workplace-sim compare``: every redesign against the baseline, with intervals.

Examples::

    workplace-sim compare                              # every bundled scenario
    workplace-sim compare --out results                # ... and write report.html
    workplace-sim compare keep_slack combined --seeds 8 --jobs 2
    workplace-sim compare --posterior 20 --seeds 4     # more posterior draws
    workplace-sim compare --no-posterior               # seed noise only, 5x faster

By default every interval carries the calibration's parameter uncertainty as well
as seed noise (20 posterior draws x 2 seeds, the same for every scenario), and the
output says which sources an interval includes. After the table, the shares of
matched draws in which one scenario beats another (probability of superiority).
"""

from __future__ import annotations

import argparse

from sim import __version__, io
from sim.cli._common import (
    add_run_options,
    check_run_flags,
    check_run_memory,
    make_progress,
    note,
    out_arg,
    overrides_from_args,
    print_json,
    replicates_text,
)
from sim.errors import UserError
from sim.present.describe import span_words, uncertainty_of
from sim.present.format import fmt_diff, fmt_interval, fmt_value, render_table
from sim.report import write_compare_outputs
from sim.runner import (
    METRICS,
    CompareResult,
    check_baseline_name,
    compare,
    direction_text,
    share_text,
    verdict,
)
from sim.scenarios import bundled_scenarios, load_scenario, load_scenarios
from sim.vocabulary import METRICS as WORDS
from sim.vocabulary import Term

__all__ = ["format_comparison", "format_pairwise", "format_summary", "register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``compare`` command."""
    p = subparsers.add_parser(
        "compare",
        allow_abbrev=False,
        help="compare redesign scenarios with the baseline (differences with intervals)",
        description=(
            "Run scenarios on the same seeds (common random numbers) and print, for each "
            "outcome that matters to a strategist, every scenario's level and its difference "
            "from the baseline with a 95% interval, and the share of draws in which each "
            "scenario beats each other one. Intervals include the calibration's parameter "
            "uncertainty by default (--no-posterior: seed noise only). Default: every "
            "bundled scenario."
        ),
    )
    p.add_argument(
        "scenarios",
        nargs="*",
        metavar="SCENARIO",
        help="bundled scenario names or .toml files (default: every bundled scenario)",
    )
    p.add_argument(
        "--baseline",
        default="baseline",
        metavar="SCENARIO",
        help="the reference scenario (default: baseline); added if not listed",
    )
    add_run_options(p)
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run the ``compare`` command."""
    check_run_flags(args)
    overrides = overrides_from_args(args)
    chosen = load_scenarios(args.scenarios) if args.scenarios else bundled_scenarios()
    base = load_scenario(args.baseline)
    check_baseline_name(chosen, base, option="--baseline ")
    if all(sc.name == base.name for sc in chosen):
        others = ", ".join(sc.name for sc in bundled_scenarios() if sc.name != base.name)
        raise UserError(
            f"nothing to compare: the only scenario given is the reference '{base.name}': name"
            f" one or more others (bundled: {others}), or leave SCENARIO out to compare them all"
        )
    check_run_memory(args, [*chosen, base])
    if out_arg(args) is not None:
        io.prepare_out(args.out, force=args.force)
    bar = make_progress(args, "compare")
    try:
        result = compare(
            chosen,
            seeds=args.seeds,
            weeks=args.weeks,
            jobs=args.jobs,
            root_seed=args.root_seed,
            baseline=base,
            progress=bar,
            posterior=args.posterior,
            **overrides,
        )
    finally:
        if bar:
            bar.close()
    if args.json:
        print_json({**result.to_dict(), "sim_version": __version__})
    else:
        print(format_comparison(result))
    if args.out:
        command = args.command_line
        with io.output_folder(args.out, kind="compare", command=command, force=args.force):
            files = write_compare_outputs(args.out, result, command=command)
        note(args, f"wrote {len(files)} files to {args.out} (open {files[-1]})")
    return 0


def _words(key: str) -> Term:
    """The plain words of a compared outcome (its key's words if the vocabulary lacks it)."""
    return WORDS.get(key) or Term(key.replace("_", " "))


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def format_summary(result: CompareResult) -> str:
    """Return the headline table: one row per scenario, differences from the baseline.

    The baseline row holds its levels; ``*`` marks a difference whose 95% interval
    excludes zero.
    """
    heads = [m for m in METRICS if m.short]
    t = result.table().set_index(["scenario", "metric"])

    def cell(name: str, key: str, better: str) -> str:
        r = t.loc[(name, key)]
        style = _words(key).style
        if name == result.baseline:
            return fmt_value(r["mean"], style)
        d = r["diff"]
        if d != d:  # NaN
            return "n/a"
        clear = verdict(d, r["diff_low"], r["diff_high"], better) in ("better", "worse")
        text = fmt_diff(d, float("nan"), float("nan"), style).replace(" pp", "pp")
        return text + ("*" if clear else " ")

    names = [result.baseline, *(n for n in result.runs if n != result.baseline)]
    rows = [[name, *(cell(name, m.key, m.better) for m in heads)] for name in names]
    header = ["Summary", *(_words(m.key).column for m in heads)]
    note = (
        f"(row '{result.baseline}': levels; other rows: difference from it, pp = percentage "
        "points; * = 95% interval excludes zero)"
    )
    return render_table(header, rows) + "\n  " + note


#: Under the summary: how a positive true gain sits with effective output below 1.
GAIN_AND_OUTPUT = (
    "  true gain: how much more a person gets done per hour with AI; effective output: what the\n"
    "  organisation delivers against before AI, after the share of saved time turned into work,\n"
    "  the hours given to the levers, exhaustion, vacancies and new hires' ramp-up (report.html)"
)


def format_comparison(result: CompareResult) -> str:
    """Return the comparison as plain text: one block per outcome, one line per scenario.

    Then the pairwise shares of :func:`format_pairwise`.
    """
    table = result.table()
    first = next(iter(result.runs.values()))
    k = len(result.draws)
    reps = replicates_text(len(result.seeds), k)
    how = (
        "Each value: mean [95% interval over posterior draws] of each draw's mean over seeds. "
        "Differences are from the baseline, paired by draw and seed; pp = percentage points."
        if k
        else "Each value: mean over seeds [95% interval]. Differences are from the baseline, "
        "paired by seed; pp = percentage points."
    )
    unit = "draws" if k else "seeds"
    uncertainty = uncertainty_of(result)
    lines = [
        f"Comparison of {len(result.runs)} scenarios with '{result.baseline}': {reps} each "
        f"(common random numbers, root seed {result.root_seed}), "
        f"{first.scenario.params.n_agents:,} positions",
        f"{span_words(result.weeks)}.",
        f"{_capital(uncertainty)}.",
        how,
        "",
        format_summary(result),
        GAIN_AND_OUTPUT,
    ]
    for key, block in table.groupby("metric", sort=False):
        words = _words(str(key))
        better = str(block["better"].iloc[0])
        lines += ["", f"{_capital(words.label)} ({words.units}; {direction_text(better)})"]
        rows = []
        for r in block.itertuples():
            row = [
                r.scenario,
                fmt_interval(r.mean, r.ci_low, r.ci_high, words.style),
                fmt_diff(r.diff, r.diff_low, r.diff_high, words.style) or "(reference)",
            ]
            if better:
                row.append(share_text(r.beats_baseline) if r.scenario != result.baseline else "")
            row.append(verdict(r.diff, r.diff_low, r.diff_high, r.better))
            rows.append(row)
        head = ["scenario", "level", f"vs {result.baseline}"]
        if better:
            head.append(f"better in % of {unit}")
        lines.append(render_table([*head, ""], rows))
    pairwise = format_pairwise(result)
    if pairwise:
        lines += ["", pairwise]
    return "\n".join(lines)


def format_pairwise(result: CompareResult, every_outcome: bool = False) -> str:
    """Return the pairwise section: sentences for the clearest pairs, then one matrix per outcome.

    Each matrix cell is the share of matched draws (same posterior draw and seed) in
    which the row's scenario does better than the column's (ties count half). Only
    the outcomes of the summary table unless ``every_outcome``; ``--json`` and
    ``report.html`` hold them all.
    """
    sup = result.superiority()
    if not len(sup) or len(result.runs) < 2:
        return ""
    unit = "draws" if result.draws else "seeds"
    runs = len(result.seeds) * max(len(result.draws), 1)
    lines = [
        f"Which scenario beats which: the share of {runs} matched {unit} "
        f"({'same posterior draw and seed' if result.draws else 'same seed'}) in which one "
        "does better than the other; ties count half",
    ]
    lines += [f"  - {s}" for s in result.sentences()]
    names = list(result.runs)
    cols = [str(i + 1) for i in range(len(names))]
    for m in METRICS:
        if not m.sign or not (every_outcome or m.short):
            continue
        block = sup[sup["metric"] == m.key].set_index(["scenario", "other"])["share"]
        rows = []
        for i, a in enumerate(names):
            cells = ["-" if a == b else share_text(block.get((a, b), float("nan"))) for b in names]
            rows.append([f"{i + 1} {a}", *cells])
        title = _capital(_words(m.key).label)
        lines += ["", f"  {title} ({direction_text(m.better)}): row beats column in"]
        lines.append(render_table(["", *cols], rows, indent="    "))
    if not every_outcome:
        lines += [
            "",
            "  (every outcome's matrix: --json, or report.html with --out)",
        ]
    return "\n".join(lines)
