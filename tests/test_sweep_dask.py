"""Sweeps on a real Dask LocalCluster: identical numbers, and a worker killed mid-sweep."""

from __future__ import annotations

import os
import signal
import time

import pandas as pd
import pyarrow.dataset as ds
import pytest

import sim.sweeps as sw
from sim.executors import DaskExecutor

distributed = pytest.importorskip("distributed")

pytestmark = pytest.mark.slow

SPEC = {
    "name": "dask_small",
    "design": "lhs",
    "points": 10,
    "seeds": 2,
    "weeks": 56,
    "params": {"n_agents": 120},
    "vary": {
        "output_conversion": {"min": 0.2, "max": 0.9},
        "psych_safety": {"min": 0.2, "max": 0.8},
        "touchpoints": [0.1, 0.4],
    },
    "outputs": {
        "outcomes": ["burnout_share", "output", "annual_quit_rate"],
        "survey": ["burnout"],
        "groups": ["all", "top_quartile"],
        "series": ["burnout_share"],
    },
}


def _cluster():
    return distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",
    )


@pytest.fixture(scope="module")
def reference():
    return sw.sweep(SPEC, executor="local", with_series=True)


@pytest.fixture(scope="module")
def cluster():
    with _cluster() as c:
        yield c


def test_in_process_pool_and_dask_give_identical_numbers(reference, cluster, tmp_path):
    ref, ref_series = reference
    pool = sw.sweep(SPEC, executor="processes", workers=2, batch_size=3)
    pd.testing.assert_frame_equal(ref, pool, check_exact=True)
    got, series = sw.sweep(
        SPEC,
        executor="dask",
        address=cluster.scheduler_address,
        out=tmp_path / "dask",
        with_series=True,
    )
    pd.testing.assert_frame_equal(ref, got, check_exact=True)
    pd.testing.assert_frame_equal(ref_series, series, check_exact=True)
    files = list((tmp_path / "dask" / "results").glob("part-*.parquet"))
    assert files and pd.read_parquet(tmp_path / "dask" / "results")["run_id"].is_unique
    # the scheduler's cluster is left running for others
    assert distributed.Client(cluster.scheduler_address).close() is None


def test_dask_resumes_a_folder_started_in_process(reference, cluster, tmp_path):
    out = tmp_path / "mixed"
    sw.sweep(SPEC, executor="local", out=out, batch_size=4)
    parts = sorted((out / "results").glob("part-*.parquet"))
    for p in parts[::2]:
        p.unlink()
    report = sw.execute(SPEC, executor="dask", address=cluster.scheduler_address, out=out)
    assert report.complete and report.ran > 0 and report.skipped > 0
    pd.testing.assert_frame_equal(report.results, reference[0], check_exact=True)


def test_dask_executor_starts_its_own_local_cluster(reference):
    got = sw.sweep(SPEC, executor="dask", workers=2, batch_size=5)
    pd.testing.assert_frame_equal(reference[0], got, check_exact=True)


def test_a_killed_dask_worker_does_not_lose_the_sweep(reference, tmp_path):
    spec = {**SPEC, "points": 16}
    expected = sw.sweep(spec, executor="local")
    out = tmp_path / "killed"
    with _cluster() as cluster, distributed.Client(cluster) as client:
        pids = client.run(os.getpid)
        victim = sorted(pids.values())[0]
        killed = []

        def kill_once(done, total):
            if done > 0 and not killed:
                os.kill(victim, signal.SIGKILL)
                killed.append(time.monotonic())

        report = sw.execute(
            spec,
            DaskExecutor(client=client),
            out=out,
            batch_size=1,
            progress=kill_once,
        )
        assert killed, "the sweep finished before a worker could be killed"
        # the nanny restarted the killed worker: a new process answers
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            now = client.run(os.getpid)
            if len(now) == 2 and victim not in now.values():
                break
            time.sleep(0.5)
        assert victim not in client.run(os.getpid).values()
    assert report.complete and not report.lost
    assert (report.table["status"] == "ok").all()
    raw = ds.dataset(out / "results", format="parquet").to_table().to_pandas()
    assert raw["run_id"].is_unique and len(raw) == len(expected)
    pd.testing.assert_frame_equal(report.results, expected, check_exact=True)
