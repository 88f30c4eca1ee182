"""``workplace-sim run``: replicate scenarios and print the survey and the true outcomes.

Examples::

    workplace-sim run                                   # the baseline
    workplace-sim run baseline keep_slack --seeds 10 --jobs 2
    workplace-sim run my_scenario.toml --set output_conversion=0.3 --out results
    workplace-sim run baseline --json > baseline.json
    workplace-sim run baseline --posterior 20 --seeds 4  # more posterior draws
    workplace-sim run baseline --no-posterior            # seed noise only, faster
    workplace-sim run baseline --no-posterior --seed 4043954626651202673  # one replicate again

A result lists its replicate seeds (``seeds`` in ``--json``, ``run.json``); ``--seed S``
runs exactly those replicates again, to the same numbers bit for bit, when the other
options (``--weeks``, ``--set``, ``--posterior``/``--no-posterior``, ``--root-seed``,
which seeds the posterior draws) are those of the first run.

By default every interval carries the calibration's parameter uncertainty as well as
seed noise (20 posterior draws x 2 seeds); the output says which sources it includes.
"""

from __future__ import annotations

import argparse
from typing import Any

import pandas as pd

from sim import __version__, io
from sim.cli._common import (
    add_run_options,
    check_run_flags,
    check_run_memory,
    int_in,
    make_progress,
    note,
    out_arg,
    overrides_from_args,
    print_json,
    replicates_text,
)
from sim.errors import UserError
from sim.inputs import ROOT_SEED_RANGE
from sim.params import Params
from sim.present.describe import same_scenario, setting_changes, span_words, uncertainty_of
from sim.present.format import fmt_interval, fmt_value, render_table
from sim.report import write_run_outputs
from sim.runner import run_scenario, run_seeds
from sim.scenarios import Scenario, load_scenario, load_scenarios
from sim.targets import load_targets
from sim.vocabulary import GROUPS, OUTCOMES, OUTPUT_VS_GAIN, SURVEY_ITEMS, Term

__all__ = ["register", "report_targets"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``run`` command."""
    p = subparsers.add_parser(
        "run",
        allow_abbrev=False,
        help="run scenarios on replicate seeds; print the survey and true outcomes",
        description=(
            "Run one or more scenarios (bundled names or .toml files) on replicate seeds "
            "spawned from one root seed, and print the synthetic survey beside the report's "
            "figures and the true outcomes, each as a mean with its 95% interval over seeds "
            "and, by default, posterior draws of the calibrated parameters (--no-posterior: "
            "seed noise only)."
        ),
    )
    p.add_argument(
        "scenarios",
        nargs="*",
        default=["baseline"],
        metavar="SCENARIO",
        help="bundled scenario name or path to a .toml file (default: baseline)",
    )
    add_run_options(p)
    p.add_argument(
        "--seed",
        dest="seed_list",
        action="append",
        type=int_in(*ROOT_SEED_RANGE, name="seed"),
        default=None,
        metavar="S",
        help=(
            "rerun the replicate with this seed exactly (a seed from a result's 'seeds', "
            "e.g. from --json); repeatable; replaces --seeds"
        ),
    )
    p.set_defaults(func=main)


def report_targets() -> pd.DataFrame:
    """Return the report's figures the survey is held against (``sim.targets``)."""
    return load_targets()


def main(args: argparse.Namespace) -> int:
    """Run the ``run`` command."""
    if args.seed_list and args.seeds is not None:
        raise UserError("give either --seeds N (spawned from --root-seed) or --seed S, not both")

    check_run_flags(args)
    overrides = overrides_from_args(args)
    scenarios = load_scenarios(args.scenarios)
    scenarios = [sc.with_overrides(**overrides) for sc in scenarios] if overrides else scenarios
    check_run_memory(args, scenarios)
    if out_arg(args) is not None:
        io.prepare_out(args.out, force=args.force)
    results = []
    for sc in scenarios:
        bar = make_progress(args, f"run {sc.name}")
        try:
            res = (run_seeds if args.seed_list else run_scenario)(
                sc,
                seeds=args.seed_list or args.seeds,
                weeks=args.weeks,
                jobs=args.jobs,
                root_seed=args.root_seed,
                progress=bar,
                posterior=args.posterior,
                **overrides,  # again: so that they also hold against posterior draws
            )
        finally:
            if bar:
                bar.close()
        results.append(res)
    if args.json:
        docs = [{**r.to_dict(), "sim_version": __version__} for r in results]
        print_json(docs[0] if len(docs) == 1 else {"runs": docs})
    else:
        targets = report_targets()
        for i, res in enumerate(results):
            if i:
                print()
            print(format_run(res, targets))
    if args.out:
        with io.output_folder(args.out, kind="run", command=args.command_line, force=args.force):
            files = write_run_outputs(args.out, results, command=args.command_line)
        note(args, f"wrote {len(files)} files to {args.out} (open {files[-1]})")
    return 0


def _status_quo() -> Scenario | None:
    try:
        return load_scenario("baseline")
    except UserError:  # pragma: no cover - the core ships it
        return None


def changes_text(sc: Scenario, reference: Scenario | None) -> str:
    """Say, in plain words, the settings ``sc`` changes against the status quo.

    The status quo itself is said to be calibrated (``scenarios --details`` lists its
    settings), with any ``--set`` against its file.
    """
    if reference is None or same_scenario(sc, reference):
        n = len(setting_changes(sc.params if reference is None else reference.params, Params()))
        text = (
            f"the status quo: {n} behavioural settings calibrated to the report's figures"
            " (workplace-sim scenarios --details lists them)"
        )
        if reference is not None:
            changed = setting_changes(sc.params, reference.params)
            if changed:
                text += "; changed here: " + "; ".join(c.said("file") for c in changed)
        return text
    changed = setting_changes(sc.params, reference.params)
    if not changed:
        return ""
    return "changes: " + "; ".join(c.said(f"'{reference.name}'") for c in changed)


def format_run(res: Any, targets: pd.DataFrame) -> str:
    """Return the plain-text report of one run: survey beside the report, then true outcomes."""
    sc = res.scenario
    k = len(res.draws)
    over = "mean [95% interval over posterior draws]" if k else "mean [95% interval] over seeds"
    uncertainty = uncertainty_of(res)
    lines = [
        f"{sc.name}: {sc.title}",
        f"{replicates_text(len(res.seeds), k)} (root seed {res.root_seed}), "
        f"{sc.params.n_agents:,} positions; {over}",
        f"{span_words(res.weeks)}.",
        f"{uncertainty[0].upper()}{uncertainty[1:]}.",
    ]
    changes = changes_text(sc, _status_quo())
    if changes:
        lines.append(changes)
    survey = res.survey_summary(wave=-1)
    if len(survey):
        wave = int(survey["wave"].iloc[0])
        when = f"{wave} wave" if wave > 0 else f"taken at week {-wave}, before the first wave"
        lines += ["", f"Survey, {when} (self-reports), beside the report's figures"]
        lines.append(_survey_table(survey, targets))
    outcomes = res.outcome_summary()
    lines += ["", "True outcomes (what no survey sees)"]
    rows = []
    for row in outcomes.itertuples():
        t = OUTCOMES.get(row.outcome) or Term(row.outcome.replace("_", " "))
        rows.append((t.label, t.units, fmt_interval(row.mean, row.ci_low, row.ci_high, t.style)))
    lines.append(render_table(["outcome", "counts", "mean [95% interval]"], rows))
    lines += ["", *_wrap(OUTPUT_VS_GAIN)]
    return "\n".join(lines)


def _wrap(text: str, width: int = 96) -> list[str]:
    out: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return [*out, line] if line else out


def _survey_table(survey: pd.DataFrame, targets: pd.DataFrame) -> str:
    """Rows of the survey that the report has a figure for, then headline rows."""
    key = ["item", "group"]
    t = targets.copy()
    if "wave" in t.columns:
        last = survey["wave"].iloc[0]
        t = t[t["wave"].isna() | (t["wave"] == last)] if len(t) else t
    t = t.dropna(subset=["item", "group"]) if len(t) else t
    merged = (
        survey.merge(
            t[[*key, "value", "id"]].rename(columns={"value": "report"}), on=key, how="left"
        )
        if len(t)
        else survey.assign(report=float("nan"), id=None)
    )
    with_target = merged[merged["report"].notna()]
    headline = merged[
        merged["report"].isna()
        & merged["group"].isin(["fte", "top_quartile", "freelancer", "top_vs_rest"])
        & merged["item"].isin(
            ["burnout", "considering_quitting", "productivity_gain", "misaligned", "trust_ai_more"]
        )
    ]
    rows = []
    for part in (with_target, headline):
        for r in part.itertuples():
            item = SURVEY_ITEMS.get(r.item) or Term(r.item.replace("_", " "), style="share")
            group = GROUPS.get(r.group) or Term(r.group.replace("_", " "))
            style = "ratio" if r.group == "top_vs_rest" else item.style
            rows.append(
                (
                    item.label,
                    group.label,
                    fmt_interval(r.mean, r.ci_low, r.ci_high, style),
                    fmt_value(r.report, style) if pd.notna(r.report) else "",
                    f"{r.n:,}",
                )
            )
    header = ["survey question", "who", "simulated [95% interval]", "report", "n"]
    return render_table(header, rows)
