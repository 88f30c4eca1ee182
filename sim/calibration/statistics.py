"""The summary statistics and the distance: what a simulation is held against.

One simulation gives the 2025 survey wave; its rows for the targets of
``sim/data/targets.toml`` are the summary statistics (:func:`run_statistics`).
The distance to the report (:class:`WeightedDistance`) is the p-norm of the
targets' z-scores, ``z_k = (sim_k - report_k) / max(se_k, se_floor)``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from numbers import Integral
from typing import Any

import numpy as np
import pandas as pd

from sim import calendar
from sim.calibration.common import _real
from sim.errors import UserError
from sim.executors import run_tasks
from sim.experiment.run import Cell, Outputs, run_once
from sim.inputs import ROOT_SEED_RANGE, check_int
from sim.params import Params, check_mapping
from sim.scenarios import WEEKS_RANGE
from sim.targets import TARGET_WAVE, load_targets

__all__ = [
    "EXTRA_STATS",
    "NAN_Z",
    "RATIO_GROUP",
    "SE_FLOOR",
    "WeightedDistance",
    "run_statistics",
    "target_table",
]

#: Floor on the scale of each target's z-score, in share points (1.5 points).
SE_FLOOR = 0.015
#: Fewest weeks a run needs for the statistics: the 2025 wave is taken in week 104.
MIN_WEEKS = next(week for week, year in calendar.WAVE_WEEKS.items() if year == TARGET_WAVE)
#: z-score given to a statistic the simulation could not compute (NaN).
NAN_Z = 10.0
#: Group of the relative-risk targets (top quartile over the rest).
RATIO_GROUP = "top_vs_rest"
#: Share assumed for the rest when a ratio target is read in share points (as in targets.toml).
RATIO_REST_SHARE = 0.20
#: Acceptance rule of the tests: within max(2 SE, 3 points); none further off than 10 points.
TOL_SE, TOL_POINTS, CAP_POINTS = 2.0, 0.03, 0.10


def acceptance(se: Any, ratio: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The acceptance rule's scales: ``(points, tol, cap)`` for figures with SE ``se``.

    ``points`` is how many units one share point is (1, or ``1 / 0.20`` for a ratio, read on
    the top quartile's share with the rest at 0.20), ``tol`` is ``max(2 se, 3 points)`` and
    ``cap`` 10 points; ``ratio`` says which figures are ratios.
    """
    points = np.where(np.asarray(ratio, dtype=bool), 1.0 / RATIO_REST_SHARE, 1.0)
    tol = np.maximum(TOL_SE * np.asarray(se, dtype=float), TOL_POINTS * points)
    return points, tol, CAP_POINTS * points


def _check_se_floor(se_floor: Any) -> float:
    """Return ``se_floor`` if it is a number from 0 to below 1 (share points).

    Raises:
        UserError: ``se_floor=-1 must be from 0 to below 1`` (or the wrong type).
    """
    se_floor = _real("se_floor", se_floor, "a number from 0 to below 1")
    if not 0.0 <= se_floor < 1.0:
        raise UserError(f"se_floor={se_floor!r} must be from 0 to below 1")
    return se_floor


def target_table(se_floor: float = SE_FLOOR) -> pd.DataFrame:
    """Return the targets with the distance scale and the test tolerances.

    Columns of :func:`sim.targets.load_targets`, plus ``sigma`` (the z-score
    scale ``max(se, se_floor)``, in the ratio's own units for ratio targets),
    ``points`` (how many units one share point is: 1, or ``1 / 0.20`` for a
    ratio, read on the top quartile's share with the rest at 0.20), ``tol``
    (``max(2 se, 3 points)``) and ``cap`` (10 points).

    Args:
        se_floor: floor on each target's z-score scale, in share points: from 0 to below 1.

    Raises:
        UserError: for a ``se_floor`` that is not a number from 0 to below 1.
    """
    se_floor = _check_se_floor(se_floor)
    t = load_targets().copy()
    points, tol, cap = acceptance(t["se"], t["group"] == RATIO_GROUP)
    t["points"] = points
    t["sigma"] = np.maximum(t["se"], se_floor * t["points"])
    t["tol"] = tol
    t["cap"] = cap
    return t


#: Extra survey rows kept beside the targets: the two readings of the 88% figure.
EXTRA_STATS = {
    "_burnout_rest": ("burnout", "rest"),
    "_burnout_rr": ("burnout", RATIO_GROUP),
    "_burnout_fte": ("burnout", "fte"),
}


def run_statistics(params: Params | Mapping[str, Any], seed: int, weeks: int = 104) -> dict:
    """Simulate once and return the 2025 survey's value for every target (and a few extras).

    Args:
        params: full parameter set (a :class:`~sim.params.Params` or a mapping).
        seed: the run's seed: a whole number from 0 to 2**63-1.
        weeks: weeks to simulate: from 104 (:data:`MIN_WEEKS`, for the 2025 wave) to 1040.

    Returns:
        ``{target id: value}`` plus the keys of :data:`EXTRA_STATS` (NaN where the
        survey has no value) and ``_seed``.

    Raises:
        UserError: for parameters that are not a Params or a mapping, or a seed or weeks
            out of range or not whole numbers (the run would end before the 2025 wave).
    """
    check_mapping("params", params, params_ok=True)
    seed = check_int("seed", seed, ROOT_SEED_RANGE)
    weeks = _check_weeks(weeks)
    cells = _cells()
    values = run_once(params, seed, weeks, Outputs(outcomes=(), survey=cells))["survey"]
    names = [row[0] for row in _targets_cached()] + list(EXTRA_STATS)
    out = {name: float(values[cell]) for name, cell in zip(names, cells, strict=True)}
    out["_seed"] = seed
    return out


def _check_weeks(weeks: Any) -> int:
    """Return ``weeks`` as an int if a run that long takes the 2025 wave: 104 to 1040.

    Raises:
        UserError: ``weeks=5 is out of range: allowed 104 to 1040 (the 2025 wave, whose
            figures the statistics are, is taken in week 104)``, or the wrong type.
    """
    lo, hi = MIN_WEEKS, WEEKS_RANGE[1]
    if isinstance(weeks, Integral) and not isinstance(weeks, bool) and weeks < lo:
        raise UserError(
            f"weeks={weeks} is out of range: allowed {lo} to {hi} (the {TARGET_WAVE} wave,"
            f" whose figures the statistics are, is taken in week {lo})"
        )
    return check_int("weeks", weeks, (lo, hi))


_TARGET_ROWS: tuple[tuple[str, str, str], ...] | None = None


def _targets_cached() -> tuple[tuple[str, str, str], ...]:
    global _TARGET_ROWS
    if _TARGET_ROWS is None:
        t = target_table()
        _TARGET_ROWS = tuple(zip(t["id"], t["item"], t["group"], strict=True))
    return _TARGET_ROWS


def _cells() -> tuple[Cell, ...]:
    """The survey cells a run keeps: every target's, then those of :data:`EXTRA_STATS`."""
    rows = [(item, group, TARGET_WAVE) for _, item, group in _targets_cached()]
    rows += [(item, group, TARGET_WAVE) for item, group in EXTRA_STATS.values()]
    return tuple(rows)


def _job(args: tuple[dict, int, int]) -> dict:
    params, seed, weeks = args
    return run_statistics(params, seed, weeks)


def _map(jobs: Sequence[tuple[dict, int, int]], workers: int, tick: Callable | None) -> list:
    """Run simulation jobs in ``workers`` processes (in order), calling ``tick(done, total)``."""
    return run_tasks(_job, jobs, workers, tick)


def _z(stats: Mapping[str, float], targets: pd.DataFrame) -> np.ndarray:
    sim = np.array([stats.get(i, math.nan) for i in targets["id"]], dtype=float)
    z = (sim - targets["value"].to_numpy()) / targets["sigma"].to_numpy()
    return np.where(np.isfinite(z), z, NAN_Z)


class WeightedDistance:
    """The ABC distance: the p-norm of the targets' z-scores (p = 1 by default).

    ``z_k = (sim_k - report_k) / max(se_k, se_floor)``; a statistic the run
    could not compute counts as ``z = NAN_Z``. Keys starting with ``_`` are
    ignored. With ``p = 1`` (the sum of absolute z-scores) a target the model
    cannot reach costs in proportion to its miss instead of its square, so it
    does not drag every other target off to shave a little from its own miss.
    """

    def __init__(self, se_floor: float = SE_FLOOR, p: float = 1.0) -> None:
        p = _real("p", p, "a number from 1 up (1: sum of absolute z; 2: Euclidean)")
        if not 1.0 <= p < math.inf:
            raise UserError(
                f"p={p!r} must be a number from 1 up (1: sum of absolute z; 2: Euclidean)"
            )
        t = target_table(se_floor)
        self.ids = list(t["id"])
        self.sigma = t["sigma"].to_numpy(dtype=float)
        self.p = float(p)

    def __call__(self, x: Mapping[str, float], x_0: Mapping[str, float]) -> float:
        """Return the distance between simulated ``x`` and observed ``x_0``."""
        sim = np.array([x.get(i, math.nan) for i in self.ids], dtype=float)
        obs = np.array([x_0[i] for i in self.ids], dtype=float)
        z = (sim - obs) / self.sigma
        z = np.where(np.isfinite(z), np.abs(z), NAN_Z)
        return float(np.sum(z**self.p) ** (1.0 / self.p))


def _norm(z: np.ndarray, p: float) -> float:
    return float(np.sum(np.abs(z) ** p) ** (1.0 / p))
