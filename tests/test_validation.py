"""The pattern suite: statistics on hand-made populations, the patterns file, the CLI."""

from __future__ import annotations

import json
import math
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

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


def cli(*args: str, timeout: float = 300, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "sim", "check", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
        **kw,
    )


def refused(r: subprocess.CompletedProcess, *words: str) -> str:
    """Assert exit 2, no traceback and ``words`` on stderr's first line; return that line."""
    assert r.returncode == 2, (r.returncode, r.stdout[-500:], r.stderr[-2000:])
    assert "Traceback" not in r.stderr
    first = r.stderr.splitlines()[0]
    assert first.startswith("workplace-sim: error: "), r.stderr
    for word in words:
        assert word in first, r.stderr
    return first


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


#: One cheap pattern at a small size: a check of about two seconds.
SMALL = ["--only", "pre_ai_burnout_level", "--seeds", "2", "--agents", "50", "--jobs", "1"]


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
        (GOOD.replace("band = [0.1, 0.4]", "band = [0.1, "), "malformed TOML"),
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
    with pytest.raises(UserError, match="patterns file not found"):
        load_patterns(tmp_path / "none.toml")


def test_select_by_id():
    pats = load_patterns()
    assert [p.id for p in select(pats, "quit_rate_jolts")] == ["quit_rate_jolts"]
    with pytest.raises(UserError, match="unknown pattern 'nope'"):
        select(pats, "nope")
    for nothing in ("", ",", " , "):
        with pytest.raises(UserError, match=r"no pattern id in .*available: adoption_2024"):
            select(pats, nothing)


# ----------------------------------------------------------------------------- the command
@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--only", "nope"], "unknown pattern 'nope'"),
        (["--seeds", "1"], "argument --seeds"),
        (["--agents", "many"], "argument --agents"),
        (["--patterns", "BAD"], "key 'band': lo 0.4 is above hi 0.1"),
        (["--patterns", "MISSING"], "patterns file not found"),
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


@pytest.fixture
def odd_paths(tmp_path) -> Path:
    """A folder of paths that are no patterns file (and one good file)."""
    (tmp_path / "good.toml").write_text(GOOD)
    (tmp_path / "loop.toml").symlink_to(tmp_path / "loop.toml")
    os.mkfifo(tmp_path / "fifo.toml")
    (tmp_path / "big.toml").write_text(GOOD + "# padding\n" * 120_000)
    (tmp_path / "folder.toml").mkdir()
    return tmp_path


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("folder.toml", ["is a directory, not a patterns file"]),
        ("good.toml/x.toml", ["cannot read", "good.toml/x.toml"]),
        ("loop.toml", ["cannot read", "loop.toml"]),
        ("fifo.toml", ["is not a regular file", "give a patterns file"]),
        ("/proc/self/mem", ["cannot read /proc/self/mem"]),
        ("big.toml", ["a patterns file may have at most 1.0 MB"]),
        ("", ["--patterns is empty: name a patterns file", "leave it out"]),
    ],
)
def test_cli_patterns_path_that_is_no_file_is_refused(odd_paths, name, words):
    if name.startswith("/") and not Path(name).exists():
        pytest.skip(f"{name} is not on this system")
    path = str(odd_paths / name) if name and not name.startswith("/") else name
    r = cli(*SMALL, "--patterns", path, timeout=60)  # a pipe must not be waited on
    refused(r, *words)
    assert r.stdout == ""


@pytest.mark.parametrize("only", ["", ",", " , "])
def test_cli_only_naming_no_pattern_is_refused_with_the_ids(only):
    r = cli("--only", only, "--seeds", "2", "--agents", "50")
    refused(r, f"no pattern id in {only!r}", "available: adoption_2024, adoption_2025")
    assert r.stdout == ""


def test_cli_docs_is_refused_empty_or_without_report(tmp_path):
    r = cli(*SMALL, "--docs", str(tmp_path))
    refused(r, "--docs: an option of --report only", "add --report or leave it out")
    r = cli(*SMALL, "--report", "--docs", "")
    refused(r, "--docs is empty: name a folder")
    assert files_under(tmp_path) == []


@pytest.mark.parametrize(
    ("docs", "in_the_way", "words"),
    [
        ("a_file", "a_file", ["is a file, not a folder"]),
        ("a_file/docs", "a_file", ["cannot use", "a_file/docs"]),
        ("docs", "docs/img", ["docs/img is in the way", "move it or name another folder"]),
        ("docs", "docs/img/validation", ["docs/img/validation is in the way"]),
        ("docs", "docs/validation.md/", ["validation.md is a folder where the report writes"]),
        (
            "docs",
            "docs/img/validation/pre_ai_burnout_level.png/",
            ["pre_ai_burnout_level.png is a folder where the report writes"],
        ),
    ],
)
def test_cli_report_it_cannot_write_is_refused_before_anything_runs(
    tmp_path, docs, in_the_way, words
):
    """A file or folder where the report goes is found before the suite runs, not after."""
    (tmp_path / "docs").mkdir()
    blocker = tmp_path / in_the_way
    blocker.parent.mkdir(parents=True, exist_ok=True)
    if in_the_way.endswith("/"):
        blocker.mkdir()
    else:
        blocker.write_text("in the way\n")
    before = files_under(tmp_path)
    r = cli(*SMALL, "--report", "--docs", str(tmp_path / docs))
    refused(r, "--docs", *words)
    assert "checking" not in r.stderr  # nothing ran
    assert r.stdout == ""
    assert files_under(tmp_path) == before


def _file_size_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_cli_report_that_fails_to_write_keeps_the_results(tmp_path):
    """A real write failure after the suite ran (no file over 2 kB): the table is printed."""
    docs = tmp_path / "docs"
    docs.mkdir()
    r = cli(*SMALL, "-q", "--report", "--docs", str(docs), preexec_fn=_file_size_limit(2_000))
    refused(r, f"--docs {docs}: the report was not written", "File too large")
    assert "the results are printed above" in r.stderr
    assert "pre_ai_burnout_level" in r.stdout
    assert "of 1 patterns pass" in r.stdout
    assert files_under(docs) == []  # no figure, no report, no temporary file


def test_cli_report_writes_into_docs(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    r = cli(*SMALL, "--report", "--docs", str(docs), "--root-seed", str(2**63 - 1))
    assert r.returncode == 0, r.stderr
    assert files_under(docs) == ["img/validation/pre_ai_burnout_level.png", "validation.md"]
    assert f"root seed {2**63 - 1}" in (docs / "validation.md").read_text()
    assert "of 1 patterns pass" in r.stdout


@pytest.mark.parametrize("seed", [str(2**63), "9" * 23, "-1"])
def test_cli_root_seed_has_the_bounds_of_run(seed):
    r = cli(*SMALL, "--root-seed", seed)
    refused(r, "argument --root-seed", "allowed 0 to 9223372036854775807")


def test_cli_help_shows_percent_signs_once():
    r = cli("--help")
    assert r.returncode == 0, r.stderr
    assert "95% interval" in " ".join(r.stdout.split())
    assert "%%" not in r.stdout


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


def test_a_figures_folder_that_cannot_be_made_is_refused_before_the_check_runs():
    """/proc takes no new folder even for root: refused before any pattern is measured."""
    from sim.validation.report import check_docs

    with pytest.raises(UserError, match="/proc/img/validation: cannot create the folder"):
        check_docs("/proc", ["pre_ai_burnout_level"])
