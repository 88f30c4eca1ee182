"""Matplotlib pictures of a running model: the network, the weekly charts, the survey panel.

Everything here draws onto :class:`matplotlib.figure.Figure` objects (never ``pyplot``, which
keeps global state and is not safe across browser sessions) and reads a model only through the
interface in docs/CONTRACT.md: ``m.graph``, ``m.layout``, ``m.state``, ``m.series()``,
``m.survey()``. The drawn network is capped (whole teams, evenly sampled) and its geometry is
computed once per organisation, so a step only recolours it.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import matplotlib

matplotlib.use("Agg", force=False)

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

#: Most positions the network view draws; larger organisations show a sample of whole teams.
MAX_DRAWN_NODES = 300
#: Role codes of ``m.state.role`` (docs/CONTRACT.md) and how each is drawn.
ROLE_MARKERS = {
    0: ("o", "individual contributor", 30),
    1: ("s", "manager", 55),
    2: ("D", "executive", 60),
    3: ("^", "freelancer", 45),
}
#: Colour map for burnout (0 = fresh, 1 = burnt out).
BURNOUT_CMAP = "YlOrRd"
#: Line styles of the runs shown together: the chosen scenario, then the status quo.
RUN_STYLES = ({"color": "#1f5fa8", "linestyle": "-"}, {"color": "#777777", "linestyle": "--"})
#: Image resolution of every picture sent to the browser.
DPI = 80


# ----------------------------------------------------------------------------- network
@dataclass
class NetworkGeometry:
    """The fixed part of a network picture of one organisation, computed once.

    Attributes:
        nodes: the positions drawn (indices into ``m.state`` arrays).
        xy: their coordinates, shape ``(len(nodes), 2)``.
        segments: the drawn ties as line segments, shape ``(n_edges, 2, 2)``.
        n_total: number of positions in the organisation.
        svg_edges: the ties as an SVG path, filled in by :mod:`sim.dashboard.svg` on first use.
    """

    nodes: np.ndarray
    xy: np.ndarray
    segments: np.ndarray
    n_total: int
    svg_edges: str | None = None

    @property
    def sampled(self) -> bool:
        """True when only part of the organisation is drawn."""
        return len(self.nodes) < self.n_total


def select_nodes(
    role: np.ndarray, team: np.ndarray | None, cap: int = MAX_DRAWN_NODES
) -> np.ndarray:
    """Return at most about ``cap`` positions to draw: all of them, or whole teams evenly sampled.

    Executives are always kept. Teams are taken at even steps through the team numbers (the
    layout puts neighbouring teams side by side), so the picture keeps the organisation's shape.

    Args:
        role: role code per position.
        team: team index per position (``None``: sample positions evenly instead).
        cap: the most positions to draw.

    Returns:
        Sorted position indices.
    """
    n = len(role)
    if n <= cap:
        return np.arange(n)
    if team is None:
        return np.unique(np.linspace(0, n - 1, cap).round().astype(np.int64))
    keep = role == 2
    teams, sizes = np.unique(team[~keep], return_counts=True)
    budget = max(cap - int(keep.sum()), 1)
    mean_size = max(float(sizes.mean()), 1.0)
    n_pick = int(np.clip(round(budget / mean_size), 1, len(teams)))
    picked = teams[np.unique(np.linspace(0, len(teams) - 1, n_pick).round().astype(np.int64))]
    keep |= np.isin(team, picked)
    nodes = np.flatnonzero(keep)
    return nodes[:cap] if len(nodes) > 1.3 * cap else nodes


def network_geometry(model: Any, cap: int = MAX_DRAWN_NODES) -> NetworkGeometry:
    """Compute what stays fixed in the network picture of ``model``: nodes, positions, ties."""
    state = model.state
    role = np.asarray(state.role)
    team = np.asarray(state.team) if hasattr(state, "team") else None
    nodes = select_nodes(role, team, cap)
    layout = np.asarray(model.layout, dtype=float)
    xy = layout[nodes]
    index = np.full(len(role), -1, dtype=np.int64)
    index[nodes] = np.arange(len(nodes))
    edges = np.asarray(list(model.graph.edges()), dtype=np.int64).reshape(-1, 2)
    if len(edges):
        local = index[edges]
        local = local[(local >= 0).all(axis=1)]
        segments = xy[local]
    else:
        segments = np.empty((0, 2, 2))
    return NetworkGeometry(nodes=nodes, xy=xy, segments=segments, n_total=len(role))


def draw_network(ax: Any, model: Any, geometry: NetworkGeometry, title: str = "") -> Any:
    """Draw the organisation on ``ax``: ties, then positions coloured by burnout.

    Managers, executives and freelancers have their own markers; vacant positions are drawn
    as small grey crosses.

    Returns:
        The last scatter collection (for a colour bar).
    """
    state = model.state
    nodes = geometry.nodes
    burnout = np.clip(np.asarray(state.burnout, dtype=float)[nodes], 0.0, 1.0)
    role = np.asarray(state.role)[nodes]
    occupied = np.asarray(state.occupied, dtype=bool)[nodes]
    ax.add_collection(
        LineCollection(geometry.segments, colors="#9aa4b1", linewidths=0.4, alpha=0.35, zorder=1)
    )
    mappable = None
    for code, (marker, _label, size) in ROLE_MARKERS.items():
        sel = (role == code) & occupied
        if sel.any():
            mappable = ax.scatter(
                geometry.xy[sel, 0],
                geometry.xy[sel, 1],
                c=burnout[sel],
                cmap=BURNOUT_CMAP,
                vmin=0.0,
                vmax=1.0,
                marker=marker,
                s=size,
                edgecolors="#333333",
                linewidths=0.5,
                zorder=3,
            )
    vacant = ~occupied
    if vacant.any():
        ax.scatter(
            geometry.xy[vacant, 0],
            geometry.xy[vacant, 1],
            marker="x",
            s=18,
            c="#b0b0b0",
            linewidths=0.8,
            zorder=2,
        )
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    lim = float(np.abs(geometry.xy).max()) * 1.08 if len(geometry.xy) else 1.0
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    if title:
        ax.set_title(title, fontsize=10)
    if geometry.sampled:
        ax.text(
            0.0,
            -0.02,
            f"{len(nodes)} of {geometry.n_total} positions (whole teams)",
            transform=ax.transAxes,
            fontsize=7,
            color="#555555",
            va="top",
        )
    return mappable


def role_legend(ax: Any) -> None:
    """Add a legend of the role markers (and vacancies) to ``ax``."""
    handles = [
        Line2D(
            [],
            [],
            marker=marker,
            linestyle="",
            markerfacecolor="#f4c27a",
            markeredgecolor="#333333",
            markersize=6,
            label=label,
        )
        for marker, label, _size in ROLE_MARKERS.values()
    ]
    handles.append(
        Line2D([], [], marker="x", linestyle="", color="#b0b0b0", markersize=6, label="vacant")
    )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=3,
        fontsize=7,
        frameon=False,
    )


# ----------------------------------------------------------------------------- charts
@dataclass(frozen=True)
class Chart:
    """One panel of the weekly charts: its title and the series it plots.

    Attributes:
        title: panel title.
        lines: ``(label, candidate column names)`` pairs; the first column present is used.
        ylabel: y-axis label.
        share: True when the values are shares to show as percentages.
    """

    title: str
    lines: tuple[tuple[str, tuple[str, ...]], ...]
    ylabel: str = ""
    share: bool = True


#: The four live charts of issue 6, in the order they are drawn (columns of ``m.series()``,
#: plus those :func:`prepare_series` derives).
CHARTS: tuple[Chart, ...] = (
    Chart(
        "Burnout",
        (("burnt out (share)", ("burnout_share",)), ("mean exhaustion", ("burnout",))),
        "employees",
    ),
    Chart(
        "Productivity gain from AI",
        (("true (measured)", ("true_gain",)), ("self-reported", ("reported_gain",))),
        "extra output",
    ),
    Chart(
        "Trust: AI against coworkers",
        (("trust in AI", ("trust_ai",)), ("trust in coworkers", ("trust_coworkers",))),
        "score 0 to 1",
    ),
    Chart(
        "Headcount and quits",
        (
            ("employees", ("headcount_employees",)),
            ("freelancers", ("headcount_freelancer",)),
            ("quits so far", ("quits_cumulative",)),
            ("vacancies", ("vacancies",)),
        ),
        "people",
        share=False,
    ),
)

#: Employee headcount columns of ``m.series()``, summed into ``headcount_employees``.
EMPLOYEE_HEADCOUNTS = ("headcount_ic", "headcount_manager", "headcount_executive")


def prepare_series(series: pd.DataFrame) -> pd.DataFrame:
    """Add the derived columns the charts use: employee headcount and cumulative quits."""
    out = series.copy()
    present = [c for c in EMPLOYEE_HEADCOUNTS if c in out.columns]
    if present:
        out["headcount_employees"] = out[present].sum(axis=1)
    if "quits" in out.columns:
        out["quits_cumulative"] = out["quits"].cumsum()
    return out


def pick_column(frame: pd.DataFrame, candidates: Sequence[str]) -> str | None:
    """Return the first of ``candidates`` that is a column of ``frame`` (``None`` if none is)."""
    for name in candidates:
        if name in frame.columns:
            return name
    return None


def chart_columns(series: pd.DataFrame, chart: Chart) -> list[tuple[str, str]]:
    """Return the ``(label, column)`` pairs of ``chart`` present in ``series``."""
    out = []
    for label, candidates in chart.lines:
        col = pick_column(series, candidates)
        if col is not None:
            out.append((label, col))
    return out


def draw_chart(
    ax: Any, chart: Chart, runs: Sequence[tuple[str, pd.DataFrame]], weeks: int | None = None
) -> None:
    """Draw one chart panel on ``ax`` for each run (the scenario solid, the status quo dashed).

    Args:
        ax: matplotlib axes.
        chart: what to draw.
        runs: ``(run label, series frame)`` pairs, as ``m.series()`` returns them.
        weeks: the x-axis extent (at least this many weeks).
    """
    palette = ["#1f5fa8", "#d9822b", "#2a9d4b", "#8e44ad"]
    for r, (_run_label, series) in enumerate(runs):
        style = RUN_STYLES[min(r, len(RUN_STYLES) - 1)]
        x = np.asarray(series.index, dtype=float)
        for i, (label, col) in enumerate(chart_columns(series, chart)):
            ax.plot(
                x,
                np.asarray(series[col], dtype=float),
                color=palette[i % len(palette)],
                linestyle=style["linestyle"],
                linewidth=1.6 if r == 0 else 1.2,
                label=label if r == 0 else None,
            )
    if len(runs) > 1:
        for r, (run_label, _s) in enumerate(runs):
            style = RUN_STYLES[min(r, len(RUN_STYLES) - 1)]
            ax.plot([], [], color="#555555", linestyle=style["linestyle"], label=run_label)
    ax.set_title(chart.title, fontsize=10)
    ax.set_xlabel("week", fontsize=8)
    ax.set_ylabel(chart.ylabel, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.set_xlim(0, max(weeks or 0, 10))
    if chart.share:
        ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    else:
        ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    if ax.lines:
        ax.legend(fontsize=7, loc="upper left", frameon=False)


# ----------------------------------------------------------------------------- survey
@dataclass
class SurveyRow:
    """One report figure beside its simulated counterpart(s).

    Attributes:
        id: the target's id in the targets file.
        label: a short readable label.
        report: the report's value.
        simulated: the simulated value per run (NaN when the survey has no such row).
        ratio: True for a relative risk (top quartile against the rest) rather than a share.
    """

    id: str
    label: str
    report: float
    simulated: list[float] = field(default_factory=list)
    ratio: bool = False


def survey_rows(
    targets: pd.DataFrame, surveys: Sequence[pd.DataFrame], wave: int | None = None
) -> list[SurveyRow]:
    """Match each report target with the simulated survey's value for the same item and group.

    Args:
        targets: ``sim.targets.load_targets()``: id, value, item, group (and wave).
        surveys: one ``m.survey()`` frame per run.
        wave: the wave to compare (default: the latest wave in each survey).

    Returns:
        One row per target, in the targets' order.
    """
    latest = []
    for frame in surveys:
        if frame is None or frame.empty:
            latest.append(frame)
            continue
        w = wave if wave is not None and wave in set(frame["wave"]) else frame["wave"].max()
        latest.append(frame[frame["wave"] == w])
    rows = []
    for t in targets.itertuples(index=False):
        sims = []
        for frame in latest:
            value = float("nan")
            if frame is not None and not frame.empty:
                hit = frame[(frame["item"] == t.item) & (frame["group"] == t.group)]
                if len(hit):
                    value = float(hit["value"].iloc[0])
            sims.append(value)
        ratio = str(t.group) == "top_vs_rest"
        label = f"{str(t.item).replace('_', ' ')} ({str(t.group).replace('_', ' ')})"
        rows.append(SurveyRow(str(t.id), label, float(t.value), sims, ratio))
    return rows


def _survey_bars(
    ax: Any, rows: Sequence[SurveyRow], run_labels: Sequence[str], share: bool
) -> None:
    n_runs = len(run_labels)
    width = 0.8 / (n_runs + 1)
    y = np.arange(len(rows))[::-1].astype(float)
    ax.barh(
        y + width * n_runs / 2,
        [r.report for r in rows],
        height=width,
        color="#c9c9c9",
        edgecolor="#888888",
        label="report (2025)",
    )
    colours = ["#1f5fa8", "#d9822b"]
    for k, run_label in enumerate(run_labels):
        values = [r.simulated[k] if k < len(r.simulated) else np.nan for r in rows]
        ax.barh(
            y + width * (n_runs / 2 - k - 1),
            np.nan_to_num(values, nan=0.0),
            height=width,
            color=colours[k % 2],
            label=f"simulated: {run_label}",
        )
    ax.set_yticks(y, [r.label for r in rows], fontsize=7)
    ax.tick_params(axis="x", labelsize=7)
    if share:
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
        ax.legend(fontsize=7, loc="lower right", frameon=True)
    else:
        ax.axvline(1.0, color="#555555", linewidth=0.8)
        ax.set_xlabel("relative risk: top quartile against the rest", fontsize=7)
    ax.grid(axis="x", alpha=0.3)


# ----------------------------------------------------------------------------- output
def to_png(fig: Figure, dpi: int | None = None) -> bytes:
    """Render ``fig`` to PNG bytes (and release nothing global: figures are plain objects)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi)
    return buf.getvalue()


def slide_figure(
    models: Sequence[tuple[str, Any, NetworkGeometry]],
    series: Sequence[tuple[str, pd.DataFrame]],
    rows: Sequence[SurveyRow],
    title: str,
    weeks: int | None = None,
    caption: str = "",
) -> Figure:
    """Return the whole view as one 16:9 figure for a slide: network(s), charts, survey panel."""
    fig = Figure(figsize=(16, 9), dpi=DPI, layout="constrained")
    fig.suptitle(title, fontsize=13)
    left, middle, right = fig.subfigures(1, 3, width_ratios=[1.0, 1.55, 1.1])
    axes = left.subplots(len(models), 1, squeeze=False)[:, 0]
    mappable = None
    for ax, (label, model, geometry) in zip(axes, models, strict=True):
        mappable = draw_network(ax, model, geometry, title=label) or mappable
    if mappable is not None:
        bar = left.colorbar(mappable, ax=list(axes), shrink=0.5, location="bottom", pad=0.02)
        bar.set_label("burnout (0 fresh, 1 exhausted)", fontsize=8)
    role_legend(axes[0])
    for ax, chart in zip(middle.subplots(2, 2).flat, CHARTS, strict=True):
        draw_chart(ax, chart, series, weeks)
    shares = [r for r in rows if not r.ratio]
    ratios = [r for r in rows if r.ratio]
    labels = [label for label, _s in series]
    if ratios:
        ax_s, ax_r = right.subplots(2, 1, height_ratios=[max(len(shares), 1), len(ratios) + 1.2])
        _survey_bars(ax_r, ratios, labels, share=False)
    else:
        ax_s = right.add_subplot()
    _survey_bars(ax_s, shares, labels, share=True)
    if caption:
        ax_s.set_title(caption.replace(" against", "\nagainst"), fontsize=9)
    return fig
