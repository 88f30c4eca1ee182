"""Could a rule for who answers close the freelancers' 'positive impact'? A probe, not a rule.

People interested in a survey's topic take part more readily (Groves, Presser & Dipko
2004). Read on what the report's topic is about, the use of AI, a freelancer's chance of
answering would rise with their adoption ``a``. This script runs the committed estimate
(the bundled baseline) to the 2025 wave, asks the wave's freelancers with the survey's own
response rules (:func:`sim.survey.respond`), and tabulates 'AI has positively impacted my
work' among the users it is asked of, each respondent weighted ``1 + (rho - 1) a``:
``rho`` is how much more readily a full user answers than a non-user. ``rho = 1`` is the
survey as the model takes it: its rule for who answers is a step (every user weighs
``sim.survey.USER_RESPONSE_RATIO``), which weighs all the users asked this item alike.
Nothing here changes the model or its survey layer.

Usage (from the project root; about a minute)::

    PYTHONPATH=$PWD python scripts/who_answers.py
    PYTHONPATH=$PWD python scripts/who_answers.py --seeds 40 --rho 1 1.4 2 3 5
"""

from __future__ import annotations

import argparse

import numpy as np

from sim import rules, survey
from sim.calendar import WAVE_WEEKS
from sim.model import WorkplaceModel
from sim.organisation import FREELANCER
from sim.params import Params
from sim.scenarios import load_scenario

#: The week of the report's 2025 wave.
WAVE_2025 = next(week for week, year in WAVE_WEEKS.items() if year == 2025)


def freelancers_at_wave(params: Params, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Adoption and 'positive impact' answers of one run's freelancer users at the 2025 wave."""
    model = WorkplaceModel(params, rng=seed)
    for _ in range(WAVE_2025):
        model.step()
    s = model.state
    rng = np.random.default_rng([seed, WAVE_2025])
    slots = survey.sample(s, rng)
    ctx = survey.context(s, model.adjacency, rules.tool_quality(WAVE_2025, params))
    answers = survey.respond(s, slots, ctx, rng)
    asked = (s.role[slots] == FREELANCER) & (s.adoption[slots] > survey.USER_THRESHOLD)
    return s.adoption[slots][asked], answers["positive_impact"][asked].astype(float)


def main(argv: list[str] | None = None) -> None:
    """Print the freelancers' 'positive impact' for each ratio of answering readiness."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=12, help="runs of the estimate (12)")
    parser.add_argument(
        "--rho", type=float, nargs="+", default=[1.0, 1.4, 2.0, 3.0], help="ratios to weigh"
    )
    args = parser.parse_args(argv)
    params = load_scenario("baseline").params
    runs = [freelancers_at_wave(params, seed) for seed in range(args.seeds)]
    adoption = np.concatenate([a for a, _ in runs])
    agree = np.concatenate([y for _, y in runs])
    print(f"{adoption.size} freelancer users over {args.seeds} runs; report: 88%")
    for rho in args.rho:
        share = np.average(agree, weights=1.0 + (rho - 1.0) * adoption)
        print(f"rho {rho:g}: 'positive impact' {100 * share:.1f}%")


if __name__ == "__main__":
    main()
