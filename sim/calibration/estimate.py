"""The point estimate: chosen among posterior summaries, polished by CMA-ES, confirmed.

:func:`choose_estimate` runs the posterior median, mean and closest particles
on common seeds and keeps the one closest to the report; :func:`refine_estimate`
polishes it by the simulated method of moments (CMA-ES, the ``cma`` package);
:func:`confirm_estimate` runs the chosen, the polished and the previous estimate
on seeds none of them was tuned on and keeps the previous one unless another is
closer to the report beyond the seeds' luck.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import io
from sim.calibration.common import _resampled_means, _round, _seeds, _stderr, _wquantile
from sim.calibration.priors import FREE_PARAMETERS
from sim.calibration.settings import Settings
from sim.calibration.statistics import NAN_Z, _map, _norm, _z, target_table
from sim.errors import UserError
from sim.extras import require

__all__ = ["choose_estimate", "confirm_estimate", "refine_estimate"]

#: Resamples of the fresh seeds in the confirmation's paired bootstrap.
CONFIRM_RESAMPLES = 1000
#: Share of resamples in which a challenger must be closer to replace the previous estimate.
CONFIRM_LEVEL = 0.95


def _candidates(posterior: pd.DataFrame, k: int) -> list[dict[str, float]]:
    """Posterior median, posterior mean (sampler's space) and the ``k`` closest particles."""
    w = posterior["weight"].to_numpy()
    median = {p.name: _wquantile(posterior[p.name], w, 0.5) for p in FREE_PARAMETERS}
    mean = {
        p.name: p.natural(float(np.sum(w * posterior[p.name].map(p.sampler_value))))
        for p in FREE_PARAMETERS
    }
    out = [median, mean]
    for _, row in posterior.nsmallest(k, "distance").iterrows():
        out.append({p.name: float(row[p.name]) for p in FREE_PARAMETERS})
    return out


def choose_estimate(
    posterior: pd.DataFrame,
    settings: Settings,
    *,
    log: Callable[[str], None] | None = None,
) -> dict[str, float]:
    """Pick the point estimate: the candidate whose mean over seeds is closest to the report.

    Candidates are the posterior median, the posterior mean and the
    ``settings.candidates`` particles with the smallest distance; each is run on
    the same ``settings.select_seeds`` seeds, and the one whose mean statistics
    have the smallest distance wins.
    """
    say = log or _stderr
    cands = _candidates(posterior, settings.candidates)
    seeds = _seeds(settings.root_seed, settings.select_seeds, salt=1)
    say(f"calibrate: choosing the estimate among {len(cands)} candidates x {len(seeds)} seeds")
    dist = _distances(cands, seeds, settings, target_table(settings.se_floor))
    best_i = int(np.argmin(dist))
    best, best_d = cands[best_i], dist[best_i]
    say(f"calibrate: best candidate: distance {best_d:.2f} (mean of {len(seeds)} seeds)")
    return {k: _round(v) for k, v in best.items()}


def refine_estimate(
    start: Mapping[str, float],
    settings: Settings,
    *,
    log: Callable[[str], None] | None = None,
    targets: pd.DataFrame | None = None,
    sigma: float = 0.1,
    checkpoint: str | Path | None = None,
) -> dict[str, float]:
    """Polish a point estimate by the simulated method of moments on common seeds.

    Minimises the distance (``settings.distance_p``-norm of the z-scores) of the
    mean statistics over ``settings.select_seeds`` fixed seeds with CMA-ES (the
    ``cma`` package: a covariance-matrix-adapting evolution strategy, robust to
    the seed noise and the kinks of an absolute-value distance), on the priors'
    unit cube, starting from ``start`` with a step of ``sigma`` of each prior range,
    for ``settings.refine_iterations`` generations; seeded from
    ``settings.root_seed``, so the same settings give the same estimate. Returns
    the best point seen, which is never worse than ``start`` on those seeds.
    The parameters stay inside their priors.

    Args:
        start: the starting point (values of the free parameters).
        settings: seeds, generations, agents, weeks and workers.
        log: called with each progress line.
        targets: the targets to fit (rows of :func:`target_table`; default all):
            cross-validation fits with a block left out.
        sigma: CMA-ES's initial step, as a share of each prior range.
        checkpoint: a file the search state is saved to after every generation;
            when it exists, the search resumes from it.
    """
    say = log or _stderr
    if settings.refine_iterations <= 0:
        return dict(start)
    cma = _import_cma()
    free = FREE_PARAMETERS
    seeds = _seeds(settings.root_seed, settings.select_seeds, salt=1)
    if targets is None:
        targets = target_table(settings.se_floor)

    def values(u: np.ndarray) -> dict[str, float]:
        return {p.name: p.at_unit(x) for p, x in zip(free, u, strict=True)}

    def distances(points: list[np.ndarray]) -> list[float]:
        return _distances([values(u) for u in points], seeds, settings, targets)

    state = _load_checkpoint(checkpoint)
    if state is None:
        best_u = np.array([p.unit(float(start[p.name])) for p in free])
        best_d = distances([best_u])[0]
        options = {"bounds": [0.0, 1.0], "seed": settings.root_seed % 2**31 + 1, "verbose": -9}
        es = cma.CMAEvolutionStrategy(best_u.tolist(), sigma, options)
        done = 0
    else:
        es, best_u, best_d, done = state
        say(f"calibrate: resuming the search after generation {done} ({checkpoint})")
    say(
        f"calibrate: refining the estimate (CMA-ES, {settings.refine_iterations} generations "
        f"of {es.popsize} on {len(seeds)} common seeds; distance {best_d:.2f})"
    )
    for it in range(done, settings.refine_iterations):
        points = [np.asarray(x, dtype=float) for x in es.ask()]
        dist = distances(points)
        es.tell([x.tolist() for x in points], dist)
        k = int(np.argmin(dist))
        if dist[k] < best_d:
            best_u, best_d = points[k], dist[k]
        _save_checkpoint(checkpoint, (es, best_u, best_d, it + 1))
        say(f"calibrate:   generation {it + 1}: best distance {best_d:.2f}")
    return {k: _round(v) for k, v in values(best_u).items()}


def _runs(
    points: list[Mapping[str, float]], seeds: list[int], settings: Settings
) -> list[pd.DataFrame]:
    """Each point's statistics on the same ``seeds``: one frame per point, a row per seed."""
    base = settings.base_params()
    jobs = [(base.replace(**pt).to_dict(), sd, settings.weeks) for pt in points for sd in seeds]
    res = _map(jobs, settings.jobs, None)
    n = len(seeds)
    return [pd.DataFrame(res[i * n : (i + 1) * n]) for i in range(len(points))]


def _distance(stats: pd.DataFrame, targets: pd.DataFrame, p: float) -> float:
    """Distance to ``targets`` of the mean statistics over the seeds (rows) of ``stats``."""
    return _norm(_z(stats.mean(numeric_only=True).to_dict(), targets), p)


def _distances(
    points: list[Mapping[str, float]], seeds: list[int], settings: Settings, targets: pd.DataFrame
) -> list[float]:
    """Distance to ``targets`` of each point's mean statistics over the same ``seeds``."""
    runs = _runs(points, seeds, settings)
    return [_distance(stats, targets, settings.distance_p) for stats in runs]


def _resampled_distances(
    stats: pd.DataFrame, targets: pd.DataFrame, resamples: np.ndarray, p: float
) -> np.ndarray:
    """Distance of the mean statistics over each row of seed indices in ``resamples``."""
    means = _resampled_means(stats, list(targets["id"]), resamples)
    z = (means - targets["value"].to_numpy()) / targets["sigma"].to_numpy()
    z = np.where(np.isfinite(z), z, NAN_Z)
    return np.sum(np.abs(z) ** p, axis=1) ** (1.0 / p)


def _share_closer(
    challenger: pd.DataFrame, incumbent: pd.DataFrame, targets: pd.DataFrame, settings: Settings
) -> float:
    """Share of paired bootstrap resamples of the seeds in which ``challenger`` is closer.

    Both frames hold one row per seed, the same seeds in the same order; each
    resample draws seeds with replacement (the same draw for both) from a
    generator seeded by ``settings.root_seed``.
    """
    rng = np.random.default_rng(settings.root_seed)
    resamples = rng.integers(0, len(challenger), size=(CONFIRM_RESAMPLES, len(challenger)))
    p = settings.distance_p
    return float(
        np.mean(
            _resampled_distances(challenger, targets, resamples, p)
            < _resampled_distances(incumbent, targets, resamples, p)
        )
    )


def confirm_estimate(
    candidates: Mapping[str, Mapping[str, float]],
    settings: Settings,
    *,
    incumbent: str | None = None,
    log: Callable[[str], None] | None = None,
) -> dict[str, float]:
    """Keep the previous estimate unless a candidate is closer on fresh seeds beyond their luck.

    The polish (:func:`refine_estimate`) minimises the distance on the very
    ``select_seeds`` seeds it is judged on, so part of what it gains is those
    seeds' luck (the winner's curse of optimising a noisy objective). Each
    candidate (typically the chosen one, the polished one and the previous
    estimate) is run on ``2 * settings.select_seeds`` other seeds, the same for
    all. The closest of the others (the challenger) replaces the ``incumbent``
    only if it is closer to the report in at least :data:`CONFIRM_LEVEL` of
    :data:`CONFIRM_RESAMPLES` paired bootstrap resamples of those seeds (the
    same resampled seeds for both, with a fixed generator; Efron & Tibshirani
    1993): an estimate changes when the evidence says the new one fits better,
    not when chance does. With no incumbent the closest is kept.

    Args:
        candidates: points to compare, by a name for the log.
        settings: seeds, agents, weeks and workers.
        incumbent: the name of the estimate in use (kept unless beaten), or None.
        log: called with each progress line.
    """
    say = log or _stderr
    names = list(candidates)
    if incumbent is not None and incumbent not in candidates:
        raise UserError(f"incumbent {incumbent!r} is not a candidate (allowed: {names})")
    seeds = _seeds(settings.root_seed, 2 * settings.select_seeds, salt=5)
    say(f"calibrate: confirming the estimate: {len(names)} candidates x {len(seeds)} fresh seeds")
    targets = target_table(settings.se_floor)
    runs = dict(zip(names, _runs([candidates[n] for n in names], seeds, settings), strict=True))
    distance = {n: _distance(runs[n], targets, settings.distance_p) for n in names}
    line = "calibrate: distance on fresh seeds: " + ", ".join(
        f"{n} {d:.2f}" for n, d in distance.items()
    )
    best = min(names, key=distance.__getitem__)
    if incumbent is None or best == incumbent:
        say(f"{line}; kept: {best}")
        return dict(candidates[best])
    closer = _share_closer(runs[best], runs[incumbent], targets, settings)
    kept = best if closer >= CONFIRM_LEVEL else incumbent
    say(
        f"{line}; {best} closer than {incumbent} in {closer:.0%} of {CONFIRM_RESAMPLES:,} "
        f"resamples of the seeds ({CONFIRM_LEVEL:.0%} needed); kept: {kept}"
    )
    return dict(candidates[kept])


def _load_checkpoint(path: str | Path | None) -> Any:
    """The saved CMA-ES state ``(es, best_u, best_d, generations)``, or None."""
    if path is None or not Path(path).is_file():
        return None

    try:
        return pickle.loads(Path(path).read_bytes())
    except Exception as exc:  # any unreadable file: say which and how to clear it
        raise UserError(
            f"cannot resume from {path}: the file is unreadable ({type(exc).__name__}); "
            "delete it (or use --fresh) to start that search over"
        ) from None


def _save_checkpoint(path: str | Path | None, state: tuple) -> None:
    if path is None:
        return

    io.write_bytes(Path(path), pickle.dumps(state))


def _import_cma() -> Any:
    return require("cma", "calibration", "polishing the estimate", "or pass --refine 0")
