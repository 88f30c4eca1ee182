"""The pattern suite's statistics: pure functions of arrays, testable on hand-made populations."""

from __future__ import annotations

import math

import numpy as np

__all__ = ["drift", "fastest_growth_week", "icc1", "point_biserial", "relative_risk"]

#: Window (weeks) over which adoption growth is measured for the fastest-growth week.
GROWTH_WINDOW = 13


def relative_risk(event: np.ndarray, exposed: np.ndarray) -> float:
    """Risk of ``event`` among the ``exposed`` over the risk among the rest.

    ``RR = (sum(event & exposed) / sum(exposed)) / (sum(event & ~exposed) / sum(~exposed))``.
    NaN when either group is empty or nobody in either group has the event;
    ``inf`` when only the exposed do.

    Args:
        event: 0/1 (or boolean) outcome per person.
        exposed: boolean exposure per person.
    """
    event = np.asarray(event, dtype=bool)
    exposed = np.asarray(exposed, dtype=bool)
    n1, n0 = int(exposed.sum()), int((~exposed).sum())
    if n1 == 0 or n0 == 0:
        return math.nan
    r1 = np.count_nonzero(event & exposed) / n1
    r0 = np.count_nonzero(event & ~exposed) / n0
    if r0 == 0:
        return math.inf if r1 > 0 else math.nan
    return float(r1 / r0)


def icc1(values: np.ndarray, groups: np.ndarray) -> float:
    """ICC(1) of ``values`` across ``groups`` from a one-way random-effects ANOVA.

    ::

        ICC(1) = (MSB - MSW) / (MSB + (k0 - 1) MSW)
        k0 = (N - sum(n_j^2) / N) / (J - 1)        (mean group size, adjusted for unequal sizes)

    with ``MSB`` and ``MSW`` the between- and within-group mean squares, ``J``
    groups (those with at least one member) and ``N`` members. Negative values
    (less between-group variance than chance) are returned as they are. NaN with
    fewer than two groups or no within-group degrees of freedom.

    Source: Bliese 2000 (within-group agreement, non-independence and reliability);
    Shrout & Fleiss 1979.
    """
    x = np.asarray(values, dtype=float)
    _, g = np.unique(np.asarray(groups), return_inverse=True)
    n_j = np.bincount(g)
    big_j, big_n = n_j.size, x.size
    if big_j < 2 or big_n - big_j < 1:
        return math.nan
    means = np.bincount(g, weights=x) / n_j
    grand = x.mean()
    ssb = float(n_j @ (means - grand) ** 2)
    ssw = float(((x - means[g]) ** 2).sum())
    msb, msw = ssb / (big_j - 1), ssw / (big_n - big_j)
    k0 = (big_n - float((n_j**2).sum()) / big_n) / (big_j - 1)
    denom = msb + (k0 - 1.0) * msw
    return float((msb - msw) / denom) if denom > 0 else math.nan


def drift(series: np.ndarray, window: int = 52, relative: bool = False) -> float:
    """Change of a series' mean from its first ``window`` points to its last ``window``.

    ``mean(x[-window:]) - mean(x[:window])``, or that divided by
    ``|mean(x[:window])|`` when ``relative``. A stationary series drifts by no
    more than its noise; a trend drifts by about its slope times the span.

    Raises:
        ValueError: if the series is shorter than two windows.
    """
    x = np.asarray(series, dtype=float)
    if window < 1 or x.size < 2 * window:
        raise ValueError(f"a series of {x.size} points has no two windows of {window}")
    first, last = float(x[:window].mean()), float(x[-window:].mean())
    change = last - first
    if relative:
        return change / abs(first) if first != 0 else math.nan
    return change


def fastest_growth_week(share: np.ndarray, window: int = GROWTH_WINDOW) -> float:
    """Week at which a diffusion curve grows fastest, measured over ``window`` weeks.

    ``share[t]`` is the level at week ``t`` (``share[0]`` the start). The growth
    over each window ``share[t + window] - share[t]`` is computed for every
    ``t``; the result is the middle of the window with the largest growth
    (``t + window / 2``; the first such window on ties). A Bass curve with
    imitation above innovation peaks after its start; pure innovation (a
    decaying curve) peaks in the first window.

    Raises:
        ValueError: if the curve is not longer than one window.
    """
    x = np.asarray(share, dtype=float)
    if window < 1 or x.size <= window:
        raise ValueError(f"a curve of {x.size} points is not longer than a window of {window}")
    growth = x[window:] - x[:-window]
    return float(int(np.argmax(growth)) + window / 2)


def point_biserial(level: np.ndarray, event: np.ndarray) -> float:
    """Pearson correlation of a level with a 0/1 event (NaN if either is constant)."""
    x = np.asarray(level, dtype=float)
    y = np.asarray(event, dtype=float)
    if x.size < 2 or x.std() == 0 or y.std() == 0:
        return math.nan
    return float(np.corrcoef(x, y)[0, 1])
