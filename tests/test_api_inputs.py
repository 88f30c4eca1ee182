"""Bad input to the Python API's figures, and runs too large for memory: refused at once."""

from __future__ import annotations

import time
from concurrent.futures import Executor

import numpy as np
import pandas as pd
import pytest

import sim.runner
import sim.sweeps.engine
from sim import report
from sim.errors import UserError
from sim.inputs import MEMORY_SHARE, available_memory, run_bytes
from sim.runner import compare, run_scenario, run_seeds
from sim.scenarios import load_scenario
from sim.sweeps import sweep

#: The smallest runs: the tests below are about arguments, not numbers.
TINY_RUN = {"seeds": 1, "weeks": 3, "posterior": 0, "n_agents": 40}


@pytest.fixture(scope="module")
def tiny_run():
    return run_scenario("keep_slack", **TINY_RUN)


@pytest.fixture(scope="module")
def tiny_compare():
    return compare(["keep_slack"], **TINY_RUN)


@pytest.fixture(scope="module")
def tiny_scenario():
    return load_scenario("keep_slack").with_overrides(n_agents=40)


# ----------------------------------------------------------------------------- figures
def test_a_lone_run_or_a_comparison_is_what_trajectories_draws(tiny_run, tiny_compare):
    def legend(fig):
        return [t.get_text() for t in fig.legends[0].get_texts()]

    one = report.trajectories_figure(tiny_run)
    assert legend(one) == legend(report.trajectories_figure([tiny_run]))
    both = legend(report.trajectories_figure(tiny_compare))
    runs = legend(report.trajectories_figure(list(tiny_compare.runs.values())))
    assert both == runs and len(both) == len(legend(one)) + 1


@pytest.mark.parametrize(
    "runs,message",
    [
        (
            ["keep_slack"],
            r"^runs\[0\] is 'keep_slack', a scenario, not a run: run it first, e\.g\.",
        ),
        ("keep_slack", r"^runs is 'keep_slack', a scenario, not a run"),
        ([], r"^runs is empty: nothing to draw: give a RunResult"),
        (3, r"^runs=3 has the wrong type: expected a RunResult"),
        ({"keep_slack": 1}, r"^runs=\{'keep_slack': 1\} has the wrong type"),
    ],
)
def test_trajectories_refuses_what_is_not_a_run(runs, message):
    with pytest.raises(UserError, match=message):
        report.trajectories_figure(runs)


def test_a_scenario_object_in_a_runs_place_is_named(tiny_scenario):
    with pytest.raises(UserError, match=r"^runs\[0\] is scenario 'keep_slack', a scenario, not"):
        report.trajectories_figure([tiny_scenario])


def test_differences_and_survey_figures_say_which_result_they_need(tiny_run, tiny_compare):
    with pytest.raises(UserError, match=r"^result is a RunResult of 'keep_slack', not a comp"):
        report.differences_figure(tiny_run)
    with pytest.raises(UserError, match=r"^result='x' has the wrong type: expected a CompareRe"):
        report.differences_figure("x")
    with pytest.raises(UserError, match=r"^run is a CompareResult: give one of its runs, e\.g\. s"):
        report.survey_figure(tiny_compare)
    with pytest.raises(UserError, match=r"^run is 'keep_slack', a scenario, not a run"):
        report.survey_figure("keep_slack")
    with pytest.raises(UserError, match=r"^targets=5 has the wrong type: expected None"):
        report.survey_figure(tiny_run, targets=5)
    with pytest.raises(UserError, match=r"^targets has no column item, group, value"):
        report.survey_figure(tiny_run, targets=pd.DataFrame({"x": [1]}))
    # a list of one run is that run
    assert report.survey_figure([tiny_run]).axes


def test_network_figure_takes_names_and_a_lone_scenario(tiny_scenario):
    def titles(fig):
        return [ax.get_title(loc="left") for ax in fig.axes if ax.get_title(loc="left")]

    lone = report.network_figure(tiny_scenario, np.int64(1), np.int64(3), max_nodes=np.int64(30))
    listed = report.network_figure([tiny_scenario], 1, 3, max_nodes=30)
    assert titles(lone) == titles(listed) and len(titles(lone)) == 1
    assert len(titles(report.network_figure(["baseline", "keep_slack"], 1, 2, 30))) == 2


@pytest.mark.parametrize(
    "scenarios,args,message",
    [
        ([], (1, 3), r"^scenarios is empty: nothing to draw: give one or more scenarios"),
        (5, (1, 3), r"^scenarios=5 has the wrong type: expected a list of scenarios"),
        ([None], (1, 3), r"^scenarios\[0\]=None has the wrong type: expected a bundled"),
        ([{"touchpoints": 1}], (1, 3), r"^a scenario is meant here .* not a parameter set"),
        (["nope"], (1, 3), r"unknown scenario 'nope'"),
        (["keep_slack"], ("x", 3), r"^seed 'x' must be a whole number from 0 to 2\*\*63-1"),
        (["keep_slack"], (1.5, 3), r"^seed 1\.5 must be a whole number"),
        (["keep_slack"], (1, 0), r"^weeks=0 is out of range: allowed 1 to 1040"),
        (["keep_slack"], (1, 2.5), r"^weeks=2\.5 has the wrong type"),
        (["keep_slack"], (1, 3, 0), r"^max_nodes=0 is out of range: allowed 1 or more"),
    ],
)
def test_network_figure_refuses_bad_input_before_a_run(monkeypatch, scenarios, args, message):
    import sim.present.figures

    def refuse(*a, **k):
        raise AssertionError("a model ran before the inputs were checked")

    monkeypatch.setattr(sim.present.figures, "WorkplaceModel", refuse)
    with pytest.raises(UserError, match=message):
        report.network_figure(scenarios, *args)


def test_network_figure_points_a_run_to_its_scenario(tiny_run):
    with pytest.raises(UserError, match=r"^scenarios\[0\] is a run of 'keep_slack', not a scen"):
        report.network_figure(tiny_run, 1, 3)


# ----------------------------------------------------------------------------- memory
#: Agents and jobs no machine this runs on holds: 64 runs of 10 million agents (650 GB).
HUGE_AGENTS, HUGE_JOBS = 10_000_000, 64


@pytest.fixture
def huge():
    """Skip where the machine could hold the huge runs (then they would really start)."""
    have = available_memory()
    if have is None or run_bytes(HUGE_AGENTS) * HUGE_JOBS <= MEMORY_SHARE * have:
        pytest.skip("this machine's memory is unknown or holds the huge runs")


@pytest.fixture
def nothing_starts(monkeypatch):
    """Make any run, pool or executor fail the test: the refusal must come first."""

    def refuse(*args, **kwargs):
        raise AssertionError("something started before the memory was checked")

    monkeypatch.setattr(sim.runner, "_execute", refuse)
    monkeypatch.setattr(sim.sweeps.engine, "make_executor", refuse)


MEMORY = r"need about .* GB \(.* GB each\), but this machine has .* available: use fewer agents"


def test_runs_too_large_for_memory_are_refused_at_once(huge, nothing_starts):
    big = {"n_agents": HUGE_AGENTS, "jobs": HUGE_JOBS, "weeks": 3, "posterior": 0}
    started = time.monotonic()
    with pytest.raises(
        UserError, match=rf"^n_agents=10000000 with jobs=64: 64 run\(s\) .*{MEMORY}"
    ):
        run_scenario("baseline", seeds=HUGE_JOBS, **big)
    with pytest.raises(UserError, match=rf"^n_agents=10000000 with jobs=64: .*{MEMORY}"):
        run_seeds("baseline", list(range(HUGE_JOBS)), **big)
    with pytest.raises(UserError, match=rf"^n_agents=10000000 with jobs=64: .*{MEMORY}"):
        compare(["keep_slack"], seeds=HUGE_JOBS, **big)
    with pytest.raises(UserError, match=rf"^n_agents=10000000 with jobs=64: .*{MEMORY}"):
        run_scenario(
            "baseline",
            seeds=HUGE_JOBS // 8,
            posterior=8,
            jobs=HUGE_JOBS,
            weeks=3,
            n_agents=HUGE_AGENTS,
        )  # draws x seeds runs at once
    assert time.monotonic() - started < 10


def test_the_largest_scenario_of_a_comparison_counts(huge, nothing_starts):
    big = load_scenario("keep_slack").with_overrides(n_agents=HUGE_AGENTS)  # the baseline: 1,000
    with pytest.raises(UserError, match=rf"^n_agents up to 10000000 with jobs=64: .*{MEMORY}"):
        compare(big, seeds=HUGE_JOBS, weeks=3, posterior=0, jobs=64)


def test_jobs_count_only_the_runs_there_are(nothing_starts):
    agents = 1_000_000  # 1.2 GB a run: one fits, 64 at once do not
    have = available_memory()
    if have is None or not run_bytes(agents) <= MEMORY_SHARE * have < 64 * run_bytes(agents):
        pytest.skip("this machine's memory does not sit between one run and 64")
    args = {"jobs": 64, "weeks": 3, "posterior": 0, "n_agents": agents}
    with pytest.raises(UserError, match=r"^n_agents=1000000 with jobs=64: 64 run\(s\)"):
        run_scenario("baseline", seeds=64, **args)
    # 64 jobs for one run: one run at once, which fits: it is not refused (it would start)
    with pytest.raises(AssertionError, match="started before the memory was checked"):
        run_scenario("baseline", seeds=1, **args)


HUGE_SPEC = {
    "name": "huge",
    "seeds": 16,
    "weeks": 3,
    "vary": {"n_agents": [100, HUGE_AGENTS]},
    "outputs": {"outcomes": ["output"]},
}


def test_a_sweep_too_large_for_memory_is_refused_before_anything_is_written(
    huge, nothing_starts, tmp_path
):
    out = tmp_path / "sweep"
    started = time.monotonic()
    message = rf"^sweep 'huge' \(n_agents up to 10000000, 32 worker\(s\)\): .*{MEMORY}"
    for executor in ("processes", "dask"):  # dask without an address: a cluster on this machine
        with pytest.raises(UserError, match=message):
            sweep(HUGE_SPEC, executor, workers=HUGE_JOBS, out=out)
    range_spec = {**HUGE_SPEC, "vary": {"n_agents": {"min": 100, "max": HUGE_AGENTS}}}
    with pytest.raises(UserError, match=r"^sweep 'huge' \(n_agents up to 10000000"):
        sweep(range_spec, "processes", workers=HUGE_JOBS, out=out)
    base_spec = {
        **HUGE_SPEC,
        "vary": {"touchpoints": [0.1, 0.5]},
        "params": {"n_agents": HUGE_AGENTS},
    }
    with pytest.raises(UserError, match=r"^sweep 'huge' \(n_agents up to 10000000"):
        sweep(base_spec, "processes", workers=HUGE_JOBS, out=out)
    assert not out.exists()
    assert time.monotonic() - started < 10


class _Reached(Exception):
    """Raised where the sweep would start running: the memory check let it through."""


class _Refusing(Executor):
    workers = HUGE_JOBS

    def submit(self, fn, /, *args, **kwargs):
        raise _Reached


def test_a_cluster_an_executor_or_a_model_of_ones_own_is_not_estimated(huge, monkeypatch):
    def reached(*args, **kwargs):
        raise _Reached

    with pytest.raises(_Reached):  # an Executor given as is: its memory is its own
        sweep(HUGE_SPEC, _Refusing(), workers=HUGE_JOBS)
    monkeypatch.setattr(sim.sweeps.engine, "make_executor", reached)
    with pytest.raises(_Reached):  # a remote Dask cluster: its memory is its own
        sweep(HUGE_SPEC, "dask", address="tcp://127.0.0.1:1", workers=HUGE_JOBS)
    with pytest.raises(_Reached):  # a model of the caller's: the estimate is not its
        sweep(HUGE_SPEC, "processes", workers=HUGE_JOBS, model=_never_called)


def _never_called(params, seed, weeks):  # pragma: no cover - must not run
    raise AssertionError("the model ran")


def test_the_memory_check_refuses_nothing_that_fits(tmp_path):
    res = run_scenario("keep_slack", jobs=2, **{**TINY_RUN, "seeds": 2})
    assert len(res.seeds) == 2
    spec = {
        **HUGE_SPEC,
        "seeds": 1,
        "vary": {"touchpoints": [0.1, 0.5]},
        "params": {"n_agents": 40},
    }
    assert len(sweep(spec, "local", workers=HUGE_JOBS, out=tmp_path / "s")) == 2
