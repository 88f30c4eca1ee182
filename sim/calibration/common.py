"""Helpers shared by the calibration modules: seeds, rounding, digests, messages."""

from __future__ import annotations

import hashlib
import json
import sys
import warnings
from typing import Any

import numpy as np
import pandas as pd

from sim.executors import default_workers
from sim.experiment.seeds import spawn_seeds

__all__ = ["silent"]


def _stderr(msg: str) -> None:
    """Print a progress line on stderr (the default ``log``)."""
    print(msg, file=sys.stderr, flush=True)


def silent(msg: str) -> None:
    """Swallow a progress line (``log=silent`` turns progress off)."""
    return None


def _default_jobs() -> int:
    return default_workers()


def _digest(obj: Any) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _round(x: float, digits: int = 4) -> float:
    return float(f"{x:.{digits}g}")


def _rounded_table(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every float cell at six significant digits (for the CSV files kept in git)."""
    return df.map(lambda v: _round(v, 6) if isinstance(v, float) else v)


def _seeds(root: int, n: int, salt: int = 0) -> list[int]:
    return spawn_seeds(int(root) + salt, n)


def _wquantile(x: Any, w: np.ndarray, q: float) -> float:
    """Weighted quantile ``q`` of ``x`` (the first value whose cumulative weight reaches it)."""
    x = np.asarray(x, dtype=float)
    order = np.argsort(x)
    cw = np.cumsum(w[order])
    cw /= cw[-1]
    return float(x[order][min(np.searchsorted(cw, q), len(x) - 1)])


def _resampled_means(stats: Any, ids: list[str], resamples: np.ndarray) -> np.ndarray:
    """Mean statistics over each row of seed indices in ``resamples`` (draws x targets).

    ``stats`` holds one row (or dict) per seed; a target no resampled seed computed is NaN.
    """
    x = pd.DataFrame(stats).reindex(columns=ids).to_numpy(dtype=float)[resamples]
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all NaN: a target no seed computed
        return np.nanmean(x, axis=1)
