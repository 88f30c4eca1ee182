"""``workplace-sim sweep`` and ``workplace-sim sensitivity`` on the command line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pandas as pd
import pytest

from sim.cli import main

SPEC = """
name = "cli_small"
design = "lhs"
points = 4
seeds = 2
weeks = 12

[params]
n_agents = 80

[vary]
output_conversion = { min = 0.2, max = 0.9 }
touchpoints = [0.1, 0.4]

[outputs]
outcomes = ["burnout_share", "output"]
"""

SOBOL = """
name = "cli_sobol"
design = "sobol"
points = 4
seeds = 1
weeks = 8

[params]
n_agents = 60

[vary]
output_conversion = { min = 0.2, max = 0.9 }
touchpoints = { min = 0.05, max = 0.6 }

[outputs]
outcomes = ["burnout_share", "output"]
"""


@pytest.fixture
def spec(tmp_path):
    path = tmp_path / "cli_small.toml"
    path.write_text(SPEC)
    return path


def test_sweep_runs_prints_a_summary_and_resumes(spec, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--executor", "local"]) == 0
    captured = capsys.readouterr()
    assert "cli_small: 8 runs planned: 8 ok, 0 raised, 0 pending" in captured.out
    assert "burnout_share" in captured.out and f"{out}/results/" in captured.out
    assert "sweep [" in captured.err and "8/8" in captured.err  # the progress bar
    assert len(pd.read_parquet(out / "results")) == 8
    assert main(["sweep", str(spec), "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ran"] == 0 and doc["finished_earlier"] == 8 and doc["ok"] == 8
    assert {r["output"] for r in doc["ranking"]} <= {"burnout_share", "output"}
    assert all(r["rank"] >= 1 for r in doc["ranking"])


def test_sweep_default_folder_is_under_results(spec, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["sweep", str(spec), "--executor", "local", "--quiet"]) == 0
    assert (tmp_path / "results" / "sweeps" / "cli_small" / "sweep.json").is_file()
    assert capsys.readouterr().err == ""


def test_sweep_with_process_pool_matches_local(spec, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["sweep", str(spec), "--out", str(a), "-e", "local", "-q"]) == 0
    assert main(["sweep", str(spec), "--out", str(b), "-w", "2", "--batch-size", "3", "-q"]) == 0
    pd.testing.assert_frame_equal(
        pd.read_parquet(a / "results").sort_values("run_id", ignore_index=True),
        pd.read_parquet(b / "results").sort_values("run_id", ignore_index=True),
        check_exact=True,
    )


def _bad_cases(tmp_path, spec):
    other = tmp_path / "other.toml"
    other.write_text(SPEC.replace("points = 4", "points = 5"))
    used = tmp_path / "used"
    main(["sweep", str(spec), "--out", str(used), "-e", "local", "-q"])
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    malformed = tmp_path / "malformed.toml"
    malformed.write_text("[vary\n")
    lhs_for_sens = ["sensitivity", str(spec), "-e", "local", "--out", str(tmp_path / "s")]
    sobol = tmp_path / "sobol.toml"
    sobol.write_text(SOBOL)
    return [
        (["sweep", str(tmp_path / "missing.toml")], "sweep spec file not found"),
        (["sweep", "no_such_spec"], "unknown sweep spec 'no_such_spec'"),
        (["sweep", str(malformed)], "malformed TOML"),
        (["sweep", str(spec), "--executor", "threads"], "invalid choice: 'threads'"),
        (["sweep", str(spec), "--workers", "0"], "workers=0 is out of range"),
        (["sweep", str(spec), "--batch-size", "x"], "batch-size='x' has the wrong type"),
        (["sweep", str(spec), "-e", "local", "--address", "tcp://127.0.0.1:1"], "--address"),
        (["sweep", str(other), "--out", str(used), "-e", "local"], "holds a different sweep"),
        (["sweep", str(spec), "--out", str(a_file), "-e", "local"], "is a file, not a folder"),
        (lhs_for_sens, "sensitivity needs design = 'sobol' or 'morris'"),
        (["sensitivity", str(sobol), "--output", "quits", "-e", "local"], "--output quits"),
        (["sweep"], "the following arguments are required: SPEC"),
    ]


def test_bad_input_exits_2_with_a_short_message(spec, tmp_path, capsys):
    for argv, message in _bad_cases(tmp_path, spec):
        capsys.readouterr()
        status = main(argv)
        err = capsys.readouterr().err
        assert status == 2, (argv, err)
        first = err.splitlines()[0]
        assert first.startswith("workplace-sim: error:"), (argv, err)
        assert message in first, (argv, err)
        assert "Traceback" not in err
        rest = err.splitlines()[1:]  # nothing, or argparse's usage hint
        assert not rest or rest[0].startswith("usage:"), (argv, err)


def test_console_script_exit_status_is_2(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[vary]\ntouchpoints = { min = 0.1, max = 23 }\n")
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "sweep", str(bad)], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "[vary] touchpoints: max 23 is out of range: allowed 0 to 20" in proc.stderr


def test_sensitivity_command_prints_and_writes_indices(tmp_path, capsys):
    sobol = tmp_path / "sobol.toml"
    sobol.write_text(SOBOL)
    out = tmp_path / "sens"
    assert main(["sensitivity", str(sobol), "-e", "local", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Sobol indices" in text and "first order S1" in text and "touchpoints" in text
    for name in ("sensitivity.csv", "sensitivity.parquet", "sensitivity.png", "sensitivity.svg"):
        assert (out / name).stat().st_size > 0
    table = pd.read_csv(out / "sensitivity.csv")
    assert set(table["output"]) == {"burnout_share", "output"}
    assert list(table.columns[:3]) == ["output", "method", "parameter"]
    # a second call reuses the finished sweep
    assert main(["sensitivity", str(sobol), "-e", "local", "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["method"] == "sobol" and len(doc["indices"]) == 4


def test_sweep_ranks_parameters_and_reruns_a_row(spec, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--executor", "local", "--quiet"]) == 0
    text = capsys.readouterr().out
    assert "Parameters that matter most" in text
    assert "  burnt out: " in text and "rho" in text and "R²" in text  # in plain words
    assert "Names in the results files: burnt out = burnout_share;" in text
    # one finished run again, beside its stored row
    assert main(["sweep", str(spec), "--out", str(out), "--rerun", "5"]) == 0
    text = capsys.readouterr().out
    assert "run 5 (point" in text and "identical, bit for bit" in text
    assert main(["sweep", str(spec), "--out", str(out), "--rerun", "5", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    row = pd.read_parquet(out / "results").set_index("run_id").loc[5]
    assert doc["identical"] and doc["seed"] == int(row["seed"])
    assert doc["rerun"]["burnout_share"] == float(row["burnout_share"])
    assert doc["params"]["n_agents"] == 80
    # a run id outside the sweep, or a folder with no sweep: a short message, status 2
    assert main(["sweep", str(spec), "--out", str(out), "--rerun", "99"]) == 2
    assert "has not finished" in capsys.readouterr().err
    assert main(["sweep", str(spec), "--out", str(tmp_path / "none"), "--rerun", "1"]) == 2
    assert "holds no sweep" in capsys.readouterr().err


def test_sensitivity_warns_when_noise_cannot_be_measured(tmp_path, capsys):
    sobol = tmp_path / "sobol.toml"
    sobol.write_text(SOBOL)
    out = tmp_path / "sens"
    assert main(["sensitivity", str(sobol), "-e", "local", "--out", str(out), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "ranked within each output" in captured.out
    # the single seed is said once for all outputs, or on each output's own line when it is
    # flagged for more than the single seed (which, depends on the model's numbers)
    assert "one seed per point: seed noise cannot be measured" in captured.err
    # each flagged output is named, in plain words, in one form or the other
    listed = re.search(r"so the indices of (.+?) may be seed noise", captured.err)
    named = listed.group(1).split(", ") if listed else []
    for name in ("burnt out", "output per person"):
        assert name in named or f"warning: {name}: " in captured.err
    assert main(["sensitivity", str(sobol), "-e", "local", "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert {n["output"] for n in doc["noise"]} == {"burnout_share", "output"}
    assert all(n["warn"] for n in doc["noise"])


# ---------------------------------------------------------------- bad input, in a subprocess
TINY = """
name = "tiny"
design = "grid"
weeks = 3

[params]
n_agents = 30

[vary]
output_conversion = [0.2, 0.8]

[outputs]
outcomes = ["burnout_share"]
"""


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, timeout=120
    )


def _refused(proc: subprocess.CompletedProcess, *words: str) -> str:
    """Assert exit status 2, no traceback, and ``words`` on stderr's first line; return it."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr
    first = proc.stderr.splitlines()[0]
    assert first.startswith("workplace-sim: error: "), proc.stderr
    for word in words:
        assert word in first, (word, proc.stderr)
    return first


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.toml"
    path.write_text(TINY)
    return path


@pytest.fixture
def sobol(tmp_path):
    path = tmp_path / "sobol.toml"
    path.write_text(SOBOL)
    return path


@pytest.mark.parametrize("command", ["sweep", "sensitivity"])
def test_out_folder_whose_lock_cannot_be_taken_is_refused(command, tiny, sobol, tmp_path):
    out = tmp_path / "out"
    (out / ".lock").mkdir(parents=True)  # the lock file cannot be opened, even by root
    spec = tiny if command == "sweep" else sobol
    proc = _cli(command, str(spec), "-e", "local", "--out", str(out))
    _refused(proc, f"--out {out}", "lock file .lock", "Is a directory", "choose a folder")
    assert [p.name for p in out.iterdir()] == [".lock"]  # nothing ran, nothing written


@pytest.mark.parametrize("command", ["sweep", "sensitivity"])
def test_out_folder_under_a_file_is_refused(command, tiny, sobol, tmp_path):
    a_file = tmp_path / "file.txt"
    a_file.write_text("x")
    spec = tiny if command == "sweep" else sobol
    proc = _cli(command, str(spec), "-e", "local", "--out", str(a_file / "out"))
    _refused(proc, f"--out {a_file / 'out'}", "cannot create the folder")


def test_out_folder_that_is_not_writable_is_refused(tiny, tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if os.access(ro, os.W_OK):  # root may write anywhere
            pytest.skip("this user can write into a read-only folder")
        proc = _cli("sweep", str(tiny), "-e", "local", "--out", str(ro))
        _refused(proc, f"--out {ro}: the folder is not writable")
        assert not (ro / ".lock").exists()
    finally:
        ro.chmod(0o700)


def test_bad_address_is_the_first_line_and_leaves_no_folder(tiny, tmp_path):
    pytest.importorskip("distributed")
    out = tmp_path / "out"
    proc = _cli("sweep", str(tiny), "--address", "notanaddress", "--out", str(out))
    _refused(
        proc,
        "--address notanaddress: cannot reach the Dask scheduler",
        "tcp://HOST:PORT",
        "scheduler file (.json)",
    )
    assert not out.exists()


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--retry-errors"], "--retry-errors: not used by --rerun; leave it out"),
        (
            ["--workers", "3", "-e", "dask"],
            "--executor, --workers: not used by --rerun; leave them",
        ),
    ],
)
def test_rerun_refuses_options_it_does_not_use(flags, message, tiny, tmp_path):
    proc = _cli("sweep", str(tiny), "--out", str(tmp_path / "out"), "--rerun", "0", *flags)
    _refused(proc, message)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('seeds = "abc"', "'seeds' has the wrong type: expected an integer from 1 to 1000, got"),
        ("weeks = 2.5", "'weeks' has the wrong type: expected an integer from 1 to 1040, got"),
    ],
)
def test_wrongly_typed_count_in_a_spec_gives_the_range(line, message, tmp_path):
    spec = tmp_path / "typed.toml"
    spec.write_text(line + "\n" + TINY.replace("weeks = 3\n", ""))
    _refused(_cli("sweep", str(spec), "-e", "local", "--out", str(tmp_path / "out")), message)
    assert not (tmp_path / "out").exists()


def test_local_executor_note_says_one_process(tiny, tmp_path, capsys):
    assert main(["sweep", str(tiny), "--out", str(tmp_path / "out"), "-e", "local"]) == 0
    assert "executor: local (1 process" in capsys.readouterr().err
