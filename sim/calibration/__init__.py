"""Calibration of the behavioural parameters to the report's 2025 figures.

The package, layer by layer (each module imports only those above it here):

* :mod:`~sim.calibration.priors`: the free parameters and their priors.
* :mod:`~sim.calibration.posterior`: the results on disk (the estimate in the
  baseline file, the posterior beside it) and draws from the posterior; low
  enough for the runner to import.
* :mod:`~sim.calibration.statistics`: the summary statistics of one run and
  the distance to the report.
* :mod:`~sim.calibration.settings`: what a calibration runs.
* :mod:`~sim.calibration.fit`: replicated runs at an estimate, the fit table
  and the local sensitivity.
* :mod:`~sim.calibration.estimate`: the point estimate, its CMA-ES polish and its confirmation.
* :mod:`~sim.calibration.abcsmc`: the ABC-SMC run (:func:`calibrate`).
* :mod:`~sim.calibration.crossval`: cross-validation by blocks of targets.
* :mod:`~sim.calibration.heldout`: the estimate's predictions for the held-out 2024 wave,
  and their score against its figures.
* :mod:`~sim.calibration.figures`, :mod:`~sim.calibration.report`: the report
  ``docs/calibration.md``, rendered from ``templates/calibration.md.j2``.

The names below are loaded on first use (``from sim.calibration import
posterior_draws`` imports :mod:`~sim.calibration.posterior` and what it needs,
nothing else), so the runner reads the posterior without loading pyabc's
side of the package, the model or the report's templates.

Ten behavioural parameters (:data:`FREE_PARAMETERS`) are fitted to the 32
targets of ``sim/data/targets.toml`` by approximate Bayesian computation with
sequential Monte Carlo (ABC-SMC, the ``pyabc`` package). Every other parameter
keeps the value of the baseline scenario: structure and levers describe the
status-quo organisation, ``evidence`` parameters are fixed from outside
evidence, and the survey's response rules (``sim.survey``) are fixed a priori
and never touched.

How it works:

* One simulation of ``n_agents`` positions for ``weeks`` weeks gives the 2025
  survey wave; its rows for the targets are the summary statistics.
* The distance between a simulation and the report is the sum of absolute
  z-scores, ``z_k = (sim_k - report_k) / sigma_k`` with ``sigma_k = max(se_k,
  se_floor)``: the survey standard error, floored at 1.5 points so that the
  three items with a standard error under one point do not swamp the rest (the
  acceptance rule of the tests reads the same way: within two standard errors
  or three points, whichever is larger). Absolute rather than squared values,
  because some targets are out of the model's reach and squares would let
  them pull every other target off.
* ABC-SMC draws particles from the prior, keeps those closest to the report,
  and refines the population generation by generation (median epsilon, a
  multivariate normal perturbation kernel). Every particle is one simulation
  with its own random seed, so seed noise is part of the likelihood.
* Generations are stored in an SQLite history database in the work directory
  as they complete: an interrupted run resumes from the last full generation.
* The point estimate is chosen among the posterior median, the posterior mean
  and the closest particles by the mean of ``select_seeds`` simulations each
  (common random numbers), then polished by the simulated method of moments (CMA-ES) on
  the same seeds (:func:`refine_estimate`), and confirmed on fresh seeds against the
  unpolished point and the estimate the run replaces, which stays unless beaten beyond the
  seeds' luck (:func:`confirm_estimate`); the fit
  is then reported over ``fit_seeds`` other seeds.

The results are the estimate, written into the ``[params]`` table of
``scenarios/baseline.toml``, and the last generation of particles, written
beside it as ``baseline_posterior.csv`` (with ``baseline_posterior.trace.csv``,
the convergence trace, and ``baseline_posterior.json``, what was run).
:func:`load_posterior` and :func:`posterior_draws` read them back so that
runs can carry parameter uncertainty.

Example:
    >>> from sim.calibration import FREE_PARAMETERS, posterior_draws
    >>> draws = posterior_draws(3, seed=1)        # three parameter sets from the posterior
    >>> sorted(draws[0]) == sorted(p.name for p in FREE_PARAMETERS)
    True
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names as static tools see them; at run time they load on first use
    from sim.calibration.abcsmc import DEFAULT_WORKDIR, CalibrationResult, calibrate
    from sim.calibration.common import _stderr as _stderr
    from sim.calibration.common import silent
    from sim.calibration.estimate import choose_estimate, confirm_estimate, refine_estimate
    from sim.calibration.fit import (
        count_spread,
        expected_count,
        fit_table,
        sensitivity,
        simulate_many,
        summarise_fit,
    )
    from sim.calibration.heldout import predict_heldout, read_figures, score_heldout
    from sim.calibration.posterior import (
        THIN_ESS,
        ThinPosteriorWarning,
        effective_sample_size,
        estimate_from_baseline,
        load_posterior,
        load_trace,
        posterior_draws,
        posterior_path,
        write_baseline,
    )
    from sim.calibration.priors import (
        FIXED_BEHAVIOUR,
        FREE_PARAMETERS,
        FreeParameter,
        bundled_baseline,
    )
    from sim.calibration.priors import _baseline_params as _baseline_params
    from sim.calibration.report import MODEL_REVISIONS, TARGET_NOTES, write_report
    from sim.calibration.settings import Settings
    from sim.calibration.statistics import (
        NAN_Z,
        SE_FLOOR,
        WeightedDistance,
        run_statistics,
        target_table,
    )
    from sim.calibration.statistics import _z as _z

#: Public names (and a few private ones the command line and notebooks still use) and the
#: modules that define them, imported on first use.
_LAZY = {
    "DEFAULT_WORKDIR": "sim.calibration.abcsmc",
    "CalibrationResult": "sim.calibration.abcsmc",
    "THIN_ESS": "sim.calibration.posterior",
    "ThinPosteriorWarning": "sim.calibration.posterior",
    "effective_sample_size": "sim.calibration.posterior",
    "calibrate": "sim.calibration.abcsmc",
    "silent": "sim.calibration.common",
    "_stderr": "sim.calibration.common",
    "choose_estimate": "sim.calibration.estimate",
    "confirm_estimate": "sim.calibration.estimate",
    "refine_estimate": "sim.calibration.estimate",
    "count_spread": "sim.calibration.fit",
    "expected_count": "sim.calibration.fit",
    "fit_table": "sim.calibration.fit",
    "sensitivity": "sim.calibration.fit",
    "simulate_many": "sim.calibration.fit",
    "summarise_fit": "sim.calibration.fit",
    "predict_heldout": "sim.calibration.heldout",
    "read_figures": "sim.calibration.heldout",
    "score_heldout": "sim.calibration.heldout",
    "estimate_from_baseline": "sim.calibration.posterior",
    "load_posterior": "sim.calibration.posterior",
    "load_trace": "sim.calibration.posterior",
    "posterior_draws": "sim.calibration.posterior",
    "posterior_path": "sim.calibration.posterior",
    "write_baseline": "sim.calibration.posterior",
    "FIXED_BEHAVIOUR": "sim.calibration.priors",
    "FREE_PARAMETERS": "sim.calibration.priors",
    "FreeParameter": "sim.calibration.priors",
    "_baseline_params": "sim.calibration.priors",
    "bundled_baseline": "sim.calibration.priors",
    "MODEL_REVISIONS": "sim.calibration.report",
    "TARGET_NOTES": "sim.calibration.report",
    "write_report": "sim.calibration.report",
    "Settings": "sim.calibration.settings",
    "NAN_Z": "sim.calibration.statistics",
    "SE_FLOOR": "sim.calibration.statistics",
    "WeightedDistance": "sim.calibration.statistics",
    "_z": "sim.calibration.statistics",
    "run_statistics": "sim.calibration.statistics",
    "target_table": "sim.calibration.statistics",
}

__all__ = [
    "DEFAULT_WORKDIR",
    "FIXED_BEHAVIOUR",
    "FREE_PARAMETERS",
    "MODEL_REVISIONS",
    "NAN_Z",
    "SE_FLOOR",
    "TARGET_NOTES",
    "THIN_ESS",
    "CalibrationResult",
    "FreeParameter",
    "Settings",
    "ThinPosteriorWarning",
    "WeightedDistance",
    "bundled_baseline",
    "calibrate",
    "choose_estimate",
    "confirm_estimate",
    "count_spread",
    "effective_sample_size",
    "estimate_from_baseline",
    "expected_count",
    "fit_table",
    "load_posterior",
    "load_trace",
    "posterior_draws",
    "posterior_path",
    "predict_heldout",
    "read_figures",
    "refine_estimate",
    "run_statistics",
    "score_heldout",
    "sensitivity",
    "silent",
    "simulate_many",
    "summarise_fit",
    "target_table",
    "write_baseline",
    "write_report",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sim.calibration' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
