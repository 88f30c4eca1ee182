"""How much of each initial level is left when AI arrives, after the burn-in?

A run starts ``burn_in_weeks`` (52) before AI arrives with levels drawn from distributions
(``AgentState.initial`` in ``sim/state.py``). A level that has a rule without AI (burnout,
ties, alignment) is carried toward its steady state by the burn-in, and its initial
distribution matters little; a level that moves only with use (trust in AI, learning mode)
keeps its draw until turnover replaces the person, so its initial distribution *is* the
level at AI's arrival and needs evidence of its own. Anthropomorphism is in between: its
rule fades it toward zero without use, slowly (``anthro_fade``).

This script measures it: the employees' levels are set to 0.1 in one run and 0.9 in another
(same seed), the organisation runs 52 weeks without AI (``generative_ai = 0``), and the
share of the initial difference left in the employees' means is printed, over ``--seeds``
seeds. 0 means the burn-in forgets the start; 1 means it keeps it.

Usage (from the project root; about half a minute)::

    PYTHONPATH=$PWD python scripts/initial_memory.py
"""

from __future__ import annotations

import argparse

import numpy as np

from sim import calendar
from sim.model import WorkplaceModel
from sim.organisation import IC, MANAGER
from sim.params import Params
from sim.scenarios import load_scenario
from sim.state import AgentState

#: Levels drawn at the start whose memory is measured.
FIELDS = (
    "burnout",
    "connection",
    "alignment",
    "quit_intention",
    "anthropomorphism",
    "trust_ai",
    "learning_mode",
)
LOW_START, HIGH_START = 0.1, 0.9


def world_without_ai(weeks: int) -> Params:
    """The baseline without AI, spun for ``weeks`` weeks up to week 0.

    The model spins up to week 0, which lies ``-ARRIVAL_WEEK`` weeks after AI's arrival;
    without AI those weeks are burn-in too, so a burn-in shorter by them spans ``weeks``.
    """
    base = load_scenario("baseline").params
    return base.replace(generative_ai=0, burn_in_weeks=weeks + calendar.ARRIVAL_WEEK)


def employees_mean_after_burn_in(params: Params, seed: int, level: float) -> dict[str, float]:
    """Employees' mean levels at week 0 when each of :data:`FIELDS` starts at ``level``."""
    initial = AgentState.initial.__func__

    def start_at_level(cls, org, p, rng):
        """``AgentState.initial``, then every employee's level of :data:`FIELDS` at ``level``."""
        state = initial(cls, org, p, rng)
        employees = np.isin(state.role, [IC, MANAGER])
        for field in FIELDS:
            getattr(state, field)[employees] = level
        return state

    AgentState.initial = classmethod(start_at_level)
    try:
        model = WorkplaceModel(params, rng=seed)
    finally:
        AgentState.initial = classmethod(initial)
    s = model.state
    employees = np.isin(s.role, [IC, MANAGER]) & s.occupied
    return {field: float(getattr(s, field)[employees].mean()) for field in FIELDS}


def main() -> None:
    """Print the share of an initial difference left after the burn-in, per level."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=4, help="seeds to average over")
    ap.add_argument("--weeks", type=int, default=52, help="weeks without AI (the burn-in)")
    args = ap.parse_args()
    params = world_without_ai(args.weeks)
    left = {field: [] for field in FIELDS}
    for seed in range(args.seeds):
        low = employees_mean_after_burn_in(params, seed, LOW_START)
        high = employees_mean_after_burn_in(params, seed, HIGH_START)
        for field in FIELDS:
            left[field].append((high[field] - low[field]) / (HIGH_START - LOW_START))
    print(f"share of an initial difference left after {args.weeks} weeks without AI:")
    for field, shares in left.items():
        print(f"  {field:17s} {np.mean(shares):6.3f}  (seeds: {np.round(shares, 3).tolist()})")


if __name__ == "__main__":
    main()
