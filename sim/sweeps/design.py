"""Sweep designs: the parameter points of a sweep and the runs made of them.

* ``grid``: every combination of the factors' values (a range gives ``levels``
  evenly spaced values, 3 unless set; an integer parameter's values are rounded
  and repeats dropped, so its grid may have fewer levels than asked).
* ``lhs``: a Latin hypercube of ``points`` points (scipy's ``qmc.LatinHypercube``).
* ``sobol``: Saltelli's extension of the Sobol sequence (SALib), ``N x (D + 2)``
  points, or ``N x (2D + 2)`` with second-order indices.
* ``morris``: Morris trajectories (SALib), ``r x (D + 1)`` points.

A list of values is sampled as its index in ``[0, n)`` (rounded down); an
integer parameter's sampled value is rounded. The sample is seeded with the
spec's ``root_seed``, so the same spec always gives the same points. Every point
is run on the same ``seeds`` replicate seeds (common random numbers), spawned
from ``root_seed`` by :func:`sim.experiment.seeds.spawn_seeds`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from sim.errors import UserError
from sim.experiment.seeds import spawn_seeds
from sim.extras import require
from sim.sweeps.spec import DEFAULT_GRID_LEVELS, Factor, SweepSpec

__all__ = ["build_design", "raw_sample", "salib_problem", "sample_factors"]


def salib_problem(factors: Sequence[Factor]) -> dict:
    """Return the SALib problem dict of the factors (a list samples its index in ``[0, n)``)."""
    return {
        "num_vars": len(factors),
        "names": [f.name for f in factors],
        "bounds": [list(f.bounds()) for f in factors],
    }


def _salib_sample(method: str) -> Any:
    """SALib's sampler ``method`` (``sobol``, ``morris``), or how to install SALib."""
    return require(f"SALib.sample.{method}", "sensitivity", "sobol and morris designs")


def raw_sample(
    factors: Sequence[Factor],
    design: str,
    points: int | None,
    *,
    levels: int | None = None,
    second_order: bool = False,
    seed: int = 0,
) -> np.ndarray:
    """Return the design's raw sample: one row per point, one column per factor.

    Values lie within each factor's :meth:`~sim.sweeps.spec.Factor.bounds`. For a
    grid the rows are the grid's values themselves.

    Args:
        factors: the varied parameters.
        design: ``grid``, ``lhs``, ``sobol`` or ``morris``.
        points: the design's size (``None`` for a grid).
        levels: grid levels of ranges (grid) or Morris levels (morris).
        second_order: Saltelli sample for second-order Sobol indices.
        seed: seeds the sampler.
    """
    d = len(factors)
    if design == "grid":
        axes = [
            np.arange(len(f.values)) + 0.5
            if not f.is_range
            else np.asarray(f.grid(levels or DEFAULT_GRID_LEVELS), dtype=float)
            for f in factors
        ]
        return np.array(list(itertools.product(*axes)), dtype=float).reshape(-1, d)
    if design == "lhs":
        unit = qmc.LatinHypercube(d, rng=np.random.default_rng(seed)).random(int(points))
        lo = np.array([f.bounds()[0] for f in factors])
        hi = np.array([f.bounds()[1] for f in factors])
        return lo + unit * (hi - lo)
    problem = salib_problem(factors)
    if design == "sobol":
        return _salib_sample("sobol").sample(
            problem, int(points), calc_second_order=second_order, seed=seed
        )
    if design == "morris":
        return _salib_sample("morris").sample(
            problem, int(points), num_levels=levels or 4, seed=seed
        )
    raise UserError(f"unknown design '{design}'")


def sample_factors(factors: Sequence[Factor], x: np.ndarray) -> pd.DataFrame:
    """Map a raw sample to parameter values: one row per point, one column per factor."""
    cols = {}
    for j, f in enumerate(factors):
        vals = f.from_sample(x[:, j])
        dtype = "int64" if f.integer else "float64"
        cols[f.name] = pd.array(vals, dtype=dtype)
    return pd.DataFrame(cols)


def build_design(spec: SweepSpec) -> tuple[pd.DataFrame, np.ndarray]:
    """Return the sweep's runs and its raw sample.

    Returns:
        ``(runs, x)``: ``runs`` has one row per run, ordered by ``run_id``, with
        columns ``run_id``, ``point``, ``replicate``, ``seed`` and one per varied
        parameter; ``run_id = point * seeds + replicate``. ``x`` is the raw sample
        (one row per point), which Morris and Sobol analyses need.
    """
    x = raw_sample(
        spec.factors,
        spec.design,
        spec.points,
        levels=spec.levels,
        second_order=spec.second_order,
        seed=spec.root_seed,
    )
    values = sample_factors(spec.factors, x)
    n_points = len(values)
    seeds = np.asarray(spawn_seeds(spec.root_seed, spec.seeds), dtype=np.int64)
    point = np.repeat(np.arange(n_points, dtype=np.int64), spec.seeds)
    replicate = np.tile(np.arange(spec.seeds, dtype=np.int64), n_points)
    runs = pd.DataFrame(
        {
            "run_id": point * spec.seeds + replicate,
            "point": point,
            "replicate": replicate,
            "seed": seeds[replicate],
        }
    )
    runs = pd.concat([runs, values.iloc[point].reset_index(drop=True)], axis=1)
    return runs, x
