"""Summaries of replicates: a mean and a 95% interval, over seeds or over posterior draws."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["LEVEL", "interval"]

#: Confidence level of every interval.
LEVEL = 0.95


def interval(
    values: Sequence[float] | np.ndarray, level: float = LEVEL
) -> tuple[float, float, float]:
    """Return ``(mean, low, high)``: the mean and its Student-t confidence interval.

    With one value the interval is undefined (NaN); NaN values are ignored.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    if n == 0:
        return (math.nan, math.nan, math.nan)
    mean = float(x.mean())
    if n == 1:
        return (mean, math.nan, math.nan)
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return (mean, mean - half, mean + half)


def _summarise(df: pd.DataFrame, by: list[str], value: str, level: float = LEVEL) -> pd.DataFrame:
    """Mean and 95% interval of ``value`` within groups ``by`` (vectorised).

    Without a ``draw`` column: the mean over seeds and its Student-t interval.
    With one (posterior draws): each draw's mean over its seeds, then the mean of
    those per-draw means and, as the interval, their ``(1 - level) / 2`` and
    ``(1 + level) / 2`` quantiles (linear interpolation, numpy's default), so the
    interval carries parameter uncertainty as well as seed noise; NaN with fewer
    than two draws. NaN values are ignored.

    Returns:
        Columns ``*by, mean, ci_low, ci_high, replicates`` (replicates: values used).
    """
    vals = pd.to_numeric(df[value], errors="coerce")
    keys = [df[c] for c in by]
    if "draw" in df.columns:
        agg = _over_draws(vals, keys, df["draw"], level)
    else:
        agg = _over_seeds(vals, keys, level)
    agg = agg.reset_index()
    agg.columns = [*by, *agg.columns[len(by) :]]
    return agg[[*by, "mean", "ci_low", "ci_high", "replicates"]]


def _over_seeds(vals: pd.Series, keys: list[pd.Series], level: float) -> pd.DataFrame:
    """Mean and Student-t interval over the values of each group."""
    g = vals.groupby(keys, sort=False, dropna=False)
    agg = pd.DataFrame({"mean": g.mean(), "sd": g.std(ddof=1), "replicates": g.count()})
    n = agg["replicates"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        tq = np.where(n > 1, stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1)), np.nan)
        half = tq * agg["sd"].to_numpy(float) / np.sqrt(n)
    agg["ci_low"] = agg["mean"] - half
    agg["ci_high"] = agg["mean"] + half
    return agg


def _over_draws(
    vals: pd.Series, keys: list[pd.Series], draw: pd.Series, level: float
) -> pd.DataFrame:
    """Mean of per-draw means and the central ``level`` quantile range of them, per group."""
    g = vals.groupby([*keys, draw], sort=False, dropna=False)
    per = pd.DataFrame({"mean": g.mean(), "count": g.count()})
    gd = per.groupby(level=list(range(len(keys))), sort=False, dropna=False)
    agg = pd.DataFrame(
        {
            "mean": gd["mean"].mean(),
            "ci_low": gd["mean"].quantile((1 - level) / 2),
            "ci_high": gd["mean"].quantile((1 + level) / 2),
            "replicates": gd["count"].sum(),
        }
    )
    few = (gd["mean"].count() < 2).to_numpy()
    agg.loc[few, ["ci_low", "ci_high"]] = np.nan
    return agg
