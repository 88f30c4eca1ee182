"""Solve the status quo's employer training from the share of AI users it had trained.

The Microsoft & LinkedIn 2024 Work Trend Index (fieldwork 16 February to 11 March 2024,
31,000 knowledge workers) found that 39% of those using AI at work had been given AI
training by their company. ``employer_training`` is the share of individual contributors
the employer trains (drawn at hire; managers and executives at higher odds,
``sim.state.training_chance``); since training also speeds adoption, the trained are more common
among users than among all employees. So the lever's status-quo value is set so that the
model's share of trained among its AI users (adoption above ``sim.survey.USER_THRESHOLD``)
is 39% at that date (1 March 2024, week 65 after AI arrives); it is not 39% itself. The
calibration never moves it.

The share is pooled over 256 seeds; ``--first-seed`` measures on other seeds.

Usage (from the project root; about a minute a measurement on 2 cores)::

    PYTHONPATH=$PWD python scripts/anchor_training.py          # solve from the current value
    PYTHONPATH=$PWD python scripts/anchor_training.py --check  # measure only
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

import numpy as np

from sim.calendar import week_of
from sim.executors import run_tasks
from sim.model import WorkplaceModel
from sim.params import Params
from sim.scenarios import load_scenario
from sim.survey import USER_THRESHOLD

#: Share of AI users trained by their company (Work Trend Index 2024).
TARGET = 0.39
#: The middle of the index's fieldwork, as a week of the model's calendar.
WEEK = week_of(date(2024, 3, 1))
#: The seeds measured (256 runs of the default organisation).
SEEDS = range(300_000, 300_000 + 256)


def measure_one(task: tuple[dict[str, Any], int]) -> list[float]:
    """One seed: trained users and users among the employees at :data:`WEEK`."""
    values, seed = task
    s = WorkplaceModel(Params(**values), rng=seed).run(WEEK).state
    user = s.occupied & s.employee & (s.adoption > USER_THRESHOLD)
    return [float(np.count_nonzero(user & (s.trained > 0))), float(np.count_nonzero(user))]


def measure(params: Params, workers: int = 2, seeds: range = SEEDS) -> float:
    """The share of trained among the employees using AI, pooled over the seeds."""
    rows = np.array(run_tasks(measure_one, [(params.to_dict(), s) for s in seeds], workers))
    return float(rows[:, 0].sum() / rows[:, 1].sum())


def solve(params: Params, steps: int = 10, workers: int = 2, seeds: range = SEEDS) -> float:
    """Fixed-point iteration of ``employer_training`` towards :data:`TARGET`."""
    x = params.employer_training
    for step in range(steps):
        m = measure(params.replace(employer_training=x), workers, seeds)
        print(step, round(x, 3), round(m, 3), flush=True)
        if abs(m - TARGET) < 0.005:
            break
        x = float(np.clip(x * TARGET / m, 0.0, 1.0))
    return x


def main() -> None:
    """Solve the status quo's training (or, with --check, only measure it) and print it."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="measure only, do not solve")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--first-seed", type=int, help="measure on other seeds from this one")
    args = parser.parse_args()
    first = SEEDS.start if args.first_seed is None else args.first_seed
    seeds = range(first, first + len(SEEDS))
    params = load_scenario("baseline").params
    if args.check:
        share = measure(params, args.workers, seeds)
        print(f"employer_training {params.employer_training:.3f}: {share:.1%} of AI users trained")
        print(f"(Work Trend Index 2024: {TARGET:.0%})")
        return
    print(f"solved: employer_training = {solve(params, workers=args.workers, seeds=seeds):.3f}")


if __name__ == "__main__":
    main()
