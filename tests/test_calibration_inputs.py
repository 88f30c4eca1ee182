"""Bad input to the calibration's Settings and public helpers: refused, before anything runs.

Every refusal is a :class:`UserError` (a ValueError and a TypeError) whose first line says
what is wrong and what is allowed; numpy numbers are taken where Python's are. Fast: no
calibration, and the only simulations are a few of 40 agents.
"""

from __future__ import annotations

from dataclasses import asdict

import numpy as np
import pandas as pd
import pytest

import sim.calibration as cal
import sim.calibration.fit as fit
from sim.calibration import Settings
from sim.calibration.common import _seeds
from sim.errors import UserError
from sim.params import Params

TINY = Settings(n_agents=40, jobs=1)
ESTIMATE = cal.estimate_from_baseline()


def _exact() -> dict[str, float]:
    """One run's statistics, every target exactly at the report's value."""
    t = cal.target_table()
    return dict(zip(t["id"], t["value"], strict=True))


@pytest.fixture
def no_runs(monkeypatch):
    """Fail the test if any simulation starts (the checks come first)."""

    def refuse(*args, **kwargs):
        raise AssertionError("a simulation started before the arguments were checked")

    monkeypatch.setattr(fit, "_map", refuse)


def _refused(match: str, call, *args, **kwargs) -> UserError:
    with pytest.raises(UserError, match=match) as info:
        call(*args, **kwargs)
    assert isinstance(info.value, ValueError) and isinstance(info.value, TypeError)
    return info.value


# ----------------------------------------------------------------------------- Settings
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"min_acceptance": "0.1"}, r"min_acceptance='0.1' has the wrong type: expected a number"),
        ({"min_acceptance": 1.0}, r"min_acceptance=1.0 must be from 0 to below 1"),
        ({"se_floor": "x"}, r"se_floor='x' has the wrong type: expected a number from 0 to below"),
        ({"se_floor": None}, r"se_floor=None has the wrong type"),
        ({"se_floor": -0.01}, r"se_floor=-0.01 must be from 0 to below 1"),
        ({"distance_p": True}, r"distance_p=True has the wrong type: expected 1 or 2"),
        ({"distance_p": 3}, r"distance_p=3 must be 1 or 2"),
        ({"root_seed": -1}, r"root_seed=-1 is out of range: allowed 0 to 9223372036854775807"),
        ({"root_seed": "x"}, r"root_seed='x' has the wrong type: expected an integer from 0"),
        ({"root_seed": 1.5}, r"root_seed=1.5 has the wrong type"),
        ({"root_seed": 2**63}, r"root_seed=9223372036854775808 is out of range"),
        ({"weeks": 103}, r"weeks=103 is out of range: allowed 104 to 1040 \(the 2025 wave"),
        ({"weeks": 2000}, r"weeks=2000 is out of range: allowed 104 to 1040"),
        ({"jobs": 0}, r"jobs=0 is out of range: allowed 1 to"),
        ({"population": 2.0}, r"population=2.0 has the wrong type: expected an integer 5 or more"),
        ({"n_agents": 5}, r"n_agents=5 is out of range: allowed 10 or more"),
        ({"base": "baseline"}, r"base='baseline' has the wrong type: expected a Params or None"),
        ({"base": {"n_agents": 40}}, r"base=\{'n_agents': 40\} has the wrong type"),
    ],
)
def test_settings_refuse_bad_fields(changes, message):
    _refused(message, Settings, **{"jobs": 1, **changes})


def test_settings_take_numpy_numbers_as_python_ones():
    given = Settings(
        n_agents=np.int64(40),
        weeks=np.int32(104),
        jobs=np.int64(1),
        root_seed=np.uint64(7),
        se_floor=np.float64(0.02),
        distance_p=np.int64(2),
        min_acceptance=np.float32(0.25),
    )
    plain = Settings(
        n_agents=40,
        weeks=104,
        jobs=1,
        root_seed=7,
        se_floor=0.02,
        distance_p=2,
        min_acceptance=0.25,
    )
    assert asdict(given) == asdict(plain)
    assert {k: type(v) for k, v in asdict(given).items()} == {
        k: type(v) for k, v in asdict(plain).items()
    }
    assert given.identity() == plain.identity()


def test_settings_keep_valid_values_as_given():
    """What identity() records is unchanged: an int stays an int, a float a float."""
    s = Settings(jobs=1, se_floor=0, distance_p=2.0, min_acceptance=0, base=Params())
    assert type(s.se_floor) is int and type(s.distance_p) is float
    assert type(s.min_acceptance) is int and s.identity()["se_floor"] == 0


# ----------------------------------------------------------------------------- statistics
def test_target_table_checks_the_floor():
    _refused(r"se_floor='x' has the wrong type", cal.target_table, "x")
    _refused(r"se_floor=-1 must be from 0 to below 1", cal.target_table, -1)
    pd.testing.assert_frame_equal(cal.target_table(np.float64(0.02)), cal.target_table(0.02))


def test_run_statistics_refuses_runs_that_end_before_the_wave():
    params = {"n_agents": 40}
    _refused(
        r"weeks=5 is out of range: allowed 104 to 1040 \(the 2025 wave, whose figures",
        cal.run_statistics,
        params,
        1,
        weeks=5,
    )
    _refused(r"weeks='104' has the wrong type", cal.run_statistics, params, 1, weeks="104")
    _refused(r"seed=1.7 has the wrong type: expected an integer", cal.run_statistics, params, 1.7)
    _refused(r"seed=-1 is out of range", cal.run_statistics, params, -1)
    _refused(r"params has the wrong type", cal.run_statistics, "baseline", 1)


def test_run_statistics_takes_numpy_integers():
    one = cal.run_statistics({"n_agents": 40}, np.int64(3), np.int32(104))
    assert one == cal.run_statistics({"n_agents": 40}, 3, 104)
    assert type(one["_seed"]) is int


def test_seeds_are_spawned_from_whole_numbers_only():
    _refused(r"root_seed=1.5 has the wrong type", _seeds, 1.5, 2)
    _refused(r"root_seed=-1 is out of range", _seeds, -1, 2)
    _refused(r"seeds=-1 is out of range: allowed 0 or more", _seeds, 1, -1)
    _refused(r"salt=True has the wrong type", _seeds, 1, 2, True)
    assert _seeds(np.int64(2025), np.int64(3), np.int64(2)) == _seeds(2025, 3, 2)
    assert _seeds(1, 0) == []


# ----------------------------------------------------------------------------- simulate_many
@pytest.mark.usefixtures("no_runs")
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seeds": 1.7}, r"seeds=1.7 has the wrong type: expected an integer 1 or more"),
        ({"seeds": -2}, r"seeds=-2 is out of range: allowed 1 or more"),
        ({"seeds": 0}, r"seeds=0 is out of range"),
        ({"salt": -1}, r"salt=-1 is out of range: allowed 0 or more"),
        ({"tick": "yes"}, r"tick='yes' is not callable"),
    ],
)
def test_simulate_many_checks_its_counts(kwargs, message):
    _refused(message, cal.simulate_many, {}, TINY, **kwargs)


@pytest.mark.usefixtures("no_runs")
def test_simulate_many_checks_the_estimate_and_settings():
    _refused(r"estimate='x' has the wrong type: expected a mapping", cal.simulate_many, "x", TINY)
    _refused(r"estimate=None has the wrong type", cal.simulate_many, None, TINY)
    _refused(r"estimate has the key 1: expected parameter names", cal.simulate_many, {1: 2}, TINY)
    _refused(r"unknown parameter 'skil_rate'", cal.simulate_many, {"skil_rate": 0.1}, TINY)
    _refused(r"settings='fast' has the wrong type", cal.simulate_many, {}, "fast")


def test_simulate_many_takes_numpy_counts():
    one = cal.simulate_many({}, TINY, seeds=np.int64(1), salt=np.int32(2))
    assert one == cal.simulate_many({}, TINY, seeds=1, salt=2)


# ----------------------------------------------------------------------------- count_spread
@pytest.mark.parametrize(
    ("runs", "message"),
    [
        ([], r"runs is empty: expected one dict of statistics per run"),
        (pd.DataFrame(), r"runs is empty"),
        ("runs", r"runs has the wrong type: expected one dict of statistics per run"),
        ({"fte_productivity_gain": [0.4]}, r"runs has the wrong type"),
        ([1, 2], r"runs has the wrong type"),
        ([{"x": 1.0}], r"runs lack the statistics of 32 of the 32 targets"),
        ([{**_exact(), "fte_new_projects": "x"}], r"runs hold target statistics that are not"),
    ],
)
def test_count_spread_checks_the_runs(runs, message):
    _refused(message, cal.count_spread, runs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seeds": -1}, r"seeds=-1 is out of range: allowed 1 or more"),
        ({"seeds": 0}, r"seeds=0 is out of range"),
        ({"draws": 2.5}, r"draws=2.5 has the wrong type: expected an integer 1 or more"),
        ({"draws": 0}, r"draws=0 is out of range"),
        ({"rng_seed": -1}, r"rng_seed=-1 is out of range"),
        ({"se_resamples": 1}, r"se_resamples=1 is out of range: allowed 0 \(not measured\) or 2"),
        ({"se_resamples": -1}, r"se_resamples=-1 is out of range"),
    ],
)
def test_count_spread_checks_its_counts(kwargs, message):
    _refused(message, cal.count_spread, [_exact()] * 3, **kwargs)


def test_count_spread_takes_numpy_counts_and_a_frame():
    runs = [_exact()] * 3
    plain = cal.count_spread(runs, seeds=5, draws=20, rng_seed=3, se_resamples=2)
    given = cal.count_spread(
        pd.DataFrame(runs),
        seeds=np.int64(5),
        draws=np.int32(20),
        rng_seed=np.uint8(3),
        se_resamples=np.int64(2),
    )
    assert given.counts.tolist() == plain.counts.tolist() and given.seeds == 5
    assert given.goal_met == plain.goal_met == 1.0


# ----------------------------------------------------------------------------- fit_table
@pytest.mark.usefixtures("no_runs")
def test_fit_table_checks_its_runs_and_settings():
    _refused(r"runs is empty", cal.fit_table, {}, TINY, runs=[])
    _refused(r"runs lack the statistics of 32", cal.fit_table, {}, TINY, runs=[{"x": 1}])
    _refused(r"runs has the wrong type", cal.fit_table, {}, TINY, runs="runs")
    _refused(r"settings=5 has the wrong type", cal.fit_table, {}, 5, runs=[_exact()])
    _refused(r"seeds=0 is out of range", cal.fit_table, {}, TINY, seeds=0)
    fit_ = cal.fit_table({}, TINY, runs=pd.DataFrame([_exact()] * 2))
    assert fit_["within"].all()


# ----------------------------------------------------------------------------- sensitivity
@pytest.mark.usefixtures("no_runs")
@pytest.mark.parametrize(
    ("estimate", "kwargs", "message"),
    [
        ({}, {}, r"estimate lacks the free parameter 'self_report_optimism'"),
        ("x", {}, r"estimate='x' has the wrong type"),
        ({**ESTIMATE, "skill_rate": 0.4}, {}, r"estimate: skill_rate=0.4 is outside its prior"),
        ({**ESTIMATE, "skill_rate": "x"}, {}, r"skill_rate='x' has the wrong type"),
        (ESTIMATE, {"seeds": 0}, r"seeds=0 is out of range: allowed 1 or more"),
        (ESTIMATE, {"seeds": 1.5}, r"seeds=1.5 has the wrong type"),
        (ESTIMATE, {"step": 0}, r"step=0 must be above 0 and at most 1"),
        (ESTIMATE, {"step": 1.5}, r"step=1.5 must be above 0 and at most 1"),
        (ESTIMATE, {"step": "0.1"}, r"step='0.1' has the wrong type: expected a number"),
        (ESTIMATE, {"tick": 1}, r"tick=1 is not callable"),
    ],
)
def test_sensitivity_checks_before_anything_runs(estimate, kwargs, message):
    _refused(message, cal.sensitivity, estimate, TINY, **kwargs)


def test_messages_are_one_line_naming_what_is_allowed():
    for error in (
        _refused("se_floor", Settings, se_floor="x", jobs=1),
        _refused("runs", cal.count_spread, []),
        _refused("weeks", cal.run_statistics, {}, 1, weeks=5),
    ):
        assert "\n" not in str(error) and ("allowed" in str(error) or "expected" in str(error))


def test_an_unknown_setting_is_named_with_a_close_match():
    from sim.calibration import Settings

    with pytest.raises(UserError, match="unknown calibration setting 'poplation'; did you mean"):
        Settings(poplation=5)
