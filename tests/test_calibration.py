"""Calibration: free parameters, the committed baseline's fit, the posterior API, and a real
interrupted-and-resumed calibration run as a process."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim import calibration as cal
from sim.cli import main
from sim.errors import UserError
from sim.params import RULE_CONSTANTS, Params
from sim.scenarios import load_scenario
from sim.targets import load_targets

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "scenarios" / "baseline.toml"
NAMES = [p.name for p in cal.FREE_PARAMETERS]


# ----------------------------------------------------------------------------- the set-up
def test_fewer_free_parameters_than_targets_and_all_behavioural():
    assert len(cal.FREE_PARAMETERS) <= 12 < len(load_targets())  # issue 12: at most 12
    assert set(NAMES) <= set(Params.names("behaviour"))
    assert len(set(NAMES)) == len(NAMES)
    # The rules' former constants (issue 12) keep the values the rules always had.
    behaviour = set(Params.names("behaviour")) - set(RULE_CONSTANTS)
    # (a rule constant may be freed: steer_time is calibrated)
    assert (set(cal.FIXED_BEHAVIOUR) | set(NAMES)) - set(RULE_CONSTANTS) == behaviour


def test_posterior_figures_draw_a_panel_per_free_parameter():
    """The report's marginals and pairs figures fit however many parameters are free."""
    from sim.calibration import figures

    rng = np.random.default_rng(0)
    posterior = pd.DataFrame(
        {p.name: [p.at_unit(u) for u in rng.random(30)] for p in cal.FREE_PARAMETERS}
    )
    posterior["weight"] = 1 / 30
    estimate = {p.name: p.at_unit(0.5) for p in cal.FREE_PARAMETERS}
    k = len(cal.FREE_PARAMETERS)
    assert len(figures.marginals_figure(posterior, estimate).axes) == k
    assert len(figures._fig_pairs(posterior, estimate).axes) == k * k


def test_priors_lie_inside_the_parameter_ranges_and_cover_the_defaults():
    spec = Params.spec()
    for p in cal.FREE_PARAMETERS:
        assert spec[p.name]["lo"] <= p.lo < p.hi <= spec[p.name]["hi"], p.name
        assert p.lo <= spec[p.name]["default"] <= p.hi, p.name
        assert p.why
        a, b = p.bounds
        assert p.natural(a) == pytest.approx(p.lo) and p.natural(b) == pytest.approx(p.hi)
        assert p.unit(p.lo) == pytest.approx(0.0) and p.unit(p.hi) == pytest.approx(1.0)


def test_committed_baseline_changes_only_free_parameters():
    """Survey integrity: the calibration moves behavioural parameters, nothing else."""
    sc = load_scenario("baseline")
    assert set(sc.changes) <= set(NAMES)
    est = cal.estimate_from_baseline()
    for p in cal.FREE_PARAMETERS:
        assert p.lo <= est[p.name] <= p.hi, p.name


def test_distance_is_zero_at_the_report_and_counts_nan_as_far():
    t = cal.target_table()
    obs = dict(zip(t["id"], t["value"], strict=True))
    d = cal.WeightedDistance()
    assert d(obs, obs) == 0.0
    one_off = {**obs, "top_burnout": obs["top_burnout"] + 0.026 * 2}  # two SEs off
    assert d(one_off, obs) == pytest.approx(2.0)
    floored = {**obs, "all_ai_as_coworker": 0.90 + 0.03}  # SE 0.006, floored at 0.015
    assert d(floored, obs) == pytest.approx(2.0)
    assert d({**obs, "top_quit_ratio": float("nan")}, obs) == pytest.approx(cal.NAN_Z)
    assert d({**obs, "_seed": 5}, obs) == 0.0


@pytest.mark.parametrize("p", [0.5, 0, -1, float("inf"), float("nan"), "2", None, True])
def test_distance_refuses_a_norm_it_cannot_take(p):
    with pytest.raises(UserError, match=r"^p=.*(must be a number from 1 up|wrong type)"):
        cal.WeightedDistance(p=p)


def test_distance_takes_any_norm_from_one_up():
    t = cal.target_table()
    obs = dict(zip(t["id"], t["value"], strict=True))
    off = {**obs, "top_burnout": obs["top_burnout"] + 0.026 * 3}
    assert cal.WeightedDistance(p=np.float64(1.5))(off, obs) == pytest.approx(3.0)


def test_tolerances_follow_the_acceptance_rule():
    t = cal.target_table().set_index("id")
    assert t.loc["top_burnout", "tol"] == pytest.approx(2 * 0.026)
    assert t.loc["all_ai_as_coworker", "tol"] == pytest.approx(0.03)
    assert t.loc["top_quit_ratio", "tol"] == pytest.approx(2 * 0.269)
    assert t.loc["top_quit_ratio", "cap"] == pytest.approx(0.5)
    assert t.loc["fte_new_projects", "cap"] == pytest.approx(0.10)


# ----------------------------------------------------------------------------- the fit
@pytest.fixture(scope="module")
def baseline_fit():
    """The committed estimate over 20 seeds at the calibration's size (1,000 agents, 104 weeks)."""
    return cal.fit_table(cal.estimate_from_baseline(), cal.Settings(), seeds=20)


@pytest.fixture(scope="module")
def other_root_fit():
    """The committed estimate over 20 seeds from a root no fit has seen (issue 12's test)."""
    from sim.calibration.report import OTHER_ROOTS

    return cal.fit_table(
        cal.estimate_from_baseline(), cal.Settings(root_seed=OTHER_ROOTS[0]), seeds=20
    )


@pytest.mark.slow
@pytest.mark.xfail(
    reason="at 20 seeds from root 777 the estimate has 22 of 32 figures within tolerance "
    "and none beyond 10 points (21.4 expected at another root, standard error 0.24; 22 and "
    "one beyond at the fit's own root); the goal of issue 12 is not met yet, nor by any point "
    "scripts/count_ceiling.py found (docs/calibration.md lists every miss and why)",
    strict=True,
)
def test_committed_baseline_reproduces_the_targets(other_root_fit):
    """Goal of issue 12, at 20 seeds from a root seed other than the fit's.

    At least 80% of the 32 targets within max(2 SE, 3 points), none beyond 10 points, the
    top quartile's quit ratio 2.0 +- 0.5; the message names every target outside its
    tolerance.
    """
    fit = other_root_fit
    missed = ", ".join(
        f"{r.id} ({r.off_points:+.1f} pts)" for r in fit[~fit["within"]].itertuples()
    )
    beyond = ", ".join(fit.loc[fit["beyond_cap"], "id"])
    assert fit["within"].mean() >= 0.8, (
        f"{fit['within'].sum()}/{len(fit)} within; outside: {missed}"
    )
    assert not beyond, f"further off than 10 points: {beyond}"
    ratio = fit.set_index("id").loc["top_quit_ratio", "mean"]
    assert abs(ratio - 2.0) <= 0.5, f"top quartile's quit ratio {ratio:.2f}, not 2.0 +- 0.5"


@pytest.mark.slow
def test_committed_fit_is_the_one_documented(baseline_fit):
    """docs/calibration.md states the fit of the committed baseline; it must still hold."""
    text = (ROOT / "docs" / "calibration.md").read_text(encoding="utf-8")
    m = re.search(r"\*\*(\d+) of (\d+) targets\*\*", text)
    assert m, "docs/calibration.md lacks the fit summary"
    assert int(m.group(2)) == len(baseline_fit)
    assert int(baseline_fit["within"].sum()) == int(m.group(1))
    for r in baseline_fit.itertuples():
        assert f"| `{r.id}` |" in text
    # the goal's own test: seeds from roots other than the fit's
    from sim.calibration.report import OTHER_ROOTS

    assert "root seeds other than the fit's" in text
    assert all(str(root) in text for root in OTHER_ROOTS)
    assert "| P(within) |" in text  # how the count moves with the seeds
    # the predictions for the held-out wave, every one in the table and in the CSV beside it
    from sim.calibration.heldout import heldout_items

    assert "## Predictions for the held-out 2024 wave" in text
    heldout = pd.read_csv(ROOT / "docs" / "calibration_heldout_2024.csv")
    assert list(heldout["id"]) == [i for i, _, _ in heldout_items()]
    for tid in heldout["id"]:
        assert f"| `{tid}` | " in text


def test_fit_table_from_given_runs():
    t = cal.target_table()
    runs = [{**dict(zip(t["id"], t["value"], strict=True)), "_seed": s} for s in range(3)]
    fit = cal.fit_table({}, runs=runs)
    assert fit["within"].all() and not fit["beyond_cap"].any()
    assert fit["z"].abs().max() < 1e-9
    s = cal.summarise_fit(fit)
    assert s["within"] == s["n"] == len(t)
    assert s["goal_met"]


def test_count_spread_counts_each_draw_by_the_fit_tables_rules():
    t = cal.target_table()
    exact = dict(zip(t["id"], t["value"], strict=True))
    spread = cal.count_spread([exact] * 5, seeds=20, draws=50)
    assert spread.within.eq(1.0).all() and spread.beyond.eq(0.0).all()
    assert spread.goal_met == 1.0 and spread.quantile(0.05) == len(t)

    # one target exactly right in three runs of four and 30 points off in the fourth: the
    # mean of 20 draws is within or beyond ten points by luck; the count and the goal
    # follow draw by draw
    far = {**exact, "fte_new_projects": exact["fte_new_projects"] + 0.30}
    runs = [exact, exact, exact, far]
    spread = cal.count_spread(runs, seeds=20, draws=400, rng_seed=3)
    p_in = spread.within["fte_new_projects"]
    assert spread.within.drop("fte_new_projects").eq(1.0).all()
    assert 0.0 < p_in < 0.5 and 0.0 < spread.beyond["fte_new_projects"] < 0.5
    assert spread.goal_met == pytest.approx(1.0 - spread.beyond["fte_new_projects"])
    assert np.mean(spread.counts) == pytest.approx(len(t) - 1 + p_in)
    again = cal.count_spread(runs, seeds=20, draws=400, rng_seed=3)
    assert again.counts.tolist() == spread.counts.tolist()
    assert np.isnan(spread.se) and spread.expected == pytest.approx(np.mean(spread.counts))
    assert spread.means["fte_new_projects"] == pytest.approx(exact["fte_new_projects"] + 0.075)


def test_count_spread_measures_the_noise_of_its_own_pool():
    """The expected count's standard error: zero where no run differs, about sqrt(p(1-p)/n)
    where one target is in or out by the run alone, and the draws unchanged by measuring it."""
    t = cal.target_table()
    exact = dict(zip(t["id"], t["value"], strict=True))
    assert cal.count_spread([exact] * 10, seeds=1, draws=50, se_resamples=20).se == 0.0

    # one seed per fit: the target is within in a run's share of the draws, so the expected
    # count's error is that of a share estimated from the pool (binomial)
    far = {**exact, "fte_new_projects": exact["fte_new_projects"] + 0.30}
    runs = [exact, far] * 100
    plain = cal.count_spread(runs, seeds=1, draws=2000, rng_seed=5)
    spread = cal.count_spread(runs, seeds=1, draws=2000, rng_seed=5, se_resamples=200)
    assert spread.counts.tolist() == plain.counts.tolist()
    assert spread.se == pytest.approx(np.sqrt(0.25 / 200), rel=0.25)


def test_count_ceiling_expects_a_20_seed_mean_by_the_normal_approximation():
    """scripts/count_ceiling.py's objective: the expected count for a 20-seed mean."""
    import importlib.util

    from scipy.stats import norm

    spec = importlib.util.spec_from_file_location(
        "count_ceiling", ROOT / "scripts" / "count_ceiling.py"
    )
    ceiling = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ceiling)
    targets = pd.DataFrame(
        {"id": ["a", "b", "c"], "value": [0.5, 0.5, 0.5], "tol": 0.03, "cap": 0.10}
    )
    d = 0.05  # 40 seeds at 0.5 +- d: mean on target, SD d sqrt(40 / 39)
    on = np.tile([0.5 - d, 0.5 + d], 20)
    stats = pd.DataFrame({"a": on, "b": on + 0.10, "c": np.nan})
    within, beyond = ceiling.expected_counts(stats, targets)
    se = d * np.sqrt(40 / 39) / np.sqrt(20)
    p_a = 2 * norm.cdf(0.03 / se) - 1  # on target
    p_b = norm.cdf(-0.07 / se) - norm.cdf(-0.13 / se)  # 10 points off: a half beyond the cap
    assert within == pytest.approx(p_a + p_b)
    assert beyond == pytest.approx(2 * norm.sf(0.10 / se) + 0.5 + 1.0)  # c: no value, beyond


def test_expected_count_script_prints_the_count_with_its_noise(tmp_path):
    """scripts/expected_count.py: the count and its standard error, per-target table, and
    a wrong parameter or run count refused with exit 2 and one line."""
    script = [sys.executable, str(ROOT / "scripts" / "expected_count.py")]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    csv = tmp_path / "count.csv"
    args = ["--runs", "20", "--jobs", "1", "--set", "skill_rate=0.1", "--csv", str(csv)]
    ok = subprocess.run(script + args, capture_output=True, text=True, env=env, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    head = ok.stdout.splitlines()[0]
    assert head.startswith("{'skill_rate': 0.1} at root 9090, 20 runs: expected ")
    assert "(SE " in head and "goal met in" in head
    table = pd.read_csv(csv, index_col=0)
    assert list(table.index) == list(cal.target_table()["id"])
    assert table["p_within"].between(0, 1).all()
    for bad, says in (
        (["--set", "skill_rat=0.1"], "did you mean 'skill_rate'"),
        (["--runs", "5"], "--runs 5: at least 20"),
    ):
        out = subprocess.run(script + bad, capture_output=True, text=True, env=env)
        assert out.returncode == 2 and out.stderr.count("\n") == 1 and says in out.stderr


def _crossval_folder(folder, errors):
    """Write root-S/crossval.csv files whose figures are all ``errors[S]`` points off."""
    for root, points in errors.items():
        (folder / f"root-{root}").mkdir(parents=True)
        rows = [
            {"id": f"t{i}", "block": block, "out_points": points}
            for i, block in enumerate(["headline", "relations", "freelancers", "roles"])
        ]
        pd.DataFrame(rows).to_csv(folder / f"root-{root}" / "crossval.csv", index=False)


def test_paired_change_script_judges_by_the_kind_of_change(tmp_path):
    """scripts/paired_change.py: the mean paired change at common roots, its floor-limited
    standard error, and the verdict for evidence (kept unless clearly worse) and for a
    mechanism (six roots, must improve); too few roots refused with exit 2 and one line; the
    committed model's errors as recorded (--recorded ROOT=ERROR) instead of its folder."""
    script = [sys.executable, str(ROOT / "scripts" / "paired_change.py")]
    base, change = tmp_path / "base", tmp_path / "change"
    _crossval_folder(base, {1: 6.0, 2: 8.0, 3: 10.0, 4: 7.0, 5: 9.0, 6: 5.0})
    _crossval_folder(change, {1: 9.0, 2: 11.0, 3: 13.0})  # 3 points worse at each root

    def run(*args):
        return subprocess.run([*script, *map(str, args)], capture_output=True, text=True)

    ok = run(base, change, "--kind", "evidence")
    assert ok.returncode == 0, ok.stderr
    assert "mean paired change +3.00 (standard error 2.02" in ok.stdout  # 3.5 / sqrt(3)
    assert ok.stdout.rstrip().endswith("verdict: kept by the cross-validation")  # 3 < 4.04
    few = run(base, change, "--kind", "mechanism")
    assert few.returncode == 2 and few.stderr.count("\n") == 1
    assert "3 roots in common" in few.stderr and "at least 6" in few.stderr
    _crossval_folder(change, {4: 6.0, 5: 8.0, 6: 4.5})
    mixed = run(base, change, "--kind", "mechanism")
    assert mixed.returncode == 0, mixed.stderr
    assert "mean paired change +1.08" in mixed.stdout  # (3 + 3 + 3 - 1 - 1 - 0.5) / 6
    assert mixed.stdout.rstrip().endswith("verdict: set aside by the cross-validation")
    (change / "root-6" / "crossval.csv").write_text("id,value\nt0,0.3\n")
    bad = run(base, change, "--kind", "mechanism")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert "root-6/crossval.csv: not a crossval.csv" in bad.stderr
    fresh = tmp_path / "fresh"
    _crossval_folder(fresh, {1: 9.0, 2: 11.0, 3: 13.0})
    recorded = run(fresh, "--kind", "evidence", "--recorded", "1=6.0", "2=8.0", "3=10.0")
    assert recorded.returncode == 0, recorded.stderr
    assert "mean paired change +3.00 (standard error 2.02" in recorded.stdout
    assert "without the tail blocks" not in recorded.stdout  # not recorded
    two = run(base, fresh, "--kind", "evidence", "--recorded", "1=6.0")
    assert two.returncode == 2 and "expected 1: the change's (with --recorded)" in two.stderr
    typo = run(fresh, "--kind", "evidence", "--recorded", "1:6.0")
    assert typo.returncode == 2 and typo.stderr.count("\n") == 1
    assert "expected ROOT=ERROR" in typo.stderr


def test_refine_estimate_moves_inside_the_priors_and_never_worsens():
    settings = cal.Settings(
        n_agents=40, select_seeds=1, refine_iterations=1, jobs=1, se_floor=cal.SE_FLOOR
    )
    start = {p.name: p.natural(sum(p.bounds) / 2) for p in cal.FREE_PARAMETERS}
    t = cal.target_table()

    def distance(est):
        runs = cal.simulate_many(est, settings, seeds=1, salt=1)
        return float(np.abs(cal._z(runs[0], t)).sum())

    out = cal.refine_estimate(start, settings, log=lambda msg: None)
    assert sorted(out) == sorted(NAMES)
    assert all(p.lo <= out[p.name] <= p.hi for p in cal.FREE_PARAMETERS)
    assert distance(out) <= distance(start) + 0.05


def test_confirm_estimate_keeps_the_closest_on_fresh_seeds():
    settings = cal.Settings(n_agents=40, select_seeds=1, jobs=1, se_floor=cal.SE_FLOOR)
    centre = {p.name: p.natural(sum(p.bounds) / 2) for p in cal.FREE_PARAMETERS}
    edge = {p.name: p.lo for p in cal.FREE_PARAMETERS}
    t = cal.target_table()
    messages = []

    def distance(est):
        runs = cal.simulate_many(est, settings, seeds=2, salt=5)
        means = pd.DataFrame(runs).mean(numeric_only=True).to_dict()
        return float(np.abs(cal._z(means, t)).sum())

    out = cal.confirm_estimate({"centre": centre, "edge": edge}, settings, log=messages.append)
    best, worst = sorted((centre, edge), key=distance)
    assert out == best
    assert "2 fresh seeds" in messages[0] and "kept: " in messages[-1]
    # a previous estimate gives way to one far closer (on every resample of the seeds)
    out = cal.confirm_estimate(
        {"previous": worst, "challenger": best}, settings, incumbent="previous"
    )
    assert out == best


def test_confirm_estimate_keeps_the_previous_estimate_unless_beaten_beyond_chance():
    """A challenger closer only through one lucky seed leaves the previous estimate in place."""
    from sim.calibration.estimate import CONFIRM_LEVEL, _share_closer

    t = cal.target_table()
    settings = cal.Settings(se_floor=cal.SE_FLOOR)
    value = t.set_index("id")["value"]

    def runs(offsets):  # one row per seed: every target off by the seed's offset
        return pd.DataFrame([(value + off).to_dict() for off in offsets])

    incumbent = runs([0.04] * 8)
    lucky = runs([0.0] + [0.045] * 7)  # closer on average, through one seed
    steady = runs([0.03] * 8)  # closer on every seed
    assert _share_closer(lucky, incumbent, t, settings) < CONFIRM_LEVEL
    assert _share_closer(steady, incumbent, t, settings) == 1.0
    with pytest.raises(UserError, match="not a candidate"):
        cal.confirm_estimate({"a": {}}, settings, incumbent="b")


# ----------------------------------------------------------------------------- posterior
def test_posterior_sample_is_committed_and_inside_the_priors():
    post = cal.load_posterior()
    assert len(post) >= 50
    assert post["weight"].sum() == pytest.approx(1.0)
    for p in cal.FREE_PARAMETERS:
        assert post[p.name].between(p.lo * (1 - 1e-6), p.hi * (1 + 1e-6)).all(), p.name
    trace = cal.load_trace()
    assert list(trace["generation"]) == list(range(1, len(trace) + 1))
    assert trace["epsilon"].is_monotonic_decreasing


def test_posterior_draws_are_reproducible_dicts_of_free_parameters():
    a = cal.posterior_draws(5, seed=3)
    assert a == cal.posterior_draws(5, seed=3)
    assert len(a) == 5 and all(sorted(d) == sorted(NAMES) for d in a)
    assert a != cal.posterior_draws(5, seed=4)
    sc = load_scenario("touchpoints").with_overrides(**a[0])
    assert sc.params.touchpoints == load_scenario("touchpoints").params.touchpoints
    for name, value in a[0].items():
        assert getattr(sc.params, name) == value
    with pytest.raises(UserError, match="k=0"):
        cal.posterior_draws(0)
    with pytest.raises(UserError, match="no posterior"):
        cal.load_posterior(ROOT / "nowhere.csv")


def test_the_committed_posterior_is_thick_enough_for_compares_draws():
    """The committed posterior's default 20 draws rest on at least THIN_ESS parameter sets."""
    post = cal.load_posterior()
    assert cal.effective_sample_size(post["weight"]) >= cal.THIN_ESS
    with warnings.catch_warnings():
        warnings.simplefilter("error", cal.ThinPosteriorWarning)
        cal.posterior_draws(20, seed=1)


def test_draws_from_a_thin_posterior_are_warned_of(tmp_path):
    """Draws that would repeat a few parameter sets say so; draws from an even posterior do not."""
    post = cal.load_posterior()
    even = post.assign(weight=1.0 / len(post))
    path = tmp_path / "even_posterior.csv"
    even.to_csv(path, index=False)
    with warnings.catch_warnings():
        warnings.simplefilter("error", cal.ThinPosteriorWarning)
        cal.posterior_draws(20, seed=1, path=path)
    thin = post.assign(weight=1e-12)
    thin.loc[:2, "weight"] = [0.6, 0.3, 0.1]
    path = tmp_path / "thin_posterior.csv"
    thin.to_csv(path, index=False)
    with pytest.warns(cal.ThinPosteriorWarning, match=rf"size of 2 \(of {len(post)} particles"):
        cal.posterior_draws(20, seed=1, path=path)
    with warnings.catch_warnings():  # one draw needs no more than one set
        warnings.simplefilter("error", cal.ThinPosteriorWarning)
        cal.posterior_draws(1, seed=1, path=path)


def test_write_baseline_changes_only_parameter_values(tmp_path):
    f = tmp_path / "baseline.toml"
    f.write_text(BASELINE.read_text(encoding="utf-8"), encoding="utf-8")
    before = f.read_text(encoding="utf-8")
    est = {p.name: p.natural(sum(p.bounds) / 2) for p in cal.FREE_PARAMETERS}
    cal.write_baseline(est, f)
    after = f.read_text(encoding="utf-8")
    head = before.split("[params]")[0]
    assert after.split("[params]")[0] == head  # everything above the table is kept
    got = cal.estimate_from_baseline(f)
    for name, value in est.items():
        assert got[name] == pytest.approx(value, rel=1e-3)
    cal.write_baseline(est, f)  # idempotent: no duplicated keys
    assert f.read_text(encoding="utf-8") == after


# ----------------------------------------------------------------------------- command line
@pytest.mark.parametrize(
    "args, message",
    [
        (["--budget", "0"], "--budget"),
        (["--population", "2"], "--population"),
        (["--se-floor", "2"], "--se-floor"),
        (["--baseline", "no/such/file.toml"], "--baseline"),
        (["--jobs", "0"], "--jobs"),
        (["--weeks", "52"], "--weeks"),
    ],
)
def test_bad_input_exits_2_with_the_problem_first(args, message, capsys):
    assert main(["calibrate", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("workplace-sim: error:") and message in err.splitlines()[0]


# ----------------------------------------------------------------------------- reproducible
#: A calibration of a few seconds: 40 agents, population 5, two generations.
TINY = {
    "n_agents": 40,
    "population": 5,
    "generations": 2,
    "budget": 200,
    "fit_seeds": 1,
    "select_seeds": 1,
    "candidates": 1,
    "refine_iterations": 0,
}


def _tiny(work: Path, **changes) -> cal.CalibrationResult:
    settings = cal.Settings(**{**TINY, "jobs": 1, **changes})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", cal.ThinPosteriorWarning)  # five particles are thin
        return cal.calibrate(settings, workdir=work, write=False, log=cal.silent)


def _same(a: cal.CalibrationResult, b: cal.CalibrationResult) -> None:
    pd.testing.assert_frame_equal(a.posterior, b.posterior, check_exact=True)
    pd.testing.assert_frame_equal(
        a.trace.drop(columns="seconds"), b.trace.drop(columns="seconds"), check_exact=True
    )
    assert a.simulations == b.simulations
    assert a.estimate == b.estimate


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """The tiny calibration in one process."""
    return _tiny(tmp_path_factory.mktemp("tiny") / "work")


@pytest.mark.slow
def test_a_thin_posterior_is_warned_of_by_the_library(tiny_run, tmp_path):
    """Called from Python, calibrate warns when its last generation has few effective particles."""
    assert tiny_run.effective_sample_size == tiny_run.trace["ess"].iloc[-1]
    assert tiny_run.effective_sample_size < cal.THIN_ESS  # five particles at most
    settings = cal.Settings(**{**TINY, "jobs": 1})
    with pytest.warns(cal.ThinPosteriorWarning, match=r"^the posterior's last generation") as w:
        again = cal.calibrate(settings, workdir=tmp_path / "work", write=False, log=cal.silent)
    assert "--population 10" in str(w[0].message)
    assert again.effective_sample_size == tiny_run.effective_sample_size


@pytest.mark.slow
def test_same_seed_gives_the_same_calibration_on_any_number_of_processes(tiny_run, tmp_path):
    """Bit for bit: the posterior, the trace and the simulations counted."""
    before = np.random.get_state()[1].copy()  # noqa: NPY002
    _same(tiny_run, _tiny(tmp_path / "again"))
    assert (np.random.get_state()[1] == before).all()  # noqa: NPY002 - global state kept
    _same(tiny_run, _tiny(tmp_path / "two", jobs=2))
    other = _tiny(tmp_path / "other", root_seed=7)
    assert not other.posterior.equals(tiny_run.posterior)


@pytest.mark.slow
def test_a_resumed_calibration_continues_as_if_never_stopped(tiny_run, tmp_path):
    """One generation, then a second session to two: the run of one session to two."""
    first = _tiny(tmp_path / "work", generations=1)
    assert len(first.trace) == 1 and not first.resumed
    resumed = _tiny(tmp_path / "work", generations=2, jobs=2)
    assert resumed.resumed
    _same(tiny_run, resumed)
    # draws from another root seed would not continue the same run: refused
    with pytest.raises(UserError, match="other settings"):
        _tiny(tmp_path / "work", generations=3, root_seed=7)


def _generations(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
            return con.execute("SELECT COUNT(*) FROM populations WHERE t >= 0").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_tiny_calibration_is_interrupted_and_resumes(tmp_path):
    """A real run is killed after its first generation, then finishes from where it stopped."""
    baseline = tmp_path / "baseline.toml"
    baseline.write_text(BASELINE.read_text(encoding="utf-8"), encoding="utf-8")
    work = tmp_path / "work"
    cmd = [
        sys.executable, "-m", "sim", "calibrate",
        "--agents", "100", "--population", "6", "--generations", "4", "--budget", "400",
        "--fit-seeds", "2", "--refine", "0", "--jobs", "2",
        "--workdir", str(work), "--baseline", str(baseline),
    ]  # fmt: skip
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    db = work / "abc.sqlite"
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120
        while _generations(db) < 1 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert proc.poll() is None, proc.communicate()[1].decode()[-2000:]
        os.killpg(proc.pid, signal.SIGKILL)  # the run and its worker processes
    finally:
        proc.communicate(timeout=60)
    stored = _generations(db)
    assert 1 <= stored < 4
    assert baseline.read_text(encoding="utf-8") == BASELINE.read_text(encoding="utf-8")
    assert not cal.posterior_path(baseline).exists()

    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert r.returncode == 0, r.stderr[-3000:]
    assert f"resuming {db}: {stored} generation(s)" in r.stderr
    assert _generations(db) == 4
    # six particles cannot make a posterior for compare's draws: the run says so, last
    warning = r.stderr.strip().splitlines()[-1]
    assert warning.startswith("calibrate: warning: the posterior's last generation")
    assert "--population 12" in warning
    trace = cal.load_trace(cal.posterior_path(baseline, ".trace.csv"))
    assert list(trace["generation"]) == [1, 2, 3, 4]
    post = cal.load_posterior(cal.posterior_path(baseline))
    assert len(post) == 6
    est = cal.estimate_from_baseline(baseline)
    assert all(p.lo <= est[p.name] <= p.hi for p in cal.FREE_PARAMETERS)
    fit = pd.read_csv(work / "fit.csv")
    assert list(fit["id"]) == list(load_targets()["id"])

    # a finished run, asked again, only re-chooses the estimate
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=300, check=False)
    assert r.returncode == 0 and "complete" in r.stderr
    # other settings in the same work directory are refused
    r = subprocess.run(
        [*cmd, "--population", "7"], capture_output=True, text=True, env=env, timeout=60
    )
    assert r.returncode == 2 and "--fresh" in r.stderr
