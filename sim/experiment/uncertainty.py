"""Parameter uncertainty: posterior draws applied on top of a scenario.

By default every run carries the calibrated parameters' uncertainty:
:data:`DEFAULT_POSTERIOR` sets of them are drawn from the calibration's
posterior (:func:`sim.calibration.posterior.posterior_draws`), each applied to
the scenario and run on the same seeds.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from typing import Any

from sim.calibration.posterior import posterior_draws
from sim.inputs import check_int
from sim.scenarios import SEEDS_RANGE, Scenario

__all__ = ["DEFAULT_POSTERIOR", "POSTERIOR_RANGE", "POSTERIOR_SEEDS", "uncertainty_text"]

#: Allowed number of posterior draws (0: the scenario's own parameter values only).
POSTERIOR_RANGE = (0, 1000)
#: Posterior draws of ``run_scenario`` and ``compare`` unless told otherwise: parameter
#: uncertainty is part of every answer by default (``posterior=0`` turns it off).
DEFAULT_POSTERIOR = 20
#: Seeds per posterior draw when no ``seeds`` are given: the scenario's ``seeds``, at most
#: this many. 20 draws x 2 seeds keeps the default ``compare`` of every bundled scenario
#: (280 runs) well within a minute on 2 cores (benchmarks/README.md); for the same runs,
#: more draws and fewer seeds give steadier quantile intervals, since the calibrated
#: parameters' spread is much wider than one seed's noise.
POSTERIOR_SEEDS = 2


def uncertainty_text(n_seeds: int, posterior: int, held: Sequence[str] = ()) -> str:
    """Say what a result's 95% intervals are over and which sources of uncertainty they hold.

    Example:
        >>> uncertainty_text(4, 10)
        '95% intervals over 4 seeds x 10 posterior draws: seed noise and parameter uncertainty'
        >>> uncertainty_text(8, 0)
        '95% intervals over 8 seeds: seed noise only (parameters at their calibrated values)'
    """
    seeds = f"{n_seeds} seed{'s' if n_seeds != 1 else ''}"
    if not posterior:
        return (
            f"95% intervals over {seeds}: seed noise only (parameters at their calibrated values)"
        )
    draws = f"{posterior} posterior draw{'s' if posterior != 1 else ''}"
    text = f"95% intervals over {seeds} x {draws}: seed noise and parameter uncertainty"
    if held:
        text += f" ({', '.join(held)} held fixed)"
    return text


def _posterior_count(posterior: Any) -> int:
    """The number of posterior draws asked for (``None``: :data:`DEFAULT_POSTERIOR`)."""
    if posterior is None:
        return DEFAULT_POSTERIOR
    return check_int("posterior", posterior, POSTERIOR_RANGE)


def _seed_count(seeds: Any, scenario: Scenario, k: int) -> int:
    """Seeds per draw: as given, else the scenario's (at most :data:`POSTERIOR_SEEDS` if k)."""
    if seeds is None:
        seeds = min(scenario.seeds, POSTERIOR_SEEDS) if k else scenario.seeds
    return check_int("seeds", seeds, SEEDS_RANGE)


def _posterior_draws(
    k: int,
    posterior_file: str | os.PathLike[str] | None,
    root_seed: int,
    fixed: Iterable[str] = (),
) -> tuple[list[dict[str, float]], list[str]]:
    """Return ``k`` draws of the calibrated parameters (none for 0) and the ones held fixed.

    The draws are seeded by the root seed. Parameters in ``fixed`` (explicit
    overrides) are left out of every draw, so an override holds its value.
    """
    if k == 0:
        return [], []
    keep = set(fixed)
    draws = posterior_draws(k, seed=int(root_seed), path=posterior_file)
    held = [n for n in draws[0] if n in keep]
    return [{n: v for n, v in d.items() if n not in keep} for d in draws], held


def _variants(scenario: Scenario, draws: list[dict[str, float]]) -> list[Scenario]:
    """The scenario as run for each draw (the scenario itself without draws)."""
    return [scenario.with_overrides(**d) for d in draws] if draws else [scenario]
