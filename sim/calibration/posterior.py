"""The calibration's results on disk: the estimate in the baseline file, the posterior beside it.

The estimate is written into the ``[params]`` table of ``baseline.toml``
(:func:`write_baseline`, comments kept); the last generation of particles, the
convergence trace and what was run go beside it as ``baseline_posterior.csv``,
``.trace.csv`` and ``.json``. :func:`posterior_draws` reads the posterior back
so that runs can carry parameter uncertainty; this module needs only the
priors and the scenario files, so the runner imports it without pulling in
the calibration machinery above it.
"""

from __future__ import annotations

import os
import reprlib
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import tomlkit

from sim import io
from sim.calibration.common import _round
from sim.calibration.priors import FREE_PARAMETERS, bundled_baseline
from sim.errors import SimWarning, UserError
from sim.inputs import check_int
from sim.scenarios import load_scenario

__all__ = [
    "THIN_ESS",
    "ThinPosteriorWarning",
    "effective_sample_size",
    "estimate_from_baseline",
    "load_posterior",
    "load_trace",
    "posterior_draws",
    "posterior_path",
    "write_baseline",
]


#: A posterior with fewer effective particles than this is thin: ``compare`` draws 20
#: parameter sets from it by weight, and under twice as many effective particles its draws
#: repeat a few sets, so its parameter uncertainty rests on them.
THIN_ESS = 40


class ThinPosteriorWarning(SimWarning):
    """A posterior whose weights rest on a few particles (see :data:`THIN_ESS`)."""


def effective_sample_size(weights: Any) -> float:
    """Kish's effective sample size of importance weights, ``(sum w)^2 / sum w^2``.

    Example:
        >>> effective_sample_size([0.25, 0.25, 0.25, 0.25]), effective_sample_size([1, 0, 0])
        (4.0, 1.0)
    """
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / np.sum(w**2))


def thin_posterior_message(ess: float, population: int) -> str:
    """What a thin posterior means and what thickens it (the text of the warning)."""
    return (
        f"the posterior's last generation has an effective sample size of {ess:.0f} (of "
        f"{population} particles), so compare's parameter uncertainty rests on a few "
        f"parameter sets; a larger population thickens it (calibrate --fresh --population "
        f"{2 * population}, with a --budget that lets it run its generations)"
    )


def estimate_from_baseline(path: str | Path | None = None) -> dict[str, float]:
    """Return the calibrated values stored in a baseline scenario file (bundled by default)."""
    sc = load_scenario(Path(path) if path is not None else "baseline")
    return {p.name: float(getattr(sc.params, p.name)) for p in FREE_PARAMETERS}


def write_baseline(estimate: Mapping[str, float], path: str | Path) -> Path:
    """Write ``estimate`` into the ``[params]`` table of a scenario file, keeping all else.

    The file is edited as TOML (``tomlkit``), so comments and layout stay:
    existing keys of the table get their new value in place (their comments
    kept); missing keys are added at the end of the table in the order given.
    Nothing outside ``[params]`` changes.

    Raises:
        UserError: if the file does not exist, is not TOML, or the result does not load.
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{path}: no such scenario file to write the estimate into")
    try:
        doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    except tomlkit.exceptions.ParseError as exc:
        raise UserError(f"{path}: not a TOML file ({exc})") from None
    if "params" not in doc:
        doc.add(tomlkit.nl())
        doc.add("params", tomlkit.table())
    table = doc["params"]
    for key, value in estimate.items():
        table[key] = _round(float(value))  # an existing key keeps its place and comment
    text = tomlkit.dumps(doc)
    # Check the new text as a scenario beside the file before replacing it, so a failure
    # leaves the user's file as it was.
    trial = path.with_name(f"{path.stem}.check.toml")
    try:
        io.write_text(trial, text)
        load_scenario(trial)
    finally:
        trial.unlink(missing_ok=True)
    io.write_text(path, text)
    return path


def posterior_path(baseline: str | Path | None = None, suffix: str = ".csv") -> Path:
    """Return the posterior file beside a baseline file (``<stem>_posterior<suffix>``)."""
    base = Path(baseline) if baseline is not None else bundled_baseline()
    return base.with_name(f"{base.stem}_posterior{suffix}")


def _write_posterior(
    posterior: pd.DataFrame, trace: pd.DataFrame, meta: dict, baseline: Path
) -> list[Path]:

    cols = [p.name for p in FREE_PARAMETERS] + ["weight", "distance"]
    post = posterior[cols].copy()
    for c in cols:
        post[c] = post[c].map(lambda v: float(f"{v:.6g}"))
    trace = trace.copy()
    for c in trace.columns:
        if trace[c].dtype.kind == "f":
            trace[c] = trace[c].map(lambda v: float(f"{v:.6g}"))
    return [
        io.write_csv(posterior_path(baseline), post),
        io.write_csv(posterior_path(baseline, ".trace.csv"), trace),
        io.write_json(posterior_path(baseline, ".json"), meta),
    ]


#: What a posterior CSV holds, for messages about a file that does not.
POSTERIOR_CSV = (
    "a posterior CSV holds one row per particle, a numeric column per free parameter"
    " and, optionally, a 'weight' column of finite non-negative numbers (not all 0)"
)


def _csv_path(path: Any, default: Path) -> Path:
    """Return a CSV argument as a Path (``default`` for None).

    Raises:
        UserError: for a path of another type than ``str`` or ``os.PathLike``, or an empty one.
    """
    if path is None:
        return default
    if not isinstance(path, str | os.PathLike) or not isinstance(os.fspath(path), str):
        raise UserError(
            f"path={reprlib.repr(path)} has the wrong type: expected a CSV file's path"
            " (a str or os.PathLike) or None"
        )
    if not os.fspath(path).strip():
        raise UserError("path is empty: name a posterior CSV, or give None for the bundled one")
    return Path(path)


def _check_posterior(path: Path, df: pd.DataFrame) -> None:
    """Refuse a table that is not a posterior sample; the message says what one holds.

    Raises:
        UserError: for no rows, a missing or non-numeric free parameter's column, a
            value that is not finite, or weights that are not finite, are negative or
            are all 0.
    """
    if df.empty:
        raise UserError(f"{path}: not a posterior sample, it has no rows: {POSTERIOR_CSV}")
    names = [p.name for p in FREE_PARAMETERS]
    missing = [n for n in names if n not in df.columns]
    if missing:
        raise UserError(
            f"{path}: not a posterior sample, missing columns {', '.join(missing)}: {POSTERIOR_CSV}"
        )
    numeric = [*names, "weight"] if "weight" in df.columns else names
    for name in numeric:
        if df[name].dtype.kind not in "iuf":
            raise UserError(
                f"{path}: not a posterior sample, column '{name}' is not numeric: {POSTERIOR_CSV}"
            )
        if not np.isfinite(df[name].to_numpy(dtype=float)).all():
            raise UserError(
                f"{path}: not a posterior sample, column '{name}' has a value that is not a"
                f" finite number: {POSTERIOR_CSV}"
            )
    if "weight" in df.columns and ((df["weight"] < 0).any() or not (df["weight"] > 0).any()):
        raise UserError(
            f"{path}: not a posterior sample, its weights are negative or all 0: {POSTERIOR_CSV}"
        )


def load_posterior(path: str | Path | None = None) -> pd.DataFrame:
    """Return the committed posterior sample: one row per particle.

    Columns: one per free parameter (natural units), ``weight`` (importance
    weights, summing to 1) and ``distance`` (to the report, in z units).

    Args:
        path: a posterior CSV (default: ``baseline_posterior.csv`` beside the
            bundled ``baseline.toml``).

    Raises:
        UserError: if ``path`` is not a path, the file is missing or is not a posterior
            CSV: unreadable as CSV, no rows, a free parameter's column missing or not
            numeric, a value not finite, or weights negative or all 0.
    """
    path = _csv_path(path, posterior_path())
    if not path.is_file():
        raise UserError(f"{path}: no posterior sample (run `workplace-sim calibrate` first)")
    try:
        df = pd.read_csv(path)
    except (ValueError, UnicodeDecodeError, OSError) as exc:  # pandas' parse errors included
        reason = " ".join(str(exc).split())[:160] or type(exc).__name__
        raise UserError(
            f"{path}: not a posterior sample, it does not read as CSV ({reason}): {POSTERIOR_CSV}"
        ) from None
    _check_posterior(path, df)
    if "weight" not in df.columns:
        df["weight"] = 1.0
    df["weight"] = df["weight"] / df["weight"].sum()
    return df


def load_trace(path: str | Path | None = None) -> pd.DataFrame:
    """Return the committed convergence trace: one row per ABC-SMC generation.

    Columns: ``generation``, ``epsilon``, ``simulations``, ``acceptance_rate``,
    ``ess``, ``distance_median``, ``distance_min``, ``seconds`` (wall time of the
    generation) and, per free parameter,
    ``<name>_median``, ``<name>_q05``, ``<name>_q95``.
    """
    path = _csv_path(path, posterior_path(suffix=".trace.csv"))
    if not path.is_file():
        raise UserError(f"{path}: no convergence trace (run `workplace-sim calibrate` first)")
    return pd.read_csv(path)


def posterior_draws(
    k: int, seed: int = 0, path: str | Path | None = None
) -> list[dict[str, float]]:
    """Draw ``k`` parameter sets from the posterior (by weight, with replacement).

    Each draw is ``{name: value}`` for the free parameters only, to be set on
    top of a scenario (``scenario.with_overrides(**draw)`` or
    ``params.replace(**draw)``): a what-if keeps its levers and takes the
    behavioural values from the draw. The same ``k`` and ``seed`` give the same
    draws, and the first draws of a larger ``k`` are not the draws of a smaller
    one (draw anew for each ``k``).

    Args:
        k: number of draws (1 or more).
        seed: seed of the draw (a whole number, 0 or more).
        path: posterior CSV (default: the committed one).

    Raises:
        UserError: for ``k`` < 1, a bad ``seed``, or a missing posterior or a file
            that is not one (see :func:`load_posterior`).

    Warns:
        ThinPosteriorWarning: when the posterior's effective sample size is under both
            :data:`THIN_ESS` and twice ``k``: the draws then repeat a few parameter sets,
            and intervals over them understate the parameters' uncertainty.
    """
    check_int("k", k, (1, None), where="posterior draws")
    seed = check_int("seed", seed, (0, None), where="posterior draws")
    df = load_posterior(path)
    ess = effective_sample_size(df["weight"])
    if ess < min(THIN_ESS, 2 * int(k)):
        warnings.warn(thin_posterior_message(ess, len(df)), ThinPosteriorWarning, stacklevel=2)
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(df), size=int(k), replace=True, p=df["weight"].to_numpy())
    names = [p.name for p in FREE_PARAMETERS]
    return [{n: float(df.iloc[i][n]) for n in names} for i in idx]
