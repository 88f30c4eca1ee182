"""The command line, run as real processes: run, compare, scenarios, validate, and bad input."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from sim.scenarios import bundled_names

SMALL = ["--agents", "120", "--weeks", "60"]


def cli(*args: str, cwd: Path | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=timeout,
        check=False,
    )


# ----------------------------------------------------------------------------- scenarios
def test_scenarios_lists_bundled_with_titles():
    r = cli("scenarios")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split()[:4] == ["name", "title", "inherits", "from"]
    for name in bundled_names():
        assert any(line.startswith(name + " ") for line in lines), name
    assert "Keep the time AI saves as slack" in r.stdout


def test_scenarios_with_a_given_file_details_and_json(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text('title = "My redesign"\n[params]\ntouchpoints = 0.3\n', encoding="utf-8")
    r = cli("scenarios", str(f))
    assert r.returncode == 0 and "My redesign" in r.stdout and str(f) in r.stdout
    r = cli("scenarios", "--details", str(f))
    assert r.returncode == 0 and "tests: Lever 5" in r.stdout
    # each setting in words, beside the status quo's value, and its line in a file
    slack = r"saved time turned into more work +30% +80% .* output_conversion = 0.3"
    assert re.search(slack, r.stdout)
    assert re.search(r"human touchpoints +0.3 +1 .* touchpoints = 0.3", r.stdout)  # mine.toml
    assert re.search(r"optimism of self-reported gains +[\d.]+ +1.5 ", r.stdout)  # calibrated
    doc = json.loads(cli("scenarios", "--json", str(f)).stdout)
    assert [s["name"] for s in doc["scenarios"]] == [*bundled_names(), "mine"]
    assert doc["scenarios"][-1]["changes"] == {"touchpoints": 0.3}


# ----------------------------------------------------------------------------- validate
def test_validate_accepts_the_bundled_files():
    files = sorted(str(p) for p in (Path(__file__).parents[1] / "scenarios").glob("*.toml"))
    r = cli("validate", *files)
    assert r.returncode == 0, r.stderr
    assert len(r.stdout.splitlines()) == len(files)
    assert all(line.startswith("ok  ") for line in r.stdout.splitlines())


def test_validate_reports_every_bad_file(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text("[params]\noutput_conversion = 0.4\n", encoding="utf-8")
    (tmp_path / "b1.toml").write_text("[params]\noutput_conversion = 4\n", encoding="utf-8")
    (tmp_path / "b2.toml").write_text("titel = 'x'\n", encoding="utf-8")
    r = cli("validate", str(good), str(tmp_path / "b1.toml"), str(tmp_path / "b2.toml"))
    assert r.returncode == 2
    assert r.stdout.startswith(f"ok  {good}")
    err = r.stderr.splitlines()
    assert err[0].startswith("workplace-sim: error: ") and "b1.toml" in err[0]
    assert "out of range" in err[0]
    assert any("b2.toml" in line and "did you mean 'title'" in line for line in err[1:])


# ----------------------------------------------------------------------------- run
def test_run_prints_survey_beside_report_and_outcomes_with_progress():
    r = cli("run", *SMALL, "--weeks", "104", "--seeds", "2")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("baseline: Status quo")
    assert "Survey, 2025 wave" in out and "report" in out and "True outcomes" in out
    assert "quit rate" in out and "share of employees per year" in out and "[" in out
    assert "annual_quit_rate" not in out  # code names stay in --json and the files
    assert "simulations" in r.stderr and "40/40" in r.stderr  # 2 seeds x 20 posterior draws


def test_run_quiet_has_no_progress(tmp_path):
    r = cli("run", *SMALL, "--seeds", "1", "--quiet")
    assert r.returncode == 0 and r.stderr == ""


def test_run_json_is_one_document_and_nothing_else():
    r = cli("run", "keep_slack", *SMALL, "--seeds", "2", "--set", "touchpoints=0.2", "--json")
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    doc = json.loads(r.stdout)
    assert doc["scenario"] == "keep_slack" and len(doc["seeds"]) == 2
    assert doc["parameters"]["touchpoints"] == 0.2 and doc["parameters"]["n_agents"] == 120
    row = doc["survey"][0]
    assert set(row) == {"wave", "item", "group", "mean", "ci_low", "ci_high", "n"}
    assert {"mean", "ci_low", "ci_high"} == set(doc["outcomes"]["true_productivity_gain"])


def test_run_several_scenarios_and_a_user_file(tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text('inherits = "touchpoints"\n[params]\nstrategy_clarity = 0.8\n', encoding="utf-8")
    r = cli("run", "baseline", str(f), *SMALL, "--seeds", "1", "--json")
    assert r.returncode == 0, r.stderr
    runs = json.loads(r.stdout)["runs"]
    assert [x["scenario"] for x in runs] == ["baseline", "mine"]
    assert runs[1]["inherits"] == "touchpoints"
    assert runs[0]["seeds"] == runs[1]["seeds"]


def test_run_jobs_give_identical_output():
    a = cli("run", *SMALL, "--seeds", "3", "--json", "--jobs", "1")
    b = cli("run", *SMALL, "--seeds", "3", "--json", "--jobs", "2")
    assert a.returncode == b.returncode == 0
    assert a.stdout == b.stdout


def test_run_out_writes_results(tmp_path):
    out = tmp_path / "res"
    r = cli("run", *SMALL, "--seeds", "2", "--out", str(out), "--quiet")
    assert r.returncode == 0, r.stderr
    for name in (
        "survey.csv",
        "series.parquet",
        "outcomes.csv",
        "run.json",
        "report.html",
        "figures/trajectories.png",
        "figures/network.svg",
    ):
        assert (out / name).is_file(), name
    # the folder holds this run and nothing else: its manifest lists every file in it
    manifest = json.loads((out / "manifest.json").read_text())
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert manifest["kind"] == "run"
    assert manifest["files"] == [f for f in files if f != "manifest.json"]
    assert "comparison.csv" not in manifest["files"]


def test_run_includes_posterior_by_default_and_no_posterior_turns_it_off():
    from sim.runner import DEFAULT_POSTERIOR

    args = ["run", "--agents", "60", "--weeks", "20", "--seeds", "2", "--json"]
    default, zero, off = cli(*args), cli(*args, "--posterior", "0"), cli(*args, "--no-posterior")
    assert default.returncode == zero.returncode == off.returncode == 0, default.stderr
    assert off.stdout == zero.stdout
    doc = json.loads(zero.stdout)
    assert doc["posterior"] == 0 and doc["draws"] == []
    assert doc["intervals"].endswith("seed noise only (parameters at their calibrated values)")
    doc = json.loads(default.stdout)
    assert doc["posterior"] == DEFAULT_POSTERIOR and len(doc["draws"]) == DEFAULT_POSTERIOR
    assert doc["intervals"].endswith("seed noise and parameter uncertainty")


def test_run_posterior_draws_from_the_bundled_posterior():
    from sim.calibration import FREE_PARAMETERS, posterior_path

    args = ["run", "baseline", "--posterior", "2", "--seeds", "2", "--weeks", "60"]
    r = cli(*args, "--agents", "60", "--json")
    if not posterior_path().is_file():  # the calibration has not written it yet
        assert r.returncode == 2 and r.stdout == ""
        assert "Traceback" not in r.stderr
        first = r.stderr.splitlines()[0]
        assert first.startswith("workplace-sim: error: ") and "no posterior sample" in first
        return
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["posterior"] == 2 and len(doc["draws"]) == 2 and len(doc["seeds"]) == 2
    assert set(doc["draws"][0]) == {p.name for p in FREE_PARAMETERS}
    text = cli(*args, "--agents", "60", "--quiet")
    assert text.returncode == 0, text.stderr
    assert "2 seeds x 2 posterior draws" in text.stdout
    assert "mean [95% interval over posterior draws]" in text.stdout


# ----------------------------------------------------------------------------- compare
def test_compare_table_with_differences_and_intervals():
    r = cli("compare", "keep_slack", "touchpoints", *SMALL, "--seeds", "3")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith(
        "Comparison of 3 scenarios with 'baseline': 3 seeds x 20 posterior draws each"
    )
    assert "\n95% intervals over 3 seeds x 20 posterior draws: seed noise and parameter " in out
    for label in (
        "Burnt out, top quarter (share of the top quarter, at the end of the run;",
        "Quit rate (share of employees per year, over the run's last year;",
        "True productivity gain",
        "Self-reported productivity gain",
        "Trust in AI over coworkers",
        "Strength of working relationships",
        "Effective output (times pre-AI output",
        "Considering quitting",
    ):
        assert label in out, label
    assert "(reference)" in out and " pp [" in out
    assert "Summary" in out and "eff. output" in out
    assert "3/3" not in r.stderr and "180/180 simulations" in r.stderr
    # how often each scenario beats the baseline, then which beats which
    assert "better in % of draws" in out and "no better direction" in out
    assert "Which scenario beats which: the share of 60 matched draws" in out
    assert " of draws\n" in out and "row beats column in" in out


def test_compare_json_and_jobs_identical():
    a = cli("compare", "ai_strategy", *SMALL, "--seeds", "2", "--json")
    b = cli("compare", "ai_strategy", *SMALL, "--seeds", "2", "--json", "--jobs", "2")
    assert a.returncode == b.returncode == 0, a.stderr + b.stderr
    assert a.stderr == b.stderr == ""
    assert a.stdout == b.stdout
    doc = json.loads(a.stdout)
    assert doc["baseline"] == "baseline"
    assert [s["scenario"] for s in doc["scenarios"]] == ["baseline", "ai_strategy"]
    row = next(t for t in doc["table"] if t["scenario"] == "ai_strategy")
    assert {"mean", "ci_low", "ci_high", "diff", "diff_low", "diff_high"} <= set(row)


def test_compare_default_is_every_bundled_scenario_and_writes_report(tmp_path):
    out = tmp_path / "results"
    r = cli("compare", "--agents", "60", "--weeks", "12", "--seeds", "2", "--out", str(out))
    assert r.returncode == 0, r.stderr
    for name in bundled_names():
        assert f"\n  {name} " in r.stdout, name
    assert "280/280 simulations" in r.stderr  # 7 scenarios x 2 seeds x 20 posterior draws
    assert "wrote " in r.stderr and "report.html" in r.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Redesigns against “Status quo”" in html
    assert (out / "comparison.csv").is_file() and (out / "figures" / "differences.svg").is_file()


def test_compare_with_another_baseline():
    r = cli("compare", "combined", "--baseline", "keep_slack", *SMALL, "--seeds", "1", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["baseline"] == "keep_slack"
    assert [s["scenario"] for s in doc["scenarios"]] == ["keep_slack", "combined"]


# ----------------------------------------------------------------------------- bad input
def _files(tmp: Path) -> dict[str, Path]:
    """Write the bad scenario files the table below refers to."""
    texts = {
        "malformed": "title = 'x'\n[params]\ntouchpoints = = 0.3\n",
        "unknown_key": "titel = 'My redesign'\n",
        "param_on_top": "output_conversion = 0.3\n",
        "unknown_param": "[params]\noutput_convertion = 0.3\n",
        "out_of_range": "[params]\noutput_conversion = 1.3\n",
        "wrong_type": "[params]\noutput_conversion = 'low'\n",
        "not_integer": "[params]\nspan_of_control = 6.5\n",
        "boolean": "[params]\ntouchpoints = true\n",
        "weeks_type": "weeks = '104'\n",
        "seeds_range": "seeds = 0\n",
        "unknown_parent": "inherits = 'basline'\n",
        "cycle_a": "inherits = 'cycle_b'\n",
        "cycle_b": "inherits = 'cycle_a'\n",
        "self_parent": "inherits = 'self_parent'\n",
        "params_not_table": "params = 0.3\n",
        "bad_name": "name = 'my redesign'\n",
        "dup": "name = 'keep_slack'\n",
    }
    out = {}
    for stem, text in texts.items():
        out[stem] = tmp / f"{stem}.toml"
        out[stem].write_text(text, encoding="utf-8")
    out["latin1"] = tmp / "latin1.toml"
    out["latin1"].write_bytes(b"title = 'caf\xe9'\n")
    out["folder"] = tmp / "folder.toml"
    out["folder"].mkdir()
    out["a_file"] = tmp / "a_file.txt"
    out["a_file"].write_text("not a folder\n", encoding="utf-8")
    return out


#: (arguments, text the first line of stderr must contain). ``{name}`` is a file of _files.
BAD_INPUTS = [
    # files
    (["run", "{tmp}/missing.toml"], "scenario file not found"),
    (["validate", "{malformed}"], "malformed.toml:3: malformed TOML"),
    (["run", "{unknown_key}"], "unknown key 'titel'; did you mean 'title'?"),
    (["run", "{param_on_top}"], "it is a parameter, put it under [params]"),
    (["validate", "{folder}"], "is a directory"),
    (["validate", "{latin1}"], "latin1.toml:1: malformed TOML: not UTF-8"),
    (["validate", "{bad_name}"], "name 'my redesign' is not allowed"),
    # names
    (["run", "basline"], "unknown scenario 'basline'; did you mean 'baseline'?"),
    (["compare", "touchpoint"], "unknown scenario 'touchpoint'; did you mean 'touchpoints'?"),
    (["compare", "--baseline", "nothing"], "unknown scenario 'nothing'"),
    (["run", "{unknown_parent}"], "unknown parent scenario 'basline'"),
    (["validate", "{cycle_a}"], "inheritance cycle: cycle_a -> cycle_b -> cycle_a"),
    (["run", "{self_parent}"], "inheritance cycle: self_parent -> self_parent"),
    (["compare", "keep_slack", "{dup}"], "duplicate scenario name 'keep_slack'"),
    # keys and values in files
    (["run", "{unknown_param}"], "unknown parameter 'output_convertion'; did you mean"),
    (["run", "{out_of_range}"], "output_conversion=1.3 is out of range: allowed 0 to 1"),
    (["validate", "{wrong_type}"], "output_conversion='low' has the wrong type"),
    (["validate", "{not_integer}"], "span_of_control=6.5 has the wrong type"),
    (["validate", "{boolean}"], "touchpoints=True has the wrong type"),
    (["validate", "{weeks_type}"], "'weeks' has the wrong type: expected an integer"),
    (["validate", "{seeds_range}"], "seeds=0 is out of range: allowed 1 to 1000"),
    (["validate", "{params_not_table}"], "'params' has the wrong type: expected a table"),
    # flags
    (["run", "--seeds", "0"], "argument --seeds: seeds=0 is out of range: allowed 1 to 1000"),
    (["run", "--seeds", "many"], "argument --seeds: seeds='many' has the wrong type: expected"),
    (["compare", "--weeks", "5000"], "argument --weeks: weeks=5000 is out of range"),
    (["run", "--agents", "5"], "argument --agents: agents=5 is out of range: allowed 10 to"),
    (["run", "--jobs", "0"], "argument --jobs/-j: jobs=0 is out of range"),
    (["run", "--root-seed", "-1"], "argument --root-seed: root-seed=-1 is out of range"),
    (["run", "--posterior", "-1"], "--posterior: posterior=-1 is out of range: allowed 0 to"),
    (["compare", "--posterior", "x"], "argument --posterior: posterior='x' has the wrong type"),
    (["run", "--posterior", "1001"], "argument --posterior: posterior=1001 is out of range"),
    (["run", "--set", "output_conversion"], "expected key=value"),
    (["run", "--set", "output_convertion=0.3"], "did you mean 'output_conversion'?"),
    (["compare", "--set", "touchpoints=25"], "touchpoints=25.0 is out of range: allowed 0 to 20"),
    (["run", "--set", "span_of_control=wide"], "span_of_control='wide' is not an integer"),
    (["run", "--seed", "-3"], "argument --seed: seed=-3 is out of range: allowed 0 to"),
    (["run", "--seed", "3", "--seeds", "2"], "give either --seeds N (spawned from --root-seed)"),
    (["compare", "--seed", "3"], "unrecognized arguments: --seed"),
    (["frobnicate"], "invalid choice: 'frobnicate'"),
    (["validate"], "the following arguments are required: FILE"),
    (["run", "--out", "{a_file}", "--seeds", "1"], "exists and is not a folder"),
    (["run", "--out", ""], "--out is empty"),
    (["run", "--weeks", "0"], "argument --weeks: weeks=0 is out of range: allowed 1 to"),
    (["run", "--set", "touchpoints=" + "1" * 50], "too long for a number"),
    (["compare", "--seeds", "0"], "argument --seeds: seeds=0 is out of range"),
    (["compare", "--agents", "1" + "0" * 30], "argument --agents"),
    (["compare", "--jobs", "x"], "argument --jobs/-j: jobs='x' has the wrong type"),
    (["compare", "--root-seed", "-2"], "argument --root-seed: root-seed=-2 is out of range"),
    # flags a command does not take, or that contradict each other or would be ignored
    (["run", "--sed", "3"], "unrecognized arguments: --sed"),
    (["scenarios", "--detail"], "unrecognized arguments: --detail (did you mean --details?)"),
    (["run", "--posterior", "2", "--no-posterior"], "--no-posterior: not allowed with"),
    (["run", "--force"], "--force is used only with --out"),
    (["compare", "--force"], "--force is used only with --out"),
    (["run", "--agents", "50", "--set", "n_agents=60"], "--agents and --set n_agents both"),
    (["compare", "baseline"], "nothing to compare: the only scenario given is the reference"),
    # --set: options that are not parameters, case, a value's type with its range, percentages
    (["run", "--set", "seeds=3"], "--set seeds: not a parameter but an option of its own"),
    (["run", "--set", "OUTPUT_CONVERSION=0.3"], "did you mean 'output_conversion'?"),
    (["run", "--set", "output_conversion=60%"], "percentages are written as fractions"),
    (["run", "--set", "span_of_control=3.5"], "expected an integer from 2 to 40"),
    (
        ["run", "--set", "touchpoints=1", "--set", "touchpoints=2"],
        "--set touchpoints is given twice",
    ),
    # empty or wrong kinds of paths
    (["validate", ""], "the scenario name is empty"),
    (["validate", "a_file.txt"], "to read the file of that name, write it as a path"),
    (["calibrate", "--baseline", "{folder}"], "not a file: name a scenario file"),
    (["calibrate", "--score-heldout", "{folder}"], "not a regular file: name a CSV file"),
    (["calibrate", "--score-heldout", ""], "the file name is empty: name a CSV file"),
]


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("bad")
    return tmp, _files(tmp)


@pytest.mark.parametrize(("args", "expected"), BAD_INPUTS, ids=[" ".join(a) for a, _ in BAD_INPUTS])
def test_bad_input_exits_2_with_a_short_message(bad_dir, args, expected):
    tmp, files = bad_dir
    argv = [a.format(tmp=tmp, **files) for a in args]
    r = cli(*argv, cwd=tmp)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    assert r.stdout == ""
    lines = r.stderr.splitlines()
    assert lines, "no message"
    assert lines[0].startswith("workplace-sim: error: ")
    assert expected in lines[0], lines[0]
    assert len(lines) <= 8, "the message should be short"
    assert len(lines[0]) <= 300


def test_a_long_list_of_allowed_values_is_folded_not_cut():
    """An error line too long for a terminal breaks at its commas; a hostile blob is cut."""
    from sim.cli import _MAX_LINE, error_text

    names = [f"outcome_{i:03d}" for i in range(120)]
    text = error_text(ValueError("unknown outcome 'x': allowed " + ", ".join(names)))
    assert all(len(line) <= _MAX_LINE for line in text.splitlines())
    assert all(name in text for name in names)
    assert text.startswith("unknown outcome 'x': allowed outcome_000")
    blob = error_text(ValueError("bad value " + "A" * 10_000))
    assert len(blob) == _MAX_LINE and blob.endswith("...")


@pytest.mark.parametrize("command", ["run", "compare"])
def test_every_checked_option_has_a_bad_input_case(command):
    """Each option of a command that checks its value appears in a BAD_INPUTS case.

    Fails when an option with a type (a bounded number) or a key=value format is
    added without a case showing how it answers bad input.
    """
    from sim.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    checked = [
        a.option_strings[0]
        for a in sub._actions
        if a.option_strings and (a.type is not None or a.dest == "set")
    ]
    exercised = {arg for args, _ in BAD_INPUTS if args[0] == command for arg in args}
    missing = [opt for opt in checked if opt not in exercised]
    assert not missing, f"no bad-input case for {command} {', '.join(missing)}"
    assert len(BAD_INPUTS) >= 25


@pytest.mark.parametrize("target", ["process", "process group"])
def test_ctrl_c_during_a_parallel_compare_exits_130_without_traceback(target):
    """Ctrl-C reaches the whole process group from a terminal, or only the parent from kill."""
    import signal
    import time

    import psutil

    proc = subprocess.Popen(
        # --no-posterior: the 350 runs this test was sized for (not 20 times as many)
        [
            sys.executable,
            "-m",
            "sim",
            "compare",
            "-j",
            "2",
            "--seeds",
            "50",
            "--no-posterior",
            *SMALL,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        line = ""
        while time.monotonic() < deadline and "simulations" not in line:
            line = proc.stderr.readline()  # the progress bar has started: workers are starting
        parent = psutil.Process(proc.pid)
        # the event: both worker processes are up (not a guess at how long they take)
        while time.monotonic() < deadline and len(parent.children()) < 2:
            time.sleep(0.01)
        assert proc.poll() is None and len(parent.children()) >= 2
        if target == "process":
            proc.send_signal(signal.SIGINT)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err


def test_ctrl_c_inside_a_finaliser_still_stops_the_command():
    """Python prints an interrupt raised in a finaliser as 'Exception ignored' and goes on;
    while a command runs it is delivered again, so the command stops as on any Ctrl-C."""
    import time

    from sim import cli

    class Finaliser:
        def __del__(self):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt), cli._interrupts_kept():
        Finaliser()
        for _ in range(2000):
            time.sleep(0.001)


def test_other_unraisable_errors_go_to_the_previous_hook(monkeypatch):
    import sys

    from sim import cli

    seen = []
    monkeypatch.setattr(sys, "unraisablehook", lambda u: seen.append(type(u.exc_value)))

    class Finaliser:
        def __del__(self):
            raise ValueError("in a finaliser")

    with cli._interrupts_kept():
        Finaliser()
    assert seen == [ValueError]


@pytest.fixture
def python_sigint():
    """Python's own SIGINT handler for the test (a test runner's worker may ignore SIGINT)."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


def test_ctrl_c_that_an_extension_turns_into_another_error_reads_interrupted(
    monkeypatch, capsys, python_sigint
):
    """Ctrl-C inside pybind11's argument conversion surfaces as a TypeError: still "interrupted".

    The command stands in for matplotlib drawing a figure when the interrupt lands in
    ``affine_transform``: pybind11 turns the KeyboardInterrupt into a TypeError.
    """
    import sim.cli
    import sim.cli.run

    def drawing(args):
        try:
            signal.raise_signal(signal.SIGINT)
        except KeyboardInterrupt:  # what pybind11 does with an error while it converts
            raise TypeError("affine_transform(): incompatible function arguments") from None

    monkeypatch.setattr(sim.cli.run, "main", drawing)
    assert sim.cli.main(["run"]) == 130
    err = capsys.readouterr().err
    assert "workplace-sim: interrupted" in err and "Traceback" not in err
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_error_without_ctrl_c_is_not_taken_for_an_interrupt(monkeypatch, python_sigint):
    import sim.cli
    import sim.cli.run

    def broken(args):
        raise TypeError("a bug")

    monkeypatch.setattr(sim.cli.run, "main", broken)
    with pytest.raises(TypeError, match="a bug"):
        sim.cli.main(["run"])


def test_the_packages_warnings_are_one_line_on_stderr(capsys):
    """A SimWarning reads as errors do; other warnings are passed on as they were."""
    import warnings

    from sim.cli import _warnings_said
    from sim.errors import SimWarning

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        with _warnings_said():
            warnings.warn("the draws repeat a few parameter sets", SimWarning, stacklevel=1)
            with pytest.warns(DeprecationWarning, match="something else"):
                warnings.warn("something else", DeprecationWarning, stacklevel=1)
    err = capsys.readouterr().err.splitlines()
    assert err == ["workplace-sim: warning: the draws repeat a few parameter sets"]
