"""Sweep throughput: runs per second of a standard sweep on each executor, beside mesa.batch_run.

The standard sweep: 200 runs of the default organisation (1,000 positions, 104
weeks, both survey waves): a full-factorial grid of output conversion (4
levels) and touchpoints (5 levels), 10 seeds per point. Each mode does the same
work, end to end, as a user would call it (pool or cluster start-up included):

* ``sweep local``: ``sim.sweep(spec, executor="local")``, in this process;
* ``sweep processes``: the process pool, ``--workers`` processes;
* ``sweep dask``: a Dask LocalCluster of ``--workers`` single-threaded workers;
* ``mesa.batch_run``: Mesa's own batch runner over ``WorkplaceModel`` with the
  same parameters and seeds (``rng=`` the sweep's seeds, ``max_steps=104``), with
  one process and with ``--workers`` processes.

The sweeps write their Parquet results to a temporary folder (included in the
time); batch_run keeps its rows in memory. The script checks that batch_run and
the sweep computed the same runs (final burnout share of every run equal).

The modes run one after another in each round and the best round counts (as
``timeit`` does), so a machine shared with other work slows every mode alike.

Usage::

    python benchmarks/sweep_benchmark.py                 # 2 rounds, all cores
    python benchmarks/sweep_benchmark.py --rounds 1 --runs 100 --skip-dask
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

# One BLAS thread per process, the same for every mode (set before numpy loads).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import sim.model  # noqa: F401 - imported before any timing, as in every mode
import sim.sweeps as sw
from sim.executors import default_workers
from sim.runner import spawn_seeds

CONVERSION = [0.2, 0.4, 0.6, 0.8]
TOUCHPOINTS = [0.1, 0.3, 0.5, 0.7, 0.9]


def standard_spec(runs: int) -> dict:
    """The standard sweep: 20 grid points, ``runs / 20`` seeds each."""
    seeds = max(1, runs // (len(CONVERSION) * len(TOUCHPOINTS)))
    return {
        "name": "benchmark",
        "scenario": "baseline",
        "design": "grid",
        "seeds": seeds,
        "weeks": 104,
        "vary": {"output_conversion": CONVERSION, "touchpoints": TOUCHPOINTS},
        "outputs": {
            "outcomes": [
                "burnout_share",
                "top_quartile_burnout_share",
                "annual_quit_rate",
                "true_productivity_gain",
                "effective_output",
            ],
            "survey": ["burnout", "considering_quitting"],
            "groups": ["all", "top_quartile"],
        },
    }


def time_sweep(spec: dict, executor: str, workers: int | None) -> tuple[float, object]:
    out = Path(tempfile.mkdtemp(prefix="sweep-bench-"))
    try:
        t = time.perf_counter()
        report = sw.execute(spec, executor=executor, workers=workers, out=out / "s")
        seconds = time.perf_counter() - t
    finally:
        shutil.rmtree(out, ignore_errors=True)
    if not report.complete or report.count("error") or report.lost:
        raise SystemExit(
            f"{executor}: sweep incomplete: {report.lost} {report.table.status.value_counts()}"
        )
    return seconds, report.results


def time_batch_run(spec: dict, processes: int) -> tuple[float, list[dict]]:
    from mesa.batchrunner import batch_run

    from sim.model import WorkplaceModel
    from sim.scenarios import load_scenario

    seeds = spawn_seeds(spec.get("root_seed", 2025), spec["seeds"])
    # The sweep's base scenario (the calibrated baseline) as fixed values, then the grid.
    fixed = load_scenario(spec["scenario"]).params.to_dict()
    for name in ("output_conversion", "touchpoints"):
        fixed.pop(name)
    t = time.perf_counter()
    rows = batch_run(
        WorkplaceModel,
        parameters={**fixed, "output_conversion": CONVERSION, "touchpoints": TOUCHPOINTS},
        number_processes=processes,
        rng=seeds,
        max_steps=spec["weeks"],
        data_collection_period=-1,
        display_progress=False,
    )
    return time.perf_counter() - t, rows


def same_runs(df, rows: list[dict]) -> bool:
    """Whether batch_run and the sweep computed the same runs (final burnout share)."""
    sweep = {
        (round(r.output_conversion, 9), round(r.touchpoints, 9), int(r.seed)): r.burnout_share
        for r in df.itertuples()
    }
    got = {
        (round(r["output_conversion"], 9), round(r["touchpoints"], 9), int(r["rng"])): r[
            "burnout_share"
        ]
        for r in rows
    }
    return sweep.keys() == got.keys() and all(sweep[k] == got[k] for k in sweep)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=200, help="runs in the sweep (default 200)")
    ap.add_argument("--workers", type=int, default=default_workers(), help="processes")
    ap.add_argument("--rounds", type=int, default=2, help="rounds; the best counts")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--skip-mesa", action="store_true")
    ap.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = ap.parse_args(argv)

    spec = sw.load_spec(standard_spec(args.runs))
    n = spec.n_runs
    w = args.workers
    print(
        f"standard sweep: {n} runs ({spec.n_points} grid points x {spec.seeds} seeds) of the"
        f" default {spec.base.n_agents:,}-position organisation, {spec.weeks} weeks;"
        f" {w} workers; {platform.python_version()}, {os.cpu_count()} cores, {args.rounds}"
        " round(s), best counts",
        flush=True,
    )
    modes = [("sweep local", "local", None), ("sweep processes", "processes", w)]
    if not args.skip_mesa:
        modes += [("mesa.batch_run 1 process", "mesa", 1), ("mesa.batch_run", "mesa", w)]
    if not args.skip_dask:
        # last in each round: the Dask client leaves an idle thread behind, after which
        # the process pool starts its workers with forkserver instead of fork
        modes.append(("sweep dask LocalCluster", "dask", w))
    best: dict[str, float] = {}
    frames = {}
    for r in range(args.rounds):
        for label, kind, workers in modes:
            if kind == "mesa":
                seconds, rows = time_batch_run(spec_dict := standard_spec(args.runs), workers)
                frames[label] = rows
                assert len(rows) == n and spec_dict["weeks"] == spec.weeks
            else:
                seconds, df = time_sweep(standard_spec(args.runs), kind, workers)
                frames[label] = df
            best[label] = min(best.get(label, float("inf")), seconds)
            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            print(
                f"  round {r + 1}: {label:<26} {seconds:7.2f} s  {n / seconds:6.2f} runs/s"
                f"  (load average {load:.1f} on {os.cpu_count()} cores)",
                flush=True,
            )

    local = best["sweep local"]
    print(f"\n{'mode':<28}{'workers':>8}{'seconds':>10}{'runs/s':>9}{'vs local':>10}")
    results = []
    for label, _kind, workers in modes:
        s = best[label]
        results.append(
            {
                "mode": label,
                "workers": workers or 1,
                "seconds": round(s, 3),
                "runs_per_s": round(n / s, 3),
                "speedup": round(local / s, 3),
            }
        )
        print(f"{label:<28}{workers or 1:>8}{s:>10.2f}{n / s:>9.2f}{local / s:>9.2f}x")

    checks = []
    ratio = local / best["sweep processes"]
    checks.append((f"process pool >= 1.8x in-process on {w} cores", ratio >= 1.8, ratio))
    if not args.skip_mesa:
        pool = best["sweep processes"]
        bw = best["mesa.batch_run"] / pool
        b1 = best["mesa.batch_run 1 process"] / local
        checks.append((f"sweep (process pool) faster than batch_run, {w} processes", bw > 1, bw))
        print(
            "note: in one process (the same runs; batch_run keeps no survey cell, the"
            f" sweep tabulates its kept cells and writes Parquet): batch_run takes {b1:.2f}x"
            " the in-process sweep's time"
        )
        same = same_runs(frames["sweep processes"], frames["mesa.batch_run"])
        checks.append(("batch_run computed the same runs as the sweep", same, float(same)))
    a = frames["sweep local"]
    others = [m for m in ("sweep processes", "sweep dask LocalCluster") if m in frames]
    same = all(a.equals(frames[m]) for m in others)
    if not same:
        for m in others:
            diff = (
                a.compare(frames[m]) if a.shape == frames[m].shape else f"shape {frames[m].shape}"
            )
            print(f"local vs {m}:\n{diff}")
    checks.append((f"identical numbers: local, {', '.join(others)}", same, float(same)))
    print()
    for text, ok, value in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text} ({value:.2f})")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "runs": n,
                    "workers": w,
                    "results": results,
                    "checks": [{"check": t, "ok": bool(o), "value": v} for t, o, v in checks],
                },
                indent=2,
            )
            + "\n"
        )
    return 0 if all(ok for _, ok, _ in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
