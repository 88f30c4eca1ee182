"""Experiments at scale: parameter sweeps and sensitivity analysis.

* :func:`sweep` runs a sweep spec on an executor (in-process, a process pool or
  Dask) and returns one row per run; with ``out`` it streams the results to a
  resumable folder of Parquet files.
* :func:`sensitivity` runs a Sobol or Morris sweep and returns SALib's indices.
* :func:`rerun` runs one sweep row again, to the same numbers.
* :func:`load_spec` reads and checks a spec; :func:`load_results`,
  :func:`load_series` and :func:`load_run_table` read a sweep's folder.

See ``docs/sweeps.md`` for the guide.

Example:
    >>> import sim.sweeps as sw
    >>> spec = {"vary": {"touchpoints": [0.1, 0.5]}, "weeks": 8,
    ...         "params": {"n_agents": 60}, "outputs": {"outcomes": ["burnout_share"]}}
    >>> df = sw.sweep(spec, executor="local")
    >>> list(df.columns)
    ['run_id', 'point', 'replicate', 'seed', 'touchpoints', 'status', 'error', 'burnout_share']
"""

from sim.sweeps.design import build_design
from sim.sweeps.engine import SweepReport, execute, rerun, rerun_inputs, sweep
from sim.sweeps.indices import analyse, sensitivity, sensitivity_figure
from sim.sweeps.spec import SweepSpec, bundled_specs, load_spec
from sim.sweeps.store import load_results, load_run_table, load_series, read_manifest

__all__ = [
    "SweepReport",
    "SweepSpec",
    "analyse",
    "build_design",
    "bundled_specs",
    "execute",
    "load_results",
    "load_run_table",
    "load_series",
    "load_spec",
    "read_manifest",
    "rerun",
    "rerun_inputs",
    "sensitivity",
    "sensitivity_figure",
    "sweep",
]
