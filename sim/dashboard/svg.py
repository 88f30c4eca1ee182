"""The live pictures as SVG text: the network, the weekly charts and the survey panel.

Matplotlib takes 100 to 400 ms to lay out and rasterise the four charts on this machine, too
slow for a step rendered within 300 ms, so the live view is drawn as SVG strings here (a few
milliseconds) and the browser renders them; matplotlib (:mod:`sim.dashboard.plots`) makes only
the PNG export. Both read the same prepared data: :class:`~sim.dashboard.plots.NetworkGeometry`,
:data:`~sim.dashboard.plots.CHARTS` and :class:`~sim.dashboard.plots.SurveyRow`.

Every drawing is a complete ``<svg>`` element sized by its ``viewBox`` (it scales to its box) and
carries ``data-`` attributes and classes that the tests read.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache
from html import escape
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps

from sim.dashboard import plots

#: Font size of the network drawings, as a share of the organisation's radius.
FONT_SCALE = 0.072
#: Room under a network drawing for its legend, as a share of the organisation's radius.
LEGEND_SPACE = 0.62
#: Fill of the role shapes in the network legend (roles are told by shape, not colour).
LEGEND_FILL = "#d9d9d9"
FONT = 'font-family="Roboto, Helvetica, Arial, sans-serif"'


@lru_cache(maxsize=1)
def burnout_colours(levels: int = 101) -> tuple[str, ...]:
    """Return ``levels`` hex colours of the burnout colour map, from 0 (fresh) to 1 (exhausted)."""
    cmap = colormaps[plots.BURNOUT_CMAP]
    out = []
    for x in np.linspace(0.0, 1.0, levels):
        r, g, b, _a = cmap(float(x))
        out.append(f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}")
    return tuple(out)


def _f(x: float) -> str:
    """Format a coordinate compactly."""
    return f"{x:.3f}".rstrip("0").rstrip(".") if abs(x) < 10 else f"{x:.1f}"


# ----------------------------------------------------------------------------- network
def _edges_path(geometry: plots.NetworkGeometry) -> str:
    """Return the ties as one SVG path (computed once per geometry, then kept on it)."""
    if geometry.svg_edges is None:
        geometry.svg_edges = "".join(
            f"M{_f(a[0])} {_f(-a[1])}L{_f(b[0])} {_f(-b[1])}" for a, b in geometry.segments
        )
    return geometry.svg_edges


def _shape(code: int, x: float, y: float, r: float, fill: str) -> str:
    if code == 0:  # individual contributor: circle
        return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(r)}" fill="{fill}"/>'
    if code == 1:  # manager: square
        s = r * 1.7
        return (
            f'<rect x="{_f(x - s / 2)}" y="{_f(y - s / 2)}" width="{_f(s)}" height="{_f(s)}" '
            f'fill="{fill}"/>'
        )
    if code == 2:  # executive: diamond
        d = r * 1.5
        return (
            f'<polygon points="{_f(x)},{_f(y - d)} {_f(x + d)},{_f(y)} {_f(x)},{_f(y + d)} '
            f'{_f(x - d)},{_f(y)}" fill="{fill}"/>'
        )
    d = r * 1.45  # freelancer: triangle
    return (
        f'<polygon points="{_f(x)},{_f(y - d)} {_f(x + d)},{_f(y + d * 0.8)} '
        f'{_f(x - d)},{_f(y + d * 0.8)}" fill="{fill}"/>'
    )


def network_svg(model: Any, geometry: plots.NetworkGeometry, title: str = "", week: int = 0) -> str:
    """Return the organisation as SVG: ties, positions coloured by burnout, a legend.

    Individual contributors are circles, managers squares, executives diamonds and freelancers
    triangles; vacant positions are small grey crosses. A large organisation (team view of
    ``geometry``) is drawn one circle per team, sized by the people in post and coloured by
    their mean burnout.
    """
    if geometry.by_team:
        return _teams_svg(model, geometry, title, week)
    state = model.state
    nodes = geometry.nodes
    burnout = np.clip(np.asarray(state.burnout, dtype=float)[nodes], 0.0, 1.0)
    role = np.asarray(state.role)[nodes]
    occupied = np.asarray(state.occupied, dtype=bool)[nodes]
    colours = burnout_colours()
    level = np.rint(burnout * (len(colours) - 1)).astype(np.int64)
    xy = geometry.xy
    lim = float(np.abs(xy).max()) * 1.08 if len(xy) else 1.0
    lim = max(lim, 0.5)
    r = lim * (0.019 if len(nodes) <= 220 else 0.015)
    edges = _edges_path(geometry)
    shapes = []
    for i in range(len(nodes)):
        x, y = float(xy[i, 0]), -float(xy[i, 1])
        if occupied[i]:
            shapes.append(_shape(int(role[i]), x, y, r, colours[level[i]]))
        else:
            c = r * 0.8
            d = f"M{_f(x - c)} {_f(y - c)}L{_f(x + c)} {_f(y + c)}"
            d += f"M{_f(x - c)} {_f(y + c)}L{_f(x + c)} {_f(y - c)}"
            shapes.append(f'<path class="vacant" stroke="#a0a0a0" fill="none" d="{d}"/>')
    top = -lim - 0.16 * lim
    height = 2 * lim + 0.16 * lim + LEGEND_SPACE * lim
    fs = lim * FONT_SCALE
    n_burnt = int(np.count_nonzero((burnout > 0.5) & occupied))
    mean_burnout = float(burnout[occupied].mean()) if occupied.any() else 0.0
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wsim-network-svg" '
        f'viewBox="{_f(-lim)} {_f(top)} {_f(2 * lim)} {_f(height)}" width="100%" '
        f'data-week="{week}" data-nodes="{len(nodes)}" data-occupied="{int(occupied.sum())}" '
        f'data-burnt-out="{n_burnt}" data-mean-burnout="{mean_burnout:.4f}" '
        f'{FONT} role="img">',
        f"<title>{escape(title)}</title>",
        f'<text x="{_f(-lim)}" y="{_f(top + fs * 1.4)}" font-size="{_f(fs * 1.25)}" '
        f'font-weight="600" fill="#222">{escape(title)}</text>',
        f'<path d="{edges}" stroke="#9aa4b1" stroke-width="{_f(lim * 0.003)}" '
        f'stroke-opacity="0.45" fill="none"/>',
        f'<g class="nodes" stroke="#333" stroke-width="{_f(lim * 0.004)}">',
        *shapes,
        "</g>",
        _network_legend(lim, r, fs),
    ]
    if geometry.sampled:
        parts.append(
            f'<text x="{_f(-lim)}" y="{_f(lim + fs * 0.2)}" font-size="{_f(fs * 0.85)}" '
            f'fill="#555">{len(nodes)} of {geometry.n_total} positions (whole teams)</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _teams_svg(model: Any, geometry: plots.NetworkGeometry, title: str, week: int) -> str:
    people, burnout = plots.team_values(model, geometry)
    colours = burnout_colours()
    level = np.rint(burnout * (len(colours) - 1)).astype(np.int64)
    xy = geometry.xy
    lim = max(float(np.abs(xy).max()) * 1.12 if len(xy) else 1.0, 0.5)
    typical = max(float(np.median(people[people > 0])) if (people > 0).any() else 1.0, 1.0)
    radius = lim * 0.022 * np.sqrt(people / typical)
    counts = geometry.tie_counts if geometry.tie_counts is not None else np.ones(0)
    strong = geometry.segments[counts >= np.quantile(counts, 0.75)] if len(counts) else []
    edges = "".join(f"M{_f(a[0])} {_f(-a[1])}L{_f(b[0])} {_f(-b[1])}" for a, b in strong)
    circles = [
        f'<circle cx="{_f(float(xy[i, 0]))}" cy="{_f(-float(xy[i, 1]))}" '
        f'r="{_f(max(float(radius[i]), lim * 0.006))}" fill="{colours[level[i]]}"/>'
        for i in range(len(xy))
    ]
    top = -lim - 0.16 * lim
    height = 2 * lim + 0.16 * lim + LEGEND_SPACE * lim
    fs = lim * FONT_SCALE
    occupied = np.asarray(model.state.occupied, dtype=bool)
    b_all = np.clip(np.asarray(model.state.burnout, dtype=float), 0, 1)
    n_burnt = int(np.count_nonzero((b_all > 0.5) & occupied))
    note = f"{len(xy)} teams of {geometry.n_total} positions; circle size: people"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wsim-network-svg wsim-teams" '
        f'viewBox="{_f(-lim)} {_f(top)} {_f(2 * lim)} {_f(height)}" width="100%" '
        f'data-week="{week}" data-nodes="{len(xy)}" data-teams="{len(xy)}" '
        f'data-occupied="{int(occupied.sum())}" data-burnt-out="{n_burnt}" '
        f'data-mean-burnout="{float(b_all[occupied].mean()) if occupied.any() else 0.0:.4f}" '
        f'{FONT} role="img">',
        f"<title>{escape(title)}</title>",
        f'<text x="{_f(-lim)}" y="{_f(top + fs * 1.4)}" font-size="{_f(fs * 1.25)}" '
        f'font-weight="600" fill="#222">{escape(title)}</text>',
        f'<path d="{edges}" stroke="#9aa4b1" stroke-width="{_f(lim * 0.003)}" '
        f'stroke-opacity="0.35" fill="none"/>',
        f'<g class="nodes teams" stroke="#333" stroke-width="{_f(lim * 0.003)}">',
        *circles,
        "</g>",
        f'<text x="{_f(-lim)}" y="{_f(lim + fs * 0.2)}" font-size="{_f(fs * 0.85)}" '
        f'fill="#555">{note}</text>',
        _network_legend(lim, lim * 0.019, fs, roles=False),
        "</svg>",
    ]
    return "".join(parts)


def _network_legend(lim: float, r: float, fs: float, roles: bool = True) -> str:
    """Return the legend under a network: role shapes (two by two), then the burnout scale."""
    y0 = lim + fs * 1.7
    labels = [(0, "individual contributor"), (1, "manager"), (2, "executive"), (3, "freelancer")]
    out = ['<g class="legend" stroke="#333" stroke-width="0.004">']
    label_fs = fs * 0.9
    for k, (code, label) in enumerate(labels if roles else []):
        x = -lim + (k % 2) * lim
        y = y0 + (k // 2) * fs * 1.35
        out.append(_shape(code, x + r * 1.5, y, r * 1.3, LEGEND_FILL))
        out.append(
            f'<text x="{_f(x + r * 4)}" y="{_f(y + fs * 0.35)}" font-size="{_f(label_fs)}" '
            f'stroke="none" fill="#333">{label}</text>'
        )
    out.append("</g>")
    colours = burnout_colours()
    stops = "".join(
        f'<stop offset="{i / 10:.1f}" stop-color="{colours[i * 10]}"/>' for i in range(11)
    )
    y1 = y0 + fs * 2.4 if roles else y0 - fs * 0.4
    w = lim * 0.8
    out.append(f'<defs><linearGradient id="wsim-burnout">{stops}</linearGradient></defs>')
    out.append(
        f'<rect x="{_f(-lim)}" y="{_f(y1)}" width="{_f(w)}" height="{_f(fs * 0.8)}" '
        f'fill="url(#wsim-burnout)" stroke="#666" stroke-width="{_f(lim * 0.002)}"/>'
    )
    out.append(
        f'<text x="{_f(-lim + w + fs * 0.4)}" y="{_f(y1 + fs * 0.75)}" '
        f'font-size="{_f(label_fs)}" fill="#333">burnout: blue fresh, red burnt out</text>'
    )
    if roles:
        out.append(
            f'<text x="{_f(-lim)}" y="{_f(y1 + fs * 2.0)}" font-size="{_f(label_fs)}" '
            f'fill="#333">grey cross: vacant position</text>'
        )
    return "".join(out)


# ----------------------------------------------------------------------------- charts
def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """Return round tick values covering ``[lo, hi]`` (about ``n`` of them)."""
    if not math.isfinite(lo) or not math.isfinite(hi):
        lo, hi = 0.0, 1.0
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(n - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    start = math.floor(lo / step) * step
    ticks = []
    t = start
    while t <= hi + step * 0.999:
        ticks.append(round(t, 10))
        t += step
    return ticks


def _tick_label(value: float, share: bool, signed: bool = False) -> str:
    if share:
        if signed:
            return f"{value * 100:+.0f}" if value else "0"
        return f"{value * 100:.0f}%"
    return f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:g}"


def chart_svg(
    chart: plots.Chart,
    lines: Sequence[plots.Line],
    weeks: int,
    width: int = 360,
    height: int = 250,
) -> str:
    """Return one weekly chart as SVG: its lines (and bands), axes, ticks and a legend.

    The legend sits in a strip above the plot, so it never covers a line.

    Args:
        chart: what is drawn (title, unit, share or count, difference).
        lines: the lines, from :func:`sim.dashboard.plots.chart_lines`.
        weeks: x-axis extent in weeks.
        width: width in px (the SVG scales to its box).
        height: height in px.
    """
    # legend entries laid out left to right in a strip above the plot, wrapping as needed
    left, right, bottom = 48, 8, 30
    entries = []
    lx, row = left, 0
    for line in lines:
        w = 26 + 6.2 * len(line.label) + 14
        if lx + w > width - right and lx > left:
            lx, row = left, row + 1
        entries.append((lx, row, line))
        lx += w
    rows = (max((r for _x, r, _l in entries), default=-1) + 1) if entries else 0
    top = 24 + 15 * rows + 6
    pw, ph = width - left - right, height - top - bottom
    ys = [line.y[np.isfinite(line.y)] for line in lines]
    ys += [b[np.isfinite(b)] for line in lines for b in (line.lo, line.hi) if b is not None]
    values = np.concatenate(ys) if ys else np.array([0.0, 1.0])
    vmin = float(values.min()) if values.size else 0.0
    vmax = float(values.max()) if values.size else 1.0
    if chart.difference:
        span = max(abs(vmin), abs(vmax), 0.02) * 1.15
        lo, hi = min(vmin * 1.15, -0.01), max(vmax * 1.15, 0.01)
        lo, hi = (lo, hi) if hi - lo > span * 0.3 else (-span, span)
    else:
        lo = min(0.0, vmin)
        hi = max(vmax * 1.15, lo + (0.05 if chart.share else 5.0))
    ticks = nice_ticks(lo, hi)
    lo, hi = ticks[0], ticks[-1]
    xmax = max(weeks, 10)

    def sx(x: np.ndarray | float) -> np.ndarray | float:
        return left + np.asarray(x) / xmax * pw

    def sy(y: np.ndarray | float) -> np.ndarray | float:
        return top + (hi - np.asarray(y)) / (hi - lo) * ph

    n_points = max((len(line.x) for line in lines), default=0)
    title = escape(chart.title)
    n_bands = sum(line.lo is not None for line in lines)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wsim-chart" '
        f'viewBox="0 0 {width} {height}" width="100%" data-title="{title}" '
        f'data-points="{n_points}" data-bands="{n_bands}" {FONT} role="img">',
        f'<text x="{left}" y="15" font-size="14" font-weight="600" fill="#222">{title}</text>',
        f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="#fff" stroke="#bbb"/>',
    ]
    for t in ticks:
        y = float(sy(t))
        out.append(
            f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>'
        )
        out.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#444">{_tick_label(t, chart.share, chart.difference)}</text>'
        )
    if chart.difference and lo < 0 < hi:
        y = float(sy(0.0))
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="#777"/>')
    xstep = 13 if xmax <= 110 else 26 if xmax <= 220 else 52
    for w in range(0, int(xmax) + 1, xstep):
        x = float(sx(w))
        out.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top + ph}" y2="{top + ph + 4}" stroke="#888"/>'
        )
        out.append(
            f'<text x="{x:.1f}" y="{top + ph + 15}" font-size="11" text-anchor="middle" '
            f'fill="#444">{w}</text>'
        )
    out.append(
        f'<text x="{left + pw}" y="{height - 3}" font-size="11" text-anchor="end" '
        f'fill="#444">week</text>'
    )
    if chart.ylabel:
        out.append(
            f'<text x="11" y="{top + ph / 2:.1f}" font-size="10" text-anchor="middle" '
            f'fill="#666" transform="rotate(-90 11 {top + ph / 2:.1f})">'
            f"{escape(chart.ylabel)}</text>"
        )
    for k, line in enumerate(lines):
        ok = np.isfinite(line.y)
        if line.lo is not None and line.hi is not None:
            ok &= np.isfinite(line.lo) & np.isfinite(line.hi)
            upper = [
                f"{a:.1f},{b:.1f}" for a, b in zip(sx(line.x[ok]), sy(line.hi[ok]), strict=True)
            ]
            lower = [
                f"{a:.1f},{b:.1f}" for a, b in zip(sx(line.x[ok]), sy(line.lo[ok]), strict=True)
            ]
            out.append(
                f'<polygon class="band band-{k}" points="{" ".join(upper + lower[::-1])}" '
                f'fill="{line.colour}" fill-opacity="0.18" stroke="none"/>'
            )
        pts = " ".join(
            f"{a:.1f},{b:.1f}" for a, b in zip(sx(line.x[ok]), sy(line.y[ok]), strict=True)
        )
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        out.append(
            f'<polyline class="series run-{k}" points="{pts}" fill="none" '
            f'stroke="{line.colour}" stroke-width="2.2"{dash}/>'
        )
    for x, r, line in entries:
        y = 24 + 15 * r + 8
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        out.append(
            f'<line x1="{x}" x2="{x + 22}" y1="{y - 4}" y2="{y - 4}" '
            f'stroke="{line.colour}" stroke-width="2.5"{dash}/>'
        )
        out.append(
            f'<text x="{x + 26}" y="{y}" font-size="11" fill="#333">{escape(line.label)}</text>'
        )
    out.append("</svg>")
    return "".join(out)


def charts_svg(runs: Sequence[tuple[str, pd.DataFrame]], weeks: int) -> list[str]:
    """Return the four charts of one run (:data:`~sim.dashboard.plots.CHARTS`) as SVG."""
    frames = [(label, [series]) for label, series in runs]
    return [chart_svg(c, plots.chart_lines(c, frames), weeks) for c in plots.CHARTS]


def comparison_charts_svg(
    runs: Sequence[tuple[str, Sequence[pd.DataFrame]]], weeks: int
) -> list[str]:
    """Return the charts of a comparison (:data:`~sim.dashboard.plots.COMPARISON_CHARTS`).

    Args:
        runs: ``(label, series of each seed)``: the redesign first, the status quo second.
        weeks: x-axis extent.
    """
    return [chart_svg(c, plots.chart_lines(c, runs), weeks) for c in plots.COMPARISON_CHARTS]


# ----------------------------------------------------------------------------- survey
def survey_table(
    rows: Sequence[plots.SurveyRow], run_labels: Sequence[str], caption: str = ""
) -> str:
    """Return the survey panel as an HTML table: each headline question, the report, the runs.

    A simulated value that rests on fewer than :data:`~sim.dashboard.plots.SMALL_GROUP` people
    is greyed and says so ("based on 4 people").
    """
    n_runs = len(run_labels)
    head = "".join(
        f'<th style="color:{plots.scenario_colour(lab)}">'
        f"Simulated: {escape(plots.short_label(lab))}</th>"
        for lab in run_labels
    )
    body = []
    for row in rows:
        cells = []
        for k in range(n_runs):
            value = row.simulated[k] if k < len(row.simulated) else float("nan")
            small = row.small(k)
            note = (
                f'<div class="wsim-small-group">based on {row.n[k]} '
                f"{'person' if row.n[k] == 1 else 'people'}: too few to mean much</div>"
                if small
                else ""
            )
            cls = "wsim-sim wsim-sim-small" if small else "wsim-sim"
            cells.append(f'<td class="{cls}">{escape(row.format(value))}{note}</td>')
        body.append(
            f'<tr data-id="{escape(row.id)}"><td class="wsim-question">'
            f'<div class="wsim-group">{escape(row.group)}</div>{escape(row.label)}</td>'
            f'<td class="wsim-report">{escape(row.format(row.report))}</td>{"".join(cells)}</tr>'
        )
    return (
        f'<div class="wsim-survey-table" data-rows="{len(rows)}">'
        f'<div class="wsim-survey-caption">{escape(caption)}</div>'
        f"<table><thead><tr><th>Question (who answered)</th><th>The report (2025)</th>{head}"
        f"</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
    )
