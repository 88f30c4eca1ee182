"""A sweep killed with SIGKILL midway, then re-run: complete, no duplicate, identical values."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import pandas as pd
import pyarrow.dataset as ds
import pytest

import sim.sweeps as sw

pytestmark = pytest.mark.slow

SPEC = """
name = "kill_me"
design = "lhs"
points = 30
seeds = 2
weeks = 60

[params]
n_agents = 150

[vary]
output_conversion = { min = 0.2, max = 0.9 }
manager_training = { min = 0.1, max = 0.8 }

[outputs]
outcomes = ["burnout_share", "output", "top_quartile_burnout_share"]
survey = ["burnout"]
groups = ["all", "top_quartile"]
series = ["burnout_share", "output"]
"""


def _sweep_cmd(spec, out, *extra):
    return [
        sys.executable,
        "-m",
        "sim",
        "sweep",
        str(spec),
        "--out",
        str(out),
        "--quiet",
        *extra,
    ]


def _survivors(pgid):
    """Processes still alive in the killed sweep's process group."""
    alive = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getpgid(int(entry)) == pgid:
                    with open(f"/proc/{entry}/stat") as fh:
                        if fh.read().split(")")[-1].split()[0] != "Z":
                            alive.append(int(entry))
            except (ProcessLookupError, FileNotFoundError, PermissionError):
                continue
    return alive


def _parts(out):
    return sorted((out / "results").glob("part-*.parquet"))


def test_sigkilled_sweep_resumes_to_identical_results(tmp_path):
    spec = tmp_path / "kill_me.toml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    total = 60
    proc = subprocess.Popen(
        _sweep_cmd(spec, out, "--executor", "processes", "--workers", "2", "--batch-size", "2"),
        start_new_session=True,  # its own process group: kill the sweep and its workers
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 240
    try:
        while len(_parts(out)) < 4:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"sweep ended or stalled early: {proc.stderr.read().decode()[-2000:]}")
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)  # kill -9 the sweep itself, not its workers
        proc.wait()
        # its worker processes notice and leave on their own
        deadline = time.monotonic() + 30
        while _survivors(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _survivors(proc.pid), "worker processes outlived the killed sweep"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the whole group, should anything be left
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    done_before = sum(len(pd.read_parquet(p)) for p in _parts(out))
    assert 0 < done_before < total, "the kill did not land midway"

    # re-run the same command, this time with a different executor and batch size
    rerun = subprocess.run(
        _sweep_cmd(spec, out, "--executor", "local", "--json"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert '"pending": 0' in rerun.stdout and f'"finished_earlier": {done_before}' in rerun.stdout

    raw = ds.dataset(out / "results", format="parquet").to_table().to_pandas()
    assert len(raw) == total and raw["run_id"].is_unique
    assert not list(out.rglob(".tmp-*"))
    table = pd.read_parquet(out / "runs.parquet")
    assert (table["status"] == "ok").all() and len(table) == total

    expected, expected_series = sw.sweep(spec, executor="local", with_series=True)
    pd.testing.assert_frame_equal(sw.load_results(out), expected, check_exact=True)
    pd.testing.assert_frame_equal(sw.load_series(out), expected_series, check_exact=True)
