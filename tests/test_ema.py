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


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    "kwargs,message",
    [
        (
            {"name": "a b"},
            r"^name='a b' is not allowed: the EMA Workbench needs a Python identifier",
        ),
        ({"name": 3}, r"^name=3 is not allowed"),
        ({"weeks": -5}, r"^weeks=-5 is out of range: allowed 1 to 1040"),
        ({"weeks": "abc"}, r"^weeks='abc' has the wrong type: expected an integer from 1 to 1040"),
        ({"weeks": 2.7}, r"^weeks=2\.7 has the wrong type"),
        ({"replications": 1.5}, r"^replications=1\.5 has the wrong type"),
        ({"root_seed": -1}, r"^root_seed=-1 is out of range"),
        ({"scenario": {"touchpoints": 1}}, r"^scenario is a parameter set, not a scenario"),
        ({"scenario": 42}, r"^scenario=42 has the wrong type: expected a bundled scenario's name"),
        ({"outcomes": 3}, r"^outcomes=3 has the wrong type: expected a list of outcome names"),
        ({"outcomes": [3]}, r"^unknown outcome 3: choose from"),
        ({"outcomes": []}, r"^nothing to report: name one or more outcomes or survey values"),
        ({"survey": [("burnot", "all", 2025)]}, r"^unknown survey item 'burnot'; did you mean"),
        ({"survey": [("burnout", "al", 2025)]}, r"^unknown survey group 'al'; did you mean 'all'"),
        (
            {"survey": [("burnout", "zzzz", 2025)]},
            r"^unknown survey group 'zzzz': choose from all,",
        ),
        (
            {"survey": [("trained", "executive", 2025)]},
            r"^survey item 'trained' is not tabulated for group 'executive' \(it would always",
        ),
        ({"survey": [("burnout", "all", 2026)]}, r"^survey wave 2026 is not a wave: choose from"),
        ({"survey": [("burnout", "all", "2025")]}, r"^survey wave '2025' is not a wave"),
        (
            {"survey": [("burnout", "all", 2025)], "weeks": 60},
            r"^survey wave 2025 is not reached in weeks=60: it is taken at week 104",
        ),
        ({"survey": [("burnout", "all")]}, r"^survey value \('burnout', 'all'\) is not an"),
        ({"survey": "burnout"}, r"^survey='burnout' has the wrong type"),
        ({"constants": 5}, r"^constants=5 has the wrong type: expected \{parameter: value\}"),
        ({"uncertainties": "recovery_rate"}, r"^uncertainties='recovery_rate' has the wrong"),
        ({"levers": [1, 2]}, r"^levers=\[1, 2\] has the wrong type"),
        ({"levers": {"touchpoints": []}}, r"^lever 'touchpoints': the list of values is empty"),
        (
            {"levers": {"touchpoints": {"min": 0.1, "max": 0.5}}},
            r"^lever 'touchpoints': expected \(lo, hi\), a list of values or an EMA parameter",
        ),
        ({"aggregate": "mean"}, r"^aggregate='mean' is not callable: give None or a function"),
    ],
)
def test_bad_values_are_refused_when_the_model_is_built(kwargs, message):
    with pytest.raises(UserError, match=message):
        workplace_model(**kwargs)


def test_one_outcome_name_or_one_survey_triple_is_a_list_of_one():
    model = workplace_model(outcomes="burnout_share", survey=("burnout", "all", 2025))
    assert [o.name for o in model.outcomes] == ["burnout_share", "survey_burnout_all_2025"]
    model = workplace_model(outcomes=["burnout_share", "burnout_share"], replications=np.int64(2))
    assert [o.name for o in model.outcomes] == ["burnout_share"]
    assert len(model.replications) == 2


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"seed": 1.9}, r"^seed 1\.9 must be a whole number from 0 to 2\*\*63-1"),
        ({"seed": -1}, r"^seed -1 must be a whole number"),
        ({"weeks": 2.7}, r"^weeks=2\.7 has the wrong type: expected an integer from 1 to 1040"),
        ({"weeks": 0}, r"^weeks=0 is out of range"),
        ({"base_scenario": 42}, r"^base_scenario=42 has the wrong type"),
        ({"base_scenario": {"n_agents": 40}}, r"^base_scenario is a parameter set"),
    ],
)
def test_run_workplace_refuses_what_it_would_truncate(kwargs, message):
    with pytest.raises(UserError, match=message):
        run_workplace(**{"seed": 1, "weeks": 3, "n_agents": 40, **kwargs})


def test_a_scenario_object_or_path_is_a_base_scenario(tmp_path):
    from sim.scenarios import load_scenario

    sc = load_scenario("keep_slack")
    path = tmp_path / "mine.toml"
    path.write_text('name = "mine"\ninherits = "keep_slack"\n', encoding="utf-8")
    by_name = run_workplace(seed=3, base_scenario="keep_slack", weeks=5, n_agents=40)
    for base in (sc, path):
        out = run_workplace(seed=np.int64(3), base_scenario=base, weeks=np.int64(5), n_agents=40)
        np.testing.assert_equal(out, by_name)
    model = workplace_model(
        scenario=sc,
        uncertainties={"recovery_rate": (0.04, 0.06)},
        levers={},
        outcomes=["burnout_share"],
        constants={"n_agents": 40},
        replications=1,
        weeks=5,
    )
    _, outcomes = ema.perform_experiments(model, scenarios=2)
    assert np.isfinite(outcomes["burnout_share"]).all()
