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

from sim.dashboard import plots

#: Colours of the lines of one chart, in order.
PALETTE = ("#1f5fa8", "#d9822b", "#2a9d4b", "#8e44ad")
#: Stroke dash pattern per run: the chosen scenario solid, the status quo dashed.
RUN_DASH = ("", "6 4")
#: Bar colours of the survey panel per run.
RUN_BAR = ("#1f5fa8", "#d9822b")
FONT = 'font-family="Roboto, Helvetica, Arial, sans-serif"'


@lru_cache(maxsize=1)
def burnout_colours(levels: int = 101) -> tuple[str, ...]:
    """Return ``levels`` hex colours of the burnout colour map, from 0 (fresh) to 1 (exhausted)."""
    import matplotlib

    cmap = matplotlib.colormaps[plots.BURNOUT_CMAP]
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
    triangles; vacant positions are small grey crosses.
    """
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
    height = 2 * lim + 0.16 * lim + 0.42 * lim
    fs = lim * 0.055
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


def _network_legend(lim: float, r: float, fs: float) -> str:
    y0 = lim + fs * 1.6
    labels = [(0, "individual contributor"), (1, "manager"), (2, "executive"), (3, "freelancer")]
    out = ['<g class="legend" stroke="#333" stroke-width="0.004">']
    x = -lim
    label_fs = fs * 0.85
    for code, label in labels:
        out.append(_shape(code, x + r * 1.5, y0, r, "#f4c27a"))
        out.append(
            f'<text x="{_f(x + r * 3.5)}" y="{_f(y0 + fs * 0.35)}" font-size="{_f(label_fs)}" '
            f'stroke="none" fill="#333">{label}</text>'
        )
        x += r * 3.5 + len(label) * label_fs * 0.56 + fs * 0.9
    out.append("</g>")
    # colour bar
    colours = burnout_colours()
    stops = "".join(
        f'<stop offset="{i / 10:.1f}" stop-color="{colours[i * 10]}"/>' for i in range(11)
    )
    y1 = y0 + fs * 1.3
    w = lim * 1.0
    out.append(f'<defs><linearGradient id="wsim-burnout">{stops}</linearGradient></defs>')
    out.append(
        f'<rect x="{_f(-lim)}" y="{_f(y1)}" width="{_f(w)}" height="{_f(fs * 0.8)}" '
        f'fill="url(#wsim-burnout)" stroke="#666" stroke-width="{_f(lim * 0.002)}"/>'
    )
    out.append(
        f'<text x="{_f(-lim + w + fs * 0.4)}" y="{_f(y1 + fs * 0.7)}" '
        f'font-size="{_f(fs * 0.85)}" fill="#333">burnout: 0 fresh to 1 exhausted; '
        f"x vacant</text>"
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


def _tick_label(value: float, share: bool) -> str:
    if share:
        return f"{value * 100:.0f}%"
    return f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:g}"


def chart_svg(
    chart: plots.Chart,
    runs: Sequence[tuple[str, pd.DataFrame]],
    weeks: int,
    width: int = 360,
    height: int = 240,
) -> str:
    """Return one weekly chart as SVG: a line per series and run, axes, ticks and a legend.

    Args:
        chart: what to draw.
        runs: ``(run label, prepared series)`` pairs (the scenario first, the status quo second).
        weeks: x-axis extent in weeks.
        width: width in px (the SVG scales to its box).
        height: height in px.
    """
    left, right, top, bottom = 44, 8, 24, 30
    pw, ph = width - left - right, height - top - bottom
    lines = []
    ys = []
    for r, (run_label, series) in enumerate(runs):
        for i, (label, col) in enumerate(plots.chart_columns(series, chart)):
            y = np.asarray(series[col], dtype=float)
            x = np.asarray(series.index, dtype=float)
            lines.append((r, i, run_label, label, x, y))
            ys.append(y[np.isfinite(y)])
    values = np.concatenate(ys) if ys else np.array([0.0, 1.0])
    lo = min(0.0, float(values.min()) if values.size else 0.0)
    hi = float(values.max()) if values.size else 1.0
    hi = max(hi * 1.15, lo + (0.05 if chart.share else 5.0))
    ticks = nice_ticks(lo, hi)
    lo, hi = ticks[0], ticks[-1]
    xmax = max(weeks, 10)

    def sx(x: np.ndarray | float) -> np.ndarray | float:
        return left + np.asarray(x) / xmax * pw

    def sy(y: np.ndarray | float) -> np.ndarray | float:
        return top + (hi - np.asarray(y)) / (hi - lo) * ph

    n_points = max((len(x) for *_, x, _y in lines), default=0)
    title = escape(chart.title)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wsim-chart" '
        f'viewBox="0 0 {width} {height}" width="100%" data-title="{title}" '
        f'data-points="{n_points}" {FONT} role="img">',
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
            f'fill="#444">{_tick_label(t, chart.share)}</text>'
        )
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
    for r, i, _run_label, _label, x, y in lines:
        ok = np.isfinite(y)
        pts = " ".join(f"{a:.1f},{b:.1f}" for a, b in zip(sx(x[ok]), sy(y[ok]), strict=True))
        dash = f' stroke-dasharray="{RUN_DASH[min(r, 1)]}"' if r else ""
        out.append(
            f'<polyline class="series run-{r}" points="{pts}" fill="none" '
            f'stroke="{PALETTE[i % len(PALETTE)]}" stroke-width="{2 if r == 0 else 1.5}"{dash}/>'
        )
    # legend: one entry per metric (colour), then one per run (line style) when several
    entries = (
        [
            (PALETTE[i % len(PALETTE)], "", label)
            for i, (label, _c) in enumerate(plots.chart_columns(runs[0][1], chart))
        ]
        if runs
        else []
    )
    if len(runs) > 1:
        entries += [
            ("#555", RUN_DASH[min(r, 1)], run_label) for r, (run_label, _s) in enumerate(runs)
        ]
    ly = top + 12
    for colour, dash, label in entries:
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{left + 8}" x2="{left + 26}" y1="{ly - 4}" y2="{ly - 4}" '
            f'stroke="{colour}" stroke-width="2"{dash_attr}/>'
        )
        out.append(
            f'<text x="{left + 30}" y="{ly}" font-size="11" fill="#333">{escape(label)}</text>'
        )
        ly += 14
    out.append("</svg>")
    return "".join(out)


def charts_svg(runs: Sequence[tuple[str, pd.DataFrame]], weeks: int) -> list[str]:
    """Return the four weekly charts of :data:`~sim.dashboard.plots.CHARTS` as SVG strings."""
    return [chart_svg(chart, runs, weeks) for chart in plots.CHARTS]


# ----------------------------------------------------------------------------- survey
def survey_svg(
    rows: Sequence[plots.SurveyRow], run_labels: Sequence[str], caption: str = "", width: int = 460
) -> str:
    """Return the survey panel as SVG: each report figure beside the simulated value(s).

    Shares are drawn on a 0 to 100% scale; relative risks (top quartile against the rest) on
    their own scale below, with a line at 1 (no difference).
    """
    shares = [r for r in rows if not r.ratio]
    ratios = [r for r in rows if r.ratio]
    n_runs = max(len(run_labels), 1)
    bar = 6
    row_h = bar * (n_runs + 1) + 6
    label_w = 190
    pw = width - label_w - 46
    height = 60 + row_h * (len(shares) + len(ratios)) + (40 if ratios else 0)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="wsim-survey-svg" '
        f'viewBox="0 0 {width} {height}" width="100%" data-rows="{len(rows)}" {FONT} role="img">',
        f'<text x="4" y="14" font-size="12" font-weight="600" fill="#222">{escape(caption)}</text>',
    ]
    # legend
    lx = 4
    for colour, label in [
        ("#c9c9c9", "report (2025)"),
        *[(RUN_BAR[k % 2], f"simulated: {lab}") for k, lab in enumerate(run_labels)],
    ]:
        out.append(f'<rect x="{lx}" y="22" width="10" height="10" fill="{colour}" stroke="#888"/>')
        text = escape(label if len(label) <= 44 else label[:42] + "…")
        out.append(f'<text x="{lx + 14}" y="31" font-size="10" fill="#333">{text}</text>')
        lx += 14 + 6.0 * min(len(label), 44) + 12
    y = 46

    def section(items: Sequence[plots.SurveyRow], scale_max: float, share: bool, y: float) -> float:
        x0 = label_w
        for row in items:
            label = row.label if len(row.label) <= 34 else row.label[:33] + "…"
            out.append(
                f'<text x="{x0 - 6}" y="{y + row_h / 2 + 2:.1f}" font-size="10" '
                f'text-anchor="end" fill="#333"><title>{escape(row.id)}</title>'
                f"{escape(label)}</text>"
            )
            values = [("report", row.report, "#c9c9c9")]
            values += [
                (
                    f"run-{k}",
                    row.simulated[k] if k < len(row.simulated) else float("nan"),
                    RUN_BAR[k % 2],
                )
                for k in range(n_runs)
            ]
            by = y + 2
            for name, value, colour in values:
                ok = value is not None and math.isfinite(value)
                w = max(min(value, scale_max), 0.0) / scale_max * pw if ok else 0.0
                out.append(
                    f'<rect class="bar {name}" x="{x0}" y="{by:.1f}" width="{w:.1f}" '
                    f'height="{bar}" fill="{colour}" data-value="{value if ok else ""}"/>'
                )
                text = "—" if not ok else f"{value * 100:.0f}%" if share else f"{value:.2f}"
                out.append(
                    f'<text x="{x0 + w + 3:.1f}" y="{by + bar - 0.5:.1f}" font-size="8" '
                    f'fill="#444">{text}</text>'
                )
                by += bar
            y += row_h
        return y

    y = section(shares, 1.0, True, y)
    if ratios:
        top = max([3.0, *[v for r in ratios for v in [r.report, *r.simulated] if math.isfinite(v)]])
        out.append(
            f'<text x="4" y="{y + 16}" font-size="10" fill="#444">relative risk: top quartile '
            f"against the rest (1 = no difference)</text>"
        )
        y0 = y + 24
        y = section(ratios, top, False, y0)
        x1 = label_w + 1.0 / top * pw
        out.append(
            f'<line x1="{x1:.1f}" x2="{x1:.1f}" y1="{y0}" y2="{y}" stroke="#555" '
            f'stroke-dasharray="3 2"/>'
        )
    out.append("</svg>")
    return "".join(out)
