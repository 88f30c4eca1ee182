"""The figures of runs and comparisons, on :class:`matplotlib.figure.Figure` objects directly.

No pyplot state and no display are needed; :mod:`sim.report` saves them as PNG and SVG and
embeds them in ``report.html``. Every word on them comes from :mod:`sim.vocabulary`.

* :func:`trajectories_figure`: weekly series per scenario, mean with a 95% band.
* :func:`differences_figure`: each redesign's difference from the baseline, with intervals.
* :func:`survey_figure`: the simulated survey (2025 wave) against the report's figures.
* :func:`network_figure`: the organisation's graph at the end of a run, coloured by burnout.

Each checks what it is given before drawing: a scenario (or its name) where a run
is needed, a run where a comparison is needed, or nothing to draw raises
:class:`~sim.errors.UserError` saying what to give instead.
"""

from __future__ import annotations

import math
import os
import reprlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure

from sim.errors import UserError
from sim.inputs import check_int
from sim.model import WorkplaceModel
from sim.params import Params
from sim.present.describe import scenario_label, scenario_labels, uncertainty_of
from sim.present.format import PERCENT_UNITS
from sim.runner import (
    METRICS,
    CompareResult,
    RunResult,
    _check_seed,
    _scenario_meant,
    _summarise,
    direction_text,
)
from sim.scenarios import WEEKS_RANGE, Scenario
from sim.targets import load_targets
from sim.vocabulary import GROUPS, SURVEY_ITEMS
from sim.vocabulary import METRICS as METRICS_WORDS

__all__ = [
    "COLOURS",
    "PANELS",
    "differences_figure",
    "network_figure",
    "replicates_text",
    "survey_figure",
    "trajectories_figure",
    "uncertainty_sentence",
]

#: Weekly-series panels of the trajectories figure: title, y label, and lines as
#: ``(label, candidate column names, line style)``; the first column present is drawn.
PANELS: tuple[tuple[str, str, tuple[tuple[str, tuple[str, ...], str], ...]], ...] = (
    (
        "Burnout",
        "share of employees",
        (("burnt out", ("burnout_share", "share_burned_out", "burnout"), "-"),),
    ),
    (
        "Productivity gain: true vs self-reported",
        "extra output per hour over pre-AI",
        (
            ("true", ("true_gain", "mean_true_gain", "true_productivity_gain"), "-"),
            (
                "self-reported",
                ("reported_gain", "mean_reported_gain", "reported_productivity_gain"),
                "--",
            ),
        ),
    ),
    (
        "Trust shift: AI vs coworkers",
        "score 0 to 1",
        (
            ("trust in AI", ("trust_ai", "mean_trust_ai"), "-"),
            ("trust in coworkers", ("trust_coworkers", "mean_tie_strength"), "--"),
        ),
    ),
    (
        "Headcount and quits",
        "people",
        (
            ("employees present", ("headcount_employees", "headcount"), "-"),
            ("quits per week (right axis)", ("quits_8wk", "quits"), ":"),
        ),
    ),
)
#: Derived weekly series: name -> columns summed.
DERIVED = {"headcount_employees": ("headcount_ic", "headcount_manager", "headcount_executive")}
#: Series drawn on a second y axis (right), with its label.
_RIGHT = {
    "quits_8wk": "quits per week, 8-week average (dotted)",
    "quits": "quits per week (dotted)",
}

#: Colours of scenarios, in order (colour-blind safe, Okabe-Ito).
COLOURS = (
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#CC79A7",
    "#0072B2",
    "#D55E00",
    "#F0E442",
    "#999999",
)


# ----------------------------------------------------------------------------- helpers
def _colour(i: int) -> str:
    return COLOURS[i % len(COLOURS)]


def _pick(columns: Sequence[str], candidates: Sequence[str]) -> str | None:
    return next((c for c in candidates if c in columns), None)


def _band(
    ax: Any,
    x: np.ndarray,
    mean: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    colour: str,
    style: str,
    label: str,
) -> None:
    ax.plot(x, mean, color=colour, ls=style, lw=1.6, label=label)
    ok = np.isfinite(lo) & np.isfinite(hi)
    if ok.any():
        ax.fill_between(x[ok], lo[ok], hi[ok], color=colour, alpha=0.18, lw=0)


def _note(ax: Any, text: str) -> None:
    ax.text(
        0.5,
        0.5,
        text,
        ha="center",
        va="center",
        transform=ax.transAxes,
        color="#666",
        fontsize=9,
        wrap=True,
    )


# ----------------------------------------------------------------------------- argument checks
#: What a figure of runs is given, for messages.
_RUNS = "a RunResult (as run_scenario returns), a list of them or a CompareResult"


def _not_a_run(what: str, value: Any, figure: str = "trajectories_figure") -> UserError:
    """The error for something other than a run where a :class:`RunResult` is needed."""
    if isinstance(value, str | os.PathLike | Scenario):
        name = value.name if isinstance(value, Scenario) else str(value)
        given = f"scenario '{name}'" if isinstance(value, Scenario) else repr(name)
        return UserError(
            f"{what} is {given}, a scenario, not a run: run it first,"
            f" e.g. {figure}(run_scenario({name!r}))"
        )
    return UserError(f"{what}={reprlib.repr(value)} has the wrong type: expected {_RUNS}")


def _runs_of(runs: Any) -> list[RunResult]:
    """Return the runs a figure draws: a list of runs, one run, or a comparison's runs.

    Raises:
        UserError: for anything else (a scenario or its name in a run's place), or no run.
    """
    if isinstance(runs, RunResult):
        return [runs]
    if isinstance(runs, CompareResult):
        return list(runs.runs.values())
    if isinstance(runs, str | bytes | os.PathLike | Scenario | Mapping) or not isinstance(
        runs, Iterable
    ):
        raise _not_a_run("runs", runs)
    out = list(runs)
    for i, run in enumerate(out):
        if not isinstance(run, RunResult):
            raise _not_a_run(f"runs[{i}]", run)
    if not out:
        raise UserError(f"runs is empty: nothing to draw: give {_RUNS}")
    return out


def _run_of(run: Any) -> RunResult:
    """Return ``run`` if it is one :class:`RunResult` (a list of one is that run).

    Raises:
        UserError: for a comparison (naming how to pick one of its runs) or anything else.
    """
    if isinstance(run, RunResult):
        return run
    if isinstance(run, CompareResult):
        raise UserError(
            "run is a CompareResult: give one of its runs, e.g."
            f" survey_figure(result.runs[{run.baseline!r}])"
        )
    if isinstance(run, list | tuple) and len(run) == 1 and isinstance(run[0], RunResult):
        return run[0]
    if isinstance(run, str | os.PathLike | Scenario):
        raise _not_a_run("run", run, "survey_figure")
    raise UserError(
        f"run={reprlib.repr(run)} has the wrong type: expected a RunResult (as run_scenario"
        " returns)"
    )


def _compare_of(result: Any) -> CompareResult:
    """Return ``result`` if it is a :class:`CompareResult`.

    Raises:
        UserError: for a single run (saying to compare it) or anything else.
    """
    if isinstance(result, CompareResult):
        return result
    if isinstance(result, RunResult):
        raise UserError(
            f"result is a RunResult of '{result.name}', not a comparison: differences_figure"
            " draws each redesign's difference from the baseline; give what compare returns,"
            f" e.g. differences_figure(compare([{result.name!r}]))"
        )
    raise UserError(
        f"result={reprlib.repr(result)} has the wrong type: expected a CompareResult (as"
        " compare returns)"
    )


def _targets_of(targets: Any) -> pd.DataFrame:
    """Return the report's figures to draw against: ``targets``, or the calibration targets.

    Raises:
        UserError: for something other than a DataFrame with ``item``, ``group`` and
            ``value`` columns.
    """
    if targets is None:
        return load_targets()
    if not isinstance(targets, pd.DataFrame):
        raise UserError(
            f"targets={reprlib.repr(targets)} has the wrong type: expected None (the"
            " calibration targets) or a DataFrame like sim.targets.load_targets()"
        )
    missing = [c for c in ("item", "group", "value") if c not in targets.columns]
    if missing:
        raise UserError(
            f"targets has no column {', '.join(missing)}: give a DataFrame with item, group"
            " and value columns, like sim.targets.load_targets()"
        )
    return targets


def _scenarios_of(scenarios: Any) -> list[Scenario]:
    """Return the scenarios the network figure runs: several, or one on its own.

    Raises:
        UserError: for a run, a parameter set or another type in a scenario's place, a
            scenario that does not load, or no scenario.
    """
    example = "network_figure([load_scenario('baseline').with_overrides(touchpoints=0.4)], 1, 52)"
    if isinstance(scenarios, str | os.PathLike | Scenario | RunResult):
        scenarios = [scenarios]
    if isinstance(scenarios, Mapping | Params):
        _scenario_meant(scenarios, "scenarios", example)
    if isinstance(scenarios, bytes) or not isinstance(scenarios, Iterable):
        raise UserError(
            f"scenarios={reprlib.repr(scenarios)} has the wrong type: expected a list of"
            " scenarios (a bundled name, a .toml path or a Scenario each), or one of them"
        )
    out = []
    for i, sc in enumerate(scenarios):
        if isinstance(sc, RunResult):
            raise UserError(
                f"scenarios[{i}] is a run of '{sc.name}', not a scenario: to draw its network,"
                " give network_figure([run.scenario], seed=run.seeds[0], weeks=run.weeks)"
            )
        out.append(_scenario_meant(sc, f"scenarios[{i}]", example))
    if not out:
        raise UserError(
            "scenarios is empty: nothing to draw: give one or more scenarios (a bundled name,"
            " a .toml path or a Scenario each)"
        )
    return out


# ----------------------------------------------------------------------------- figures
def trajectories_figure(runs: Sequence[RunResult] | RunResult | CompareResult) -> Figure:
    """Weekly trajectories per scenario: mean over seeds with a 95% band.

    Panels: burnout; true against self-reported productivity gain; trust in AI
    against ties to coworkers; headcount and quits (see :data:`PANELS`).

    Args:
        runs: the runs to draw (:func:`sim.runner.run_scenario`'s results); one run on
            its own is a list of one, and a :class:`CompareResult` gives its runs.

    Raises:
        UserError: for anything but runs (a scenario or its name in a run's place),
            or no run.
    """
    runs = _runs_of(runs)
    fig = Figure(figsize=(11, 7.5), layout="constrained")
    axes = fig.subplots(2, 2, sharex=True).ravel()
    summaries = [_series_summary(r) for r in runs]
    labels = scenario_labels(r.scenario for r in runs)
    for ax0, (title, ylabel, lines) in zip(axes, PANELS, strict=True):
        drawn = False
        right = None
        for i, (run, summ) in enumerate(zip(runs, summaries, strict=True)):
            cols = list(summ["series"].unique())
            for label, candidates, style in lines:
                col = _pick(cols, candidates)
                if col is None:
                    continue
                d = summ[summ["series"] == col].sort_values("week")
                ax = ax0
                if col in _RIGHT:
                    if right is None:
                        right = ax0.twinx()
                        right.set_ylabel(_RIGHT[col])
                    ax = right
                name = labels[run.name]
                lab = name if len(lines) == 1 else f"{name}: {label}"
                _band(
                    ax,
                    d["week"].to_numpy(float),
                    d["mean"].to_numpy(float),
                    d["ci_low"].to_numpy(float),
                    d["ci_high"].to_numpy(float),
                    _colour(i),
                    style,
                    lab,
                )
                drawn = True
        ax0.set_title(title, fontsize=11, loc="left")
        ax0.set_ylabel(ylabel)
        ax0.grid(alpha=0.3)
        for wk in (52, 104):
            ax0.axvline(wk, color="#bbb", lw=0.8, ls=":")
        if not drawn:
            _note(ax0, "not reported by the model")
    for ax in axes[2:]:
        ax.set_xlabel("week (survey waves at 52 and 104)")
    handles, texts = [], []
    for i, run in enumerate(runs):
        handles.append(axes[0].plot([], [], color=_colour(i), lw=2)[0])
        texts.append(labels[run.name])
    for style, text in (
        ("-", "solid: true gain, trust in AI, employees"),
        ("--", "dashed: self-reported gain, trust in coworkers"),
    ):
        handles.append(axes[0].plot([], [], color="#555", ls=style)[0])
        texts.append(text)
    fig.legend(
        handles,
        texts,
        loc="outside lower center",
        ncol=min(len(texts), 4),
        fontsize=8,
        frameon=False,
    )
    over = replicates_text(runs[0])
    fig.suptitle(f"Weekly trajectories: mean over {over} with 95% band", fontsize=12)
    return fig


def replicates_text(run: RunResult | CompareResult, seeds: str = "seeds") -> str:
    """``8 seeds`` or, with posterior draws, ``8 seeds x 20 posterior draws``."""
    k = len(run.draws)
    return f"{len(run.seeds)} {seeds}" + (f" x {k} posterior draws" if k else "")


def uncertainty_sentence(obj: RunResult | CompareResult) -> str:
    """The sources of the intervals, in words, capitalised (``95% intervals over ...``)."""
    text = uncertainty_of(obj)
    return text[:1].upper() + text[1:]


def _series_summary(run: RunResult) -> pd.DataFrame:
    df = run.series
    ids = ["seed", "draw"] if "draw" in df.columns else ["seed"]
    extra = {
        name: df[list(cols)].sum(axis=1)
        for name, cols in DERIVED.items()
        if all(c in df.columns for c in cols)
    }
    if "quits" in df.columns:
        extra["quits_8wk"] = df.groupby(ids)["quits"].transform(
            lambda q: q.rolling(8, min_periods=1).mean()
        )
    if extra:
        df = df.assign(**extra)
    long = df.melt(id_vars=[*ids, "week"], var_name="series", value_name="value")
    return _summarise(long, ["series", "week"], "value")


def differences_figure(result: CompareResult) -> Figure:
    """Each redesign's difference from the baseline, per outcome, with a 95% interval.

    Args:
        result: what :func:`sim.runner.compare` returns.

    Raises:
        UserError: for anything but a :class:`CompareResult` (a single run included).
    """
    result = _compare_of(result)
    table = result.table()
    labels = scenario_labels(result.scenarios)
    others = [n for n in result.runs if n != result.baseline]
    ncol = 3
    nrow = math.ceil(len(METRICS) / ncol)
    height = 1.6 + nrow * (1.0 + 0.3 * max(len(others), 1))
    fig = Figure(figsize=(13, height), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrow, ncol, sharey=True)).ravel()
    y = np.arange(len(others))[::-1]
    for ax, m in zip(axes, METRICS, strict=False):
        block = table[(table["metric"] == m.key)].set_index("scenario")
        words = METRICS_WORDS[m.key]
        scale = 100.0 if words.style in PERCENT_UNITS else 1.0
        for yi, name in zip(y, others, strict=True):
            r = block.loc[name]
            d, lo, hi = (scale * r[c] for c in ("diff", "diff_low", "diff_high"))
            if not np.isfinite(d):
                continue
            clear = np.isfinite(lo) and np.isfinite(hi) and not (lo <= 0 <= hi)
            good = (d < 0) if m.better == "lower" else (d > 0)
            colour = ("#009E73" if good else "#D55E00") if clear else "#888888"
            if clear and not m.sign:  # no better direction: a change, neither good nor bad
                colour = "#0072B2"
            err = [[d - lo], [hi - d]] if np.isfinite(lo) and np.isfinite(hi) else None
            ax.errorbar(d, yi, xerr=err, fmt="o", color=colour, capsize=3, ms=5)
        ax.axvline(0, color="#333", lw=0.8)
        unit = "percentage points" if scale == 100.0 else words.unit
        title = words.label[:1].upper() + words.label[1:]
        ax.set_title(f"{title}\n({unit}; {direction_text(m.better)})", fontsize=9, loc="left")
        ax.grid(axis="x", alpha=0.3)
        ax.set_yticks(y, [labels[n] for n in others])
    for ax in axes[len(METRICS) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"Difference from '{labels[result.baseline]}' (paired over "
        f"{replicates_text(result, 'common seeds')}, 95% interval; green better, orange worse, "
        "grey no clear change, blue a change without a better direction)\n"
        + uncertainty_sentence(result),
        fontsize=11,
    )
    return fig


def survey_figure(run: RunResult, targets: pd.DataFrame | None = None) -> Figure:
    """The run's last survey wave (mean, 95% interval) against the report's figures.

    Args:
        run: one run (:func:`sim.runner.run_scenario`'s result; a list of one run is
            that run).
        targets: the report's figures: a DataFrame with ``item``, ``group`` and
            ``value`` columns (``se`` optional); default :func:`sim.targets.load_targets`.

    Raises:
        UserError: for anything but one run (a comparison: pick one of its runs), or
            targets of the wrong type or without those columns.
    """
    run = _run_of(run)
    targets = _targets_of(targets)
    survey = run.survey_summary(wave=-1)
    fig = Figure(figsize=(10, 7.5), layout="constrained")
    ax = fig.subplots()
    if not len(targets) or not len(survey):
        _note(ax, "no survey rows or no report figures to compare with")
        return fig
    m = targets.merge(survey, on=["item", "group"], how="left")
    ratio = m["group"] == "top_vs_rest"
    rows = m[~ratio].reset_index(drop=True)
    y = np.arange(len(rows))[::-1]
    ax.scatter(rows["value"], y, marker="D", color="#D55E00", label="report (2025)", zorder=3)
    if "se" in rows:
        se = rows["se"].fillna(0).to_numpy(float)
        ax.errorbar(
            rows["value"], y, xerr=1.96 * se, fmt="none", ecolor="#D55E00", alpha=0.5, capsize=2
        )
    lo = (rows["mean"] - rows["ci_low"]).to_numpy(float)
    hi = (rows["ci_high"] - rows["mean"]).to_numpy(float)
    # A percentile interval over few runs need not hold the mean: draw it from the mean out.
    err = np.clip(np.vstack([np.nan_to_num(lo), np.nan_to_num(hi)]), 0.0, None)
    ax.errorbar(
        rows["mean"],
        y,
        xerr=err,
        fmt="o",
        color="#0072B2",
        capsize=3,
        label=f"simulated '{scenario_label(run.scenario)}' (mean, 95% interval)",
        zorder=4,
    )
    ticks = [
        f"{_item_words(i)} ({_group_words(g)})"
        for i, g in zip(rows["item"], rows["group"], strict=True)
    ]
    ax.set_yticks(y, ticks, fontsize=8)
    ax.set_xlim(0, 1.02)
    ax.set_xlabel(
        f"share of respondents ({SURVEY_ITEMS['productivity_gain'].label}: mean extra output)"
    )
    ax.grid(axis="x", alpha=0.3)
    extra = ""
    for r in m[ratio].itertuples():
        extra += (
            f"\n{_item_words(r.item)}, {GROUPS['top_vs_rest'].label}: report {r.value:.2f}x,"
            f" simulated {r.mean:.2f}x"
        )
    fig.legend(
        loc="outside lower center",
        ncol=2,
        fontsize=8,
        title=extra.strip() or None,
        title_fontsize=8,
        frameon=False,
    )
    ax.set_title(
        f"Synthetic survey vs the report's figures ({replicates_text(run)}); "
        "report bars: ±1.96 survey SE",
        fontsize=10,
        loc="left",
    )
    return fig


def _item_words(item: str) -> str:
    return SURVEY_ITEMS[item].label if item in SURVEY_ITEMS else item.replace("_", " ")


def _group_words(group: str) -> str:
    return GROUPS[group].label if group in GROUPS else group.replace("_", " ")


def network_figure(
    scenarios: Sequence[Scenario | str | os.PathLike[str]] | Scenario | str | os.PathLike[str],
    seed: int,
    weeks: int,
    max_nodes: int = 1500,
) -> Figure:
    """The organisation's graph at the end of one run per scenario, coloured by burnout.

    Runs :class:`sim.model.WorkplaceModel` once per scenario on ``seed``; for a
    large organisation only the first teams, up to ``max_nodes`` people, are drawn.

    Args:
        scenarios: scenarios, bundled names or ``.toml`` paths; one on its own is a
            list of one.
        seed: the run's seed: a whole number from 0 to 2**63-1 (``result.seeds[0]``).
        weeks: weeks to simulate (1 to 1040).
        max_nodes: most people drawn per scenario (1 or more).

    Raises:
        UserError: for a run, a parameter set or another type in a scenario's place, no
            scenario, or a bad seed, ``weeks`` or ``max_nodes``, before anything runs.
    """
    scenarios = _scenarios_of(scenarios)
    seed = _check_seed(seed)
    weeks = check_int("weeks", weeks, WEEKS_RANGE)
    max_nodes = check_int("max_nodes", max_nodes, (1, None))
    fig = Figure(figsize=(5.6 * len(scenarios) + 0.8, 5.4), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(scenarios)))
    cmap = colormaps["inferno_r"]
    mappable = None
    for ax, sc in zip(axes, scenarios, strict=True):
        model = WorkplaceModel(sc.params, rng=seed).run(weeks)
        g, pos, st = model.graph, np.asarray(model.layout), model.state
        nodes = np.array(sorted(g.nodes), dtype=int)
        if nodes.size > max_nodes:
            team = np.array([g.nodes[n].get("team", 0) for n in nodes])
            order = np.argsort(team, kind="stable")
            nodes = np.sort(nodes[order[:max_nodes]])
        keep = np.zeros(int(nodes.max()) + 1 if nodes.size else 1, dtype=bool)
        keep[nodes] = True
        segs = [
            (pos[u], pos[v])
            for u, v in g.edges
            if u < keep.size and v < keep.size and keep[u] and keep[v]
        ]
        ax.add_collection(
            LineCollection(segs, colors="#9aa", linewidths=0.3, alpha=0.35, rasterized=True)
        )
        occ = np.asarray(st.occupied)[nodes]
        burn = np.asarray(st.burnout, dtype=float)[nodes]
        role = np.asarray(st.role)[nodes]
        ax.scatter(
            pos[nodes[~occ], 0],
            pos[nodes[~occ], 1],
            s=10,
            facecolors="none",
            edgecolors="#999",
            linewidths=0.6,
            rasterized=True,
        )
        for r, marker, size in ((0, "o", 12), (1, "s", 26), (2, "*", 80), (3, "^", 18)):
            sel = occ & (role == r)
            mappable = ax.scatter(
                pos[nodes[sel], 0],
                pos[nodes[sel], 1],
                c=burn[sel],
                cmap=cmap,
                vmin=0,
                vmax=1,
                s=size,
                marker=marker,
                linewidths=0.2,
                edgecolors="#333",
                rasterized=True,
            )
        ax.set_title(f"{scenario_label(sc)}: week {weeks}, first seed", fontsize=10, loc="left")
        ax.set_aspect("equal", adjustable="datalim")
        ax.autoscale_view()
        ax.set_axis_off()
    if mappable is not None:
        fig.colorbar(mappable, ax=list(axes), shrink=0.7, label="burnout (exhaustion score)")
    fig.suptitle(
        "Team network at the end of the run (o employee, square manager, "
        "star executive, triangle freelancer, hollow vacant)",
        fontsize=10,
    )
    return fig
