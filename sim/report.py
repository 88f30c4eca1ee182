"""Figures, tidy result files and the self-contained ``report.html`` of runs and comparisons.

Figures are built on :class:`matplotlib.figure.Figure` objects directly (no
pyplot state, no display needed) and saved as PNG and SVG:

* :func:`trajectories_figure`: weekly series per scenario, mean with a 95% band.
* :func:`differences_figure`: each redesign's difference from the baseline, with intervals.
* :func:`survey_figure`: the simulated survey (2025 wave) against the report's figures.
* :func:`network_figure`: the organisation's graph at the end of a run, coloured by burnout.

:func:`write_run_outputs` and :func:`write_compare_outputs` write everything to a
folder; every file is written atomically (:mod:`sim.io`), ``report.html`` last,
with its figures embedded as data URIs so it opens anywhere without a network.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim import io
from sim.errors import UserError

if TYPE_CHECKING:
    from sim.runner import CompareResult, RunResult
    from sim.scenarios import Scenario

__all__ = [
    "PANELS",
    "check_out_dir",
    "differences_figure",
    "html_report",
    "network_figure",
    "survey_figure",
    "trajectories_figure",
    "write_compare_outputs",
    "write_run_outputs",
]

#: Weekly-series panels of the trajectories figure: title, y label, and lines as
#: ``(label, candidate column names, line style)``; the first column present is drawn.
PANELS: tuple[tuple[str, str, tuple[tuple[str, tuple[str, ...], str], ...]], ...] = (
    (
        "Burnout",
        "share of employees",
        (("burned out", ("burnout_share", "share_burned_out", "burnout"), "-"),),
    ),
    (
        "Productivity gain: true vs self-reported",
        "gain over pre-AI output",
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
        "score",
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
_FIGS = ("differences", "trajectories", "survey_vs_report", "network")


# ----------------------------------------------------------------------------- helpers
def check_out_dir(path: str | os.PathLike[str]) -> Path:
    """Check that ``path`` can be used as an output folder (before any run starts).

    Raises:
        UserError: if it exists and is not a folder, or cannot be created or written.
    """
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"--out {out}: cannot create the folder: {exc.strerror or exc}") from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise UserError(f"--out {out}: folder is not writable")
    return out


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


# ----------------------------------------------------------------------------- figures
def trajectories_figure(runs: Sequence[RunResult]) -> Figure:
    """Weekly trajectories per scenario: mean over seeds with a 95% band.

    Panels: burnout; true against self-reported productivity gain; trust in AI
    against ties to coworkers; headcount and quits (see :data:`PANELS`).
    """
    fig = Figure(figsize=(11, 7.5), layout="constrained")
    axes = fig.subplots(2, 2, sharex=True).ravel()
    summaries = [_series_summary(r) for r in runs]
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
                lab = run.name if len(lines) == 1 else f"{run.name}: {label}"
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
    handles, labels = [], []
    for i, run in enumerate(runs):
        handles.append(axes[0].plot([], [], color=_colour(i), lw=2)[0])
        labels.append(run.name)
    for style, text in (
        ("-", "solid: true gain, trust in AI, employees"),
        ("--", "dashed: self-reported gain, trust in coworkers"),
    ):
        handles.append(axes[0].plot([], [], color="#555", ls=style)[0])
        labels.append(text)
    fig.legend(
        handles,
        labels,
        loc="outside lower center",
        ncol=min(len(labels), 5),
        fontsize=8,
        frameon=False,
    )
    over = _replicates(runs[0]) if runs else "0 seeds"
    fig.suptitle(f"Weekly trajectories: mean over {over} with 95% band", fontsize=12)
    return fig


def _replicates(run: RunResult | CompareResult, seeds: str = "seeds") -> str:
    """``8 seeds`` or, with posterior draws, ``8 seeds x 20 posterior draws``."""
    k = len(run.draws)
    return f"{len(run.seeds)} {seeds}" + (f" x {k} posterior draws" if k else "")


def _uncertainty(obj: RunResult | CompareResult) -> str:
    """The sources of the intervals, capitalised (``95% intervals over ...``)."""
    text = obj.uncertainty
    return text[:1].upper() + text[1:]


def _series_summary(run: RunResult) -> pd.DataFrame:
    from sim.runner import _summarise

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
    """Each redesign's difference from the baseline, per outcome, with a 95% interval."""
    from sim.runner import METRICS

    table = result.table()
    others = [n for n in result.runs if n != result.baseline]
    ncol = 3
    nrow = math.ceil(len(METRICS) / ncol)
    fig = Figure(figsize=(12, 2.0 + 0.32 * max(len(others), 1) * nrow), layout="constrained")
    axes = np.atleast_1d(fig.subplots(nrow, ncol, sharey=True)).ravel()
    y = np.arange(len(others))[::-1]
    for ax, m in zip(axes, METRICS, strict=False):
        block = table[(table["metric"] == m.key)].set_index("scenario")
        scale = 100.0 if m.unit in ("share", "gain", "per year") else 1.0
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
        unit = "pp" if scale == 100.0 else m.unit
        arrow = _direction(m.better)
        ax.set_title(f"{m.label}\n({unit}; {arrow})", fontsize=9, loc="left")
        ax.grid(axis="x", alpha=0.3)
        ax.set_yticks(y, others)
    for ax in axes[len(METRICS) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"Difference from '{result.baseline}' (paired over {_replicates(result, 'common seeds')}, "
        "95% interval; green better, orange worse, grey no clear change, blue a change "
        f"without a better direction)\n{result.uncertainty}",
        fontsize=11,
    )
    return fig


def _direction(better: str) -> str:
    from sim.runner import direction_text

    return direction_text(better)


def survey_figure(run: RunResult, targets: pd.DataFrame | None = None) -> Figure:
    """The run's last survey wave (mean, 95% interval) against the report's figures."""
    if targets is None:
        targets = _targets()
    survey = run.survey_summary(wave=-1)
    fig = Figure(figsize=(9, 7), layout="constrained")
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
    err = np.vstack([np.nan_to_num(lo), np.nan_to_num(hi)])
    ax.errorbar(
        rows["mean"],
        y,
        xerr=err,
        fmt="o",
        color="#0072B2",
        capsize=3,
        label=f"simulated '{run.name}' (mean, 95% interval)",
        zorder=4,
    )
    ax.set_yticks(
        y, [f"{i} ({g})" for i, g in zip(rows["item"], rows["group"], strict=True)], fontsize=8
    )
    ax.set_xlim(0, 1.02)
    ax.set_xlabel("share of respondents (productivity gain: mean gain)")
    ax.grid(axis="x", alpha=0.3)
    extra = ""
    for r in m[ratio].itertuples():
        extra += f"\n{r.item} top vs rest: report {r.value:.2f}x, simulated {r.mean:.2f}x"
    fig.legend(
        loc="outside lower center",
        ncol=2,
        fontsize=8,
        title=extra.strip() or None,
        title_fontsize=8,
        frameon=False,
    )
    ax.set_title(
        f"Synthetic survey vs the report's figures ({_replicates(run)}); "
        "report bars: ±1.96 survey SE",
        fontsize=10,
        loc="left",
    )
    return fig


def _targets() -> pd.DataFrame:
    try:
        from sim.targets import load_targets
    except ImportError:  # pragma: no cover - the core ships it
        return pd.DataFrame(columns=["id", "value", "item", "group", "wave", "se"])
    return load_targets()


def network_figure(
    scenarios: Sequence[Scenario], seed: int, weeks: int, max_nodes: int = 1500
) -> Figure:
    """The organisation's graph at the end of one run per scenario, coloured by burnout.

    Runs :class:`sim.model.WorkplaceModel` once per scenario on ``seed``; for a
    large organisation only the first teams, up to ``max_nodes`` people, are drawn.
    """
    from matplotlib import colormaps
    from matplotlib.collections import LineCollection

    from sim.model import WorkplaceModel

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
        ax.set_title(f"{sc.name}: week {weeks}, first seed", fontsize=10, loc="left")
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


# ----------------------------------------------------------------------------- HTML
_CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2rem auto;
max-width:1100px;padding:0 1rem;color:#222;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;
border-bottom:1px solid #ddd;padding-bottom:.2rem}.meta{color:#555;font-size:.9rem}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}th,td{border:1px solid #ddd;
padding:.3rem .5rem;text-align:right;vertical-align:top}th{background:#f4f4f4}
td.l,th.l{text-align:left}.better{background:#e3f4ec}.worse{background:#fbe7dc}
.nc{color:#666}.ci{color:#666;font-size:.78rem;white-space:nowrap}
img{max-width:100%;height:auto;border:1px solid #eee;margin:.5rem 0}
code{background:#f4f4f4;padding:0 .2rem}.note{background:#f8f8f2;border-left:3px solid #bbb;
padding:.5rem .8rem;font-size:.9rem}
"""


def _img(png: bytes, alt: str) -> str:
    data = base64.b64encode(png).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{data}">'


def _fmt(x: float, unit: str, diff: bool = False) -> str:
    if x is None or not np.isfinite(x):
        return "n/a"
    if unit in ("share", "gain", "per year"):
        x = round(100 * x, 1) + 0.0  # no "-0.0"
        return f"{x:+.1f} pp" if diff else f"{x:.1f}%"
    x = round(x, 3) + 0.0
    return f"{x:+.3f}" if diff else f"{x:.3f}"


def _pct(x: float) -> str:
    """A share as a whole percentage, HTML-escaped (see :func:`sim.runner.share_text`)."""
    from sim.runner import share_text

    return html.escape(share_text(float(x) if x is not None else math.nan))


def _compare_table_html(result: CompareResult) -> str:
    from sim.runner import verdict

    t = result.table()
    unit = result.matched
    names = list(result.runs)
    head = "".join(
        f"<th>{html.escape(n)}{'' if n != result.baseline else '<br>(level)'}</th>" for n in names
    )
    rows = []
    for _, block in t.groupby("metric", sort=False):
        b = block.set_index("scenario")
        first = block.iloc[0]
        better = _direction(first["better"])
        cells = [
            f'<td class="l">{html.escape(first["label"])}<br>'
            f'<span class="ci">{html.escape(first["unit"])}; {better}</span></td>'
        ]
        for n in names:
            r = b.loc[n]
            if n == result.baseline:
                cells.append(
                    f'<td>{_fmt(r["mean"], r["unit"])}<br><span class="ci">'
                    f"[{_fmt(r['ci_low'], r['unit'])}, {_fmt(r['ci_high'], r['unit'])}]"
                    "</span></td>"
                )
                continue
            v = verdict(r["diff"], r["diff_low"], r["diff_high"], r["better"])
            cls = {"better": "better", "worse": "worse", "no clear change": "nc"}.get(v, "")
            beats = (
                f'<br><span class="ci">better in {_pct(r["beats_baseline"])} of {unit}</span>'
                if r["better"]
                else ""
            )
            cells.append(
                f'<td class="{cls}" title="{html.escape(v)}">'
                f'{_fmt(r["diff"], r["unit"], True)}<br><span class="ci">'
                f"[{_fmt(r['diff_low'], r['unit'], True)}, {_fmt(r['diff_high'], r['unit'], True)}]"
                f"</span>{beats}</td>"
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table><tr><th class="l">outcome</th>{head}</tr>' + "".join(rows) + "</table>"


def _pairwise_html(result: CompareResult) -> str:
    """Sentences for the clearest pairs, then a row-beats-column matrix per outcome."""
    from sim.runner import METRICS

    sup = result.superiority()
    if not len(sup):
        return ""
    runs = len(result.seeds) * max(result.posterior, 1)
    what = "same posterior draw and seed" if result.draws else "same seed"
    parts = [
        f"<p>Each cell: the share of the {runs} matched {result.matched} ({what}) in which the "
        "row's scenario does better than the column's on that outcome (ties count half; the "
        "two cells of a pair add up to 100%). Near 100% or 0%: the ranking holds whatever "
        "the calibrated parameters and the random events; near 50%: a toss-up.</p>",
    ]
    sentences = result.sentences()
    if sentences:
        items = "".join(f"<li>{html.escape(t)}</li>" for t in sentences)
        parts.append(f"<p>The clearest:</p><ul>{items}</ul>")
    names = list(result.runs)
    for m in METRICS:
        if not m.sign:
            continue
        block = sup[sup["metric"] == m.key].set_index(["scenario", "other"])["share"]
        head = "".join(f"<th>{html.escape(b)}</th>" for b in names)
        rows = []
        for a in names:
            cells = [f'<td class="l"><b>{html.escape(a)}</b></td>']
            for b in names:
                if a == b:
                    cells.append('<td class="nc">-</td>')
                    continue
                x = float(block.get((a, b), float("nan")))
                cls = "better" if x >= 0.9 else "worse" if x <= 0.1 else ""
                cells.append(f'<td class="{cls}">{_pct(x)}</td>')
            rows.append("<tr>" + "".join(cells) + "</tr>")
        parts.append(
            f"<h3>{html.escape(m.label)} ({_direction(m.better)})</h3>"
            f'<table><tr><th class="l">row beats column</th>{head}</tr>'
            + "".join(rows)
            + "</table>"
        )
    return "\n".join(parts)


def _scenarios_html(scenarios: Sequence[Scenario]) -> str:
    rows = []
    for sc in scenarios:
        changes = (
            ", ".join(f"<code>{html.escape(k)} = {v:g}</code>" for k, v in sc.changes.items())
            or "none (the reference)"
        )
        rows.append(
            f'<tr><td class="l"><b>{html.escape(sc.name)}</b><br>{html.escape(sc.title)}</td>'
            f'<td class="l">{html.escape(sc.description)}</td>'
            f'<td class="l">{html.escape(sc.recommendation)}</td><td class="l">{changes}</td></tr>'
        )
    return (
        '<table><tr><th class="l">scenario</th><th class="l">what it represents</th>'
        '<th class="l">tests</th><th class="l">parameters changed</th></tr>'
        + "".join(rows)
        + "</table>"
    )


def _outcomes_html(runs: Sequence[RunResult]) -> str:
    frames = {r.name: r.outcome_summary().set_index("outcome") for r in runs}
    names = list(frames)
    outcomes = list(dict.fromkeys(o for f in frames.values() for o in f.index))
    head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
    rows = []
    for o in outcomes:
        cells = [f'<td class="l">{html.escape(o)}</td>']
        for n in names:
            f = frames[n]
            if o not in f.index:
                cells.append("<td>n/a</td>")
                continue
            r = f.loc[o]
            ci = (
                ""
                if not np.isfinite(r["ci_low"])
                else f'<br><span class="ci">[{r["ci_low"]:.4g}, {r["ci_high"]:.4g}]</span>'
            )
            cells.append(f"<td>{r['mean']:.4g}{ci}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table><tr><th class="l">true outcome</th>{head}</tr>' + "".join(rows) + "</table>"


def html_report(
    *,
    title: str,
    runs: Sequence[RunResult],
    figures: dict[str, bytes],
    comparison: CompareResult | None = None,
    command: str | None = None,
    files: Sequence[str] = (),
) -> str:
    """Return a self-contained HTML report (figures as data URIs, no external resources).

    Args:
        title: the page's title.
        runs: the runs reported on.
        figures: PNG bytes by figure name (``differences``, ``trajectories`` ...).
        comparison: the comparison, when there is one (adds the difference table).
        command: the command line that made it.
        files: names of the other files written beside the report.
    """
    from sim import __version__

    first = runs[0]
    when = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f'<p class="meta">workplace-sim {html.escape(__version__)} · {when} · '
        f"{len(runs)} scenario{'s' if len(runs) != 1 else ''} · {_replicates(first)} each "
        f"(root seed {first.root_seed}) · {first.weeks} weeks · "
        f"{first.scenario.params.n_agents:,} positions"
        + (f"<br><code>{html.escape(command)}</code>" if command else "")
        + "</p>",
        f'<div class="note"><b>{html.escape(_uncertainty(comparison or first))}.</b> '
        "Every number is the mean over replicate runs (seeds) with its 95% "
        "interval. The scenarios share their seeds (common random numbers), so a "
        "difference from the baseline is taken seed by seed and its interval shows what the "
        "redesign changes, not run-to-run noise. "
        + (
            "With posterior draws, each draw of the calibrated parameters runs on every seed; "
            "a number is then the mean over draws of each draw's mean over seeds, and its "
            "interval the 2.5% to 97.5% range of those per-draw means (parameter "
            "uncertainty as well as seed noise). "
            if first.draws
            else "Without posterior draws the intervals leave out parameter uncertainty: "
            "they hold the calibrated values as if known exactly. "
        )
        + "<b>Survey</b> figures are what simulated "
        "respondents would self-report; <b>true</b> outcomes are what no survey sees. "
        "A simulation is a way to think through a redesign, not a forecast: read directions "
        "and sizes, not decimals.</div>",
    ]
    if comparison is not None:
        parts += [
            f"<h2>Redesigns against '{html.escape(comparison.baseline)}'</h2>",
            "<p>The baseline column gives its level; the other columns each redesign's "
            "difference from it [95% interval]. Green: clearly better; orange: clearly worse; "
            "grey: the interval includes zero.</p>",
            _compare_table_html(comparison),
        ]
        if "differences" in figures:
            parts.append(_img(figures["differences"], "differences from baseline"))
        pairwise = _pairwise_html(comparison)
        if pairwise:
            parts += ["<h2>Which scenario beats which</h2>", pairwise]
    parts += ["<h2>Scenarios</h2>", _scenarios_html([r.scenario for r in runs])]
    if "trajectories" in figures:
        parts += [
            "<h2>Trajectories</h2>",
            "<p>Weekly means with 95% bands; dotted lines mark the survey waves "
            "(week 52: 2024, week 104: 2025).</p>",
            _img(figures["trajectories"], "weekly trajectories"),
        ]
    if "survey_vs_report" in figures:
        parts += [
            f"<h2>The survey against the report ('{html.escape(first.name)}')</h2>",
            "<p>The synthetic survey of the 2025 wave beside the figures the report "
            "published. This is how far the model reproduces what was observed.</p>",
            _img(figures["survey_vs_report"], "survey against the report"),
        ]
    if "network" in figures:
        parts += [
            "<h2>The organisation's network</h2>",
            _img(figures["network"], "team network coloured by burnout"),
        ]
    parts += ["<h2>True outcomes</h2>", _outcomes_html(runs)]
    if files:
        items = "".join(f"<li><code>{html.escape(f)}</code></li>" for f in files)
        parts += [
            "<h2>Files</h2><p>Tidy data for your own analysis, beside this report:</p>",
            f"<ul>{items}</ul>",
        ]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# ----------------------------------------------------------------------------- writing
def _write_table(
    out: Path, stem: str, df: pd.DataFrame, written: list[Path], parquet: bool
) -> None:
    if parquet:
        written.append(io.write_parquet(out / f"{stem}.parquet", df))
    written.append(io.write_csv(out / f"{stem}.csv", df))


def _write_figure(
    out: Path, stem: str, fig: Figure, written: list[Path], pngs: dict[str, bytes]
) -> None:
    png = io.figure_bytes(fig, "png")
    written.append(io.write_bytes(out / "figures" / f"{stem}.png", png))
    written.append(io.write_figure(out / "figures" / f"{stem}.svg", fig))
    pngs[stem] = png


def _tidy(runs: Sequence[RunResult], attr: str) -> pd.DataFrame:
    frames = [getattr(r, attr).assign(scenario=r.name) for r in runs]
    df = pd.concat(frames, ignore_index=True)
    return df[["scenario", *[c for c in df.columns if c != "scenario"]]]


def _summaries(runs: Sequence[RunResult]) -> dict[str, pd.DataFrame]:
    out = {}
    for name, fn in (("survey_summary", "survey_summary"), ("outcomes_summary", "outcome_summary")):
        frames = [getattr(r, fn)().assign(scenario=r.name) for r in runs]
        df = pd.concat(frames, ignore_index=True)
        out[name] = df[["scenario", *[c for c in df.columns if c != "scenario"]]]
    return out


def _write_common(
    out: Path, runs: Sequence[RunResult], written: list[Path], pngs: dict[str, bytes], parquet: bool
) -> None:
    for stem in ("survey", "series", "outcomes"):
        _write_table(out, stem, _tidy(runs, stem), written, parquet)
    for stem, df in _summaries(runs).items():
        _write_table(out, stem, df, written, parquet)
    _write_figure(out, "trajectories", trajectories_figure(runs), written, pngs)
    base = runs[0]
    _write_figure(out, "survey_vs_report", survey_figure(base), written, pngs)


def _network(
    out: Path, runs: Sequence[RunResult], written: list[Path], pngs: dict[str, bytes]
) -> None:
    picks = [runs[0].scenario] + ([runs[-1].scenario] if len(runs) > 1 else [])
    fig = network_figure(picks, seed=runs[0].seeds[0], weeks=runs[0].weeks)
    _write_figure(out, "network", fig, written, pngs)


def write_run_outputs(
    out_dir: str | os.PathLike[str],
    runs: Sequence[RunResult],
    *,
    command: str | None = None,
    network: bool = True,
) -> list[Path]:
    """Write the tidy results, figures and ``report.html`` of one or more runs.

    Files (each written atomically; ``report.html`` last): ``survey``, ``series``,
    ``outcomes``, ``survey_summary`` and ``outcomes_summary`` as Parquet (when
    pyarrow is installed) and CSV; ``run.json``; ``figures/*.png`` and ``*.svg``.

    Returns:
        The paths written, ``report.html`` last.
    """
    out = check_out_dir(out_dir)
    written: list[Path] = []
    pngs: dict[str, bytes] = {}
    parquet = io.parquet_or_note()
    _write_common(out, runs, written, pngs, parquet)
    if network:
        _network(out, runs, written, pngs)
    docs = [r.to_dict() for r in runs]
    written.append(
        io.write_json(out / "run.json", _jsonable(docs[0] if len(docs) == 1 else {"runs": docs}))
    )
    names = ", ".join(r.name for r in runs)
    page = html_report(
        title=f"workplace-sim: {names}",
        runs=runs,
        figures=pngs,
        command=command,
        files=[_rel(p, out) for p in written],
    )
    written.append(io.write_text(out / "report.html", page))
    return written


def write_compare_outputs(
    out_dir: str | os.PathLike[str],
    result: CompareResult,
    *,
    command: str | None = None,
    network: bool = True,
) -> list[Path]:
    """Write the tidy results, figures and ``report.html`` of a comparison.

    On top of :func:`write_run_outputs`' files: ``comparison`` (one row per
    scenario and outcome, with the difference from the baseline and its interval)
    and ``metrics`` (one row per scenario and seed), and ``figures/differences``.

    Returns:
        The paths written, ``report.html`` last.
    """
    out = check_out_dir(out_dir)
    runs = list(result.runs.values())
    written: list[Path] = []
    pngs: dict[str, bytes] = {}
    parquet = io.parquet_or_note()
    _write_table(out, "comparison", result.table(), written, parquet)
    _write_table(out, "metrics", result.metrics, written, parquet)
    _write_common(out, runs, written, pngs, parquet)
    _write_figure(out, "differences", differences_figure(result), written, pngs)
    if network:
        _network(out, runs, written, pngs)
    written.append(io.write_json(out / "comparison.json", _jsonable(result.to_dict())))
    page = html_report(
        title="workplace-sim: redesigns compared with the baseline",
        runs=runs,
        figures=pngs,
        comparison=result,
        command=command,
        files=[_rel(p, out) for p in written],
    )
    written.append(io.write_text(out / "report.html", page))
    return written


def _rel(p: Path, root: Path) -> str:
    try:
        return str(p.relative_to(root))
    except ValueError:
        return str(p)


def _jsonable(obj: Any) -> Any:
    from sim.present.format import json_ready as _nan_to_none

    return _nan_to_none(obj)
