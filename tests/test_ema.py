"""The EMA Workbench adapter, exercised with real ``ema_workbench`` experiments."""

from __future__ import annotations

import numpy as np
import pytest

from sim.errors import UserError
from sim.model import simulate
from sim.params import Params
from sim.runner import spawn_seeds

ema = pytest.importorskip("ema_workbench")

from sim.ema import from_spec, run_workplace, workplace_model  # noqa: E402

SMALL = {"n_agents": 100}
WEEKS = 20


def direct(row, names, seeds, outcome, scenario="baseline", weeks=WEEKS):
    """Recompute an experiment's outcome with sim.model.simulate, one value per seed."""
    from sim.scenarios import load_scenario

    base = load_scenario(scenario).params if scenario else Params()
    values = {n: row[n] for n in names}
    for n, v in values.items():
        values[n] = int(v) if Params.spec()[n]["type"] is int else float(v)
    p = base.replace(**SMALL, **values)
    return [simulate(p, s, weeks)["outcomes"][outcome] for s in seeds]


def test_perform_experiments_runs_the_model_and_matches_simulate():
    model = workplace_model(
        uncertainties={"recovery_rate": (0.02, 0.15), "peer_influence": (0.01, 0.2)},
        levers={"output_conversion": (0.2, 0.9), "touchpoints": [0.1, 0.5]},
        constants=SMALL,
        replications=2,
        weeks=WEEKS,
    )
    experiments, outcomes = ema.perform_experiments(model, scenarios=3, policies=2)
    assert len(experiments) == 6
    assert set(outcomes) == {
        "top_quartile_burnout_share",
        "burnout_share",
        "annual_quit_rate",
        "true_productivity_gain",
        "effective_output",
    }
    for values in outcomes.values():
        assert values.shape == (6,) and np.isfinite(values).all()
    names = ["recovery_rate", "peer_influence", "output_conversion", "touchpoints"]
    seeds = spawn_seeds(2025, 2)
    for i in (0, 5):
        row = experiments.iloc[i]
        expected = np.mean(direct(row, names, seeds, "effective_output"))
        assert outcomes["effective_output"][i] == pytest.approx(expected, rel=1e-12)


def test_replications_kept_and_survey_outcomes():
    model = workplace_model(
        "keep_all",
        uncertainties={"trust_rate": (0.02, 0.1)},
        levers={},
        outcomes=["burnout_share"],
        survey=[("burnout", "all", 2024)],
        constants=SMALL,
        replications=3,
        weeks=52,
        aggregate=None,
    )
    experiments, outcomes = ema.perform_experiments(model, scenarios=2)
    reps = outcomes["burnout_share_reps"]
    assert reps.shape == (2, 3)
    seeds = spawn_seeds(2025, 3)
    row = experiments.iloc[1]
    np.testing.assert_array_equal(
        reps[1], direct(row, ["trust_rate"], seeds, "burnout_share", weeks=52)
    )
    assert outcomes["survey_burnout_all_2024_reps"].shape == (2, 3)


def test_prim_on_ema_results_finds_a_box():
    from ema_workbench.analysis import prim

    model = workplace_model(
        "prim_demo",
        uncertainties={"recovery_rate": (0.045, 0.055)},  # EMA 3.0 needs one uncertainty
        levers={"output_conversion": (0.0, 1.0), "touchpoints": (0.0, 1.0)},
        outcomes=["workload"],
        constants=SMALL,
        replications=1,
        weeks=WEEKS,
    )
    experiments, outcomes = ema.perform_experiments(model, scenarios=1, policies=30)
    y = outcomes["workload"] < np.quantile(outcomes["workload"], 0.3)
    x = experiments[["output_conversion", "touchpoints"]]
    box = prim.Prim(x, y).find_box()
    assert box.coverage > 0 and box.density >= 0.3
    # less work is assigned when less of the saved time is converted into more work
    limits = box.box_lims[-1]
    assert limits["output_conversion"].iloc[1] < 1.0


def test_from_spec_uses_the_sweeps_space_seeds_and_outputs():
    spec = {
        "name": "ema-small",
        "design": "lhs",
        "points": 4,
        "seeds": 2,
        "weeks": WEEKS,
        "params": SMALL,
        "vary": {"touchpoints": {"min": 0.1, "max": 0.6}, "span_of_control": [5, 10]},
        "outputs": {"outcomes": ["burnout_share", "output"]},
    }
    model = from_spec(spec)
    assert model.name == "ema_small"
    assert {u.name for u in model.uncertainties} == {"touchpoints", "span_of_control"}
    assert {o.name for o in model.outcomes} == {"burnout_share", "output"}
    constants = {c.name: c.value for c in model.constants}
    assert constants["n_agents"] == 100 and constants["weeks"] == WEEKS
    assert len(model.replications) == 2
    _, outcomes = ema.perform_experiments(model, scenarios=2)
    assert outcomes["output"].shape == (2,) and np.isfinite(outcomes["output"]).all()


def test_run_workplace_is_simulate():
    out = run_workplace(seed=5, base_scenario=None, weeks=10, n_agents=80, touchpoints=0.4)
    expected = simulate(Params(n_agents=80, touchpoints=0.4), 5, 10)["outcomes"]
    for key, value in expected.items():
        np.testing.assert_equal(out[key], value)  # NaN (a horizon not reached) equals NaN
    assert any(k.startswith("survey.") for k in out)


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"uncertainties": {"recovery": (0.1, 0.2)}}, "did you mean 'recovery_rate'"),
        ({"levers": {"touchpoints": (0.5, 0.1)}}, "lo 0.5 must be below hi 0.1"),
        ({"levers": {"touchpoints": (0.5, 22.0)}}, "out of range"),
        ({"outcomes": ["burnout"]}, "unknown outcome 'burnout'"),
        ({"replications": 0}, "replications=0"),
        ({"constants": {"touchpoints": 0.2}}, "both a constant and varied"),
        ({"scenario": "nope"}, "unknown scenario 'nope'"),
        (
            {"uncertainties": {"touchpoints": (0, 1)}, "levers": {"touchpoints": (0, 1)}},
            "both an uncertainty and a lever",
        ),
    ],
)
def test_bad_adapter_input_raises_user_error(kwargs, message):
    with pytest.raises(UserError, match=message):
        workplace_model(**kwargs)


@pytest.mark.slow
def test_multiprocessing_evaluator_gives_the_same_numbers():
    model = workplace_model(
        "mp_check",
        uncertainties={"recovery_rate": (0.02, 0.15)},
        levers={},
        outcomes=["burnout_share"],
        constants=SMALL,
        replications=2,
        weeks=WEEKS,
    )
    with ema.MultiprocessingEvaluator(model, n_processes=2) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=4)
    seeds = spawn_seeds(2025, 2)
    for i in range(4):
        row = experiments.iloc[i]
        expected = np.mean(direct(row, ["recovery_rate"], seeds, "burnout_share"))
        assert outcomes["burnout_share"][i] == pytest.approx(expected, rel=1e-12)
