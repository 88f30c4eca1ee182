"""Pattern suite: wall time of ``workplace-sim check`` at its default size (budget: 5 minutes).

Times :func:`sim.validation.check` with every bundled pattern, as the command runs
it (pool start-up included, figures and report not), and prints the seconds, the
number of model runs and the load average before and after (the machine is
shared: a high load slows the suite in proportion).

Usage::

    python benchmarks/patterns_benchmark.py                   # default size, all cores
    python benchmarks/patterns_benchmark.py --quick           # the CI size
    python benchmarks/patterns_benchmark.py --jobs 2 --json
"""

from __future__ import annotations

import argparse
import json
import os
import time

# One BLAS thread per process (set before numpy loads).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import sim.model  # noqa: F401 - imported before timing
from sim.executors import default_workers
from sim.validation import (
    DEFAULT_AGENTS,
    DEFAULT_SEEDS,
    QUICK_AGENTS,
    QUICK_SEEDS,
    check,
    knife_edge_variants,
    load_patterns,
)
from sim.validation.suite import KNIFE_SEEDS, LEVERS

BUDGET_SECONDS = 300.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="the CI size")
    ap.add_argument("--jobs", type=int, default=default_workers(), help="worker processes")
    ap.add_argument("--json", action="store_true", help="machine-readable output")
    args = ap.parse_args()
    seeds = QUICK_SEEDS if args.quick else DEFAULT_SEEDS
    agents = QUICK_AGENTS if args.quick else DEFAULT_AGENTS
    patterns = load_patterns()
    from sim.scenarios import load_scenario

    knife = len(knife_edge_variants(load_scenario("baseline").params))
    runs = (2 + len(LEVERS) + 1) * seeds + knife * min(seeds, KNIFE_SEEDS)
    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    result = check(patterns, seeds=seeds, agents=agents, jobs=args.jobs)
    seconds = time.perf_counter() - t0
    out = {
        "seconds": round(seconds, 1),
        "budget_seconds": BUDGET_SECONDS,
        "within_budget": seconds <= BUDGET_SECONDS,
        "patterns": len(patterns),
        "runs": runs,
        "seeds": seeds,
        "agents": agents,
        "jobs": args.jobs,
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "passed": sum(r.verdict == "PASS" for r in result.results),
    }
    if args.json:
        print(json.dumps(out, indent=2))
        return
    print(
        f"pattern suite: {out['patterns']} patterns, {out['runs']} model runs "
        f"({seeds} seeds x {agents:,} agents), {args.jobs} processes: "
        f"{seconds:.1f} s (budget {BUDGET_SECONDS:.0f} s: "
        f"{'met' if out['within_budget'] else 'MISSED'}); load average "
        f"{out['load_before']} before, {out['load_after']} after"
    )


if __name__ == "__main__":
    main()
