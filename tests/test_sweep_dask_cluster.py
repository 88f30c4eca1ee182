"""A sweep on a Dask cluster started as separate processes, one worker killed mid-sweep.

The scheduler and two workers are started with the ``dask`` command line, as on
a real cluster (``dask scheduler``, ``dask worker``), each in its own process
group. The sweep runs as ``workplace-sim sweep --address sched.json``. When its
first batch is written (an event, not a delay), one worker is killed with
SIGKILL. Dask reruns that worker's tasks on the other, and the sweep must end
complete, with every run once and the numbers of an in-process sweep.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import sim.sweeps as sw

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).with_name("dask")

SPEC = """
name = "cluster_small"
design = "lhs"
points = 14
seeds = 2
weeks = 56
root_seed = 11

[params]
n_agents = 150

[vary]
output_conversion = { min = 0.2, max = 0.9 }
touchpoints = [0.1, 0.4]

[outputs]
outcomes = ["burnout_share", "output", "annual_quit_rate"]
survey = ["burnout"]
groups = ["all", "top_quartile"]
"""


def _start(*args: str, env: dict) -> subprocess.Popen:
    return subprocess.Popen(
        [str(DASK), *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,  # its own process group: ended alone, by its id
    )


def _end(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _wait_for(what: str, ready, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _parts(out: Path) -> list[Path]:
    folder = out / "results"
    return sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []


@pytest.mark.skipif(not DASK.exists(), reason="the dask command line is not installed")
def test_a_worker_killed_mid_sweep_on_a_separately_started_cluster(tmp_path):
    spec = tmp_path / "cluster_small.toml"
    spec.write_text(SPEC)
    expected = sw.sweep(str(spec), executor="local")
    sched_file = tmp_path / "sched.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONWARNINGS": "ignore"}
    procs: list[subprocess.Popen] = []
    try:
        procs.append(
            _start(
                "scheduler",
                "--scheduler-file",
                str(sched_file),
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--dashboard-address",
                "127.0.0.1:0",
                env=env,
            )
        )
        _wait_for("the scheduler file", sched_file.is_file)
        _wait_for("the scheduler file's content", lambda: sched_file.stat().st_size > 0)
        for _ in range(2):
            procs.append(
                _start(
                    "worker",
                    "--scheduler-file",
                    str(sched_file),
                    "--nthreads",
                    "1",
                    "--host",
                    "127.0.0.1",
                    "--no-nanny",
                    "--no-dashboard",
                    env=env,
                )
            )
        with distributed.Client(scheduler_file=str(sched_file), timeout="30s") as client:
            client.wait_for_workers(2, timeout=120)
            info = client.scheduler_info(n_workers=-1)
            assert all(w["host"] == "127.0.0.1" for w in info["workers"].values())
        victim = procs[1]

        out = tmp_path / "out"
        cmd = [sys.executable, "-m", "sim", "sweep", str(spec), "--address", str(sched_file)]
        cmd += ["--out", str(out), "--batch-size", "1", "--json", "--quiet"]
        sweep = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        try:
            _wait_for(
                "the first finished batch", lambda: _parts(out) or sweep.poll() is not None, 180
            )
            done_at_kill = len(_parts(out))
            os.killpg(victim.pid, signal.SIGKILL)
            victim.wait(timeout=30)
            stdout, stderr = sweep.communicate(timeout=300)
        finally:
            if sweep.poll() is None:
                sweep.kill()
        assert sweep.returncode == 0, stderr
        assert "Traceback" not in stderr
        total = len(expected)
        assert 0 < done_at_kill < total, "the worker was not killed mid-sweep"
        doc = json.loads(stdout)
        assert doc["ok"] == doc["runs"] == total and doc["pending"] == 0 and doc["lost"] == []
        raw = pd.read_parquet(out / "results")
        assert raw["run_id"].is_unique and len(raw) == total
        pd.testing.assert_frame_equal(sw.load_results(out), expected, check_exact=True)
    finally:
        for proc in reversed(procs):
            _end(proc)
