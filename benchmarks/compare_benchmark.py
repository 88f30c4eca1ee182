"""Wall time of the strategist's default comparison, parameter uncertainty included.

Times ``workplace-sim compare`` as a user runs it (a fresh process, start-up
included): every bundled scenario with the default posterior draws and seeds
(20 draws x 2 seeds, 280 runs of 1,000 positions and 104 weeks), in one process
(the default ``--jobs 1``) and with ``--jobs 2``, each with and without ``--out``
(figures and ``report.html``). ``--no-posterior`` (7 x 8 = 56 runs, seed noise
only) is timed beside it for reference. The budget: the default ``compare``
finishes within 60 s on 2 cores.

The modes run one after another in each round and each mode's best round counts
(as ``timeit`` does); the load average is printed beside every timing, since the
machine may be shared, and so is the CPU time the command used (its processes'
user + system time): on a busy machine the wall time of ``--jobs 1`` grows with
the load while its CPU time stays near what a quiet core needs.

Usage::

    python benchmarks/compare_benchmark.py                # 1 round, every mode
    python benchmarks/compare_benchmark.py --rounds 2 --json compare.json
    python benchmarks/compare_benchmark.py --modes default default-out
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: mode -> extra arguments of ``workplace-sim compare``; ``{out}`` is a fresh folder.
MODES: dict[str, list[str]] = {
    "default": [],
    "default-out": ["--out", "{out}"],
    "jobs2": ["--jobs", "2"],
    "jobs2-out": ["--jobs", "2", "--out", "{out}"],
    "no-posterior": ["--no-posterior"],
}


def _cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def time_mode(args: list[str]) -> tuple[float, float]:
    """Run ``workplace-sim compare ARGS --quiet`` once; return wall and CPU seconds."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    with tempfile.TemporaryDirectory(prefix="compare-bench-") as tmp:
        argv = [a.replace("{out}", str(Path(tmp) / "results")) for a in args]
        cmd = [sys.executable, "-m", "sim", "compare", *argv, "--quiet"]
        cpu0, start = _cpu(), time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
        took, cpu = time.perf_counter() - start, _cpu() - cpu0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr}")
    return took, cpu


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=1, help="rounds of every mode (default 1)")
    ap.add_argument(
        "--modes",
        nargs="+",
        choices=list(MODES),
        default=list(MODES),
        help="modes to time (default: all)",
    )
    ap.add_argument("--json", metavar="FILE", help="also write the timings here")
    args = ap.parse_args(argv)

    from sim.runner import DEFAULT_POSTERIOR, POSTERIOR_SEEDS
    from sim.scenarios import bundled_names

    n = len(bundled_names())
    print(
        f"workplace-sim compare: {n} scenarios x {POSTERIOR_SEEDS} seeds x "
        f"{DEFAULT_POSTERIOR} posterior draws = {n * POSTERIOR_SEEDS * DEFAULT_POSTERIOR} runs "
        f"by default; {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    best: dict[str, float] = {}
    rows = []
    for r in range(args.rounds):
        for mode in args.modes:
            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            took, cpu = time_mode(MODES[mode])
            best[mode] = min(best.get(mode, took), took)
            rows.append({"round": r + 1, "mode": mode, "seconds": took, "cpu": cpu, "load": load})
            # the pool's workers are the forkserver's children: their CPU time is not counted
            cpu_text = f"{cpu:6.1f} s CPU" if "jobs2" not in mode else "  (CPU n/a)"
            print(
                f"  round {r + 1}  {mode:<13} {took:6.1f} s wall, {cpu_text} "
                f"(load average {load:.1f})"
            )
    print("best of each mode:")
    for mode, took in best.items():
        flag = "  (budget 60 s: met)" if mode.startswith("default") and took <= 60 else ""
        flag = "  (budget 60 s: MISSED)" if mode.startswith("default") and took > 60 else flag
        print(f"  {mode:<13} {took:6.1f} s{flag}")
    if args.json:
        Path(args.json).write_text(json.dumps({"rounds": rows, "best": best}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
