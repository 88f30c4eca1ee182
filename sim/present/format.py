"""Formatting shared by the reports, the command line and the dashboard.

Numbers are written by their *style* (:attr:`sim.vocabulary.Term.style`): ``share``,
``gain`` and ``per year`` as percentages (differences in percentage points), ``ratio`` as
``2.00x``, ``count`` with one decimal, ``hours`` with two, anything else with three places.

Example:
    >>> fmt_value(0.2593, "share"), fmt_interval(0.26, -0.01, 0.52, "share")
    ('25.9%', '26.0% [0.0, 52.0]')
    >>> fmt_diff(-0.026, -0.36, 0.31, "share"), fmt_diff(0.184, -2.1, 2.5, "count")
    ('-2.6 pp [-36.0, +31.0]', '+0.2 [-2.1, +2.5]')
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from typing import Any

__all__ = [
    "NON_NEGATIVE_UNITS",
    "PERCENT_UNITS",
    "fmt_diff",
    "fmt_interval",
    "fmt_value",
    "json_ready",
    "render_table",
]

#: Styles shown as percentages (differences in percentage points).
PERCENT_UNITS = ("share", "gain", "per year")
#: Styles whose values are never negative (their intervals are clipped at zero).
NON_NEGATIVE_UNITS = ("share", "per year", "ratio", "count", "hours")


def json_ready(obj: Any) -> Any:
    """Return ``obj`` ready for JSON: NaN and infinities None, numpy scalars Python, paths text."""
    if isinstance(obj, dict):
        return {str(k): json_ready(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_ready(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if hasattr(obj, "item") and callable(obj.item):  # numpy scalars
        return json_ready(obj.item())
    if isinstance(obj, os.PathLike):
        return os.fspath(obj)
    return obj


def _finite(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _bare(x: float, unit: str) -> str:
    """The number of :func:`fmt_value` without its ``%`` or ``x``."""
    if not _finite(x):
        return "n/a"
    if unit in PERCENT_UNITS:
        return f"{round(100 * x, 1) + 0.0:.1f}"
    if unit == "ratio":
        return f"{x:.2f}"
    if unit == "hours":
        return f"{x:,.2f}"
    if unit == "count":
        return f"{x:,.1f}" if abs(x) < 10_000 else f"{x:,.0f}"
    if abs(x) >= 10_000:
        return f"{x:,.0f}"
    return f"{x:.1f}" if abs(x) >= 10 else f"{round(x, 3) + 0.0:.3f}"


def fmt_value(x: float, unit: str = "") -> str:
    """Format a number for a table: shares and rates as percentages, ratios with ``x``."""
    text = _bare(x, unit)
    if text == "n/a":
        return text
    return text + ("%" if unit in PERCENT_UNITS else "x" if unit == "ratio" else "")


def fmt_interval(mean: float, lo: float, hi: float, unit: str = "") -> str:
    """Format ``mean [lo, hi]`` (the interval without repeating the unit).

    A share, rate, ratio, count or number of hours is never negative: its interval is
    clipped at zero (and a share's at 100%).
    """
    if not _finite(lo) or not _finite(hi):
        return fmt_value(mean, unit)
    if unit in NON_NEGATIVE_UNITS and _finite(mean) and mean >= 0.0:
        lo = max(lo, 0.0)
        if unit == "share" and mean <= 1.0:
            hi = min(hi, 1.0)
    return f"{fmt_value(mean, unit)} [{_bare(lo, unit)}, {_bare(hi, unit)}]"


def fmt_diff(d: float, lo: float, hi: float, unit: str = "") -> str:
    """Format a difference with sign and interval: percentage points for percentages."""
    if not _finite(d):
        return ""
    pct = unit in PERCENT_UNITS
    digits = {"count": 1, "hours": 2}.get(unit, 1 if pct else 3)
    scale, suffix = (100, " pp") if pct else (1, "")

    def s(x: float) -> str:
        return f"{round(scale * x, digits) + 0.0:+.{digits}f}"  # + 0.0: no "-0.0"

    if not _finite(lo) or not _finite(hi):
        return f"{s(d)}{suffix}"
    return f"{s(d)}{suffix} [{s(lo)}, {s(hi)}]"


def render_table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> str:
    """Return a plain-text table with columns padded to their widest cell."""
    cols = list(zip(header, *rows, strict=False)) if rows else [(h,) for h in header]
    widths = [max(len(str(c)) for c in col) for col in cols]
    lines = [indent + "  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True))]
    lines.append(indent + "  ".join("-" * w for w in widths))
    for row in rows:
        lines.append(indent + "  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(line.rstrip() for line in lines)
