"""Sensitivity analysis of a sweep: Sobol indices or Morris screening, via SALib.

A spec with ``design = "sobol"`` gives, for each chosen output, each varied
parameter's first-order index ``S1`` (the share of the output's variance the
parameter explains alone) and total index ``ST`` (alone and through all its
interactions), each with the half-width of its confidence interval
(``S1_conf``, ``ST_conf``, bootstrap, level ``conf_level``). A spec with
``design = "morris"`` gives the elementary effects' mean ``mu``, mean absolute
value ``mu_star`` (with ``mu_star_conf``) and spread ``sigma``: a cheap
screening that ranks parameters with few runs.

The output of a point is the mean over its replicate seeds (the seeds are shared
by all points, so the noise between points is small).

Example:
    >>> import numpy as np
    >>> from sim.sweeps.indices import analyse_arrays
    >>> from sim.sweeps.design import raw_sample
    >>> from sim.sweeps.spec import Factor
    >>> fs = [Factor("a", lo=0, hi=1), Factor("b", lo=0, hi=1)]
    >>> x = raw_sample(fs, "sobol", 256, seed=1)
    >>> t = analyse_arrays("sobol", fs, x, 5 * x[:, 0] + x[:, 1], seed=1)
    >>> t.sort_values("ST", ascending=False).parameter.tolist()
    ['a', 'b']
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import io
from sim.errors import UserError
from sim.sweeps.design import build_design, salib_problem
from sim.sweeps.spec import Factor, SweepSpec, load_spec

__all__ = [
    "METHODS",
    "analyse",
    "analyse_arrays",
    "sensitivity",
    "sensitivity_figure",
    "write_sensitivity",
]

#: Designs a sensitivity analysis accepts.
METHODS = ("sobol", "morris")


def _need(spec: SweepSpec) -> None:
    if spec.design not in METHODS:
        where = spec.path or "sweep spec"
        raise UserError(
            f"{where}: sensitivity needs design = 'sobol' or 'morris', this spec has"
            f" '{spec.design}'"
        )
    try:
        import SALib  # noqa: F401
    except ImportError:
        raise UserError(
            "sensitivity analysis needs SALib: pip install 'workplace-sim[sensitivity]'"
        ) from None


def analyse_arrays(
    method: str,
    factors: Sequence[Factor],
    x: np.ndarray,
    y: np.ndarray,
    *,
    conf_level: float = 0.95,
    second_order: bool = False,
    levels: int = 4,
    num_resamples: int = 100,
    seed: int = 0,
) -> pd.DataFrame:
    """Return the sensitivity indices of one output ``y`` over the raw sample ``x``.

    An output that is the same at every point has no variance to apportion: its
    Sobol indices are NaN and its Morris effects zero.

    Args:
        method: ``sobol`` (``x`` a Saltelli sample) or ``morris`` (``x`` Morris trajectories).
        factors: the sampled factors, in the sample's column order.
        x: raw sample, one row per point (:func:`sim.sweeps.design.raw_sample`).
        y: the output at each point.
        conf_level: confidence level of the intervals.
        second_order: whether ``x`` is a second-order Saltelli sample.
        levels: Morris grid levels the sample was made with.
        num_resamples: bootstrap resamples for the intervals.
        seed: seeds the bootstrap.

    Returns:
        One row per parameter: ``parameter`` and ``S1``, ``S1_conf``, ``ST``,
        ``ST_conf`` (Sobol; second-order pairs add rows ``a:b`` with ``S2``,
        ``S2_conf``) or ``mu``, ``mu_star``, ``mu_star_conf``, ``sigma`` (Morris).
    """
    problem = salib_problem(factors)
    y = np.asarray(y, dtype=float)
    names = problem["names"]
    if method not in METHODS:
        raise UserError(f"unknown sensitivity method '{method}': choose sobol or morris")
    if len(y) and np.ptp(y) == 0:  # a constant output: no variance to apportion
        cols = (
            ("S1", "S1_conf", "ST", "ST_conf")
            if method == "sobol"
            else ("mu", "mu_star", "mu_star_conf", "sigma")
        )
        fill = math.nan if method == "sobol" else 0.0
        return pd.DataFrame({"parameter": names, **{c: fill for c in cols}})
    if method == "sobol":
        from SALib.analyze import sobol

        res = sobol.analyze(
            problem,
            y,
            calc_second_order=second_order,
            num_resamples=num_resamples,
            conf_level=conf_level,
            seed=seed,
        )
        table = pd.DataFrame(
            {
                "parameter": names,
                "S1": res["S1"],
                "S1_conf": res["S1_conf"],
                "ST": res["ST"],
                "ST_conf": res["ST_conf"],
            }
        )
        if second_order:
            pairs = []
            for i in range(len(names)):
                for j in range(i + 1, len(names)):
                    pairs.append(
                        {
                            "parameter": f"{names[i]}:{names[j]}",
                            "S2": res["S2"][i, j],
                            "S2_conf": res["S2_conf"][i, j],
                        }
                    )
            table = pd.concat([table, pd.DataFrame(pairs)], ignore_index=True)
        return table
    if method == "morris":
        from SALib.analyze import morris

        res = morris.analyze(
            problem,
            np.asarray(x, dtype=float),
            y,
            num_resamples=num_resamples,
            conf_level=conf_level,
            num_levels=levels,
            seed=seed,
        )
        return pd.DataFrame(
            {
                "parameter": names,
                "mu": np.asarray(res["mu"], dtype=float),
                "mu_star": np.asarray(res["mu_star"], dtype=float),
                "mu_star_conf": np.asarray(res["mu_star_conf"], dtype=float),
                "sigma": np.asarray(res["sigma"], dtype=float),
            }
        )
    raise UserError(f"unknown sensitivity method '{method}': choose sobol or morris")


def analyse(
    spec: SweepSpec | str | Mapping[str, Any],
    results: pd.DataFrame,
    outputs: Sequence[str] | None = None,
    *,
    num_resamples: int = 100,
) -> pd.DataFrame:
    """Return the sensitivity indices of a finished Sobol or Morris sweep.

    Args:
        spec: the sweep's spec (its design must be ``sobol`` or ``morris``).
        results: the sweep's results (:func:`sim.sweeps.sweep` or
            :func:`sim.sweeps.load_results`), every point with at least one run ``ok``.
        outputs: outputs to analyse (default: the spec's ``[sensitivity] outputs``).
        num_resamples: bootstrap resamples for the intervals.

    Returns:
        One row per output and parameter: ``output``, ``method``, ``parameter`` and
        the indices (see :func:`analyse_arrays`).

    Raises:
        UserError: for a spec that is not Sobol or Morris, an unknown output, or
            points with no finished run.
    """
    spec = load_spec(spec)
    _need(spec)
    chosen = list(outputs) if outputs else list(spec.sensitivity_outputs)
    kept = spec.outputs.columns()
    for name in chosen:
        if name not in kept:
            raise UserError(
                f"unknown output '{name}' for sensitivity: the sweep keeps {', '.join(kept)}"
            )
    if not chosen:
        raise UserError("no output to analyse: name some under [sensitivity] outputs")
    _, x = build_design(spec)
    n_points = len(x)
    ok = results[results["status"] == "ok"]
    tables = []
    for name in chosen:
        y = ok.groupby("point")[name].mean().reindex(range(n_points))
        missing = int(y.isna().sum())
        if missing:
            raise UserError(
                f"sensitivity of '{name}': {missing} of {n_points} points have no value"
                " (runs pending, failed or giving NaN): finish the sweep first (re-run it),"
                " see the run table"
            )
        t = analyse_arrays(
            spec.design,
            spec.factors,
            x,
            y.to_numpy(),
            conf_level=spec.conf_level,
            second_order=spec.second_order,
            levels=spec.morris_levels,
            num_resamples=num_resamples,
            seed=spec.root_seed,
        )
        t.insert(0, "method", spec.design)
        t.insert(0, "output", name)
        tables.append(t)
    return pd.concat(tables, ignore_index=True)


def sensitivity_figure(table: pd.DataFrame, *, title: str = "") -> Any:
    """Return a matplotlib figure of a sensitivity table: one panel per output.

    Sobol: horizontal bars of ``S1`` and ``ST`` with their intervals. Morris:
    ``mu_star`` against ``sigma`` with each parameter labelled.
    """
    import matplotlib.pyplot as plt

    outputs = list(dict.fromkeys(table["output"]))
    n = len(outputs)
    ncols = min(3, n)
    nrows = math.ceil(n / ncols)
    method = str(table["method"].iloc[0])
    n_params = table["parameter"].nunique()
    height = max(2.6, 0.42 * n_params + 1.2) if method == "sobol" else 3.6
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(4.6 * ncols, height * nrows), squeeze=False, layout="constrained"
    )
    for k, name in enumerate(outputs):
        ax = axes[k // ncols][k % ncols]
        t = table[table["output"] == name]
        if method == "sobol":
            t = t[t["S1"].notna()] if "S1" in t else t
            pos = np.arange(len(t))
            ax.barh(pos - 0.2, t["ST"], 0.4, xerr=t["ST_conf"], label="total (ST)", color="#4c72b0")
            ax.barh(
                pos + 0.2,
                t["S1"],
                0.4,
                xerr=t["S1_conf"],
                label="first order (S1)",
                color="#dd8452",
            )
            ax.set_yticks(pos, t["parameter"])
            ax.invert_yaxis()
            ax.axvline(0, color="0.3", lw=0.8)
            ax.set_xlabel("Sobol index")
            if k == 0:
                ax.legend(loc="lower right", fontsize=8)
        else:
            ax.errorbar(t["mu_star"], t["sigma"], xerr=t["mu_star_conf"], fmt="o", color="#4c72b0")
            for _, r in t.iterrows():
                ax.annotate(
                    r["parameter"],
                    (r["mu_star"], r["sigma"]),
                    fontsize=8,
                    xytext=(3, 3),
                    textcoords="offset points",
                )
            ax.set_xlabel("mu* (mean |elementary effect|)")
            ax.set_ylabel("sigma (interactions, non-linearity)")
        ax.set_title(name, fontsize=10)
    for k in range(n, nrows * ncols):
        axes[k // ncols][k % ncols].set_visible(False)
    if title:
        fig.suptitle(title)
    return fig


def write_sensitivity(
    out: str | os.PathLike[str], table: pd.DataFrame, *, title: str = ""
) -> list[Path]:
    """Write the table (CSV, Parquet) and figure (PNG, SVG) into ``out``; return the paths."""
    import matplotlib.pyplot as plt

    root = Path(out)
    paths = [io.write_csv(root / "sensitivity.csv", table)]
    if io.parquet_or_note():
        paths.append(io.write_parquet(root / "sensitivity.parquet", table))
    fig = sensitivity_figure(table, title=title)
    try:
        paths.append(io.write_figure(root / "sensitivity.png", fig))
        paths.append(io.write_figure(root / "sensitivity.svg", fig))
    finally:
        plt.close(fig)
    return paths


def sensitivity(
    spec: SweepSpec | str | Mapping[str, Any],
    executor: Any = "processes",
    *,
    out: str | os.PathLike[str] | None = None,
    outputs: Sequence[str] | None = None,
    workers: int | None = None,
    address: str | None = None,
    batch_size: int | None = None,
    progress: Any = None,
    model: Any = None,
    num_resamples: int = 100,
) -> pd.DataFrame:
    """Run (or resume) a Sobol or Morris sweep and return its sensitivity indices.

    Takes the arguments of :func:`sim.sweeps.sweep`; with ``out`` the sweep's
    results are reused on a second call, and the table (``sensitivity.csv``,
    ``.parquet``) and figure (``sensitivity.png``, ``.svg``) are written there.

    Args:
        spec: a spec (file, bundled name, dict) whose design is ``sobol`` or ``morris``.
        executor: ``"local"``, ``"processes"`` (default), ``"dask"`` or an Executor.
        out: output folder of the sweep and the analysis.
        outputs: outputs to analyse (default: the spec's ``[sensitivity] outputs``).
        workers: processes or Dask workers.
        address: Dask scheduler address.
        batch_size: runs per task.
        progress: ``progress(done, total)`` callback.
        model: the run function (default :func:`sim.model.simulate`).
        num_resamples: bootstrap resamples for the intervals.

    Returns:
        The indices, one row per output and parameter (see :func:`analyse`).

    Raises:
        UserError: for a bad spec, a design other than Sobol or Morris, unknown
            outputs, or runs that did not finish.
    """
    from sim.sweeps.engine import execute

    spec = load_spec(spec)
    _need(spec)
    if outputs:
        kept = spec.outputs.columns()
        for name in outputs:
            if name not in kept:
                raise UserError(
                    f"unknown output '{name}' for sensitivity: the sweep keeps {', '.join(kept)}"
                )
    report = execute(
        spec,
        executor,
        out=out,
        workers=workers,
        address=address,
        batch_size=batch_size,
        progress=progress,
        model=model,
    )
    table = analyse(spec, report.results, outputs, num_resamples=num_resamples)
    if out is not None:
        write_sensitivity(out, table, title=spec.title)
    return table
