"""Time one dashboard step on the server: the model's week plus drawing the page's pictures.

Run::

    python -m sim.dashboard.latency                  # 200 positions, 30 steps
    python -m sim.dashboard.latency --agents 1000 --side-by-side

The browser's share (websocket, page update) is measured end to end by
``tests/test_dashboard_browser.py::test_one_step_is_on_screen_within_300_ms``.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from sim.dashboard.session import BAND_SEEDS, DEFAULT_AGENTS, DashboardSession


def measure(agents: int, steps: int, side_by_side: bool) -> dict[str, float]:
    """Return median and 90th-percentile step and render times (ms) over ``steps`` steps."""
    session = DashboardSession(n_agents=agents, side_by_side=side_by_side)
    session.advance()  # warm up caches (tie paths, colour map, targets)
    step_ms, render_ms, total_ms = [], [], []
    for _ in range(steps):
        frame = session.advance()
        step_ms.append(frame.step_ms)
        render_ms.append(frame.render_ms)
        total_ms.append(frame.step_ms + frame.render_ms)

    def p90(xs: list[float]) -> float:
        return sorted(xs)[int(0.9 * (len(xs) - 1))]

    return {
        "step_median": statistics.median(step_ms),
        "render_median": statistics.median(render_ms),
        "total_median": statistics.median(total_ms),
        "total_p90": p90(total_ms),
    }


def main(argv: list[str] | None = None) -> int:
    """Print the timings."""
    parser = argparse.ArgumentParser(prog="python -m sim.dashboard.latency", description=__doc__)
    parser.add_argument("--agents", type=int, default=DEFAULT_AGENTS)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--side-by-side", action="store_true")
    args = parser.parse_args(argv)
    r = measure(args.agents, args.steps, args.side_by_side)
    runs = f"2 scenarios x {BAND_SEEDS} seeds" if args.side_by_side else "1 run"
    print(
        f"{args.agents} positions, {runs}, {args.steps} steps: "
        f"model step {r['step_median']:.1f} ms, drawing {r['render_median']:.1f} ms, "
        f"total median {r['total_median']:.1f} ms (90th percentile {r['total_p90']:.1f} ms)"
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
