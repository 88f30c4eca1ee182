"""Replicated runs and comparisons: seeds, intervals, common random numbers, process pools."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.errors import UserError
from sim.model import simulate
from sim.runner import METRICS, compare, interval, run_scenario, spawn_seeds
from sim.scenarios import bundled_names, load_scenario

SMALL = {"n_agents": 120}
WEEKS = 60


def test_spawn_seeds_are_stable_distinct_and_from_seed_sequence():
    seeds = spawn_seeds(2025, 6)
    assert seeds == spawn_seeds(2025, 6)
    assert seeds[:3] == spawn_seeds(2025, 3)
    assert len(set(seeds)) == 6
    assert seeds != spawn_seeds(2026, 6)
    child = np.random.SeedSequence(2025).spawn(1)[0]
    assert seeds[0] == int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))
    assert all(0 <= s < 2**63 for s in seeds)
    with pytest.raises(UserError, match="root seed"):
        spawn_seeds(-1, 2)


def test_interval_is_the_student_t_interval():
    x = np.array([0.2, 0.25, 0.31, 0.22, 0.27])
    mean, lo, hi = interval(x)
    half = stats.t.ppf(0.975, 4) * x.std(ddof=1) / math.sqrt(5)
    assert mean == pytest.approx(x.mean())
    assert (lo, hi) == pytest.approx((x.mean() - half, x.mean() + half))
    one = interval([0.4])
    assert one[0] == 0.4 and math.isnan(one[1]) and math.isnan(one[2])
    assert interval([1.0, 1.0, 1.0]) == (1.0, 1.0, 1.0)


@pytest.fixture(scope="module")
def small_run():
    return run_scenario("baseline", seeds=3, weeks=WEEKS, **SMALL)


def test_run_scenario_tables(small_run):
    res = small_run
    assert res.seeds == spawn_seeds(2025, 3) and res.weeks == WEEKS
    assert list(res.survey.columns[:6]) == ["seed", "wave", "item", "group", "value", "n"]
    assert set(res.survey["seed"]) == set(res.seeds)
    assert list(res.series.columns[:2]) == ["seed", "week"]
    assert len(res.series) == 3 * len(res.series[res.series.seed == res.seeds[0]])
    assert list(res.outcomes["seed"]) == res.seeds
    assert {"true_productivity_gain", "annual_quit_rate", "mean_tie_strength"} <= set(
        res.outcomes.columns
    )
    assert list(res.metrics.columns) == ["seed", *[m.key for m in METRICS]]


def test_run_scenario_matches_single_simulations(small_run):
    params = load_scenario("baseline").with_overrides(**SMALL).params
    seed = small_run.seeds[1]
    one = simulate(params, seed, WEEKS)
    got = small_run.outcomes.set_index("seed").loc[seed]
    for key, value in one["outcomes"].items():
        assert got[key] == value
    sv = small_run.survey[small_run.survey.seed == seed].drop(columns="seed")
    pd.testing.assert_frame_equal(sv.reset_index(drop=True), one["survey"].reset_index(drop=True))


def test_summaries_hold_mean_and_interval(small_run):
    summ = small_run.survey_summary(wave=-1)
    assert list(summ.columns) == ["wave", "item", "group", "mean", "ci_low", "ci_high", "n"]
    row = summ[(summ["item"] == "burnout") & (summ["group"] == "fte")].iloc[0]
    vals = small_run.survey.query("item == 'burnout' and group == 'fte'")["value"]
    mean, lo, hi = interval(vals.to_numpy())
    assert (row["mean"], row["ci_low"], row["ci_high"]) == pytest.approx((mean, lo, hi))
    out = small_run.outcome_summary()
    assert set(out.columns) == {"outcome", "mean", "ci_low", "ci_high", "replicates"}
    assert (out["replicates"] == 3).all()
    series = small_run.series_summary()
    assert set(series["week"]) == set(small_run.series["week"])


def test_to_dict_is_json(small_run):
    doc = json.loads(json.dumps(small_run.to_dict(), allow_nan=False))
    assert doc["scenario"] == "baseline" and doc["seeds"] == small_run.seeds
    assert doc["parameters"]["n_agents"] == 120
    assert set(doc["survey"][0]) == {"wave", "item", "group", "mean", "ci_low", "ci_high", "n"}
    assert set(doc["outcomes"]["annual_quit_rate"]) == {"mean", "ci_low", "ci_high"}


def test_same_root_seed_same_numbers_other_root_other_numbers(small_run):
    again = run_scenario("baseline", seeds=3, weeks=WEEKS, **SMALL)
    pd.testing.assert_frame_equal(again.outcomes, small_run.outcomes)
    other = run_scenario("baseline", seeds=3, weeks=WEEKS, root_seed=7, **SMALL)
    assert not other.outcomes.drop(columns="seed").equals(small_run.outcomes.drop(columns="seed"))


def test_jobs_give_identical_numbers():
    one = compare(["keep_slack"], seeds=3, weeks=WEEKS, jobs=1, **SMALL)
    two = compare(["keep_slack"], seeds=3, weeks=WEEKS, jobs=2, **SMALL)
    pd.testing.assert_frame_equal(one.table(), two.table())
    pd.testing.assert_frame_equal(one.series, two.series)
    pd.testing.assert_frame_equal(one.survey, two.survey)


def test_compare_uses_common_seeds_and_paired_differences(tmp_path):
    twin = tmp_path / "twin.toml"
    twin.write_text('title = "Baseline under another name"\n', encoding="utf-8")
    res = compare([twin, "keep_slack"], seeds=3, weeks=WEEKS, **SMALL)
    assert list(res.runs) == ["baseline", "twin", "keep_slack"]
    assert all(r.seeds == res.seeds for r in res.runs.values())
    t = res.table().set_index(["scenario", "metric"])
    assert t.loc["baseline", "diff"].isna().all()
    # Common random numbers: an identical scenario differs by exactly zero on every seed.
    finite = t.loc["twin"].dropna(subset=["mean"])
    assert (finite["diff"] == 0).all() and (finite["diff_low"] == 0).all()
    # The difference is the mean of per-seed differences, not a difference of noisy means.
    m = res.runs["keep_slack"].metrics.set_index("seed")["burnout"]
    b = res.runs["baseline"].metrics.set_index("seed")["burnout"]
    d, lo, hi = interval((m - b).to_numpy())
    row = t.loc[("keep_slack", "burnout")]
    assert (row["diff"], row["diff_low"], row["diff_high"]) == pytest.approx((d, lo, hi))


def test_compare_defaults_to_every_bundled_scenario_baseline_first():
    res = compare(seeds=1, weeks=10, n_agents=60)
    assert list(res.runs) == bundled_names()
    assert len(res.runs) == 7
    wide = res.wide()
    assert list(wide.index) == list(res.runs)
    doc = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert len(doc["table"]) == 7 * len(METRICS)


def test_bad_counts_raise_user_errors():
    with pytest.raises(UserError, match="seeds=0 is out of range"):
        run_scenario("baseline", seeds=0)
    with pytest.raises(UserError, match=r"weeks=2\.5 has the wrong type"):
        run_scenario("baseline", weeks=2.5)
    with pytest.raises(UserError, match="jobs=0 is out of range"):
        run_scenario("baseline", jobs=0)
    with pytest.raises(UserError, match="unknown scenario 'nope'"):
        compare(["nope"])
