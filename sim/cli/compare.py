"""``workplace-sim compare``: every redesign against the baseline, with intervals.

Examples::

    workplace-sim compare                              # every bundled scenario
    workplace-sim compare --out results                # ... and write report.html
    workplace-sim compare keep_slack combined --seeds 20 --jobs 2
    workplace-sim compare --posterior 20 --seeds 4     # with parameter uncertainty
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from sim import io
from sim.cli._common import (
    add_run_options,
    check_baseline_name,
    check_run_memory,
    fmt_diff,
    fmt_interval,
    fmt_value,
    make_progress,
    note,
    out_arg,
    overrides_from_args,
    print_json,
    render_table,
    replicates_text,
    verdict,
)

if TYPE_CHECKING:
    from sim.runner import CompareResult

__all__ = ["format_comparison", "format_summary", "register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``compare`` command."""
    p = subparsers.add_parser(
        "compare",
        allow_abbrev=False,
        help="compare redesign scenarios with the baseline (differences with intervals)",
        description=(
            "Run scenarios on the same seeds (common random numbers) and print, for each "
            "outcome that matters to a strategist, every scenario's level and its difference "
            "from the baseline with a 95% interval. Default: every bundled scenario."
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
    from sim.runner import compare
    from sim.scenarios import bundled_scenarios, load_scenario, load_scenarios

    overrides = overrides_from_args(args)
    chosen = load_scenarios(args.scenarios) if args.scenarios else bundled_scenarios()
    base = load_scenario(args.baseline)
    check_baseline_name(chosen, base)
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
        print_json(result.to_dict())
    else:
        print(format_comparison(result))
    if args.out:
        from sim.report import write_compare_outputs

        command = "workplace-sim " + " ".join(sys.argv[1:])
        with io.output_folder(args.out, kind="compare", command=command, force=args.force):
            files = write_compare_outputs(args.out, result, command=command)
        note(args, f"wrote {len(files)} files to {args.out} (open {files[-1]})")
    return 0


def format_summary(result: CompareResult) -> str:
    """Return the headline table: one row per scenario, differences from the baseline.

    The baseline row holds its levels; ``*`` marks a difference whose 95% interval
    excludes zero.
    """
    from sim.cli._common import PERCENT_UNITS
    from sim.runner import METRICS

    heads = [m for m in METRICS if m.short]
    t = result.table().set_index(["scenario", "metric"])

    def cell(name: str, m: object) -> str:
        r = t.loc[(name, m.key)]
        pct = m.unit in PERCENT_UNITS
        if name == result.baseline:
            return fmt_value(r["mean"], m.unit)
        d = r["diff"]
        if d != d:  # NaN
            return "n/a"
        clear = verdict(d, r["diff_low"], r["diff_high"], m.better) in ("better", "worse")
        text = f"{round(100 * d, 1) + 0.0:+.1f}pp" if pct else f"{round(d, 3) + 0.0:+.3f}"
        return text + ("*" if clear else " ")

    rows = [[name, *(cell(name, m) for m in heads)] for name in result.runs]
    header = ["Summary", *(m.short for m in heads)]
    note = (
        f"(row '{result.baseline}': levels; other rows: difference from it; "
        "* = 95% interval excludes zero)"
    )
    return render_table(header, rows) + "\n  " + note


def format_comparison(result: CompareResult) -> str:
    """Return the comparison as plain text: one block per outcome, one line per scenario."""
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
    lines = [
        f"Comparison of {len(result.runs)} scenarios with '{result.baseline}': {reps} each "
        f"(common random numbers, root seed {result.root_seed}), {result.weeks} weeks, "
        f"{first.scenario.params.n_agents:,} agents",
        how,
        "",
        format_summary(result),
    ]
    for _, block in table.groupby("metric", sort=False):
        row0 = block.iloc[0]
        better = "lower is better" if row0["better"] == "lower" else "higher is better"
        lines += ["", f"{row0['label']} ({row0['unit']}; {better})"]
        rows = []
        for r in block.itertuples():
            rows.append(
                (
                    r.scenario,
                    fmt_interval(r.mean, r.ci_low, r.ci_high, r.unit),
                    fmt_diff(r.diff, r.diff_low, r.diff_high, r.unit) or "(reference)",
                    verdict(r.diff, r.diff_low, r.diff_high, r.better),
                )
            )
        lines.append(render_table(["scenario", "level", f"vs {result.baseline}", ""], rows))
    return "\n".join(lines)
