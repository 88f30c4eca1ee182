"""What a calibration runs (:class:`Settings`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from sim.calibration.common import _default_jobs, _digest
from sim.calibration.priors import FREE_PARAMETERS, _baseline_params
from sim.calibration.statistics import SE_FLOOR, target_table
from sim.errors import UserError
from sim.inputs import check_int
from sim.params import Params
from sim.provenance import code_fingerprint

__all__ = ["Settings"]


@dataclass(frozen=True)
class Settings:
    """What a calibration runs.

    Attributes:
        n_agents: positions simulated per run.
        weeks: weeks per run (the 2025 wave is taken at week 104).
        population: particles per ABC-SMC generation.
        generations: most generations to run (counting those already stored).
        budget: most simulations in all (the generation that crosses it is finished).
        min_acceptance: stop when a generation's acceptance rate falls below this.
        se_floor: floor on each target's z-score scale (share points).
        jobs: worker processes.
        select_seeds: common seeds per candidate when choosing and refining the estimate.
        candidates: closest particles considered for the point estimate.
        refine_iterations: CMA-ES generations polishing the estimate (0: none).
        distance_p: the norm of the z-scores (1: sum of absolute z; 2: Euclidean).
        fit_seeds: seeds of the fit table at the estimate.
        root_seed: root of every random draw: the ABC-SMC's proposals and simulation
            seeds (the same for any ``jobs``), and the seeds for choosing and
            reporting the estimate.
        base: parameters the free ones are set on (default: the baseline scenario's).
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

    def __post_init__(self) -> None:
        checks = {
            "n_agents": (self.n_agents, 10),
            "weeks": (self.weeks, 104),
            "population": (self.population, 5),
            "generations": (self.generations, 1),
            "budget": (self.budget, 1),
            "jobs": (self.jobs, 1),
            "select_seeds": (self.select_seeds, 1),
            "candidates": (self.candidates, 1),
            "refine_iterations": (self.refine_iterations, 0),
            "fit_seeds": (self.fit_seeds, 1),
        }
        for name, (value, lo) in checks.items():
            check_int(name, value, (lo, None))
        if not 0.0 <= self.min_acceptance < 1.0:
            raise UserError(f"min_acceptance={self.min_acceptance!r} must be from 0 to below 1")
        if self.distance_p not in (1, 2, 1.0, 2.0):
            raise UserError(f"distance_p={self.distance_p!r} must be 1 or 2")
        if not 0.0 <= self.se_floor < 1.0:
            raise UserError(f"se_floor={self.se_floor!r} must be from 0 to below 1")
        Params(n_agents=self.n_agents)  # range check with the parameter's own message

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
