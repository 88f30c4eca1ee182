"""workplace-sim: an agent-based simulation of how AI adoption reshapes work.

The top-level names are loaded on first use, so ``import sim`` stays light::

    import sim

    model = sim.WorkplaceModel(n_agents=500, rng=1).run(104)
    baseline = sim.load_scenario("baseline")
    result = sim.run_scenario(baseline, seeds=5)
    table = sim.compare(["baseline", "keep_slack"], seeds=5)
    runs = sim.sweep("levers", executor="processes")
"""

from __future__ import annotations

import importlib
from typing import Any

from sim.errors import UserError
from sim.params import ParameterError, Params

__version__ = "0.1.0"

#: Public names and the modules that define them (imported when first used).
_LAZY = {
    "WorkplaceModel": "sim.model",
    "simulate": "sim.model",
    "load_targets": "sim.targets",
    "Scenario": "sim.scenarios",
    "load_scenario": "sim.scenarios",
    "bundled_scenarios": "sim.scenarios",
    "run_scenario": "sim.runner",
    "compare": "sim.runner",
    "run_seeds": "sim.runner",
    "simulate_scenario": "sim.runner",
    "sweep": "sim.sweeps",
    "sensitivity": "sim.sweeps",
    "rerun": "sim.sweeps",
}

__all__ = ["ParameterError", "Params", "UserError", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sim' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
