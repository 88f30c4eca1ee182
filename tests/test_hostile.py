"""Hostile input and failure: limits, result folders as units, pipes, terminals, networks.

Every case ends with exit status 2 and a short message (or, for a closed pipe,
quietly), never a traceback, and leaves nothing half-written or mixed.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim import io
from sim.errors import UserError

ROOT = Path(__file__).resolve().parents[1]
TINY = ["--agents", "40", "--weeks", "20", "--seeds", "1", "--quiet"]


def cli(
    *args: str, cwd: Path | None = None, env: dict | None = None, **kw
) -> subprocess.CompletedProcess:
    full = {**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=full,
        timeout=kw.pop("timeout", 240),
        check=False,
        **kw,
    )


def refused(r: subprocess.CompletedProcess, text: str) -> str:
    """Assert exit 2 with ``text`` in a short message and no traceback; return the first line."""
    assert r.returncode == 2, (r.returncode, r.stdout[-500:], r.stderr[-2000:])
    assert "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    assert lines[0].startswith("workplace-sim: error: "), r.stderr
    assert text in r.stderr, r.stderr
    assert len(lines) <= 8 and all(len(ln) <= 600 for ln in lines), r.stderr
    return lines[0]


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# ----------------------------------------------------------------------------- input limits
@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    (d / "digits.toml").write_text("[params]\ntouchpoints = 1" + "0" * 400 + "\n")
    (d / "digits5000.toml").write_text("[params]\ntouchpoints = 1" + "0" * 5000 + "\n")
    (d / "weeks_digits.toml").write_text("weeks = 1" + "0" * 300 + "\n")
    (d / "deep.toml").write_text("a = " + "[" * 5000 + "]" * 5000 + "\n")
    (d / "deep_tables.toml").write_text("a = " + "{b=" * 3000 + "1" + "}" * 3000 + "\n")
    (d / "big.toml").write_text("# padding\n" * 200_000)
    (d / "zero.toml").symlink_to("/dev/zero")
    for i in range(40):
        (d / f"chain{i}.toml").write_text(f'inherits = "chain{i + 1}"\n')
    (d / "chain40.toml").write_text('inherits = "baseline"\n')
    (d / "ctl.toml").write_text('title = "evil\\u001b[2J\\u0007 caf\\u00e9 \\u2014 ok"\n')
    (d / "spec_digits.toml").write_text(
        "seeds = 1" + "0" * 300 + "\n[vary]\ntouchpoints = [0.1, 0.2]\n"
    )
    (d / "spec_vary_digits.toml").write_text("[vary]\nspan_of_control = [3, 1" + "0" * 200 + "]\n")
    (d / "spec_zero.toml").symlink_to("/dev/zero")
    (d / "bad_scheme.json").write_text('{"address": "nonsense::://"}')
    (d / "no_address.json").write_text("[1, 2]")
    (d / "not_json.json").write_text("{")
    return d


LIMITS = [
    (["validate", "digits.toml"], "a number of 401 digits is too long"),
    (["validate", "digits5000.toml"], "a number is too long"),
    (["run", "weeks_digits.toml"], "digits is too long"),
    (["validate", "deep.toml"], "nested more than 8 levels"),
    (["validate", "deep_tables.toml"], "nested more than 8 levels"),
    (["validate", "big.toml"], "may have at most 1.0 MB"),
    (["validate", "zero.toml"], "is not a regular file"),
    (["validate", "chain0.toml"], "the inherits chain is longer than 32 files"),
    (["run", "--set", "touchpoints=1" + "0" * 400], "too long for a number"),
    (["run", "--set", "span_of_control=1" + "0" * 30], "a number of 31 digits is too long"),
    (["run", "--seeds", "9" * 5000], "(5,000 characters)' has the wrong type"),
    (["sweep", "spec_digits.toml", "-q"], "a number of 301 digits is too long"),
    (["sweep", "spec_vary_digits.toml", "-q"], "digits is too long"),
    (["sweep", "spec_zero.toml", "-q"], "is not a regular file"),
    (["run", "--agents", "10000000", "--jobs", "64", "--seeds", "64"], "available"),
    (["run", "--jobs", "100"], "allowed 1 to"),
    (["run", "--out", ""], "--out is empty"),
    (["compare", "keep_slack", "--out", " "], "--out is empty"),
    (["sweep", "levers", "--out", ""], "--out is empty"),
    (["sweep", "levers", "--address", ""], "--address is empty"),
    (["sweep", "levers", "--address", "missing.json"], "no such scheduler file"),
    (["sweep", "levers", "-q", "--address", "bad_scheme.json"], "cannot reach the Dask scheduler"),
    (["sweep", "levers", "--address", "no_address.json"], "names no address"),
    (["sweep", "levers", "--address", "not_json.json"], "cannot read the scheduler file"),
    (["calibrate", "--agents", "10000000", "--jobs", "8", "--no-write"], "need about"),
    (["calibrate", "--workdir", ""], "--workdir is empty"),
    (["calibrate", "--no-write", "--workdir", "digits.toml"], "exists and is not a folder"),
    (["calibrate", "--se-floor", "nan"], "is not a share"),
    (["dashboard", "--host", ""], "--host is empty"),
    (["dashboard", "--port", "9" * 400], "--port"),
]


@pytest.mark.parametrize(("args", "text"), LIMITS, ids=[" ".join(a)[:60] for a, _ in LIMITS])
def test_hostile_input_exits_2_within_seconds(hostile, args, text):
    started = time.monotonic()
    r = cli(*args, cwd=hostile, timeout=60)
    refused(r, text)
    assert r.stdout == ""
    assert time.monotonic() - started < 60  # the subprocess timeout is the real bound


def test_memory_refusal_names_the_estimate_and_the_machine(hostile):
    r = cli("run", "--agents", "10000000", "--jobs", "64", "--seeds", "64", cwd=hostile)
    line = refused(r, "need about")
    assert "GB" in line and "this machine has" in line


def test_sweep_memory_is_estimated_from_the_largest_run(tmp_path):
    spec = tmp_path / "huge.toml"
    spec.write_text(
        "seeds = 16\n[vary]\nn_agents = [100, 10000000]\n[outputs]\noutcomes = ['output']\n"
    )
    r = cli("sweep", str(spec), "--workers", "64", "--out", str(tmp_path / "o"), "-q")
    refused(r, "n_agents up to 10000000")


def test_control_characters_are_escaped_and_ascii_terminals_work(hostile):
    r = cli("scenarios", "ctl.toml", cwd=hostile)
    assert r.returncode == 0, r.stderr
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert "evil\\x1b[2J\\x07" in r.stdout and "café" in r.stdout
    a = cli("scenarios", "ctl.toml", "--details", cwd=hostile, env={"PYTHONIOENCODING": "ascii"})
    assert a.returncode == 0 and "Traceback" not in a.stderr, a.stderr
    assert a.stdout.isascii() and "caf?" in a.stdout
    b = cli("run", *TINY, env={"PYTHONIOENCODING": "ascii"})
    assert b.returncode == 0 and "Traceback" not in b.stderr, b.stderr
    # an error message quoting a hostile name is escaped too
    c = cli("run", "evil\x1b[2Jname", cwd=hostile)
    refused(c, "unknown scenario")
    assert "\x1b" not in c.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["scenarios"],
        ["scenarios", "--json"],
        ["run", *TINY, "--json"],
        ["validate", "baseline", "keep_slack"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_a_closed_pipe_ends_quietly(args):
    """``workplace-sim scenarios | head -c 1``: the reader goes away after one byte."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    first = proc.stdout.read(1)
    proc.stdout.close()  # as head -c 1 does
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert first
    assert "Traceback" not in err and "BrokenPipe" not in err, err
    assert proc.returncode == 0, err


def test_a_closed_pipe_still_writes_the_results(tmp_path):
    out = tmp_path / "res"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "run", *TINY, "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    proc.stdout.read(1)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=240)
    assert proc.returncode == 0 and "Traceback" not in err, err
    manifest = io.read_manifest(out)
    assert manifest["files"] == [f for f in files_under(out) if f != "manifest.json"]
    assert "report.html" in manifest["files"]


def test_a_sweep_into_a_closed_pipe_finishes_its_runs(tmp_path):
    spec = tmp_path / "tiny.toml"
    spec.write_text(
        "seeds = 2\nweeks = 10\n[params]\nn_agents = 40\n[vary]\ntouchpoints = [0.1, 0.3]\n"
    )
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "sim", "sweep", str(spec), "-e", "local", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    proc.stdout.read(1)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait(timeout=240)
    assert proc.returncode == 0 and "Traceback" not in err, err
    import sim.sweeps as sw

    assert len(sw.load_results(out)) == 4


# ----------------------------------------------------------------------------- result folders
def test_run_folder_is_a_unit_with_a_manifest(tmp_path):
    out = tmp_path / "res"
    r = cli("run", *TINY, "--out", str(out))
    assert r.returncode == 0, r.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "run" and "--out" in manifest["command"]
    assert manifest["files"] == [f for f in files_under(out) if f != "manifest.json"]
    # a second run into the same folder is refused, and nothing there changes
    before = {f: (out / f).read_bytes() for f in files_under(out)}
    again = cli("run", *TINY, "--root-seed", "7", "--out", str(out))
    refused(again, "holds another run")
    assert again.stdout == ""  # refused before running
    assert {f: (out / f).read_bytes() for f in files_under(out)} == before


def test_force_replaces_the_earlier_run_without_mixing(tmp_path):
    out = tmp_path / "res"
    assert cli("compare", "keep_slack", *TINY, "--out", str(out)).returncode == 0
    assert (out / "comparison.csv").is_file()
    r = cli("run", *TINY, "--out", str(out), "--force")
    assert r.returncode == 0, r.stderr
    manifest = io.read_manifest(out)
    assert manifest["kind"] == "run"
    # the comparison's own files are gone: nothing of the earlier run is mixed in
    assert not (out / "comparison.csv").exists() and not (out / "metrics.csv").exists()
    assert manifest["files"] == [f for f in files_under(out) if f != "manifest.json"]


def test_a_folder_of_other_files_is_refused_unless_forced(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    refused(cli("run", *TINY, "--out", str(tmp_path)), "not empty and holds no run")
    r = cli("run", *TINY, "--out", str(tmp_path), "--force")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert "notes.txt" not in io.read_manifest(tmp_path)["files"]


def test_run_into_a_sweep_folder_is_refused(tmp_path):
    (tmp_path / "sweep.json").write_text("{}")
    refused(cli("run", *TINY, "--out", str(tmp_path), "--force"), "holds a sweep")


def test_a_folder_in_the_way_of_a_file_leaves_nothing_behind(tmp_path):
    out = tmp_path / "res"
    (out / "report.html").mkdir(parents=True)
    r = cli("run", *TINY, "--out", str(out), "--force")
    refused(r, "report.html: a folder of that name is in the way")
    assert files_under(out) == [] and (out / "report.html").is_dir()


def _file_size_limit(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


@pytest.mark.parametrize("limit", [2_000, 40_000])
def test_a_full_disk_while_writing_leaves_nothing_partial(tmp_path, limit):
    """A real write failure (the process may write no file larger than ``limit`` bytes)."""
    out = tmp_path / "res"
    r = cli(
        "run",
        *TINY,
        "--out",
        str(out),
        env={"PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=_file_size_limit(limit),
    )
    line = refused(r, "File too large")
    assert "cannot write" in line
    assert files_under(out) == []  # no result, no manifest, no temporary file


# The interrupt must arrive while the results are being written. Polling for the
# first file from outside is a race on a busy machine (the run may finish between
# two polls), so the child interrupts itself at a precise moment: a
# ``sitecustomize`` on its path adds an audit hook (an observer, no code of the
# package is replaced) that sends the real SIGINT when the first temporary result
# file is opened, or right after the first result file is moved into place.
_INTERRUPTER = """
import os, signal, sys

_OUT = os.environ["WSIM_TEST_OUT"]
_WHEN = os.environ["WSIM_TEST_INTERRUPT_AT"]
_sent = False


def _hook(event, args):
    global _sent
    if _sent:
        return
    if _WHEN == "open" and event == "open" and isinstance(args[0], str):
        path = args[0] if os.path.basename(args[0]).startswith(".tmp-") else ""
    elif _WHEN == "replace" and event == "os.rename":
        path = os.fsdecode(args[1])
    else:
        return
    if path.startswith(_OUT) and "manifest" not in path:
        _sent = True
        os.kill(os.getpid(), signal.SIGINT)


sys.addaudithook(_hook)
"""


@pytest.mark.parametrize("moment", ["open", "replace"])
def test_ctrl_c_while_writing_leaves_nothing_partial(tmp_path, moment):
    """A real SIGINT while the first result file is being written, or just after it is in place."""
    out = tmp_path / "res"
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_INTERRUPTER)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(hook), str(ROOT)]),
        "PYTHONWARNINGS": "ignore",
        "WSIM_TEST_OUT": str(out),
        "WSIM_TEST_INTERRUPT_AT": moment,
    }
    r = subprocess.run(
        [sys.executable, "-m", "sim", "run", *TINY, "--seeds", "2", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert r.returncode == 130, (r.returncode, r.stderr)  # it was writing: not finished
    assert "Traceback" not in r.stderr and "interrupted" in r.stderr
    assert files_under(out) == []


def test_atomic_write_guards_write_and_replace(tmp_path):
    target = tmp_path / "x.txt"
    target.mkdir()
    with pytest.raises(UserError, match="a folder of that name is in the way"):
        io.write_text(target, "hello")
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"]
    # an OSError raised inside the block (as a full disk raises it from write)
    dest = tmp_path / "y.txt"
    dest.write_text("old")
    with (
        pytest.raises(UserError, match=r"cannot write .*y.txt: No space left"),
        io.atomic_write(dest) as fh,
    ):
        fh.write(b"partial")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    assert dest.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.txt", "y.txt"]


# ----------------------------------------------------------------------------- compare
def test_a_user_scenario_named_baseline_does_not_replace_the_reference(tmp_path):
    mine = tmp_path / "mine.toml"
    mine.write_text('name = "baseline"\n[params]\ntouchpoints = 0.5\n')
    refused(cli("compare", str(mine), *TINY), "is the reference scenario's")
    # made the reference on purpose, it works
    r = cli("compare", "keep_slack", "--baseline", str(mine), *TINY, "--json")
    assert r.returncode == 0, r.stderr


def test_jobs_bounds_match_the_runner():
    from sim.executors import MAX_JOBS, check_jobs

    assert check_jobs(MAX_JOBS) == MAX_JOBS
    with pytest.raises(UserError, match=f"jobs={MAX_JOBS + 1} is out of range: allowed 1 to"):
        check_jobs(MAX_JOBS + 1)
    for command in ("run", "check", "calibrate"):  # every --jobs says what the library says
        r = cli(command, "--jobs", str(MAX_JOBS + 1))
        refused(r, f"jobs={MAX_JOBS + 1} is out of range: allowed 1 to {MAX_JOBS}")


# ----------------------------------------------------------------------------- calibrate
def test_calibrate_checks_its_paths_before_anything_runs(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    (work / "settings.json").write_text("{ not json")
    (work / "abc.sqlite").write_bytes(b"")
    refused(cli("calibrate", "--no-write", "--workdir", str(work)), "settings.json is damaged")
    (work / "settings.json").write_text("{}")
    (work / "abc.sqlite").write_bytes(b"garbage garbage garbage")
    refused(cli("calibrate", "--no-write", "--workdir", str(work)), "not an SQLite database")
    bad = tmp_path / "bad_baseline.toml"
    bad.write_text("[params]\ntouchpoints = 27\n")
    before = bad.read_bytes()
    r = cli("calibrate", "--workdir", str(tmp_path / "w2"), "--baseline", str(bad))
    refused(r, "touchpoints=27")
    assert bad.read_bytes() == before
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if not os.access(ro, os.W_OK):  # root may write anywhere
            r = cli("calibrate", "--no-write", "--workdir", str(ro / "sub"))
            refused(r, "cannot create the folder")
    finally:
        ro.chmod(0o700)


def test_calibrate_backs_up_the_baseline_before_writing(tmp_path):
    import argparse

    from sim.cli.calibrate import backup_baseline

    base = tmp_path / "b.toml"
    base.write_text('name = "b"\n[params]\ntouchpoints = 0.2\n')
    (tmp_path / "b_posterior.csv").write_text("a\n1\n")
    args = argparse.Namespace(baseline=str(base), workdir=str(tmp_path / "w"))
    folder = backup_baseline(args)
    assert sorted(p.name for p in folder.iterdir()) == ["b.toml", "b_posterior.csv"]
    assert (folder / "b.toml").read_bytes() == base.read_bytes()


# ----------------------------------------------------------------------------- network
def test_dashboard_host_that_is_not_this_machine_gets_a_true_message():
    from sim.cli.dashboard import check_port

    with pytest.raises(UserError, match="not an address of this machine"):
        check_port("192.0.2.1", 8765)  # TEST-NET-1: never a local address
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        with pytest.raises(UserError, match="the port is in use"):
            check_port("127.0.0.1", s.getsockname()[1])


def test_the_dask_local_cluster_listens_on_127_0_0_1_only():
    pytest.importorskip("distributed")
    import psutil

    from sim.executors import DaskExecutor

    before = {c.laddr for c in psutil.Process().net_connections("tcp") if c.status == "LISTEN"}
    ex = DaskExecutor(workers=1)
    try:
        assert ex.submit(sum, [1, 2]).result() == 3
        procs = [psutil.Process(), *psutil.Process().children(recursive=True)]
        listening = {
            c.laddr for p in procs for c in p.net_connections("tcp") if c.status == "LISTEN"
        } - before
        assert listening, "the cluster listens nowhere?"
        assert {a.ip for a in listening} == {"127.0.0.1"}, listening
        assert "127.0.0.1" in ex.client.dashboard_link
    finally:
        ex.shutdown()


def test_help_and_docs_say_a_scheduler_must_be_trusted():
    r = cli("sweep", "--help")
    assert "trust" in r.stdout and "unpickles" in r.stdout
    assert "unpickles" in (ROOT / "docs" / "sweeps.md").read_text()


def test_grid_over_an_integer_parameter_runs_each_point_once():
    from sim.sweeps import load_spec
    from sim.sweeps.design import build_design

    spec = load_spec(
        {"vary": {"span_of_control": {"min": 3, "max": 5, "levels": 7}}, "params": {"n_agents": 30}}
    )
    runs, _ = build_design(spec)
    assert spec.n_points == 3 and list(runs["span_of_control"]) == [3, 4, 5]
    assert "span_of_control: 3 of 7 levels once rounded" in spec.describe()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--report", "--budget", "300"], "--budget: not used by --report; leave it out"),
        (["--report", "--fresh", "--no-write"], "--fresh, --no-write: not used by --report"),
        (
            ["--score-heldout", "w.csv", "--agents", "100", "--workdir", "x"],
            "--agents, --workdir: not used by --score-heldout; leave them out",
        ),
        (["--cross-validate", "--population", "20"], "--population: not used by --cross-validate"),
        (["--docs", "d"], "--docs: not used by a calibration; leave it out"),
    ],
)
def test_calibrate_refuses_options_its_run_would_ignore(args, message):
    r = cli("calibrate", *args)
    assert r.returncode == 2
    assert message in r.stderr.splitlines()[0] and "Traceback" not in r.stderr
