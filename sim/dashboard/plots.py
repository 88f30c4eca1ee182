"""Matplotlib pictures of a running model: the network, the weekly charts, the survey panel.

Everything here draws onto :class:`matplotlib.figure.Figure` objects (never ``pyplot``, which
keeps global state and is not safe across browser sessions) and reads a model only through the
interface in docs/CONTRACT.md: ``m.graph``, ``m.layout``, ``m.state``, ``m.series()``,
``m.survey()``. A network of more than :data:`TEAM_VIEW_ABOVE` positions is drawn one node per
team; its geometry is computed once per organisation, so a step only recolours it. Colours:
:data:`BURNOUT_CMAP` for burnout in every network drawing, one colour per scenario
(:data:`REDESIGN_COLOUR`, :data:`STATUS_QUO_COLOUR`) in every chart and bar.
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

from sim.vocabulary import GROUPS, SERIES, SURVEY_ITEMS

#: Most positions the network view draws; larger organisations show a sample of whole teams.
MAX_DRAWN_NODES = 300
#: Role codes of ``m.state.role`` (docs/CONTRACT.md) and how each is drawn.
ROLE_MARKERS = {
    0: ("o", "individual contributor", 30),
    1: ("s", "manager", 55),
    2: ("D", "executive", 60),
    3: ("^", "freelancer", 45),
}
#: Colour map for burnout, used by every network drawing (0 = fresh, 1 = exhausted): blue
#: below the burnt-out line of 0.5, red above it, pale near it.
BURNOUT_CMAP = "coolwarm"
#: Colour of the chosen redesign in every chart, bar and legend.
REDESIGN_COLOUR = "#7b3294"
#: Colour of the status quo in every chart, bar and legend.
STATUS_QUO_COLOUR = "#4d4d4d"
#: Colour of the report's figures (drawn as marks, never as a scenario).
REPORT_COLOUR = "#111111"
#: Line dashes (SVG ``stroke-dasharray``) of the lines of one scenario's chart, in order.
DASHES = ("", "6 4", "2 3")
#: Organisations larger than this are drawn one node per team.
TEAM_VIEW_ABOVE = 400
#: t quantiles (97.5%) by degrees of freedom, for the 95% interval of a mean over a few seeds.
T_975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262}
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
        team_index: in the team view, each position's team (0 to number of teams - 1), and
            ``xy`` holds one point per team; ``None`` when positions are drawn one by one.
        tie_counts: in the team view, the number of ties behind each drawn segment.
    """

    nodes: np.ndarray
    xy: np.ndarray
    segments: np.ndarray
    n_total: int
    svg_edges: str | None = None
    team_index: np.ndarray | None = None
    tie_counts: np.ndarray | None = None

    @property
    def by_team(self) -> bool:
        """True when the organisation is drawn one node per team."""
        return self.team_index is not None

    @property
    def sampled(self) -> bool:
        """True when only part of the organisation is drawn."""
        return not self.by_team and len(self.nodes) < self.n_total


def team_geometry(model: Any) -> NetworkGeometry:
    """Return the team view of ``model``: one point per team at its members' centre.

    Segments join teams with ties between them (``tie_counts`` says how many).
    """
    state = model.state
    team = np.asarray(state.team)
    _teams, index = np.unique(team, return_inverse=True)
    layout = np.asarray(model.layout, dtype=float)
    size = np.bincount(index).astype(float)
    xy = np.column_stack(
        [np.bincount(index, layout[:, 0]) / size, np.bincount(index, layout[:, 1]) / size]
    )
    edges = np.asarray(list(model.graph.edges()), dtype=np.int64).reshape(-1, 2)
    pairs = np.sort(index[edges], axis=1) if len(edges) else np.empty((0, 2), np.int64)
    pairs = pairs[pairs[:, 0] != pairs[:, 1]]
    if len(pairs):
        pairs, counts = np.unique(pairs, axis=0, return_counts=True)
    else:
        counts = np.empty(0, np.int64)
    return NetworkGeometry(
        nodes=np.arange(len(team)),
        xy=xy,
        segments=xy[pairs] if len(pairs) else np.empty((0, 2, 2)),
        n_total=len(team),
        team_index=index,
        tie_counts=counts,
    )


def team_values(model: Any, geometry: NetworkGeometry) -> tuple[np.ndarray, np.ndarray]:
    """Return per team of the team view: people in post and their mean burnout."""
    state = model.state
    index = geometry.team_index
    assert index is not None
    occupied = np.asarray(state.occupied, dtype=float)
    burnout = np.clip(np.asarray(state.burnout, dtype=float), 0.0, 1.0)
    n_teams = len(geometry.xy)
    people = np.bincount(index, occupied, minlength=n_teams)
    total = np.bincount(index, burnout * occupied, minlength=n_teams)
    return people, np.divide(total, people, out=np.zeros(n_teams), where=people > 0)


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


def network_geometry(
    model: Any, cap: int = MAX_DRAWN_NODES, team_view_above: int = TEAM_VIEW_ABOVE
) -> NetworkGeometry:
    """Compute what stays fixed in the network picture of ``model``: nodes, positions, ties.

    Organisations of more than ``team_view_above`` positions get the team view
    (:func:`team_geometry`); smaller ones are drawn position by position (at most ``cap``).
    """
    state = model.state
    if len(state.role) > team_view_above and hasattr(state, "team"):
        return team_geometry(model)
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
    if geometry.by_team:
        return _draw_teams(ax, model, geometry, title)
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


def _frame_network(ax: Any, xy: np.ndarray, title: str) -> None:
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    lim = float(np.abs(xy).max()) * 1.12 if len(xy) else 1.0
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    if title:
        ax.set_title(title, fontsize=10)


def _draw_teams(ax: Any, model: Any, geometry: NetworkGeometry, title: str) -> Any:
    people, burnout = team_values(model, geometry)
    ax.add_collection(
        LineCollection(geometry.segments, colors="#9aa4b1", linewidths=0.4, alpha=0.3, zorder=1)
    )
    size = 120.0 * people / max(float(np.median(people[people > 0])) * 3, 1.0)
    mappable = ax.scatter(
        geometry.xy[:, 0],
        geometry.xy[:, 1],
        c=burnout,
        cmap=BURNOUT_CMAP,
        vmin=0.0,
        vmax=1.0,
        s=np.maximum(size, 6.0),
        edgecolors="#333333",
        linewidths=0.5,
        zorder=3,
    )
    _frame_network(ax, geometry.xy, title)
    ax.text(
        0.0,
        -0.02,
        f"{len(geometry.xy)} teams of {geometry.n_total} positions:\n"
        "a circle per team, sized by its people",
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
            markerfacecolor="#d9d9d9",
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
        difference: True for the redesign minus the status quo (one line, around zero).
    """

    title: str
    lines: tuple[tuple[str, tuple[str, ...]], ...]
    ylabel: str = ""
    share: bool = True
    difference: bool = False


def _line(column: str) -> tuple[str, tuple[str, ...]]:
    return SERIES[column].label, (column,)


#: The four live charts of one run, in the order they are drawn (columns of ``m.series()``,
#: plus those :func:`prepare_series` derives). Each is drawn in the scenario's colour, its
#: lines told apart by dashes.
CHARTS: tuple[Chart, ...] = (
    Chart("Burnt out", (_line("burnout_share"),), "share of employees"),
    Chart(
        "Productivity gain from AI",
        (_line("true_gain"), _line("reported_gain")),
        "extra output",
    ),
    Chart("Trust: AI against coworkers", (_line("trust_ai"), _line("trust_coworkers")), "0 to 1"),
    Chart(
        "People",
        (_line("headcount_employees"), _line("quits_cumulative"), _line("vacancies")),
        "people",
        share=False,
    ),
)

#: The charts of a comparison: the difference first, then one outcome per chart with one
#: line per scenario (its colour), each with its interval band.
COMPARISON_CHARTS: tuple[Chart, ...] = (
    Chart(
        "Burnt out: redesign minus status quo",
        (("redesign minus status quo", ("burnout_share",)),),
        "percentage points",
        difference=True,
    ),
    Chart("Burnt out", (_line("burnout_share"),), "share of employees"),
    Chart("True productivity gain", (_line("true_gain"),), "extra output"),
    Chart("Quits so far", (_line("quits_cumulative"),), "people", share=False),
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


@dataclass
class Line:
    """One drawn line of a chart, with its interval band if it has one.

    Attributes:
        label: legend text.
        colour: the scenario's colour.
        dash: SVG dash pattern ("" solid).
        x: weeks.
        y: values (the mean over seeds when there is a band).
        lo: lower edge of the band (``None``: no band).
        hi: upper edge of the band.
    """

    label: str
    colour: str
    dash: str
    x: np.ndarray
    y: np.ndarray
    lo: np.ndarray | None = None
    hi: np.ndarray | None = None


def mean_band(values: np.ndarray) -> tuple[np.ndarray, np.ndarray | None, np.ndarray | None]:
    """Return the mean over seeds (rows) and its 95% interval (t-based), per week (columns).

    With one seed there is no band: the edges are ``None``.

    Example:
        >>> m, lo, hi = mean_band(np.array([[0.0, 1.0], [2.0, 3.0]]))
        >>> m.tolist(), round(float(hi[0]), 2)
        ([1.0, 2.0], 13.71)
    """
    values = np.asarray(values, dtype=float)
    mean = values.mean(axis=0)
    n = values.shape[0]
    if n < 2:
        return mean, None, None
    half = T_975.get(n - 1, 1.96) * values.std(axis=0, ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half


def _stack(frames: Sequence[pd.DataFrame], column: str) -> np.ndarray:
    weeks = min(len(f) for f in frames)
    return np.vstack([np.asarray(f[column], dtype=float)[:weeks] for f in frames])


def short_label(label: str) -> str:
    """Return a run's label for a legend: the adjustments shortened to "(adjusted)".

    Example:
        >>> short_label("keep slack (adjusted: human touchpoints 1.00 → 0.50)")
        'keep slack (adjusted)'
    """
    head, sep, _rest = label.partition(" (adjusted")
    return f"{head} (adjusted)" if sep else label


def scenario_colour(label: str) -> str:
    """Return the colour of a run from its label: grey for the status quo, else the redesign's."""
    return STATUS_QUO_COLOUR if label.startswith("status quo") else REDESIGN_COLOUR


def chart_lines(chart: Chart, runs: Sequence[tuple[str, Sequence[pd.DataFrame]]]) -> list[Line]:
    """Return the lines of ``chart`` for ``runs``: ``(label, series of each seed)`` pairs.

    One run: a line per column (dashes tell them apart), no band unless it has several seeds.
    A difference chart: the first run minus the second, seed by seed (common seeds), with the
    band of the mean difference. Otherwise: one line per run in its colour, with its band.
    """
    if not runs or not runs[0][1]:
        return []
    if chart.difference:
        if len(runs) < 2:
            return []
        (_l0, f0), (_l1, f1) = runs[0], runs[1]
        label, col = chart_columns(f0[0], chart)[0]
        k = min(len(f0), len(f1))
        diff = _stack(f0[:k], col) - _stack(f1[:k], col)
        mean, lo, hi = mean_band(diff)
        return [Line(label, REDESIGN_COLOUR, "", np.arange(len(mean), dtype=float), mean, lo, hi)]
    out = []
    several = len(runs) > 1
    for run_label, frames in runs:
        colour = scenario_colour(run_label)
        for i, (label, col) in enumerate(chart_columns(frames[0], chart)):
            mean, lo, hi = mean_band(_stack(frames, col))
            if chart.share and lo is not None and hi is not None:  # a share stays in 0 to 1
                lo, hi = np.clip(lo, 0.0, 1.0), np.clip(hi, 0.0, 1.0)
            elif lo is not None:  # a count stays at or above 0
                lo = np.maximum(lo, 0.0)
            x = np.arange(len(mean), dtype=float)
            name = short_label(run_label) if several else label
            out.append(Line(name, colour, DASHES[i % len(DASHES)], x, mean, lo, hi))
    return out


def _mpl_dash(dash: str) -> Any:
    return "-" if not dash else (0, tuple(float(v) for v in dash.split()))


def draw_chart(
    ax: Any,
    chart: Chart,
    runs: Sequence[tuple[str, Sequence[pd.DataFrame]]],
    weeks: int | None = None,
    legend: bool = True,
) -> None:
    """Draw one chart panel on ``ax`` (the same lines and bands as the live SVG chart).

    Args:
        ax: matplotlib axes.
        chart: what to draw.
        runs: ``(run label, series of each seed)`` pairs, as prepared by
            :func:`prepare_series`.
        weeks: the x-axis extent (at least this many weeks).
        legend: add the panel's own legend (a comparison has one legend for all panels).
    """
    for line in chart_lines(chart, runs):
        if line.lo is not None and line.hi is not None:
            ax.fill_between(line.x, line.lo, line.hi, color=line.colour, alpha=0.18, linewidth=0)
        ax.plot(
            line.x,
            line.y,
            color=line.colour,
            linestyle=_mpl_dash(line.dash),
            linewidth=1.8,
            label=line.label,
        )
    if chart.difference:
        ax.axhline(0.0, color="#888888", linewidth=0.8)
    ax.set_title(chart.title, fontsize=10)
    ax.set_xlabel("week", fontsize=8)
    ax.set_ylabel(chart.ylabel, fontsize=8)
    ax.tick_params(labelsize=7)
    ax.set_xlim(0, max(weeks or 0, 10))
    if chart.difference:
        ax.yaxis.set_major_formatter(
            matplotlib.ticker.FuncFormatter(
                lambda v, _pos: f"{v * 100:+.1f}".rstrip("0").rstrip(".")
            )
        )
    elif chart.share:
        ax.yaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0, decimals=0))
    else:
        ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    if ax.lines and legend:
        ax.legend(
            fontsize=7,
            loc="lower left",
            bbox_to_anchor=(0.0, 1.08),
            ncol=1,
            frameon=False,
            borderaxespad=0.0,
        )


# ----------------------------------------------------------------------------- survey
#: Groups smaller than this are marked: their share says little ("based on 4 people").
SMALL_GROUP = 30


@dataclass
class SurveyRow:
    """One report figure beside its simulated counterpart(s).

    Attributes:
        id: the target's id in the targets file.
        label: the question in plain words (:data:`sim.vocabulary.SURVEY_ITEMS`).
        group: who answered, in plain words (:data:`sim.vocabulary.GROUPS`).
        report: the report's value.
        simulated: the simulated value per run (NaN when the survey has no such row).
        n: simulated respondents behind each value (0 when unknown).
        ratio: True for a relative risk (top quarter against the rest) rather than a share.
        mean: True for an average (the productivity boost) rather than a share.
    """

    id: str
    label: str
    group: str
    report: float
    simulated: list[float] = field(default_factory=list)
    n: list[int] = field(default_factory=list)
    ratio: bool = False
    mean: bool = False

    def small(self, k: int) -> bool:
        """True when run ``k``'s value rests on fewer than :data:`SMALL_GROUP` people."""
        return k < len(self.n) and self.n[k] < SMALL_GROUP

    def format(self, value: float) -> str:
        """Return a value of this row as a person reads it: 88%, +40%, 2.0 times."""
        if not np.isfinite(value):
            return "—"
        if self.ratio:
            return f"{value:.1f} times"
        if self.mean:
            return f"{value:+.0%}"
        return f"{value:.0%}"


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
        sims, ns = [], []
        for frame in latest:
            value, n = float("nan"), 0
            if frame is not None and not frame.empty:
                hit = frame[(frame["item"] == t.item) & (frame["group"] == t.group)]
                if len(hit):
                    value = float(hit["value"].iloc[0])
                    if "n" in hit.columns:
                        n = int(hit["n"].iloc[0])
            sims.append(value)
            ns.append(n)
        item, group = str(t.item), str(t.group)
        rows.append(
            SurveyRow(
                id=str(t.id),
                label=SURVEY_ITEMS[item].label if item in SURVEY_ITEMS else item.replace("_", " "),
                group=GROUPS[group].label if group in GROUPS else group.replace("_", " "),
                report=float(t.value),
                simulated=sims,
                n=ns,
                ratio=group == "top_vs_rest",
                mean=item == "productivity_gain",
            )
        )
    return rows


def _survey_bars(ax: Any, rows: Sequence[SurveyRow], run_labels: Sequence[str]) -> None:
    """Draw the headline survey rows: a bar per run, the report's figure as a black mark."""
    n_runs = max(len(run_labels), 1)
    height = 0.8 / n_runs
    y = np.arange(len(rows))[::-1].astype(float)
    scale = [
        max(3.0, r.report, *[v for v in r.simulated if np.isfinite(v)]) if r.ratio else 1.0
        for r in rows
    ]
    for k, run_label in enumerate(run_labels):
        values = np.array([r.simulated[k] if k < len(r.simulated) else np.nan for r in rows])
        widths = np.nan_to_num(values / np.array(scale), nan=0.0)
        yk = y + 0.4 - height * (k + 0.5)
        ax.barh(
            yk,
            widths,
            height=height * 0.9,
            color=scenario_colour(run_label),
            label=f"simulated: {short_label(run_label)}",
        )
        for row, yy, w, v in zip(rows, yk, widths, values, strict=True):
            note = f"  (based on {row.n[k]} people)" if row.small(k) else ""
            ax.text(w + 0.01, yy, row.format(v) + note, va="center", fontsize=7)
    ax.scatter(
        [r.report / sc for r, sc in zip(rows, scale, strict=True)],
        y,
        marker="|",
        s=500,
        linewidths=2.5,
        color=REPORT_COLOUR,
        label="the report (2025)",
        zorder=4,
    )
    ax.set_yticks(
        y,
        [f"{r.group}:\n{r.label}\n(report: {r.format(r.report)})" for r in rows],
        fontsize=7,
    )
    ax.set_xlim(0, 1.25)
    ax.set_xticks([])
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, 0.0), frameon=False, ncol=1)


# ----------------------------------------------------------------------------- output
def to_png(fig: Figure, dpi: int | None = None, metadata: dict[str, str] | None = None) -> bytes:
    """Render ``fig`` to PNG bytes; ``metadata`` goes into the PNG's text fields."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi, metadata=metadata)
    return buf.getvalue()


def slide_figure(
    models: Sequence[tuple[str, Any, NetworkGeometry]],
    series: Sequence[tuple[str, Sequence[pd.DataFrame]]],
    rows: Sequence[SurveyRow],
    title: str,
    weeks: int | None = None,
    caption: str = "",
    subtitle: str = "",
) -> Figure:
    """Return the whole view as one 16:9 figure for a slide: network(s), charts, survey panel.

    Args:
        models: ``(label, model, geometry)`` of each drawn run.
        series: ``(label, series of each seed)`` of each run (several seeds: bands).
        rows: the survey rows to show.
        title: the slide's title.
        weeks: the charts' x extent.
        caption: the survey panel's title.
        subtitle: a line under the title (the settings that differ, in plain words).
    """
    fig = Figure(figsize=(16, 9), dpi=DPI, layout="constrained")
    fig.suptitle(f"{title}\n{subtitle}" if subtitle else title, fontsize=12)
    left, middle, right = fig.subfigures(1, 3, width_ratios=[1.0, 1.55, 1.25])
    axes = left.subplots(len(models), 1, squeeze=False)[:, 0]
    mappable = None
    for ax, (label, model, geometry) in zip(axes, models, strict=True):
        mappable = draw_network(ax, model, geometry, title=label) or mappable
    if mappable is not None:
        bar = left.colorbar(mappable, ax=list(axes), shrink=0.5, location="bottom", pad=0.02)
        bar.set_label("burnout (0 fresh, 1 exhausted; past 0.5 burnt out)", fontsize=8)
    if not models[0][2].by_team:
        role_legend(axes[0])
    charts = COMPARISON_CHARTS if len(series) > 1 else CHARTS
    comparing = len(series) > 1
    for ax, chart in zip(middle.subplots(2, 2).flat, charts, strict=True):
        draw_chart(ax, chart, series, weeks, legend=not comparing)
    if comparing:
        handles = [
            Line2D([], [], color=scenario_colour(label), linewidth=2.5, label=short_label(label))
            for label, _s in series
        ]
        middle.legend(handles=handles, loc="outside upper center", ncol=2, fontsize=9)
    ax_s = right.add_subplot()
    _survey_bars(ax_s, rows, [label for label, _s in series])
    if caption:
        ax_s.set_title(caption.replace(" against", "\nagainst"), fontsize=9)
    return fig
