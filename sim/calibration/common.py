"""Helpers shared by the calibration modules: seeds, rounding, digests, messages."""

from __future__ import annotations

import hashlib
import json
import sys
import warnings
from numbers import Real
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import UserError
from sim.executors import default_workers
from sim.experiment.seeds import spawn_seeds
from sim.inputs import ROOT_SEED_RANGE, check_int

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
    """Return ``n`` seeds spawned from ``root + salt`` (each use of a root has its own salt).

    Raises:
        UserError: for a root seed that is not a whole number from 0 to 2**63-1, or a
            count or salt that is not a whole number 0 or more.
    """
    root = check_int("root_seed", root, ROOT_SEED_RANGE)
    n = check_int("seeds", n, (0, None))
    salt = check_int("salt", salt, (0, None))
    return spawn_seeds(root + salt, n)


def _real(name: str, value: Any, allowed: str) -> Any:
    """Return ``value`` if it is a real number (numpy's as Python's), else refuse it.

    Python's ``int`` and ``float`` are returned as given, a numpy scalar as the Python
    number it holds; the range is the caller's to check.

    Args:
        name: the argument's name, for the message.
        value: what was given.
        allowed: what the argument allows (``"a number from 0 to below 1"``).

    Raises:
        UserError: ``se_floor='x' has the wrong type: expected a number from 0 to below 1``
            (``bool`` is no number here).
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise UserError(f"{name}={value!r} has the wrong type: expected {allowed}")
    return value.item() if isinstance(value, np.generic) else value


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
