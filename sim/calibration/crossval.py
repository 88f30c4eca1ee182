"""Cross-validation of the calibration: refit with each block of targets left out, predict it.

A fit to the figures one tuned on proves little. The report's targets fall
into blocks that share a mechanism (``block`` in ``sim/data/targets.toml``:
headline, drivers, relations, anthropomorphism, freelancers, roles,
training). For each block the free parameters are fitted to every *other*
block and the block is predicted; the same procedure on all blocks gives the
in-sample fit. A block predicted about as well out of sample as in sample
is carried by mechanisms that other figures pin; a block fitted well only in
sample is carried by the parameters tuned to it.

Every fit is the same procedure, so the comparison is fair: CMA-ES
(:func:`sim.calibration.refine_estimate`) from the centre of the priors with
an initial step of ``sigma`` of each prior range, on ``seeds`` common seeds,
for ``generations`` generations (no ABC stage, which would cost a full
calibration per fold). Each estimate is then run on ``eval_seeds`` other
seeds and every target's mean is compared with the report.

The whole procedure is run from several root seeds (:data:`DEFAULT_ROOTS`),
each fit and evaluation on seeds of its own, and the tables are the means
over them: one run's blocks move by several points with its seeds alone,
as much as the changes of the model the cross-validation is meant to judge.
Each root's own summary is kept beside the means, so the spread shows.

Resumable: each fit saves its search state after every generation and its
estimate and evaluation when done, in ``workdir/root-S`` for root seed ``S``;
running the same command again continues where it stopped, and a root already
run is reused when another is added (a folder from before several roots, with
one root's fits directly in it, has them moved into its ``root-S``). A folder
holding a run with other settings is refused (``fresh=True`` discards it).

Example:
    >>> from sim.calibration.crossval import folds
    >>> from sim.targets import load_targets
    >>> f = folds(load_targets())
    >>> f["roles"][:2]
    ['manager_productivity_gain', 'ic_productivity_gain']
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import io
from sim.calibration.common import _default_jobs, _rounded_table, _stderr
from sim.calibration.estimate import refine_estimate
from sim.calibration.fit import simulate_many
from sim.calibration.markdown import environment, unwrap
from sim.calibration.priors import FREE_PARAMETERS
from sim.calibration.settings import Settings
from sim.calibration.statistics import SE_FLOOR, target_table
from sim.errors import UserError
from sim.targets import BLOCKS

#: Where fits and evaluations are kept unless told otherwise.
DEFAULT_WORKDIR = Path("results") / "crossval"
#: Name of the fit on every block (the in-sample fit).
ALL = "all"
#: Root seeds of the cross-validation, other than the calibration's (2025); the tables are
#: the means over them.
DEFAULT_ROOTS = (2026, 3031, 5050)


@dataclass(frozen=True)
class CrossValidation:
    """What a cross-validation runs.

    Attributes:
        n_agents: positions simulated per run.
        weeks: weeks per run (the 2025 wave is taken at week 104).
        seeds: common seeds each candidate is run on while fitting.
        generations: CMA-ES generations per fit.
        sigma: CMA-ES's initial step, as a share of each prior range.
        eval_seeds: seeds each estimate is evaluated on (other than the fitting seeds).
        root_seeds: the roots the whole procedure is run from, each on seeds of its own;
            the tables are the means over them.
        jobs: worker processes.
        blocks: the blocks left out in turn.
        se_floor: floor on each target's z-score scale (share points).
        distance_p: the norm of the z-scores.
    """

    n_agents: int = 1000
    weeks: int = 104
    seeds: int = 6
    generations: int = 30
    sigma: float = 0.3
    eval_seeds: int = 10
    root_seeds: tuple[int, ...] = DEFAULT_ROOTS
    jobs: int = field(default_factory=lambda: _default_jobs())
    blocks: tuple[str, ...] = BLOCKS
    se_floor: float = SE_FLOOR
    distance_p: float = 1.0

    def __post_init__(self) -> None:
        unknown = [b for b in self.blocks if b not in BLOCKS]
        if unknown or not self.blocks:
            raise UserError(
                f"unknown block {', '.join(map(repr, unknown)) or '(none given)'}: "
                f"allowed {', '.join(BLOCKS)}"
            )
        if not 0.0 < self.sigma <= 1.0:
            raise UserError(f"sigma={self.sigma!r} must be above 0 and at most 1")
        roots = self.root_seeds
        if (
            not roots
            or len(set(roots)) != len(roots)
            or not all(isinstance(r, int) and not isinstance(r, bool) and r >= 0 for r in roots)
        ):
            raise UserError(
                f"root seeds {', '.join(map(repr, roots)) or '(none given)'}: give one or more "
                "distinct non-negative integers"
            )
        self.settings(roots[0])  # the shared checks, with their messages

    def settings(self, root_seed: int) -> Settings:
        """The :class:`~sim.calibration.Settings` every fit from ``root_seed`` uses."""
        return Settings(
            n_agents=self.n_agents,
            weeks=self.weeks,
            jobs=self.jobs,
            select_seeds=self.seeds,
            refine_iterations=self.generations,
            fit_seeds=self.eval_seeds,
            root_seed=root_seed,
            se_floor=self.se_floor,
            distance_p=self.distance_p,
        )

    def identity(self, root_seed: int) -> dict[str, Any]:
        """Return what must match for the stored fits of one root to be reused."""
        out = asdict(self)
        out.pop("jobs")
        out.pop("root_seeds")
        out["root_seed"] = root_seed
        out["blocks"] = list(self.blocks)
        out["model"] = self.settings(root_seed).identity()
        return out


@dataclass
class CrossValResult:
    """What :func:`cross_validate` returns.

    Attributes:
        table: one row per target, the means over the roots (see :func:`crossval_table`).
        blocks: one row per block, of ``table`` (see :func:`block_summary`).
        roots: each root seed's own block summary, by root.
        estimates: by root, the estimate of every fit, by the block it left out
            (``all``: none).
        seconds: wall time of this session.
        written: files written.
    """

    table: pd.DataFrame
    blocks: pd.DataFrame
    roots: dict[int, pd.DataFrame]
    estimates: dict[int, dict[str, dict[str, float]]]
    seconds: float
    written: list[Path] = field(default_factory=list)


def folds(targets: pd.DataFrame, blocks: Sequence[str] = BLOCKS) -> dict[str, list[str]]:
    """Return the held-out target ids of each fold: every block's own targets.

    Args:
        targets: the targets (:func:`sim.targets.load_targets` or :func:`target_table`).
        blocks: the blocks to leave out in turn.

    Returns:
        ``{block: [target ids]}``, in the order of ``blocks``; every target of
        those blocks is held out in exactly one fold.
    """
    return {b: targets.loc[targets["block"] == b, "id"].tolist() for b in blocks}


def prior_centre() -> dict[str, float]:
    """Every free parameter at the centre of its prior (in the sampler's space)."""
    return {p.name: p.natural(0.5 * sum(p.bounds)) for p in FREE_PARAMETERS}


def cross_validate(
    cv: CrossValidation | None = None,
    *,
    workdir: str | Path = DEFAULT_WORKDIR,
    fresh: bool = False,
    out: str | Path | None = None,
    log: Callable[[str], None] | None = None,
) -> CrossValResult:
    """Fit on all blocks and with each block left out, from each root; predict every block.

    Args:
        cv: what to run (default :class:`CrossValidation`).
        workdir: folder of the fits' search states, estimates and evaluations (one
            subfolder ``root-S`` per root seed).
        fresh: discard the stored fits of these roots and start over.
        out: a CSV file the per-target table is written to (e.g.
            ``scenarios/baseline_crossval.csv``, which the calibration report reads),
            with a JSON file beside it of the settings, estimates and each root's summary.
        log: called with each progress line (default: print on stderr).

    Returns:
        The per-target and per-block tables (means over the roots), each root's
        block summary and the estimates (:class:`CrossValResult`).

    Raises:
        UserError: for bad settings or a work directory holding another run.
    """
    cv = cv or CrossValidation()
    say = log or _stderr
    started = time.monotonic()
    workdir = Path(workdir)
    if workdir.exists() and not workdir.is_dir():
        raise UserError(f"--workdir {workdir} is a file, not a folder: name a folder")
    targets = target_table(cv.se_floor)
    _adopt_single_root_layout(workdir, cv.root_seeds, say)
    rundirs = {root: _prepare(workdir / f"root-{root}", cv, root, fresh) for root in cv.root_seeds}
    estimates: dict[int, dict[str, dict[str, float]]] = {}
    roots: dict[int, pd.DataFrame] = {}
    tables = []
    for k, (root, rundir) in enumerate(rundirs.items(), 1):
        say(f"crossval: root seed {root} ({k}/{len(rundirs)})")
        estimates[root], evaluations = _one_root(rundir, cv, root, targets, say)
        tables.append(crossval_table(targets, evaluations, cv.blocks))
        io.write_csv(rundir / "crossval.csv", tables[-1])
        roots[root] = block_summary(tables[-1])
    table = pool(tables)
    written = [io.write_csv(workdir / "crossval.csv", table)]
    if out is not None:
        written.append(io.write_csv(Path(out), _rounded_table(table)))
        settings = cv.identity(cv.root_seeds[0]) | {"model": None, "root_seed": None}
        io.write_json(
            Path(out).with_suffix(".json"),
            {
                "settings": settings | {"root_seeds": list(cv.root_seeds)},
                "estimates": {str(r): e for r, e in estimates.items()},
                "roots": {str(r): _rounded_table(s).to_dict("records") for r, s in roots.items()},
            },
        )
        written.append(Path(out).with_suffix(".json"))
    summary = block_summary(table)
    return CrossValResult(table, summary, roots, estimates, time.monotonic() - started, written)


def _one_root(
    rundir: Path,
    cv: CrossValidation,
    root: int,
    targets: pd.DataFrame,
    say: Callable[[str], None],
) -> tuple[dict[str, dict[str, float]], dict[str, pd.DataFrame]]:
    """Every fold's estimate and evaluation from one root seed (stored or computed)."""
    settings = cv.settings(root)
    held_out = folds(targets, cv.blocks)
    names = [ALL, *cv.blocks]
    estimates: dict[str, dict[str, float]] = {}
    evaluations: dict[str, pd.DataFrame] = {}
    for i, name in enumerate(names, 1):
        training = targets[~targets["id"].isin(held_out.get(name, []))]
        left = "none" if name == ALL else f"'{name}' ({len(held_out[name])} targets)"
        say(f"crossval: fit {i}/{len(names)}: {len(training)} targets, left out: {left}")
        estimates[name] = _fit(rundir, name, training, settings, cv.sigma, say)
        evaluations[name] = _evaluate(rundir, name, estimates[name], settings, say)
    return estimates, evaluations


def _adopt_single_root_layout(
    workdir: Path, roots: Sequence[int], say: Callable[[str], None]
) -> None:
    """Move the fits of a folder from before several roots into their root's subfolder.

    Such a folder holds one root's files directly (its ``settings.json`` names the root);
    they are moved, not recomputed, when that root is among ``roots``.
    """
    stored = io.read_json(workdir / "settings.json")
    root = stored.get("root_seed") if isinstance(stored, dict) else None
    target = workdir / f"root-{root}"
    if root not in roots or target.exists():
        return
    target.mkdir()
    for f in workdir.iterdir():
        if f.is_file() and f.suffix in (".pkl", ".json", ".csv"):
            f.rename(target / f.name)
    say(f"crossval: moved the stored fits of root seed {root} into {target}")


def _prepare(workdir: Path, cv: CrossValidation, root: int, fresh: bool) -> Path:
    """Create or check one root's folder: a stored run must have the same settings."""
    if workdir.exists() and not workdir.is_dir():
        raise UserError(f"{workdir} is a file, not a folder: remove it or name another --workdir")
    ident_file = workdir / "settings.json"
    identity = json.loads(json.dumps(cv.identity(root)))  # as it reads back from the file
    if fresh and workdir.is_dir():
        for f in workdir.glob("*"):
            if f.suffix in (".pkl", ".json", ".csv"):
                f.unlink()
    if ident_file.is_file() and io.read_json(ident_file) != identity:
        raise UserError(
            f"{workdir} holds a cross-validation with other settings or made by other "
            "model code: use --fresh to discard it, or another --workdir"
        )
    try:
        io.write_json(ident_file, identity)
    except OSError as exc:
        raise UserError(f"cannot write into --workdir {workdir}: {exc.strerror}") from None
    return workdir


def _fit(
    workdir: Path,
    name: str,
    training: pd.DataFrame,
    settings: Settings,
    sigma: float,
    say: Callable[[str], None],
) -> dict[str, float]:
    """The estimate of one fold: stored, or searched by CMA-ES from the prior's centre."""
    stored = workdir / f"{name}.estimate.json"
    if stored.is_file():
        return {k: float(v) for k, v in json.loads(stored.read_text()).items()}
    estimate = refine_estimate(
        prior_centre(),
        settings,
        log=say,
        targets=training,
        sigma=sigma,
        checkpoint=workdir / f"{name}.cma.pkl",
    )
    io.write_json(stored, estimate)
    return estimate


def _evaluate(
    workdir: Path,
    name: str,
    estimate: dict[str, float],
    settings: Settings,
    say: Callable[[str], None],
) -> pd.DataFrame:
    """Every target's value on the evaluation seeds at one fold's estimate (stored)."""
    stored = workdir / f"{name}.eval.csv"
    if stored.is_file():
        return pd.read_csv(stored)
    say(f"crossval: evaluating on {settings.fit_seeds} other seeds")
    runs = pd.DataFrame(simulate_many(estimate, settings, seeds=settings.fit_seeds))
    io.write_csv(stored, runs)
    return runs


def crossval_table(
    targets: pd.DataFrame, evaluations: dict[str, pd.DataFrame], blocks: Sequence[str]
) -> pd.DataFrame:
    """Per target: the report's value, the in-sample and the out-of-block prediction.

    Args:
        targets: rows of :func:`sim.calibration.target_table`.
        evaluations: per fold (``all`` and each block), one row per evaluation
            seed with a column per target id.
        blocks: the blocks that were left out.

    Returns:
        One row per target of ``blocks``: ``id``, ``block``, ``value``, ``tol``,
        ``in_sample`` and ``out_of_block`` (mean over the evaluation seeds of
        the fit on all blocks, and of the fit without the target's block),
        ``in_points`` and ``out_points`` (``|prediction - value|`` in share
        points), ``in_within`` and ``out_within`` (inside the tolerance
        ``max(2 SE, 3 points)``).
    """
    rows = []
    for r in targets.itertuples():
        if r.block not in blocks:
            continue
        ins = _mean(evaluations[ALL], r.id)
        out = _mean(evaluations[r.block], r.id)
        rows.append(
            {
                "id": r.id,
                "block": r.block,
                "value": r.value,
                "tol": r.tol,
                "in_sample": ins,
                "out_of_block": out,
                "in_points": 100 * abs(ins - r.value) / r.points,
                "out_points": 100 * abs(out - r.value) / r.points,
                "in_within": bool(abs(ins - r.value) <= r.tol),
                "out_within": bool(abs(out - r.value) <= r.tol),
            }
        )
    return pd.DataFrame(rows)


def pool(tables: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Per target, the means over the roots' tables (each from :func:`crossval_table`).

    The predictions are the means of the roots' predictions; the errors the means
    of the roots' errors (the expected error of one fit, not the smaller error of
    the averaged prediction); ``in_within`` and ``out_within`` the share of roots in
    which the target is within tolerance, so that summed over targets they give
    the mean count within.
    """
    out = tables[0].copy()
    columns = ("in_sample", "out_of_block", "in_points", "out_points", "in_within", "out_within")
    for column in columns:
        out[column] = np.mean([t[column].to_numpy(float) for t in tables], axis=0)
    return out


def _mean(runs: pd.DataFrame, column: str) -> float:
    x = pd.to_numeric(runs[column], errors="coerce").to_numpy(dtype=float)
    x = x[np.isfinite(x)]
    return float(x.mean()) if x.size else math.nan


def block_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per block: targets, mean error in and out of sample (points), targets within tolerance.

    The last row, ``all``, is over every target. Of a table pooled over roots
    (:func:`pool`) the counts within are the means over the roots.
    """

    def summarise(name: str, t: pd.DataFrame) -> dict[str, Any]:
        return {
            "block": name,
            "targets": len(t),
            "in_points": float(t["in_points"].mean()),
            "out_points": float(t["out_points"].mean()),
            "in_within": float(t["in_within"].sum()),
            "out_within": float(t["out_within"].sum()),
        }

    rows = [summarise(b, t) for b, t in table.groupby("block", sort=False)]
    rows.append(summarise(ALL, table))
    return pd.DataFrame(rows)


def _reading(summary: pd.DataFrame) -> str:
    """One paragraph saying which blocks other figures carry and which only their own."""
    blocks = summary[summary["block"] != ALL]
    carried = blocks[blocks["out_points"] <= 1.5 * blocks["in_points"] + 2.0]["block"].tolist()
    own = blocks[blocks["out_points"] > 1.5 * blocks["in_points"] + 2.0]["block"].tolist()
    total = summary[summary["block"] == ALL].iloc[0]
    text = (
        f"Over all {total.targets} targets the mean error is {total.in_points:.1f} points in "
        f"sample and {total.out_points:.1f} points out of block. "
    )
    if carried:
        text += (
            f"Predicted about as well without their own figures (out-of-block error at most "
            f"1.5 times the in-sample error plus 2 points): {', '.join(carried)}; other "
            "figures and the mechanisms carry these blocks. "
        )
    if own:
        text += (
            f"Fitted well only with their own figures: {', '.join(own)}; the parameters "
            "tuned to these blocks carry their fit, so their in-sample agreement is weak "
            "evidence for the mechanisms behind them."
        )
    return text.strip()


def crossval_path(baseline: str | Path) -> Path:
    """Where the cross-validation of a baseline scenario file is kept: beside it."""
    baseline = Path(baseline)
    return baseline.with_name(f"{baseline.stem}_crossval.csv")


def load_crossval(path: str | Path) -> pd.DataFrame | None:
    """Read a per-target table written by :func:`cross_validate` (None if absent)."""
    path = Path(path)
    return pd.read_csv(path) if path.is_file() else None


def markdown(table: pd.DataFrame, meta: dict[str, Any] | None = None) -> list[str]:
    """The cross-validation section of ``docs/calibration.md``, as lines of Markdown.

    Rendered from the template ``templates/crossval.md.j2``.
    """
    summary = block_summary(table)
    meta = meta or {}
    blocks = [b for b in summary["block"] if b != ALL]
    roots, spread = _root_rows(meta.get("roots", {}), blocks)
    rows = []
    for r in table.itertuples():
        ratio = r.id.endswith("ratio")
        rows.append(
            {
                "id": r.id,
                "block": r.block,
                "cells": [
                    _cell(r.value, None, 0.0, ratio),
                    _cell(r.in_sample, r.value, r.in_points, ratio),
                    _cell(r.out_of_block, r.value, r.out_points, ratio),
                ],
            }
        )
    text = (
        environment()
        .get_template("crossval.md.j2")
        .render(
            settings=meta.get("settings", {}),
            summary=list(summary.itertuples()),
            blocks=blocks,
            roots=roots,
            spread=spread,
            all=ALL,
            reading=_reading(summary),
            rows=rows,
        )
    )
    return unwrap(text).split("\n")


def _root_rows(
    stored: dict[str, list[dict[str, Any]]], blocks: list[str]
) -> tuple[list[dict[str, Any]], dict[str, float]]:
    """Each root's errors by block (for the noise table) and how far they spread.

    Args:
        stored: by root seed, the records of that root's :func:`block_summary`
            (the ``roots`` of the JSON file beside the table).
        blocks: the blocks, in the table's order.

    Returns:
        One row per root (its errors out of block and in sample, as text, and its
        counts within tolerance over all targets) and the largest spread between
        roots: of a block's out-of-block error, and of all targets' errors out of
        block and in sample; with the standard error of the mean over the roots of
        all targets' out-of-block error, and its median over the roots.
    """
    rows, frames = [], []
    for root, records in stored.items():
        s = pd.DataFrame(records).set_index("block")
        frames.append(s)
        rows.append(
            {
                "root": root,
                "out": [f"{s.loc[b, 'out_points']:.1f}" for b in [*blocks, ALL]],
                "inside": [f"{s.loc[b, 'in_points']:.1f}" for b in [*blocks, ALL]],
                "in_within": float(s.loc[ALL, "in_within"]),
                "out_within": float(s.loc[ALL, "out_within"]),
            }
        )
    if not frames:
        return rows, {}
    out = pd.concat([f["out_points"] for f in frames], axis=1)
    inside = pd.concat([f["in_points"] for f in frames], axis=1)
    width = out.max(axis=1) - out.min(axis=1)
    spread = {
        "block": float(width.drop(ALL).max()),
        "out_all": float(width[ALL]),
        "in_all": float(inside.loc[ALL].max() - inside.loc[ALL].min()),
        "se_out_all": float(out.loc[ALL].std(ddof=1) / np.sqrt(out.shape[1])),
        "median_out_all": float(out.loc[ALL].median()),
        "n": int(frames[0].loc[ALL, "targets"]),
    }
    return rows, spread


def _cell(x: float, value: float | None, points: float, ratio: bool) -> str:
    """A value as a share (or ratio), with its signed distance from the report's value."""
    shown = f"{x:.2f}" if ratio else f"{100 * x:.1f}%"
    if value is None:
        return shown
    return f"{shown} ({'+' if x >= value else '-'}{points:.1f})"
