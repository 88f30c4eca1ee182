"""Replicated runs and comparisons: seeds, intervals, common random numbers, process pools,
parameter uncertainty by default, and the probability of superiority."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.errors import UserError
from sim.model import simulate
from sim.runner import (
    DEFAULT_POSTERIOR,
    METRICS,
    POSTERIOR_SEEDS,
    CompareResult,
    RunResult,
    compare,
    interval,
    run_scenario,
    spawn_seeds,
    superiority,
    uncertainty_text,
)
from sim.scenarios import bundled_names, load_scenario

SMALL = {"n_agents": 120}
WEEKS = 60
#: Seed noise only: the tests of seeds, intervals and common random numbers.
PLAIN = {"posterior": 0}


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
    return run_scenario("baseline", seeds=3, weeks=WEEKS, **PLAIN, **SMALL)


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
        np.testing.assert_equal(got[key], value)  # NaN (a horizon not reached) equals NaN
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
    one_year = out["outcome"].str.endswith("_1y")  # a horizon these short runs never reach
    assert (out.loc[~one_year, "replicates"] == 3).all()
    series = small_run.series_summary()
    assert set(series["week"]) == set(small_run.series["week"])


def test_to_dict_is_json(small_run):
    doc = json.loads(json.dumps(small_run.to_dict(), allow_nan=False))
    assert doc["scenario"] == "baseline" and doc["seeds"] == small_run.seeds
    assert doc["parameters"]["n_agents"] == 120
    assert set(doc["survey"][0]) == {"wave", "item", "group", "mean", "ci_low", "ci_high", "n"}
    assert set(doc["outcomes"]["annual_quit_rate"]) == {"mean", "ci_low", "ci_high"}


def test_same_root_seed_same_numbers_other_root_other_numbers(small_run):
    again = run_scenario("baseline", seeds=3, weeks=WEEKS, **PLAIN, **SMALL)
    pd.testing.assert_frame_equal(again.outcomes, small_run.outcomes)
    other = run_scenario("baseline", seeds=3, weeks=WEEKS, root_seed=7, **PLAIN, **SMALL)
    assert not other.outcomes.drop(columns="seed").equals(small_run.outcomes.drop(columns="seed"))


def test_jobs_give_identical_numbers():
    one = compare(["keep_slack"], seeds=3, weeks=WEEKS, jobs=1, **PLAIN, **SMALL)
    two = compare(["keep_slack"], seeds=3, weeks=WEEKS, jobs=2, **PLAIN, **SMALL)
    pd.testing.assert_frame_equal(one.table(), two.table())
    pd.testing.assert_frame_equal(one.series, two.series)
    pd.testing.assert_frame_equal(one.survey, two.survey)


def test_compare_uses_common_seeds_and_paired_differences(tmp_path):
    twin = tmp_path / "twin.toml"
    twin.write_text('title = "Baseline under another name"\n', encoding="utf-8")
    res = compare([twin, "keep_slack"], seeds=3, weeks=WEEKS, **PLAIN, **SMALL)
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
    # An identical twin ties on every seed: it beats the baseline in exactly half of them.
    assert (finite.dropna(subset=["beats_baseline"])["beats_baseline"] == 0.5).all()
    assert row["beats_baseline"] == pytest.approx(superiority(m, b, "lower"))


def test_compare_defaults_to_every_bundled_scenario_baseline_first():
    res = compare(seeds=1, weeks=10, n_agents=60)
    assert list(res.runs) == bundled_names()
    assert len(res.runs) == 7
    wide = res.wide()
    assert list(wide.index) == list(res.runs)
    doc = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert len(doc["table"]) == 7 * len(METRICS)
    # Parameter uncertainty by default, and the JSON says so.
    assert res.posterior == DEFAULT_POSTERIOR and doc["posterior"] == DEFAULT_POSTERIOR
    assert doc["intervals"] == (
        f"95% intervals over 1 seed x {DEFAULT_POSTERIOR} posterior draws: "
        "seed noise and parameter uncertainty"
    )
    assert {"beats_baseline", "diff", "diff_low", "diff_high"} <= set(doc["table"][0])
    sup = doc["superiority"]
    assert sup["matched_runs"] == DEFAULT_POSTERIOR and "ties count half" in sup["about"]
    directed = [m for m in METRICS if m.better]
    assert len(sup["pairs"]) == len(directed) * 7 * 6
    assert set(sup["pairs"][0]) == {"metric", "scenario", "other", "share", "runs"}
    # Ten weeks in, no redesign has started (week 106): every scenario is still the status
    # quo, run for run, so no pair differs and there is nothing to say.
    assert sup["sentences"] == []


def test_bad_counts_raise_user_errors():
    with pytest.raises(UserError, match="seeds=0 is out of range"):
        run_scenario("baseline", seeds=0)
    with pytest.raises(UserError, match=r"weeks=2\.5 has the wrong type"):
        run_scenario("baseline", weeks=2.5)
    with pytest.raises(UserError, match="jobs=0 is out of range"):
        run_scenario("baseline", jobs=0)
    with pytest.raises(UserError, match="unknown scenario 'nope'"):
        compare(["nope"])


# ----------------------------------------------------------------------------- posterior by default
def test_run_includes_posterior_draws_by_default():
    from sim.calibration import posterior_draws

    res = run_scenario("baseline", weeks=10, n_agents=60)
    assert res.posterior == DEFAULT_POSTERIOR
    assert res.draws == posterior_draws(DEFAULT_POSTERIOR, seed=2025)
    # Without seeds: the scenario's (8), at most POSTERIOR_SEEDS per draw.
    assert res.seeds == spawn_seeds(2025, min(8, POSTERIOR_SEEDS))
    assert len(res.outcomes) == DEFAULT_POSTERIOR * len(res.seeds)
    assert "parameter uncertainty" in res.uncertainty
    doc = res.to_dict()
    assert doc["intervals"] == res.uncertainty and doc["held_fixed"] == []
    # Explicit seeds are seeds per draw.
    two = run_scenario("baseline", seeds=2, weeks=10, n_agents=60)
    assert two.posterior == DEFAULT_POSTERIOR and len(two.outcomes) == 2 * DEFAULT_POSTERIOR


def test_posterior_zero_turns_parameter_uncertainty_off(small_run):
    res = run_scenario("baseline", weeks=10, posterior=0, n_agents=60)
    assert res.draws == [] and res.posterior == 0 and "draw" not in res.outcomes.columns
    assert res.seeds == spawn_seeds(2025, 8)  # the scenario file's seeds, as before
    assert res.uncertainty == (
        "95% intervals over 8 seeds: seed noise only (parameters at their calibrated values)"
    )


def test_uncertainty_text_names_its_sources():
    assert uncertainty_text(8, 10) == (
        "95% intervals over 8 seeds x 10 posterior draws: seed noise and parameter uncertainty"
    )
    assert uncertainty_text(1, 1, ["trust_rate"]) == (
        "95% intervals over 1 seed x 1 posterior draw: seed noise and parameter uncertainty "
        "(trust_rate held fixed)"
    )
    assert "seed noise only" in uncertainty_text(3, 0)


# ----------------------------------------------------------------------------- superiority
def test_superiority_arithmetic_known_answers_ties_and_direction():
    a = [0.2, 0.3, 0.4, 0.1]
    b = [0.3, 0.3, 0.3, 0.3]
    # lower is better: a wins runs 1 and 4, ties run 2, loses run 3 -> (2 + 0.5) / 4
    assert superiority(a, b, "lower") == 0.625
    assert superiority(b, a, "lower") == 0.375  # the two sides add up to one
    # higher is better: a wins run 3 only, ties run 2 -> (1 + 0.5) / 4
    assert superiority(a, b, "higher") == 0.375
    assert superiority(a, a, "lower") == 0.5  # all ties: even
    assert superiority([1, 2, 3], [0, 0, 0], "higher") == 1.0
    assert superiority([1, 2, 3], [0, 0, 0], "lower") == 0.0
    # runs where either side is missing are left out
    assert superiority([1.0, np.nan, 3.0], [0.0, 5.0, np.nan], "higher") == 1.0
    assert math.isnan(superiority([np.nan], [1.0], "higher"))
    assert math.isnan(superiority(a, b, ""))  # no direction, no winner
    with pytest.raises(ValueError, match="not matched runs"):
        superiority([1.0, 2.0], [1.0], "lower")


def _hand_made(values: dict[str, dict[str, list[float]]], draws: int) -> CompareResult:
    """A comparison whose per-run metrics are given: ``{scenario: {metric: [values]}}``.

    Values run draw by draw, seed by seed (``draws`` x 2 seeds); metrics not given are NaN.
    Each scenario's rows are stored in reverse order, so the pairing must go by draw and seed.
    """
    seeds = [11, 22]
    ids = (
        [{"seed": s, "draw": d} for d in range(draws) for s in seeds]
        if draws
        else [{"seed": s} for s in seeds]
    )
    runs = {}
    for name, cols in values.items():
        rows = [
            {**tag, **{m.key: cols.get(m.key, [np.nan] * len(ids))[i] for m in METRICS}}
            for i, tag in enumerate(ids)
        ]
        empty = pd.DataFrame()
        runs[name] = RunResult(
            scenario=load_scenario("baseline"),
            seeds=seeds,
            weeks=1,
            root_seed=0,
            survey=empty,
            series=empty,
            outcomes=empty,
            metrics=pd.DataFrame(rows[::-1]),
            draws=[{}] * draws,
        )
    first = next(iter(values))
    return CompareResult(
        runs=runs, baseline=first, seeds=seeds, weeks=1, root_seed=0, draws=[{}] * draws
    )


def test_superiority_pairs_matched_draws_by_draw_and_seed():
    res = _hand_made(
        {
            "base": {"burnout": [0.3, 0.3, 0.3, 0.3], "mean_tie_strength": [0.5] * 4},
            "slack": {"burnout": [0.2, 0.3, 0.4, 0.1], "mean_tie_strength": [0.6, 0.4, 0.5, 0.7]},
            "touch": {
                "burnout": [0.1, 0.1, 0.1, 0.1],
                "considering_quitting": [0.1, 0.2, 0.3, 0.4],
            },
        },
        draws=2,
    )
    sup = res.superiority().set_index(["metric", "scenario", "other"])
    assert sup.loc[("burnout", "slack", "base"), "share"] == 0.625
    assert sup.loc[("burnout", "base", "slack"), "share"] == 0.375
    assert sup.loc[("burnout", "touch", "base"), "share"] == 1.0
    assert sup.loc[("burnout", "touch", "slack"), "share"] == 0.875  # ties 0.1 once
    # higher is better for ties: wins 2, tie 1, loss 1
    assert sup.loc[("mean_tie_strength", "slack", "base"), "share"] == 0.625
    assert sup.loc[("burnout", "slack", "base"), "runs"] == 4
    # a metric some scenario lacks: no pairs counted, share NaN
    row = sup.loc[("considering_quitting", "touch", "base")]
    assert row["runs"] == 0 and math.isnan(row["share"])
    # no direction (the self-reported gain): left out
    assert "reported_productivity_gain" not in set(sup.index.get_level_values("metric"))
    assert len(sup) == len([m for m in METRICS if m.better]) * 3 * 2
    t = res.table().set_index(["scenario", "metric"])
    assert t.loc[("slack", "burnout"), "beats_baseline"] == 0.625
    assert math.isnan(t.loc[("base", "burnout"), "beats_baseline"])
    assert math.isnan(t.loc[("slack", "reported_productivity_gain"), "beats_baseline"])


def test_sentences_say_the_clearest_pairs_from_the_winners_side():
    res = _hand_made(
        {
            "base": {"burnout": [0.3] * 4, "effective_output": [0.9] * 4},
            "slack": {"burnout": [0.2, 0.3, 0.4, 0.1], "effective_output": [0.8] * 4},
            "touch": {"burnout": [0.1] * 4, "effective_output": [0.9, 0.9, 0.9, 0.85]},
        },
        draws=2,
    )
    got = res.sentences()
    # Furthest from even first, one per outcome. Three pairs are at 100%: two redesigns
    # first (touch-slack on output), then by the smaller mean difference relative to the
    # outcome's spread: burnout touch-base (0.2 / 0.107) before output base-slack
    # (0.1 / 0.046), which is left out (one per outcome).
    assert got == [
        "touch gives higher effective output than slack in 100% of draws",
        "touch gives lower burnout than base in 100% of draws",
    ]
    assert res.sentences(n=1) == got[:1]
    # Each pair once first, then the rest, all in order of distance from even.
    assert res.sentences(per_metric=3) == [
        *got,
        "base gives higher effective output than slack in 100% of draws",
        "touch gives lower burnout than slack in 88% of draws",
        "base gives higher effective output than touch in 63% of draws",
    ]
    # The loser's side is turned round: base beats slack on output in 1 - 0.125 = 87.5%.
    plain = _hand_made(
        {
            "base": {"burnout": [0.3, 0.3], "effective_output": [0.9, 0.9]},
            "slack": {"burnout": [0.3, 0.3], "effective_output": [0.8, 0.9]},
        },
        draws=0,
    )
    assert plain.sentences() == ["base gives higher effective output than slack in 75% of seeds"]
    assert plain.matched == "seeds"


# ----------------------------------------------------------------------------- posterior draws
TINY = {"n_agents": 60}
K = 3
#: The two free parameters the test posterior varies (the rest at the baseline's values).
VARIED = ("substitution_rate", "trust_rate")


@pytest.fixture(scope="module")
def posterior_file(tmp_path_factory):
    """A 10-row posterior sample: two free parameters spread over their priors, unequal weights."""
    from sim.calibration import FREE_PARAMETERS

    base = load_scenario("baseline").params
    prior = {p.name: p for p in FREE_PARAMETERS}
    rows = []
    for i in range(10):
        row = {p.name: float(getattr(base, p.name)) for p in FREE_PARAMETERS}
        for j, name in enumerate(VARIED):
            p = prior[name]
            u = (i + 0.5) / 10 if j == 0 else (9.5 - i) / 10
            row[name] = p.lo + (p.hi - p.lo) * u
        rows.append({**row, "weight": (i + 1) / 55, "distance": 1.0 + i / 10})
    path = tmp_path_factory.mktemp("posterior") / "baseline_posterior.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def post_run(posterior_file):
    return run_scenario(
        "baseline", seeds=2, weeks=WEEKS, posterior=K, posterior_file=posterior_file, **TINY
    )


@pytest.fixture(scope="module")
def post_compare(posterior_file):
    return compare(
        ["keep_slack"], seeds=2, weeks=WEEKS, posterior=K, posterior_file=posterior_file, **TINY
    )


def test_posterior_runs_every_draw_on_the_same_seeds(post_run, posterior_file):
    from sim.calibration import posterior_draws

    res = post_run
    assert res.draws == posterior_draws(K, seed=2025, path=posterior_file)
    assert res.posterior == K and res.seeds == spawn_seeds(2025, 2)
    for attr in ("survey", "outcomes", "metrics"):
        df = getattr(res, attr)
        assert list(df.columns[:2]) == ["seed", "draw"], attr
        assert df["draw"].dtype.kind == "i", attr
        assert set(df["draw"]) == set(range(K)), attr
    assert list(res.series.columns[:3]) == ["seed", "draw", "week"]
    assert len(res.outcomes) == len(res.metrics) == K * 2
    assert list(res.outcomes["draw"]) == [0, 0, 1, 1, 2, 2]
    assert list(res.outcomes["seed"]) == res.seeds * K  # common random numbers across draws
    assert len(res.series) == K * 2 * len(res.series.query("draw == 0 and seed == @res.seeds[0]"))
    doc = json.loads(json.dumps(res.to_dict(), allow_nan=False))
    assert doc["posterior"] == K and doc["draws"] == res.draws


def test_posterior_draws_are_applied_to_the_scenario(post_run, post_compare):
    res = post_run
    assert len({tuple(d[n] for n in VARIED) for d in res.draws}) > 1
    for draw, sc in zip(res.draws, res.draw_scenarios, strict=True):
        for name, value in draw.items():
            assert getattr(sc.params, name) == value
        assert sc.params.n_agents == 60
    # Each replicate is the simulation of its draw's parameters on its seed.
    seed = res.seeds[1]
    one = simulate(res.draw_scenarios[1].params, seed, WEEKS)
    got = res.outcomes.query("draw == 1 and seed == @seed").iloc[0]
    for key, value in one["outcomes"].items():
        np.testing.assert_equal(got[key], value)
    # compare applies the same draws to every scenario, keeping each one's levers.
    assert post_compare.draws == res.draws
    for run in post_compare.runs.values():
        assert run.draws == res.draws
    slack = post_compare.runs["keep_slack"].draw_scenarios[2].params
    assert slack.output_conversion == 0.3
    assert all(getattr(slack, n) == res.draws[2][n] for n in VARIED)
    pd.testing.assert_frame_equal(post_compare.runs["baseline"].outcomes, res.outcomes)


def test_posterior_intervals_are_quantiles_of_per_draw_means(post_run, post_compare):
    res = post_run

    def expect(df: pd.DataFrame, col: str) -> tuple[float, float, float]:
        per = df.groupby("draw")[col].mean().to_numpy()
        lo, hi = np.quantile(per, [0.025, 0.975])
        return per.mean(), lo, hi

    out = res.outcome_summary().set_index("outcome")
    row = out.loc["annual_quit_rate"]
    assert (row["mean"], row["ci_low"], row["ci_high"]) == pytest.approx(
        expect(res.outcomes, "annual_quit_rate")
    )
    reached = ~out.index.str.endswith("_1y")  # these short runs reach no redesign horizon
    assert (out.loc[reached, "replicates"] == K * 2).all()
    met = res.metric_summary().set_index("metric").loc["mean_tie_strength"]
    assert (met["mean"], met["ci_low"], met["ci_high"]) == pytest.approx(
        expect(res.metrics, "mean_tie_strength")
    )
    summ = res.survey_summary(wave=-1)
    row = summ[(summ["item"] == "burnout") & (summ["group"] == "fte")].iloc[0]
    sv = res.survey.query("item == 'burnout' and group == 'fte' and wave == @row.wave")
    assert (row["mean"], row["ci_low"], row["ci_high"]) == pytest.approx(expect(sv, "value"))
    ser = res.series_summary().query("series == 'adoption' and week == 40").iloc[0]
    wk = res.series[res.series["week"] == 40]
    assert (ser["mean"], ser["ci_low"], ser["ci_high"]) == pytest.approx(expect(wk, "adoption"))
    # compare: levels as above, differences paired by (draw, seed), then per-draw means.
    t = post_compare.table().set_index(["scenario", "metric"])
    m = post_compare.runs["keep_slack"].metrics.set_index(["draw", "seed"])["burnout"]
    b = post_compare.runs["baseline"].metrics.set_index(["draw", "seed"])["burnout"]
    per = (m - b).groupby(level="draw").mean().to_numpy()
    row = t.loc[("keep_slack", "burnout")]
    assert (row["diff"], row["diff_low"], row["diff_high"]) == pytest.approx(
        (per.mean(), *np.quantile(per, [0.025, 0.975]))
    )
    level = expect(post_compare.runs["keep_slack"].metrics, "burnout")
    assert (row["mean"], row["ci_low"], row["ci_high"]) == pytest.approx(level)
    assert t.loc["baseline", "diff"].isna().all()
    doc = json.loads(json.dumps(post_compare.to_dict(), allow_nan=False))
    assert doc["posterior"] == K and doc["draws"] == post_compare.draws


def test_posterior_jobs_give_identical_numbers(post_compare, posterior_file):
    two = compare(
        ["keep_slack"],
        seeds=2,
        weeks=WEEKS,
        jobs=2,
        posterior=K,
        posterior_file=posterior_file,
        **TINY,
    )
    pd.testing.assert_frame_equal(post_compare.table(), two.table())
    pd.testing.assert_frame_equal(post_compare.metrics, two.metrics)
    pd.testing.assert_frame_equal(post_compare.series, two.series)


def test_posterior_zero_leaves_outputs_unchanged(small_run):
    zero = run_scenario("baseline", seeds=3, weeks=WEEKS, posterior=0, **SMALL)
    assert small_run.posterior == 0
    assert zero.draws == [] and zero.posterior == 0 and zero.draw_scenarios == []
    for attr in ("survey", "series", "outcomes", "metrics"):
        assert "draw" not in getattr(zero, attr).columns
        pd.testing.assert_frame_equal(getattr(zero, attr), getattr(small_run, attr))
    pd.testing.assert_frame_equal(zero.outcome_summary(), small_run.outcome_summary())
    doc = zero.to_dict()
    assert doc["posterior"] == 0 and doc["draws"] == []


def test_posterior_overrides_hold_and_one_draw_has_no_interval(posterior_file):
    res = run_scenario(
        "baseline",
        seeds=1,
        weeks=10,
        posterior=1,
        posterior_file=posterior_file,
        substitution_rate=0.05,
        **TINY,
    )
    assert "substitution_rate" not in res.draws[0] and "trust_rate" in res.draws[0]
    assert res.draw_scenarios[0].params.substitution_rate == 0.05
    assert res.held == ["substitution_rate"]
    assert res.uncertainty.endswith("(substitution_rate held fixed)")
    out = res.outcome_summary()
    assert out["ci_low"].isna().all() and out["ci_high"].isna().all()


def test_posterior_outputs_write_with_a_draw_column(post_compare, tmp_path):
    from sim.report import write_compare_outputs

    files = write_compare_outputs(tmp_path / "out", post_compare, network=False)
    assert files[-1].name == "report.html"
    metrics = pd.read_csv(tmp_path / "out" / "metrics.csv")
    assert list(metrics.columns[:3]) == ["scenario", "seed", "draw"]
    assert len(metrics) == 2 * K * 2
    series = pd.read_csv(tmp_path / "out" / "series.csv")
    assert list(series.columns[:4]) == ["scenario", "seed", "draw", "week"]
    assert "posterior draws" in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def test_bad_posterior_raises_user_errors(tmp_path):
    with pytest.raises(UserError, match="posterior=-1 is out of range: allowed 0 to 1000"):
        run_scenario("baseline", posterior=-1)
    with pytest.raises(UserError, match="posterior=1001 is out of range"):
        compare(["keep_slack"], posterior=1001)
    with pytest.raises(UserError, match=r"posterior=2\.5 has the wrong type"):
        run_scenario("baseline", posterior=2.5)
    with pytest.raises(UserError, match="posterior=True has the wrong type"):
        run_scenario("baseline", posterior=True)
    with pytest.raises(UserError, match="no posterior sample"):
        run_scenario("baseline", posterior=2, posterior_file=tmp_path / "none.csv")


def test_runner_docstring_examples():
    import doctest

    import sim.runner

    result = doctest.testmod(sim.runner, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


# ----------------------------------------------------------------------------- bad input
#: The smallest runs: the tests below are about arguments, not numbers.
TINY_RUN = {"seeds": 1, "weeks": 3, "posterior": 0, "n_agents": 40}


@pytest.fixture
def nothing_runs(monkeypatch):
    """Make any simulation fail the test: bad input must be refused before one starts."""
    import sim.runner

    def refuse(*args, **kwargs):
        raise AssertionError("a simulation ran before the inputs were checked")

    monkeypatch.setattr(sim.runner, "_execute", refuse)


def test_compare_refuses_a_scenario_named_as_the_reference(tmp_path, nothing_runs):
    dup = tmp_path / "dupname.toml"
    dup.write_text('name = "baseline"\n[params]\ntouchpoints = 1\n', encoding="utf-8")
    with pytest.raises(UserError) as info:
        compare(["keep_slack", dup], **TINY_RUN)
    first = str(info.value).splitlines()[0]
    assert first.startswith(f"{dup}: its name 'baseline' is the reference scenario's")
    assert "give it another name in the file" in first and f"baseline='{dup}'" in first
    # a baseline changed in code, under its own name, is refused too
    changed = load_scenario("baseline").with_overrides(touchpoints=0.9)
    with pytest.raises(UserError, match=r"reference with baseline=<that Scenario>"):
        compare([changed, "keep_slack"], **TINY_RUN)


def test_compare_takes_a_scenario_named_as_the_reference_as_the_baseline(tmp_path):
    dup = tmp_path / "dupname.toml"
    dup.write_text('name = "baseline"\n[params]\ntouchpoints = 1\n', encoding="utf-8")
    res = compare(["keep_slack", dup], baseline=dup, **TINY_RUN)
    assert list(res.runs) == ["baseline", "keep_slack"]
    assert res.runs["baseline"].scenario.path == dup
    # the bundled baseline named again is the same scenario: run once
    assert list(compare(["baseline", "keep_slack"], **TINY_RUN).runs) == ["baseline", "keep_slack"]


def test_a_lone_scenario_is_one_scenario():
    one = compare("keep_slack", **TINY_RUN)
    assert list(one.runs) == ["baseline", "keep_slack"]
    listed = compare(["keep_slack"], **TINY_RUN)
    pd.testing.assert_frame_equal(one.table(), listed.table())
    scenario = compare(load_scenario("keep_slack"), **TINY_RUN)
    assert list(scenario.runs) == ["baseline", "keep_slack"]


@pytest.mark.parametrize("bad", [None, 42, 1.5, b"baseline", ["baseline"]])
def test_a_scenario_of_the_wrong_type_says_what_a_scenario_is(bad, nothing_runs):
    expected = "has the wrong type: expected a bundled scenario's name, a .toml path or a Scenario"
    with pytest.raises(UserError, match=rf"^scenario=.* {expected}"):
        run_scenario(bad, **TINY_RUN)
    with pytest.raises(UserError, match=rf"^scenarios\[1\]=.* {expected}"):
        compare(["keep_slack", bad], **TINY_RUN)
    if bad is not None:  # baseline=None is the bundled baseline
        with pytest.raises(UserError, match=rf"^baseline=.* {expected}"):
            compare(["keep_slack"], baseline=bad, **TINY_RUN)


def test_a_list_for_run_scenario_points_to_compare(nothing_runs):
    with pytest.raises(UserError, match="to run several scenarios, use compare"):
        run_scenario(["baseline", "keep_slack"], **TINY_RUN)


def test_a_parameter_set_in_a_scenarios_place_says_what_to_do(nothing_runs):
    from sim.params import Params

    with pytest.raises(UserError, match=r"a scenario is meant here.*run_scenario\('baseline'"):
        run_scenario({"touchpoints": 0.4}, **TINY_RUN)
    with pytest.raises(UserError, match=r"a scenario is meant here.*compare\(\['keep_slack'\]"):
        compare({"touchpoints": 0.4}, **TINY_RUN)
    with pytest.raises(UserError, match="a scenario is meant here"):
        compare([Params()], **TINY_RUN)
    with pytest.raises(UserError, match="a scenario is meant here"):
        compare(["keep_slack"], baseline={"touchpoints": 0.4}, **TINY_RUN)
    with pytest.raises(UserError, match=r"^scenarios=42 has the wrong type: expected a list"):
        compare(42, **TINY_RUN)


@pytest.mark.parametrize(
    "root_seed,message",
    [
        (-1, "root_seed=-1 is out of range: allowed 0 to 9223372036854775807"),
        (2**63, "root_seed=9223372036854775808 is out of range"),
        (1.5, r"root_seed=1\.5 has the wrong type: expected an integer from 0"),
        ("x", "root_seed='x' has the wrong type"),
        (True, "root_seed=True has the wrong type"),
    ],
)
def test_bad_root_seeds_are_refused_everywhere(root_seed, message, nothing_runs):
    from sim.runner import run_seeds

    with pytest.raises(UserError, match=message):
        run_scenario("baseline", root_seed=root_seed, **TINY_RUN)
    with pytest.raises(UserError, match=message):
        compare(["keep_slack"], root_seed=root_seed, **TINY_RUN)
    with pytest.raises(UserError, match=message):
        run_seeds("baseline", [1], root_seed=root_seed, weeks=3, posterior=1, n_agents=40)


@pytest.mark.parametrize("progress", ["yes", 3, [print]])
def test_progress_must_be_callable(progress, nothing_runs):
    from sim.runner import run_seeds

    message = r"^progress=.* is not callable: give None or a function called as progress"
    with pytest.raises(UserError, match=message):
        run_scenario("baseline", progress=progress, **TINY_RUN)
    with pytest.raises(UserError, match=message):
        compare(["keep_slack"], progress=progress, **TINY_RUN)
    with pytest.raises(UserError, match=message):
        run_seeds("baseline", [1], progress=progress, weeks=3, posterior=0, n_agents=40)


@pytest.mark.parametrize(
    "seeds,message",
    [
        (1.0, r"seeds=1\.0 has the wrong type: expected a list of replicate seeds"),
        (None, "seeds=None has the wrong type"),
        ("12", "seeds='12' has the wrong type"),
        (True, "seeds=True has the wrong type"),
        ({1: 2}, "has the wrong type"),
        ([], "no seeds to run"),
        ([1, -1], "seed -1 must be a whole number from 0 to 2\\*\\*63-1"),
        ([1.0], "seed 1.0 must be a whole number"),
        (np.array([1.0]), "seed 1.0 must be a whole number"),
        ([np.uint64(2**63 + 5)], "must be a whole number from 0 to 2\\*\\*63-1"),
    ],
)
def test_run_seeds_refuses_bad_seeds(seeds, message, nothing_runs):
    from sim.runner import run_seeds

    with pytest.raises(UserError, match=message):
        run_seeds("baseline", seeds, weeks=3, posterior=0, n_agents=40)


def test_numpy_seeds_and_root_seeds_give_the_same_numbers():
    from sim.runner import run_seeds

    first = run_scenario("baseline", root_seed=np.int64(7), **TINY_RUN)
    assert first.root_seed == 7 and type(first.root_seed) is int
    plain = run_seeds("baseline", [first.seeds[0]], weeks=3, posterior=0, n_agents=40)
    for seeds in (np.array(first.seeds), np.int64(first.seeds[0]), tuple(first.seeds)):
        again = run_seeds(
            "baseline", seeds, weeks=3, posterior=0, n_agents=40, root_seed=np.int64(2025)
        )
        pd.testing.assert_frame_equal(again.outcomes, plain.outcomes)
    pd.testing.assert_frame_equal(plain.outcomes, first.outcomes)


# ----------------------------------------------------------------------------- bad posterior files
def _posterior_frame(rows: int = 3) -> pd.DataFrame:
    from sim.calibration import load_posterior

    return load_posterior().head(rows).reset_index(drop=True)


def _bad_posterior(tmp_path, name: str) -> object:
    """Write one kind of bad posterior file; return its path."""
    from sim.calibration import FREE_PARAMETERS

    path = tmp_path / f"{name}.csv"
    df = _posterior_frame()
    first = FREE_PARAMETERS[0].name
    if name == "text":
        path.write_text("# notes\nsome words\nwords, more words, and more\n", encoding="utf-8")
        return path
    if name == "blank":
        path.write_text("", encoding="utf-8")
        return path
    if name == "no_rows":
        df = df.head(0)
    elif name == "no_column":
        df = df.drop(columns=first)
    elif name == "words":
        df[first] = ["x", "y", "z"]
    elif name == "nan_value":
        df[first] = [np.nan, 1.0, 1.0]
    elif name == "nan_weight":
        df["weight"] = [np.nan, 1.0, 1.0]
    elif name == "negative_weight":
        df["weight"] = [-1.0, 1.0, 1.0]
    elif name == "zero_weights":
        df["weight"] = 0.0
    df.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    "name,message",
    [
        ("text", "does not read as CSV"),
        ("blank", "does not read as CSV"),
        ("no_rows", "it has no rows"),
        ("no_column", "missing columns self_report_optimism"),
        ("words", "column 'self_report_optimism' is not numeric"),
        ("nan_value", "column 'self_report_optimism' has a value that is not a finite number"),
        ("nan_weight", "column 'weight' has a value that is not a finite number"),
        ("negative_weight", "its weights are negative or all 0"),
        ("zero_weights", "its weights are negative or all 0"),
    ],
)
def test_a_file_that_is_no_posterior_is_named_with_what_one_holds(
    tmp_path, name, message, nothing_runs
):
    from sim.calibration import load_posterior, posterior_draws

    path = _bad_posterior(tmp_path, name)
    for call in (
        lambda: load_posterior(path),
        lambda: posterior_draws(2, path=path),
        lambda: run_scenario("baseline", seeds=1, weeks=3, posterior=1, posterior_file=path),
    ):
        with pytest.raises(UserError) as info:
            call()
        first = str(info.value).splitlines()[0]
        assert first.startswith(f"{path}: not a posterior sample") and message in first
        assert "a posterior CSV holds one row per particle" in first


def test_posterior_draws_checks_its_seed_and_path():
    from sim.calibration import posterior_draws

    assert posterior_draws(2, seed=np.int64(3)) == posterior_draws(2, seed=3)
    for seed, message in [
        ("a", "'seed' has the wrong type: expected an integer 0 or more, got string 'a'"),
        (1.5, "'seed' has the wrong type"),
        (True, "'seed' has the wrong type"),
        (-1, "seed=-1 is out of range: allowed 0 or more"),
    ]:
        with pytest.raises(UserError, match=message):
            posterior_draws(2, seed=seed)
    with pytest.raises(UserError, match="path=123 has the wrong type: expected a CSV file's path"):
        posterior_draws(2, path=123)
    with pytest.raises(UserError, match="path is empty"):
        posterior_draws(2, path="")


def test_a_wave_the_run_did_not_take_is_refused():
    res = run_scenario("baseline", seeds=1, weeks=60, posterior=0, n_agents=40)
    assert set(res.survey_summary(wave=-1)["wave"]) == {max(res.survey["wave"])}
    for bad in (2030, "2025"):
        with pytest.raises(UserError, match="was not taken in this run: allowed"):
            res.survey_summary(wave=bad)


def test_compare_refuses_the_reference_alone(nothing_runs):
    for scenarios, baseline in (
        (["baseline"], None),
        ("baseline", None),
        (["keep_slack"], "keep_slack"),
    ):
        with pytest.raises(UserError, match="nothing to compare: the only scenario given is the"):
            compare(scenarios, baseline=baseline, **TINY_RUN)


def test_sentences_check_their_counts():
    res = compare(["keep_slack"], **TINY_RUN)
    assert res.sentences(n=0) == []
    for kwargs, message in (
        ({"n": "x"}, "n='x' has the wrong type"),
        ({"n": -1}, "n=-1 is out of range"),
        ({"per_metric": 0}, "per_metric=0 is out of range"),
    ):
        with pytest.raises(UserError, match=message):
            res.sentences(**kwargs)
