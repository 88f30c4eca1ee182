"""The pattern suite: statistics on hand-made populations, the patterns file, the CLI."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest

from sim.errors import UserError
from sim.model import WorkplaceModel
from sim.params import Params
from sim.validation import (
    STATISTICS,
    drift,
    fastest_growth_week,
    icc1,
    knife_edge_variants,
    load_patterns,
    point_biserial,
    relative_risk,
    select,
    without_ai,
)


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "sim", "check", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


# ----------------------------------------------------------------------------- relative risk
def test_relative_risk_known_answer():
    # 10 exposed, 4 leave (40%); 20 others, 4 leave (20%): RR = 2.
    exposed = np.r_[np.ones(10, bool), np.zeros(20, bool)]
    event = np.r_[np.ones(4), np.zeros(6), np.ones(4), np.zeros(16)].astype(bool)
    assert relative_risk(event, exposed) == pytest.approx(2.0)


def test_relative_risk_no_difference_is_one():
    exposed = np.tile([True, False], 50)
    event = np.repeat([True, False], 50)  # half of each group
    assert relative_risk(event, exposed) == pytest.approx(1.0)


def test_relative_risk_undefined_cases():
    assert math.isnan(relative_risk(np.array([1, 0]), np.array([True, True])))  # no unexposed
    assert math.isnan(relative_risk(np.zeros(4), np.array([True, False, True, False])))
    assert relative_risk(np.array([1, 0, 0, 0]), np.array([True, True, False, False])) == math.inf


# ----------------------------------------------------------------------------- ICC(1)
def test_icc1_by_hand():
    # Groups [1, 3], [4, 6], [7, 9]: MSB = 36 / 2 = 18, MSW = 6 / 3 = 2, k = 2.
    # ICC(1) = (18 - 2) / (18 + (2 - 1) 2) = 0.8.
    values = np.array([1, 3, 4, 6, 7, 9], dtype=float)
    groups = np.array([0, 0, 1, 1, 2, 2])
    assert icc1(values, groups) == pytest.approx(0.8)


def test_icc1_recovers_a_known_variance_share():
    rng = np.random.default_rng(3)
    teams, size = 2000, 8
    between, within = 0.2, 0.8  # true ICC(1) = 0.2
    effect = rng.normal(0, math.sqrt(between), teams)
    groups = np.repeat(np.arange(teams), size)
    values = effect[groups] + rng.normal(0, math.sqrt(within), teams * size)
    assert icc1(values, groups) == pytest.approx(0.2, abs=0.02)


def test_icc1_unequal_groups_and_no_team_effect():
    rng = np.random.default_rng(4)
    groups = np.repeat(np.arange(500), rng.integers(2, 15, 500))
    values = rng.normal(size=groups.size)
    assert abs(icc1(values, groups)) < 0.03
    # Labels need not be 0..J-1.
    assert icc1(np.array([1.0, 3, 4, 6, 7, 9]), np.array([7, 7, 2, 2, 5, 5])) == pytest.approx(0.8)


def test_icc1_undefined_with_one_group():
    assert math.isnan(icc1(np.array([1.0, 2.0, 3.0]), np.zeros(3)))


# ----------------------------------------------------------------------------- stationarity
def test_drift_of_a_flat_noisy_series_is_within_noise():
    rng = np.random.default_rng(5)
    x = 0.3 + rng.normal(0, 0.02, 260)
    # The mean of 52 points has a standard error of 0.02 / sqrt(52) ~ 0.003.
    assert abs(drift(x)) < 0.015


def test_drift_of_a_trend_is_its_slope_times_the_span():
    x = 0.001 * np.arange(260)  # slope 0.001 a week
    assert drift(x) == pytest.approx(0.001 * 208)
    assert drift(10 + np.zeros(260), relative=True) == 0.0
    assert drift(np.r_[np.full(52, 2.0), np.full(52, 3.0)], relative=True) == pytest.approx(0.5)


def test_drift_needs_two_windows():
    with pytest.raises(ValueError, match="no two windows"):
        drift(np.zeros(80))


# ----------------------------------------------------------------------------- diffusion shape
def test_fastest_growth_of_a_logistic_is_its_midpoint():
    t = np.arange(105)
    share = 1 / (1 + np.exp(-(t - 60) / 10))
    assert fastest_growth_week(share) == pytest.approx(60, abs=1)


def test_fastest_growth_of_a_decay_is_in_the_first_window():
    t = np.arange(105)
    share = 1 - np.exp(-t / 20)  # pure innovation: fastest at once
    assert fastest_growth_week(share) == pytest.approx(6.5)


def test_point_biserial():
    level = np.array([0.1, 0.2, 0.8, 0.9])
    assert point_biserial(level, np.array([0, 0, 1, 1])) > 0.9
    assert math.isnan(point_biserial(level, np.zeros(4)))


# ----------------------------------------------------------------------------- the model side
def test_without_ai_keeps_adoption_and_gains_from_growing():
    p = without_ai(Params(n_agents=200))
    model = WorkplaceModel(p, rng=1)
    start = model.state.adoption.copy()
    model.run(52)
    s = model.state
    kept = s.occupied & s.employee & (s.tenure >= 52)
    assert np.all(s.adoption[kept] <= start[kept] + 1e-6)
    assert np.allclose(s.true_gain[s.occupied], 0.0)
    assert np.allclose(s.reported_gain[s.occupied], 0.0)


def test_knife_edge_variants_stay_in_range_and_move():
    p = Params()
    spec = Params.spec()
    variants = knife_edge_variants(p)
    names = {next(iter(c)) for _, c in variants}
    assert names <= set(Params.names("behaviour") + Params.names("evidence"))
    for label, change in variants:
        ((name, value),) = change.items()
        assert spec[name]["lo"] <= value <= spec[name]["hi"], label
        assert value != getattr(p, name)
        assert isinstance(value, spec[name]["type"])
    assert ("vacancy_weeks +10%", {"vacancy_weeks": 7}) in variants


# ----------------------------------------------------------------------------- patterns file
def test_bundled_patterns_load_with_known_statistics_and_sources():
    pats = load_patterns()
    assert len(pats) >= 8
    assert {p.group for p in pats} >= set("abcdefgh")
    for p in pats:
        assert p.statistic in STATISTICS
        assert p.band[0] <= p.band[1]
        assert p.source and p.rationale


GOOD = """
[[pattern]]
id = "p1"
title = "t"
statistic = "annual_quit_rate"
band = [0.1, 0.4]
source = "s"
rationale = "r"
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD + 'colour = "red"\n', "pattern 'p1': unknown key 'colour'"),
        (GOOD.replace("band = [0.1, 0.4]\n", ""), "pattern 'p1': missing key 'band'"),
        (GOOD.replace("[0.1, 0.4]", "[0.4, 0.1]"), "pattern 'p1': key 'band': lo 0.4 is above"),
        (GOOD.replace("[0.1, 0.4]", "[0.1]"), "pattern 'p1': key 'band' must be two numbers"),
        (GOOD.replace("[0.1, 0.4]", '["a", 1]'), "pattern 'p1': key 'band' must be two numbers"),
        (
            GOOD.replace('"annual_quit_rate"', '"happiness"'),
            "pattern 'p1': key 'statistic': unknown statistic 'happiness'",
        ),
        (GOOD + GOOD, "pattern 'p1': key 'id' repeats"),
        (GOOD.replace("band = [0.1, 0.4]", "band = [0.1, "), "not valid TOML"),
        ("title = 'x'\n", "unknown top-level key 'title'"),
        ("", "no patterns"),
    ],
)
def test_bad_patterns_file_names_file_pattern_and_key(tmp_path, text, expected):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(UserError) as err:
        load_patterns(path)
    msg = str(err.value)
    assert expected in msg
    assert str(path) in msg
    assert "\n" not in msg


def test_missing_patterns_file(tmp_path):
    with pytest.raises(UserError, match="no such patterns file"):
        load_patterns(tmp_path / "none.toml")


def test_select_by_id():
    pats = load_patterns()
    assert [p.id for p in select(pats, "quit_rate_jolts")] == ["quit_rate_jolts"]
    with pytest.raises(UserError, match="unknown pattern 'nope'"):
        select(pats, "nope")


# ----------------------------------------------------------------------------- the command
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--only", "nope"], "unknown pattern 'nope'"),
        (["--seeds", "1"], "argument --seeds"),
        (["--agents", "many"], "argument --agents"),
        (["--patterns", "BAD"], "key 'band': lo 0.4 is above hi 0.1"),
        (["--patterns", "MISSING"], "no such patterns file"),
        (["--report", "--docs", "MISSING"], "no such folder"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(tmp_path, args, expected):
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace("[0.1, 0.4]", "[0.4, 0.1]"))
    args = [
        str(bad) if a == "BAD" else str(tmp_path / "missing") if a == "MISSING" else a for a in args
    ]
    r = cli(*args)
    assert r.returncode == 2, r.stderr
    first = r.stderr.splitlines()[0]
    assert first.startswith("workplace-sim: error:")
    assert expected in first
    assert "Traceback" not in r.stderr
    assert r.stdout == ""


@pytest.mark.slow
def test_cli_quick_json_end_to_end(tmp_path):
    r = cli("--quick", "--json", "--jobs", "2")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["seeds"] == 3 and doc["agents"] == 200
    ids = [p["id"] for p in doc["patterns"]]
    assert ids == [p.id for p in load_patterns()]
    for p in doc["patterns"]:
        assert p["verdict"] in ("PASS", "FAIL"), p
        assert p["value"] is not None, p
        lo, hi = p["band"]
        assert (p["verdict"] == "PASS") == (lo <= p["value"] <= hi)
    assert doc["passed"] + doc["failed"] == len(ids)


def test_cli_only_table_and_custom_file(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(GOOD.replace("[0.1, 0.4]", "[0.0, 1.0]"))
    r = cli("--patterns", str(path), "--seeds", "2", "--agents", "100", "--jobs", "1")
    assert r.returncode == 0, r.stderr
    assert "p1" in r.stdout and "PASS" in r.stdout
    assert "1 of 1 patterns pass" in r.stdout


def test_report_writes_markdown_and_a_figure_per_pattern(tmp_path):
    from sim.validation import check
    from sim.validation.report import write_report

    pats = select(load_patterns(), "stationary_ties,adoption_2024,single_lever_effect")
    res = check(pats, seeds=2, agents=100)
    md = write_report(res, tmp_path, command="workplace-sim check --report")
    text = md.read_text()
    for p in pats:
        assert (tmp_path / "img" / "validation" / f"{p.id}.png").stat().st_size > 1000
        assert f"## {p.id}" in text
        assert f"](#{p.id})" in text  # the table links to the heading (underscores kept)
        assert p.source in text
    assert "patterns pass" in text
    assert "| keep_slack | " in text  # the redesigns behind (g)


def test_docstring_examples():
    import doctest

    import sim.validation

    result = doctest.testmod(sim.validation, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted > 0


def test_freelancer_use_ratio_reads_both_shares_at_its_week():
    """The ratio of freelancers' to employees' AI-user shares, read at autumn 2023's week."""
    from sim.calendar import date_of
    from sim.validation.measures import FREELANCE_FORWARD_WEEK, STATISTICS, Runs

    assert date_of(FREELANCE_FORWARD_WEEK).isoformat().startswith("2023-")
    week = FREELANCE_FORWARD_WEEK
    emp = np.linspace(0.0, 0.5, week + 30)
    fl = 2.2 * emp
    runs = Runs(seeds=[1, 2], probe=[{"adoption_share": emp, "freelancer_adoption_share": fl}] * 2)
    values, note = STATISTICS["freelancer_use_ratio_2023"].per_seed(runs)
    assert values == pytest.approx([2.2, 2.2]) and note == ""
    short = Runs(seeds=[1], probe=[{"adoption_share": emp[:week], "freelancer_adoption_share": fl}])
    assert math.isnan(STATISTICS["freelancer_use_ratio_2023"].per_seed(short)[0][0])
