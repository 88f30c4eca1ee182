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
by all points, so the noise between points is small). :func:`noise_check` says
when the indices of an output are dominated by what noise is left, and how many
seeds per point would do; :func:`rank_parameters` ranks the varied parameters of
any sweep (not only Sobol or Morris) by rank correlation and standardized
regression coefficients.

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
import reprlib
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim import io
from sim.errors import SimWarning, UserError
from sim.extras import require
from sim.inputs import check_int
from sim.sweeps.design import build_design, salib_problem
from sim.sweeps.engine import _check_flag, execute
from sim.sweeps.spec import Factor, SweepSpec, load_spec
from sim.vocabulary import column_label

__all__ = [
    "METHODS",
    "NOISE_SHARE",
    "SeedNoiseWarning",
    "analyse",
    "analyse_arrays",
    "noise_check",
    "noise_note",
    "noise_warnings",
    "rank_parameters",
    "ranking_lines",
    "seed_noise",
    "sensitivity",
    "sensitivity_figure",
    "write_sensitivity",
]

#: Designs a sensitivity analysis accepts.
METHODS = ("sobol", "morris")


class SeedNoiseWarning(SimWarning):
    """Sensitivity indices of an output that seed noise may dominate (see :func:`noise_check`)."""


#: Parameters labelled in each Morris panel (the highest mu*); the rest overlap near 0.
MORRIS_LABELS = 5


def _need(spec: SweepSpec) -> None:
    if spec.design not in METHODS:
        where = spec.path or "sweep spec"
        raise UserError(
            f"{where}: sensitivity needs design = 'sobol' or 'morris', this spec has"
            f" '{spec.design}'"
        )
    _salib_analyze("sobol")  # fail now, before any run, if SALib is missing


def _chosen_outputs(spec: SweepSpec, outputs: Any) -> list[str]:
    """Return the outputs to analyse: those given (one name: a list of one), else the spec's.

    Raises:
        UserError: for ``outputs`` of another type, an empty list, or an output the
            sweep does not keep.
    """
    kept = spec.outputs.columns()
    if outputs is None:
        chosen = list(spec.sensitivity_outputs)
        if not chosen:
            raise UserError("no output to analyse: name some under [sensitivity] outputs")
        return chosen
    if isinstance(outputs, str):
        outputs = [outputs]
    if not isinstance(outputs, Sequence | np.ndarray | pd.Index) or not all(
        isinstance(name, str) for name in outputs
    ):
        raise UserError(
            f"outputs={reprlib.repr(outputs)} has the wrong type: expected a list of output"
            f" names or one name (the sweep keeps {', '.join(kept)})"
        )
    if not len(outputs):
        raise UserError(
            "outputs is empty: name one or more outputs, or give None for the spec's"
            f" [sensitivity] outputs (the sweep keeps {', '.join(kept)})"
        )
    for name in outputs:
        if name not in kept:
            raise UserError(
                f"unknown output '{name}' for sensitivity: the sweep keeps {', '.join(kept)}"
            )
    return list(dict.fromkeys(outputs))


def _check_resamples(num_resamples: Any) -> int:
    """Return ``num_resamples`` if it is a whole number, 1 or more.

    Raises:
        UserError: ``num_resamples=0 is out of range: allowed 1 or more``.
    """
    return check_int("num_resamples", num_resamples, (1, None))


def _salib_analyze(method: str) -> Any:
    """SALib's analysis ``method`` (``sobol``, ``morris``), or how to install SALib."""
    return require(f"SALib.analyze.{method}", "sensitivity", "sensitivity analysis")


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
        res = _salib_analyze("sobol").analyze(
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
        res = _salib_analyze("morris").analyze(
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
        outputs: outputs to analyse, or one output's name (default: the spec's
            ``[sensitivity] outputs``).
        num_resamples: bootstrap resamples for the intervals (1 or more).

    Returns:
        One row per output and parameter: ``output``, ``method``, ``parameter`` and
        the indices (see :func:`analyse_arrays`).

    Raises:
        UserError: for a spec that is not Sobol or Morris, results that are not a
            sweep's, an unknown output, a bad ``num_resamples``, or points with no
            finished run.
    """
    spec = load_spec(spec)
    _need(spec)
    chosen = _chosen_outputs(spec, outputs)
    num_resamples = _check_resamples(num_resamples)
    if not isinstance(results, pd.DataFrame):
        raise UserError(
            f"results={reprlib.repr(results)} has the wrong type: expected the sweep's results"
            " (a DataFrame from sim.sweeps.sweep or sim.sweeps.load_results)"
        )
    missing = [c for c in ("point", "status", *chosen) if c not in results.columns]
    if missing:
        raise UserError(
            f"the results have no column {', '.join(missing)}: give this sweep's results"
            " (sim.sweeps.sweep or sim.sweeps.load_results)"
        )
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


def plain_name(name: str) -> str:
    """Return a parameter, a result column or a pair ``a:b`` of parameters in plain words.

    Example:
        >>> plain_name("output_conversion"), plain_name("burnout_share")
        ('saved time turned into more work', 'burnt out')
        >>> plain_name("touchpoints:coaching_hours")
        'human touchpoints & coaching time'
    """
    return " & ".join(column_label(part) for part in name.split(":"))


def labelled(frame: pd.DataFrame, columns: Sequence[str] = ("output", "parameter")) -> pd.DataFrame:
    """Return ``frame`` with its output and parameter names in plain words (for people only).

    The tables written to files keep the code names; figures and printed tables use this.
    """
    out = frame.copy()
    for c in columns:
        if c in out.columns:
            out[c] = out[c].map(lambda x: plain_name(str(x)))
    return out


#: The columns a sensitivity table of each method needs to be drawn.
_FIGURE_COLUMNS = {
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("mu_star", "mu_star_conf", "sigma"),
}


def _check_indices(table: Any) -> str:
    """Return the method of a sensitivity table if it can be drawn.

    Raises:
        UserError: for something other than a DataFrame from :func:`analyse`, a table
            without its columns (a sweep's results), an empty one, or one that mixes
            methods.
    """
    what = "the indices from sim.sweeps.analyse or sim.sweeps.sensitivity"
    if not isinstance(table, pd.DataFrame):
        raise UserError(
            f"table={reprlib.repr(table)} has the wrong type: expected {what} (a DataFrame)"
        )
    missing = [c for c in ("output", "method", "parameter") if c not in table.columns]
    if missing:
        raise UserError(
            f"the table has no column {', '.join(missing)}: give {what}, not a sweep's results"
        )
    if table.empty:
        raise UserError(f"the table is empty: nothing to draw: give {what}")
    methods = list(dict.fromkeys(table["method"].astype(str)))
    if len(methods) > 1 or methods[0] not in _FIGURE_COLUMNS:
        shown = ", ".join(repr(m) for m in methods)
        raise UserError(
            f"the table's method is {shown}: one figure draws one method, 'sobol' or"
            " 'morris'; draw each method's rows on their own"
        )
    method = str(methods[0])
    missing = [c for c in _FIGURE_COLUMNS[method] if c not in table.columns]
    if missing:
        raise UserError(f"the {method} table has no column {', '.join(missing)}: give {what}")
    return method


def sensitivity_figure(table: pd.DataFrame, *, title: str = "", plain: bool = True) -> Any:
    """Return a matplotlib figure of a sensitivity table: one panel per output.

    Sobol: horizontal bars of ``S1`` and ``ST`` with their intervals. Morris:
    ``mu_star`` against ``sigma``, the :data:`MORRIS_LABELS` parameters of highest
    ``mu_star`` labelled (the table has them all).

    Args:
        table: the indices (:func:`analyse`), with code names.
        title: the figure's title.
        plain: name outputs and parameters in plain words (:mod:`sim.vocabulary`);
            ``False``: by their code names (True or False).

    Raises:
        UserError: for something other than a non-empty table of one method from
            :func:`analyse` (a sweep's results, say), a ``title`` that is not text, or a
            ``plain`` that is not True or False.
    """
    method = _check_indices(table)
    if not isinstance(title, str):
        raise UserError(f"title={reprlib.repr(title)} has the wrong type: expected text")
    if _check_flag("plain", plain):
        table = labelled(table)
    outputs = list(dict.fromkeys(table["output"]))
    n = len(outputs)
    ncols = min(3, n)
    nrows = math.ceil(n / ncols)
    n_params = table["parameter"].nunique()
    height = max(2.6, 0.42 * n_params + 1.2) if method == "sobol" else 3.6
    fig = Figure(figsize=(4.6 * ncols, height * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
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
            # label the strongest few only: labels of parameters near zero overlap
            top = t.sort_values("mu_star", ascending=False).head(MORRIS_LABELS)
            for _, r in top.iterrows():
                ax.annotate(
                    r["parameter"],
                    (r["mu_star"], r["sigma"]),
                    fontsize=8,
                    xytext=(3, 3),
                    textcoords="offset points",
                )
            if len(t) > MORRIS_LABELS:
                ax.text(
                    0.98,
                    0.02,
                    f"top {MORRIS_LABELS} of {len(t)} labelled; all in the table",
                    transform=ax.transAxes,
                    ha="right",
                    va="bottom",
                    fontsize=7,
                    color="0.4",
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
    """Write the table (CSV, Parquet) and figure (PNG, SVG) into ``out``; return the paths.

    The table keeps the code names; the figure names outputs and parameters in plain words.
    """
    root = Path(out)
    paths = [io.write_csv(root / "sensitivity.csv", table)]
    if io.parquet_or_note():
        paths.append(io.write_parquet(root / "sensitivity.parquet", table))
    fig = sensitivity_figure(table, title=title)
    paths.append(io.write_figure(root / "sensitivity.png", fig))
    paths.append(io.write_figure(root / "sensitivity.svg", fig))
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
        outputs: outputs to analyse, or one output's name (default: the spec's
            ``[sensitivity] outputs``).
        workers: processes or Dask workers.
        address: Dask scheduler address.
        batch_size: runs per task.
        progress: None, or a ``progress(done, total)`` callback.
        model: the run function (default :func:`sim.model.simulate`).
        num_resamples: bootstrap resamples for the intervals (1 or more).

    Returns:
        The indices, one row per output and parameter (see :func:`analyse`).

    Raises:
        UserError: for a bad spec, a design other than Sobol or Morris, unknown
            outputs, a bad ``num_resamples`` or other argument (all before any run),
            or runs that did not finish.

    Warns:
        SeedNoiseWarning: for each output whose indices look like seed noise
            (:func:`noise_check`), with the seeds per point it would need.
    """
    spec = load_spec(spec)
    _need(spec)
    chosen = _chosen_outputs(spec, outputs)  # checked before any run
    num_resamples = _check_resamples(num_resamples)
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
    table = analyse(spec, report.results, chosen, num_resamples=num_resamples)
    if out is not None:
        write_sensitivity(out, table, title=spec.title)
    for line in noise_warnings(noise_check(table, report.results)):
        warnings.warn(line.removeprefix("warning: "), SeedNoiseWarning, stacklevel=2)
    return table


# ----------------------------------------------------------------------------- noise check
#: Largest share of the variance between point means that seed noise may take before
#: :func:`noise_check` warns; also the share it sizes ``seeds_needed`` for.
NOISE_SHARE = 0.1
#: Sum of the total indices ST above which :func:`noise_check` flags a Sobol output.
ST_SUM_MAX = 1.5
#: The flag of a sweep with one seed per point (its noise cannot be measured).
ONE_SEED = "one seed per point: seed noise cannot be measured (use seeds >= 2)"


def seed_noise(results: pd.DataFrame, output: str) -> dict[str, float]:
    """Split an output's variation over a sweep's points into signal and seed noise.

    The replicate seeds are shared by every point (``replicate`` r runs on the
    same seed at every point), so the runs form a points x seeds table
    ``y[p, r] = mu_p + s_r + e[p, r]``. A two-way decomposition gives

    * the noise variance of one run, ``s2_e = SS_resid / ((P - 1) (R - 1))``
      (what is left after the point and seed means; the seed effect ``s_r`` is
      shared by all points and cancels in their differences);
    * the variance of the point means, ``s2_b = var(mean_r y[p, r])``, of which
      ``s2_e / R`` is noise and ``signal = s2_b - s2_e / R`` is the parameters' doing;
    * the noise share ``(s2_e / R) / s2_b``, and the seeds per point that bring it
      down to ``f`` = :data:`NOISE_SHARE`: ``R* = ceil(s2_e (1 - f) / (f signal))``
      (infinite when the signal does not stand above the noise).

    Points with a missing run are left out. With one seed per point the noise
    cannot be estimated: every value is NaN.

    Returns:
        ``{"seeds", "points", "noise_var", "between_var", "noise_share", "seeds_needed"}``.
    """
    ok = results[results["status"] == "ok"] if "status" in results else results
    wide = ok.pivot_table(index="point", columns="replicate", values=output, aggfunc="mean")
    wide = wide.dropna()
    p, r = wide.shape
    nan = {"seeds": float(r), "points": float(p), "noise_var": math.nan}
    nan |= {"between_var": math.nan, "noise_share": math.nan, "seeds_needed": math.nan}
    if r < 2 or p < 3:
        return nan
    y = wide.to_numpy(dtype=float)
    resid = y - y.mean(axis=1, keepdims=True) - y.mean(axis=0, keepdims=True) + y.mean()
    s2_e = float((resid**2).sum() / ((p - 1) * (r - 1)))
    s2_b = float(y.mean(axis=1).var(ddof=1))
    share = (s2_e / r) / s2_b if s2_b > 0 else (0.0 if s2_e == 0 else math.inf)
    signal = s2_b - s2_e / r
    f = NOISE_SHARE
    if s2_e == 0:
        need = 1.0
    elif signal > 0:
        need = float(math.ceil(s2_e * (1 - f) / (f * signal)))
    else:
        need = math.inf
    return {
        "seeds": float(r),
        "points": float(p),
        "noise_var": s2_e,
        "between_var": s2_b,
        "noise_share": min(share, 1.0) if math.isfinite(share) else 1.0,
        "seeds_needed": need,
    }


def noise_check(table: pd.DataFrame, results: pd.DataFrame) -> pd.DataFrame:
    """Check, per output, whether its sensitivity indices are dominated by seed noise.

    Flags (any one makes ``warn`` true):

    * seed noise above :data:`NOISE_SHARE` of the variance between point means
      (:func:`seed_noise`);
    * Sobol: a first-order index whose interval is wider than the index itself
      (``S1_conf > |S1|``) for a parameter that matters (``ST`` not within its
      interval of 0), a negative ``S1`` beyond its interval (``S1 + S1_conf < 0``),
      or total indices summing above :data:`ST_SUM_MAX`;
    * Morris: ``mu*``'s interval wider than ``mu*`` for the top-ranked parameter;
    * a single seed per point (the noise cannot be measured).

    Args:
        table: indices from :func:`analyse`.
        results: the sweep's results.

    Returns:
        One row per output: ``output, seeds, noise_share, seeds_needed, warn, flags``
        (``flags``: the reasons in words).
    """
    rows = []
    method = str(table["method"].iloc[0]) if len(table) else ""
    for name, t in table.groupby("output", sort=False):
        n = seed_noise(results, str(name))
        flags = []
        if n["seeds"] < 2:
            flags.append(ONE_SEED)
        elif n["noise_share"] > NOISE_SHARE:
            flags.append(f"seed noise is {n['noise_share']:.0%} of the variance between points")
        if method == "sobol":
            t = t[~t["parameter"].str.contains(":")].dropna(subset=["S1"])
            matters = t["ST"] - t["ST_conf"] > 0
            wide = int(((t["S1_conf"] > t["S1"].abs()) & matters).sum())
            if wide:
                flags.append(f"{wide} of {len(t)} S1 intervals wider than the index")
            neg = int((t["S1"] + t["S1_conf"] < 0).sum())
            if neg:
                flags.append(f"{neg} S1 negative beyond its interval")
            st_sum = float(t["ST"].sum())
            if st_sum > ST_SUM_MAX:
                flags.append(f"ST sums to {st_sum:.2f} (at most about 1 plus interactions)")
        elif method == "morris" and len(t):
            top = t.sort_values("mu_star", ascending=False).iloc[0]
            if top["mu_star_conf"] > top["mu_star"]:
                flags.append(f"the top mu* ({top['parameter']}) is within its interval of 0")
        rows.append(
            {
                "output": name,
                "seeds": int(n["seeds"]),
                "noise_share": n["noise_share"],
                "seeds_needed": n["seeds_needed"],
                "warn": bool(flags),
                "flags": "; ".join(flags),
            }
        )
    return pd.DataFrame(rows)


def noise_warnings(check: pd.DataFrame) -> list[str]:
    """Return the warnings of :func:`noise_check`: one line per flagged output.

    With one seed per point, outputs flagged for that alone share one line.
    """
    lines = []
    only = check["flags"] == ONE_SEED
    if only.any():
        names = ", ".join(map(str, check.loc[only, "output"]))
        lines.append(
            f"warning: {ONE_SEED.replace(' (use seeds >= 2)', '')}, so the indices of {names} "
            "may be seed noise without it showing; rerun with seeds = 2 or more per point "
            "to check them"
        )
    for r in check[check["warn"] & ~only].itertuples():
        need = r.seeds_needed
        if math.isnan(need):
            advice = "rerun with seeds >= 2 per point to measure the noise"
        elif math.isinf(need):
            advice = (
                "the parameters' effect does not stand above the noise: more seeds per point "
                "(many more than now) or wider ranges"
            )
        elif need > r.seeds:
            advice = f"about {int(need)} seeds per point would bring the noise under " + (
                f"{NOISE_SHARE:.0%} (now {r.seeds})"
            )
        else:
            advice = "the seeds suffice for the noise; read these indices with their intervals"
        lines.append(f"warning: {r.output}: indices may be seed noise: {r.flags}; {advice}")
    return lines


# ----------------------------------------------------------------------------- rankings
def rank_parameters(
    results: pd.DataFrame, names: Sequence[str], outputs: Sequence[str]
) -> pd.DataFrame:
    """Rank a sweep's varied parameters by how strongly each kept output follows them.

    Over the finished runs, the Spearman rank correlation ``rho`` of the output
    with each numeric varied parameter (monotone effects, any units), and the
    standardized regression coefficient ``src`` of a linear fit of the output on
    all of them (``beta_j sd(x_j) / sd(y)``; with independent factors
    ``src**2`` is about the share of variance the parameter explains linearly,
    and ``r2`` says how much a linear fit explains at all).

    Returns:
        One row per output and parameter, strongest ``|rho|`` first:
        ``output, parameter, rho, src, r2, rank``.
    """
    ok = results[results["status"] == "ok"] if "status" in results else results
    numeric = [n for n in names if pd.api.types.is_numeric_dtype(ok[n]) and ok[n].nunique() > 1]
    rows = []
    for out in outputs:
        d = ok[[*numeric, out]].dropna()
        if len(d) < 3 or not numeric or d[out].nunique() < 2:
            continue
        y = d[out].to_numpy(dtype=float)
        x = d[numeric].to_numpy(dtype=float)
        xs = (x - x.mean(axis=0)) / x.std(axis=0)
        ys = (y - y.mean()) / y.std()
        beta, *_ = np.linalg.lstsq(np.column_stack([np.ones(len(ys)), xs]), ys, rcond=None)
        fit = np.column_stack([np.ones(len(ys)), xs]) @ beta
        r2 = float(1 - ((ys - fit) ** 2).sum() / (ys**2).sum())
        ranks = d.rank()
        rho = ranks[numeric].corrwith(ranks[out])
        part = pd.DataFrame(
            {"output": out, "parameter": numeric, "rho": rho.to_numpy(), "src": beta[1:]}
        )
        part["r2"] = r2
        part = part.sort_values("rho", key=lambda s: s.abs(), ascending=False)
        part["rank"] = np.arange(1, len(part) + 1)
        rows.append(part)
    cols = ["output", "parameter", "rho", "src", "r2", "rank"]
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=cols)


def ranking_lines(
    ranks: pd.DataFrame,
    top: int = 3,
    key: str = "rho",
    notes: Mapping[str, str] | None = None,
) -> list[str]:
    """Return one line per output naming its ``top`` parameters, strongest first.

    ``notes`` adds a remark to an output's line (say, its seed noise).
    """
    lines = []
    for out, t in ranks.groupby("output", sort=False):
        t = t.head(top)
        parts = [f"{r.parameter} ({key} {getattr(r, key):+.2f})" for r in t.itertuples()]
        fit = f"; linear fit R² {t['r2'].iloc[0]:.2f}" if "r2" in t else ""
        note = (notes or {}).get(str(out), "")
        lines.append(f"  {out}: " + ", ".join(parts) + fit + (f"; {note}" if note else ""))
    return lines


def noise_note(results: pd.DataFrame, output: str) -> str:
    """Return a remark on an output's seed noise when it tops :data:`NOISE_SHARE`, else ``""``."""
    n = seed_noise(results, output)
    if not n["noise_share"] > NOISE_SHARE:  # NaN (one seed) too
        return ""
    need = n["seeds_needed"]
    more = (
        f"~{int(need)} seeds per point for {NOISE_SHARE:.0%}"
        if math.isfinite(need)
        else "no signal"
    )
    return f"seed noise {n['noise_share']:.0%} ({more})"
