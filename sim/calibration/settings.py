"""What a calibration runs (:class:`Settings`)."""

from __future__ import annotations

import reprlib
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from sim.calibration.common import _default_jobs, _digest, _real
from sim.calibration.priors import FREE_PARAMETERS, _baseline_params
from sim.calibration.statistics import SE_FLOOR, _check_se_floor, _check_weeks, target_table
from sim.errors import UserError
from sim.executors import check_jobs
from sim.hints import did_you_mean
from sim.inputs import ROOT_SEED_RANGE, check_int
from sim.params import Params
from sim.provenance import code_fingerprint

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    """What a calibration runs.

    Attributes:
        n_agents: positions simulated per run.
        weeks: weeks per run, 104 to 1040 (the 2025 wave is taken at week 104).
        population: particles per ABC-SMC generation.
        generations: most generations to run (counting those already stored).
        budget: most simulations in all (the generation that crosses it is finished).
        min_acceptance: stop when a generation's acceptance rate falls below this (0 to
            below 1).
        se_floor: floor on each target's z-score scale (share points, 0 to below 1).
        jobs: worker processes (1 to 64, or to the number of cores if more).
        select_seeds: common seeds per candidate when choosing and refining the estimate.
        candidates: closest particles considered for the point estimate.
        refine_iterations: CMA-ES generations polishing the estimate (0: none).
        distance_p: the norm of the z-scores (1: sum of absolute z; 2: Euclidean).
        fit_seeds: seeds of the fit table at the estimate.
        root_seed: root of every random draw: the ABC-SMC's proposals and simulation
            seeds (the same for any ``jobs``), and the seeds for choosing and
            reporting the estimate: 0 to 2**63-1.
        base: parameters the free ones are set on, a :class:`~sim.params.Params`
            (default: the baseline scenario's).

    Raises:
        UserError: for a field of the wrong type or out of range, naming what it allows.
    """

    n_agents: int = 1000
    weeks: int = 104
    population: int = 300
    generations: int = 12
    budget: int = 15_000
    min_acceptance: float = 0.01
    se_floor: float = SE_FLOOR
    jobs: int = field(default_factory=lambda: _default_jobs())
    select_seeds: int = 16
    candidates: int = 8
    refine_iterations: int = 40
    distance_p: float = 1.0
    fit_seeds: int = 20
    root_seed: int = 2025
    base: Params | None = None

    def __new__(cls, *args: Any, **kwargs: Any) -> Settings:
        """Name an unknown keyword, with a did-you-mean (``__init__`` would raise TypeError)."""
        known = [f.name for f in fields(cls)]
        for key in kwargs:
            if key not in known:
                hint = did_you_mean(key, known) or f" (allowed: {', '.join(known)})"
                raise UserError(f"unknown calibration setting '{key}'{hint}")
        return super().__new__(cls)

    def __post_init__(self) -> None:
        """Check every field; a numpy number is kept as the Python number it holds.

        Raises:
            UserError: naming the first field that is wrong and what it allows.
        """
        counts = {
            "n_agents": (10, None),  # the upper bound is the parameter's (below)
            "population": (5, None),
            "generations": (1, None),
            "budget": (1, None),
            "select_seeds": (1, None),
            "candidates": (1, None),
            "refine_iterations": (0, None),
            "fit_seeds": (1, None),
            "root_seed": ROOT_SEED_RANGE,
        }
        for name, bounds in counts.items():
            self._set(name, check_int(name, getattr(self, name), bounds))
        self._set("weeks", _check_weeks(self.weeks))
        self._set("jobs", check_jobs(self.jobs))
        self._set("se_floor", _check_se_floor(self.se_floor))
        min_acceptance = _real("min_acceptance", self.min_acceptance, "a number from 0 to below 1")
        if not 0.0 <= min_acceptance < 1.0:
            raise UserError(f"min_acceptance={min_acceptance!r} must be from 0 to below 1")
        self._set("min_acceptance", min_acceptance)
        distance_p = _real("distance_p", self.distance_p, "1 or 2")
        if distance_p not in (1, 2):
            raise UserError(f"distance_p={distance_p!r} must be 1 or 2")
        self._set("distance_p", distance_p)
        if self.base is not None and not isinstance(self.base, Params):
            raise UserError(
                f"base={reprlib.repr(self.base)} has the wrong type: expected a Params or None"
                " (the baseline scenario's); for a scenario's parameters use"
                " load_scenario(name).params"
            )
        Params(n_agents=self.n_agents)  # range check with the parameter's own message

    def _set(self, name: str, value: Any) -> None:
        """Store a checked field's value (the dataclass is frozen)."""
        object.__setattr__(self, name, value)

    def base_params(self) -> Params:
        """Return the parameters the free ones are set on, with ``n_agents`` applied."""
        base = self.base if self.base is not None else _baseline_params()
        return base.replace(n_agents=self.n_agents)

    def identity(self) -> dict[str, Any]:
        """Return what must match for a stored run to be resumed.

        The model's code counts too (:func:`sim.provenance.code_fingerprint`): a run
        stored under other rules is not resumed into this one.
        """
        base = self.base_params().to_dict()
        for p in FREE_PARAMETERS:
            base.pop(p.name, None)
        targets = target_table(self.se_floor)
        return {
            "free": [asdict(p) | {"why": None} for p in FREE_PARAMETERS],
            "n_agents": self.n_agents,
            "weeks": self.weeks,
            "population": self.population,
            "root_seed": self.root_seed,
            "se_floor": self.se_floor,
            "distance_p": float(self.distance_p),
            "base": _digest(base),
            "targets": _digest(targets[["id", "value", "sigma"]].to_dict("list")),
            "code": code_fingerprint(),
        }
