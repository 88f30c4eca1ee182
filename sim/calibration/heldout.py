"""Predictions for the held-out wave: the report's items as the model answers them in spring 2024.

The institute's earlier wave (fielded in spring 2024, with the same design) is the
test the model is checked against without having seen it: its figures were never
looked up, and nothing was fitted to them. This module records what the committed
estimate predicts for them, so that the test can be scored when they are looked
at: every target's item and respondent group, and the survey layer's two items on
the early cost of AI (AI adding to one's workload, which the digest says that wave
found for most employees; not knowing how to get the gains expected), as the
survey layer answers them at the 2024 wave (week 52) instead of the 2025 wave.

Each prediction is the mean over ``seeds`` runs of the estimate (from a root seed
of its own), with the 5-95% range of the mean of 20 of them (the calibration's
replication: bootstrap draws), and the 5-95% range over posterior draws (each the
mean of ``draw_seeds`` runs), which adds the uncertainty of the parameters to that
of the seeds. What the calibration does not fit is not in the posterior: the
steepest such assumption is the curve of tool quality over time, and
:func:`tool_curve_shift` gives the predictions with its midpoint moved. The
survey's own sampling error is not in these ranges: score a
figure with the acceptance rule of the fit, within max(2 SE, 3 points) of the
prediction, with the SE of the figure's own sample (:func:`score_heldout` does,
and ``workplace-sim calibrate --score-heldout FILE`` from the command line).

Example:
    >>> from sim.calibration.heldout import heldout_items
    >>> heldout_items()[0]
    ('fte_productivity_gain', 'productivity_gain', 'fte')
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.calibration.common import _resampled_means, _seeds
from sim.calibration.settings import Settings
from sim.calibration.statistics import RATIO_GROUP, acceptance, target_table
from sim.errors import UserError
from sim.executors import run_tasks
from sim.experiment.run import Outputs, run_once
from sim.inputs import check_int
from sim.survey import WAVES

__all__ = [
    "HELDOUT_ROOT",
    "HELDOUT_WAVE",
    "heldout_items",
    "predict_heldout",
    "read_figures",
    "score_heldout",
    "tool_curve_shift",
]

#: The held-out wave (its week: the key of :data:`sim.survey.WAVES` for it).
HELDOUT_WAVE = 2024
#: Root seed of the predictions' runs: none of the calibration's, the report's or the tests'.
HELDOUT_ROOT = 2024_0317
#: The survey layer's items on the early cost of AI, beyond the targets' (the digest says the
#: earlier wave found AI adding to most employees' workload).
EARLY_COST_ITEMS = (
    ("fte_ai_added_workload", "ai_added_workload", "fte"),
    ("fte_dont_know_how_to_gain", "dont_know_how_to_gain", "fte"),
)


def heldout_items() -> list[tuple[str, str, str]]:
    """Return ``(id, item, group)`` of every prediction: the targets', then the early cost's."""
    t = target_table()
    rows = list(zip(t["id"], t["item"], t["group"], strict=True))
    return rows + list(EARLY_COST_ITEMS)


def _weeks() -> int:
    """Weeks a run needs to take the held-out wave."""
    return next(week for week, year in WAVES.items() if year == HELDOUT_WAVE)


def _job(args: tuple[dict[str, Any], int]) -> list[float]:
    params, seed = args
    cells = tuple((item, group, HELDOUT_WAVE) for _, item, group in heldout_items())
    values = run_once(params, seed, _weeks(), Outputs(outcomes=(), survey=cells))["survey"]
    return [float(values[c]) for c in cells]


def predict_heldout(
    estimate: Mapping[str, float],
    settings: Settings | None = None,
    *,
    seeds: int = 100,
    draws: Sequence[Mapping[str, float]] = (),
    draw_seeds: int = 2,
    root_seed: int = HELDOUT_ROOT,
    tick: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Predict the held-out wave's figures at ``estimate`` (and over posterior ``draws``).

    Args:
        estimate: values of the free parameters (set on ``settings.base_params()``).
        settings: agents and worker processes (default :class:`Settings`).
        seeds: runs of the estimate.
        draws: posterior draws of the free parameters (``posterior_draws(k)``); none: no
            posterior range.
        draw_seeds: runs of each draw.
        root_seed: root of every run's seed.
        tick: progress callback ``tick(done, total)``.

    Returns:
        One row per prediction (:func:`heldout_items`): ``id``, ``item``, ``group``,
        ``mean`` (over the estimate's runs), ``q05`` and ``q95`` (of the mean of 20
        runs, over 1,000 bootstrap draws), ``post_q05`` and ``post_q95`` (over the
        posterior draws' means; NaN without draws) and ``ratio`` (a ratio, not a share).

    Raises:
        UserError: for ``seeds`` or ``draw_seeds`` below 1.
    """
    seeds = check_int("seeds", seeds, (1, None))
    draw_seeds = check_int("draw_seeds", draw_seeds, (1, None))
    settings = settings or Settings()
    base = settings.base_params()
    point = base.replace(**dict(estimate)).to_dict()
    jobs = [(point, s) for s in _seeds(root_seed, seeds)]
    draw_seed_list = _seeds(root_seed, len(draws) * draw_seeds, salt=1)
    for k, draw in enumerate(draws):
        params = base.replace(**dict(draw)).to_dict()
        jobs += [(params, s) for s in draw_seed_list[k * draw_seeds : (k + 1) * draw_seeds]]
    values = np.array(run_tasks(_job, jobs, settings.jobs, tick), dtype=float)
    at_estimate = values[:seeds]
    draw_means = None
    if len(draws):
        by_draw = values[seeds:].reshape(len(draws), draw_seeds, -1)
        with warnings.catch_warnings():  # a draw whose runs all lack a group: NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            draw_means = np.nanmean(by_draw, axis=1)
    items = heldout_items()
    ids = [tid for tid, _, _ in items]
    picks = np.random.default_rng(root_seed).integers(0, seeds, size=(1000, min(20, seeds)))
    resampled = _resampled_means(pd.DataFrame(at_estimate, columns=ids), ids, picks)
    rows = []
    for j, (tid, item, group) in enumerate(items):
        x = at_estimate[:, j]
        means = resampled[:, j]
        post = draw_means[:, j] if draw_means is not None else np.array([math.nan])
        post = post[np.isfinite(post)]
        rows.append(
            {
                "id": tid,
                "item": item,
                "group": group,
                "mean": float(np.nanmean(x)),
                "q05": float(np.nanquantile(means, 0.05)),
                "q95": float(np.nanquantile(means, 0.95)),
                "post_q05": float(np.quantile(post, 0.05)) if post.size else math.nan,
                "post_q95": float(np.quantile(post, 0.95)) if post.size else math.nan,
                "ratio": group == RATIO_GROUP,
            }
        )
    return pd.DataFrame(rows)


def tool_curve_shift(
    estimate: Mapping[str, float],
    settings: Settings | None = None,
    *,
    weeks: float = 13.0,
    seeds: int = 40,
    root_seed: int = HELDOUT_ROOT,
) -> pd.DataFrame:
    """The predictions with tool quality's curve moved ``weeks`` earlier and later.

    The curve (``tool_quality_midpoint``, ``tool_quality_width``: :func:`sim.rules.tool_quality`)
    is set by hand on benchmark progress, not fitted, so the posterior's range leaves it out;
    a year before the 2025 wave tools were about halfway along it. The estimate is otherwise
    unchanged and not refitted.

    Args:
        estimate: values of the free parameters.
        settings: agents and worker processes (default :class:`Settings`).
        weeks: how far the midpoint moves each way.
        seeds: runs of each shifted curve.
        root_seed: root of every run's seed.

    Returns:
        ``id``, ``q_earlier`` and ``q_later``: the mean over ``seeds`` runs with the
        midpoint ``weeks`` earlier and later.
    """
    settings = settings or Settings()
    base = settings.base_params()
    out = pd.DataFrame({"id": [i for i, _, _ in heldout_items()]})
    for name, shift in (("q_earlier", -weeks), ("q_later", weeks)):
        moved = base.replace(tool_quality_midpoint=base.tool_quality_midpoint + shift)
        table = predict_heldout(
            estimate, replace(settings, base=moved), seeds=seeds, root_seed=root_seed
        )
        out[name] = table["mean"].to_numpy()
    return out


#: Columns of a file of the held-out wave's figures.
FIGURE_COLUMNS = ("id", "value", "se")


def read_figures(path: str | Path) -> pd.DataFrame:
    """Read the held-out wave's figures: a CSV file with columns ``id``, ``value``, ``se``.

    ``id`` is a prediction's id (:func:`heldout_items`); ``value`` the wave's figure, a
    share as a fraction (0.40) or, for the quit ratio, the ratio; ``se`` its survey
    standard error in the same units (for a share ``sqrt(v (1 - v) / n)``). A figure the
    wave did not report is left out.

    Raises:
        UserError: for a missing or unreadable file, a missing column, an unknown or
            repeated id, or a value or SE that is not a positive number (a share at most 1).
    """
    if not str(path).strip():
        raise UserError("the file name is empty: name a CSV file with columns id, value, se")
    path = Path(path)
    if not path.is_file():
        what = "not a regular file" if path.exists() else "no such file"
        raise UserError(f"{path}: {what}: name a CSV file with columns id, value, se")
    try:
        df = pd.read_csv(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise UserError(f"{path}: not a readable CSV file ({exc}); columns id, value, se") from None
    missing = [c for c in FIGURE_COLUMNS if c not in df.columns]
    if missing:
        raise UserError(f"{path}: no column {', '.join(missing)}: the columns are id, value, se")
    known = {i: group == RATIO_GROUP for i, _, group in heldout_items()}
    unknown = sorted(set(df["id"].astype(str)) - set(known))
    if unknown:
        raise UserError(
            f"{path}: unknown id {', '.join(map(repr, unknown))}: allowed the ids of "
            f"sim.calibration.heldout.heldout_items(), e.g. {', '.join(list(known)[:3])}"
        )
    repeated = sorted(df.loc[df["id"].duplicated(), "id"].astype(str).unique())
    if repeated:
        raise UserError(f"{path}: id {', '.join(map(repr, repeated))} given more than once")
    ratio = df["id"].map(known).to_numpy(bool)
    for column in ("value", "se"):
        x = pd.to_numeric(df[column], errors="coerce")
        bad = ~np.isfinite(x) | (x <= 0) | ((x > 1) & ~ratio)
        if bad.any():
            row = df[bad].iloc[0]
            raise UserError(
                f"{path}: {column} {str(row[column])!r} of {row['id']!r} is not allowed: a "
                "positive number, a share as a fraction (at most 1), the quit ratio as a ratio"
            )
        df[column] = x.astype(float)
    return df[list(FIGURE_COLUMNS)]


def score_heldout(figures: pd.DataFrame, predictions: pd.DataFrame) -> pd.DataFrame:
    """Score the predictions against the held-out wave's figures, by the fit's acceptance rule.

    A prediction is within when ``|prediction - figure| <= max(2 SE, 3 points)`` and beyond
    when further than 10 points off (a ratio's points read on the top quartile's share,
    the rest at 20%), the rule of the 2025 fit (:func:`sim.calibration.fit_table`).

    Args:
        figures: rows of :func:`read_figures`.
        predictions: the predictions (``docs/calibration_heldout_2024.csv`` or
            :func:`predict_heldout`).

    Returns:
        One row per figure: ``id``, ``value``, ``se``, ``prediction``, ``off_points``
        (prediction less figure, in share points), ``tol`` (in the figure's units),
        ``within`` and ``beyond_cap``.
    """
    merged = figures.merge(predictions[["id", "mean", "ratio"]], on="id", how="left")
    points, tol, cap = acceptance(merged["se"], merged["ratio"])
    off = merged["mean"] - merged["value"]
    return pd.DataFrame(
        {
            "id": merged["id"],
            "value": merged["value"],
            "se": merged["se"],
            "prediction": merged["mean"],
            "off_points": 100 * off / points,
            "tol": tol,
            "within": off.abs() <= tol,
            "beyond_cap": ~(off.abs() <= cap),
        }
    )
