"""Speed and memory budgets of the model core (issue 2), on one core.

Measures, in one process and one run:

1. agent-steps per second of a weekly step at 10k and 100k agents, against
   Mesa's own BoltzmannWealth example (``mesa.examples``) at the same agent
   counts, and the ratio (budget: at least 40x at 100k, aim 100x);
2. the default 1,000-agent, 104-week run end to end (organisation building, the
   burn-in before AI and both survey waves included), timed alternately with a
   fixed reference run of BoltzmannWealth (1,000 agents, 20 steps, building
   included), and the ratio of their medians. The budget is that ratio at most
   ``DEFAULT_RUN_BUDGET_RATIO``: issue 12's 0.15 s (0.1 s before the burn-in)
   over the reference's median when the budget was set. The default run's
   median in seconds is printed beside it, as information only;
3. a 1M-agent, 104-week run in a fresh subprocess: time and peak memory
   (budget: 120 s and 8 GB).

In both comparisons the two models are timed alternately, so a busy machine
slows both alike and the ratio stays meaningful. BoltzmannWealth runs as
shipped, with its grid scaled to keep the shipped density of one agent per cell
(100 agents on 10x10).

Usage::

    python benchmarks/core_benchmark.py            # everything (about 3 minutes)
    python benchmarks/core_benchmark.py --quick    # skip the 1M-agent run
    python benchmarks/core_benchmark.py --profile  # only: where a weekly step's time goes
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import gc
import json
import math
import resource
import statistics
import subprocess
import sys
import time

if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

from sim import rules
from sim.model import WorkplaceModel

#: The reference run that the default run is timed against: BoltzmannWealth with this many
#: agents (the default run's 1,000, on a 31 x 31 grid as ``boltzmann`` scales it) ...
REFERENCE_AGENTS = 1_000
#: ... for this many steps, building the model included: 0.08 to 0.17 s (median 0.13 s) on the
#: busy 2-core machine of benchmarks/README.md, the same order as the default run, so the two
#: alternate quickly enough to see the same machine.
REFERENCE_STEPS = 20

#: Issue 12's budget for the default run in seconds: printed as information, not checked.
DEFAULT_RUN_BUDGET_S = 0.15
#: The reference run's median on the machine of benchmarks/README.md when the budget was set,
#: 2026-12-03 16:43-16:46 UTC on a quiet machine (load average 0.1 to 1.0): the median of the
#: reference medians of 6 runs of ``--quick`` in a row, which ranged from 0.076 to 0.094 s. The
#: same runs' default-run medians were 0.112 to 0.133 s (all within the 0.15 s) and their ratios
#: 1.28 to 1.61 (median 1.43). A first setting, 0.132 s, was measured with a calibration busy on
#: both cores: the reference slows more than the default run on a busy machine, so a constant
#: set under load makes the budget stricter than the 0.15 s on a quiet one.
REFERENCE_MEDIAN_WHEN_SET_S = 0.085
#: The default run's budget as a ratio to the reference run: 0.15 / 0.085 = 1.76.
DEFAULT_RUN_BUDGET_RATIO = DEFAULT_RUN_BUDGET_S / REFERENCE_MEDIAN_WHEN_SET_S
#: Alternating rounds of the reference run and the default run.
DEFAULT_RUN_ROUNDS = 15

#: The rules in the order of the weekly step (sim.model.WorkplaceModel.step), after expose.
RULES = (
    "manage",
    "adopt",
    "learn",
    "produce",
    "assign_work",
    "exhaust",
    "trust",
    "connect",
    "align",
    "intend",
    "turnover",
)


def boltzmann(n: int) -> BoltzmannWealth:
    side = math.isqrt(n)
    return BoltzmannWealth(BoltzmannScenario(n=n, width=side, height=side, rng=1))


def rate(model, n: int, steps: int) -> float:
    """Agent-steps per second over ``steps`` steps."""
    t = time.perf_counter()
    for _ in range(steps):
        model.step()
    return n * steps / (time.perf_counter() - t)


def compare_step_rates(n: int, rounds: int) -> dict:
    ours = WorkplaceModel(n_agents=n, rng=1)
    ours.run(5)  # past the first weeks
    theirs = boltzmann(n)
    theirs.step()
    ours_steps = max(3, 2_000_000 // n)
    theirs_steps = max(1, 200_000 // n)
    r_ours, r_theirs = [], []
    for _ in range(rounds):
        r_ours.append(rate(ours, n, ours_steps))
        r_theirs.append(rate(theirs, n, theirs_steps))
    a, b = statistics.median(r_ours), statistics.median(r_theirs)
    return {"agents": n, "workplace_sim": a, "boltzmann": b, "ratio": a / b}


def shipped_grid_ratio(n: int) -> dict:
    """One step of BoltzmannWealth at its shipped 10 x 10 grid against our weekly step.

    The literal reading of "as shipped": the example's default grid whatever the
    agent count, so each cell holds n / 100 agents and every agent's step scans
    its cellmates. Reported beside the budget's ratio, not instead of it.
    """
    ours = WorkplaceModel(n_agents=n, rng=1)
    ours.run(5)
    theirs = BoltzmannWealth(BoltzmannScenario(n=n, rng=1))
    a = rate(ours, n, max(3, 2_000_000 // n))
    b = rate(theirs, n, 1)
    return {"agents": n, "workplace_sim": a, "boltzmann_shipped_grid": b, "ratio": a / b}


def profile_step(n: int, weeks: int) -> dict[str, float]:
    """Median milliseconds per week of each rule of the step, and of the whole step.

    Runs the week of :meth:`sim.model.WorkplaceModel._simulate_week` rule by rule with a
    clock between rules ("record" is replacing people and the weekly record).
    """
    model = WorkplaceModel(n_agents=n, rng=1).run(5)
    times: dict[str, list[float]] = {name: [] for name in ("expose", *RULES, "record", "step")}
    for _ in range(weeks):
        s, p = model.state, model.params
        model.week += 1
        start = t = time.perf_counter()
        week = rules.expose(s, model.ties, model.week, p, model._step_rng)
        for name in ("expose", *RULES):
            if name != "expose":
                out = getattr(rules, name)(s, p, week)
            now = time.perf_counter()
            times[name].append(now - t)
            t = now
        left, hired = out
        model._replace_people(left, hired, week.tool_quality)
        s.tenure += s.occupied
        quits = int(s.employee[left].sum())
        model._record(week.tool_quality, quits, len(hired), week.tie_strength)
        now = time.perf_counter()
        times["record"].append(now - t)
        times["step"].append(now - start)
    return {name: statistics.median(v) * 1e3 for name, v in times.items()}


def default_run() -> float:
    """Seconds of the default run: build, 104 weeks and both survey waves."""
    t = time.perf_counter()
    WorkplaceModel(rng=1).run(104).survey()
    return time.perf_counter() - t


def reference_run() -> float:
    """Seconds of the reference run: BoltzmannWealth built and stepped as fixed above."""
    t = time.perf_counter()
    model = boltzmann(REFERENCE_AGENTS)
    for _ in range(REFERENCE_STEPS):
        model.step()
    return time.perf_counter() - t


def compare_default_run(rounds: int) -> dict[str, int | float | bool]:
    """Time the reference run and the default run alternately, and compare their medians.

    Each run starts after a full garbage collection, so no run pays for the
    previous one's garbage.

    Args:
        rounds: Number of (reference, default) pairs; one untimed pair runs first.

    Returns:
        The reference workload, both medians in seconds, their ratio (default over
        reference), the budget ratio, the issue's budget in seconds and whether the
        ratio is within the budget ratio.
    """
    reference_run()
    default_run()
    reference, default = [], []
    for _ in range(rounds):
        gc.collect()
        reference.append(reference_run())
        gc.collect()
        default.append(default_run())
    ref, med = statistics.median(reference), statistics.median(default)
    return {
        "reference_agents": REFERENCE_AGENTS,
        "reference_steps": REFERENCE_STEPS,
        "rounds": rounds,
        "default_run_median_s": med,
        "reference_run_median_s": ref,
        "ratio": med / ref,
        "budget_ratio": DEFAULT_RUN_BUDGET_RATIO,
        "budget_s": DEFAULT_RUN_BUDGET_S,
        "met": med / ref <= DEFAULT_RUN_BUDGET_RATIO,
    }


def million(weeks: int) -> dict:
    code = (
        "import time,resource;from sim.model import WorkplaceModel;"
        "t=time.perf_counter();m=WorkplaceModel(n_agents=1_000_000,rng=1);b=time.perf_counter()-t;"
        f"m.run({weeks});m.survey();"
        "print(b, time.perf_counter()-t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    build, total, rss_kb = out.stdout.split()
    return {"build_s": float(build), "total_s": float(total), "peak_gb": int(rss_kb) / 1e6}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="skip the 1M-agent run")
    ap.add_argument("--json", action="store_true", help="print the results as JSON")
    ap.add_argument("--rounds", type=int, default=5, help="alternating timing rounds")
    ap.add_argument(
        "--shipped-grid",
        action="store_true",
        help="also time BoltzmannWealth at its shipped 10 x 10 grid at 100k agents (slow)",
    )
    ap.add_argument(
        "--profile",
        action="store_true",
        help="only time each rule of the weekly step at 100k agents (median ms per week)",
    )
    args = ap.parse_args()
    if args.profile:
        ms = profile_step(100_000, 60)
        if args.json:
            print(json.dumps(ms, indent=2))
            return
        print("Weekly step at 100,000 agents, median ms per week (one core):")
        for name, t in ms.items():
            print(f"  {name:12} {t:7.3f} ms  {t / ms['step']:6.1%}")
        return

    results: dict = {"steps": [compare_step_rates(n, args.rounds) for n in (10_000, 100_000)]}
    results["default_run"] = compare_default_run(DEFAULT_RUN_ROUNDS)
    if not args.quick:
        results["million"] = million(104)
    if args.shipped_grid:
        results["shipped_grid"] = shipped_grid_ratio(100_000)
    results["peak_rss_this_process_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6

    if args.json:
        print(json.dumps(results, indent=2))
        return
    print("Weekly step, agent-steps per second (one core):")
    for r in results["steps"]:
        print(
            f"  {r['agents']:>7,} agents: workplace-sim {r['workplace_sim']:>12,.0f}"
            f"   BoltzmannWealth {r['boltzmann']:>10,.0f}   ratio {r['ratio']:6.1f}x"
        )
    ok = results["steps"][-1]["ratio"] >= 40
    print(f"  budget: >= 40x at 100k agents -> {'met' if ok else 'NOT met'}")
    if "shipped_grid" in results:
        r = results["shipped_grid"]
        print(
            f"  BoltzmannWealth at its shipped 10 x 10 grid, 100,000 agents: "
            f"{r['boltzmann_shipped_grid']:,.0f} agent-steps/s, ratio {r['ratio']:,.0f}x"
        )
    d = results["default_run"]
    print(
        f"Default run (1,000 agents, 104 weeks, build + burn-in + 2 waves): median "
        f"{d['default_run_median_s']:.3f} s (issue 12's budget {d['budget_s']} s, information only)"
    )
    print(
        f"  reference (BoltzmannWealth, {REFERENCE_AGENTS:,} agents, {REFERENCE_STEPS} steps):"
        f" median {d['reference_run_median_s']:.3f} s   ratio {d['ratio']:.2f}"
    )
    print(
        f"  budget: ratio <= {d['budget_ratio']:.2f} ({d['budget_s']} s over the reference's"
        f" {REFERENCE_MEDIAN_WHEN_SET_S} s when set) -> {'met' if d['met'] else 'NOT met'}"
    )
    if "million" in results:
        m = results["million"]
        print(
            f"1M agents, 104 weeks: {m['total_s']:.1f} s (build {m['build_s']:.1f} s),"
            f" peak memory {m['peak_gb']:.2f} GB  budget 120 s / 8 GB -> "
            f"{'met' if m['total_s'] <= 120 and m['peak_gb'] <= 8 else 'NOT met'}"
        )


if __name__ == "__main__":
    main()
