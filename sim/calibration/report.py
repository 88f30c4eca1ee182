"""The calibration report: ``docs/calibration.md`` and its figures, from the committed baseline.

:func:`write_report` runs the estimate, the local sensitivity and (once,
cached) a prior predictive sample, draws the figures (:mod:`.figures`) and
renders the page from the template ``templates/calibration.md.j2``; the texts
kept per item (the model revisions, why a target is out of reach) are in
``templates/texts.toml``.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import asdict, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import io
from sim.calibration import figures
from sim.calibration.common import _digest, _rounded_table, _seeds, _stderr, _wquantile, silent
from sim.calibration.crossval import crossval_path, load_crossval, markdown
from sim.calibration.estimate import CONFIRM_LEVEL, CONFIRM_RESAMPLES
from sim.calibration.fit import (
    COUNT_ROOT,
    COUNT_RUNS,
    CountSpread,
    expected_count,
    fit_table,
    sensitivity,
    simulate_many,
    summarise_fit,
)
from sim.calibration.heldout import (
    HELDOUT_ROOT,
    HELDOUT_WAVE,
    predict_heldout,
    tool_curve_shift,
)
from sim.calibration.markdown import environment, unwrap
from sim.calibration.posterior import (
    effective_sample_size,
    estimate_from_baseline,
    load_posterior,
    load_trace,
    posterior_draws,
    posterior_path,
)
from sim.calibration.priors import FIXED_BEHAVIOUR, FREE_PARAMETERS, bundled_baseline
from sim.calibration.settings import Settings
from sim.calibration.statistics import RATIO_GROUP, _map
from sim.present.progress import ProgressBar
from sim.vocabulary import SURVEY_ITEMS

__all__ = ["MODEL_REVISIONS", "TARGET_NOTES", "render", "write_report"]


@cache
def _texts() -> dict[str, Any]:
    text = resources.files("sim.calibration").joinpath("templates/texts.toml").read_text("utf-8")
    return tomllib.loads(text)


def _collapse(text: str) -> str:
    return " ".join(text.split())


#: Root seeds other than the calibration's (2025) at which the report also measures the fit.
OTHER_ROOTS = (777, 4242)
#: Runs of the estimate, posterior draws and runs per draw behind the held-out wave's predictions.
HELDOUT_RUNS, HELDOUT_DRAWS, HELDOUT_DRAW_RUNS = 100, 40, 2
#: Weeks the tool-quality curve's midpoint is moved each way for the held-out predictions.
HELDOUT_Q_SHIFT = 13.0
#: Changes to the rules made in the course of calibrating, with the reason for each
#: (``templates/texts.toml``, ``[[revisions]]``).
MODEL_REVISIONS: tuple[str, ...] = tuple(_collapse(r["text"]) for r in _texts()["revisions"])
#: Why a target is out of reach, per target: mechanism (rule, constant) and a suggested change
#: (``templates/texts.toml``, ``[target_notes]``); shown for every target the baseline misses.
TARGET_NOTES: dict[str, str] = {k: _collapse(v) for k, v in _texts()["target_notes"].items()}
#: Said of a missed target that has no note.
_NO_NOTE = (
    "No rule forbids it; the fit trades it against the targets it shares parameters with "
    "(see the sensitivity table)."
)


def _norm_name(p: float) -> str:
    return "sum of absolute values" if p == 1 else "Euclidean norm"


def write_report(
    docs: str | Path = "docs",
    *,
    baseline: str | Path | None = None,
    settings: Settings | None = None,
    log: Callable[[str], None] | None = None,
    sensitivity_seeds: int = 6,
    prior_runs: int = 160,
) -> Path:
    """Rebuild ``docs/calibration.md`` and ``docs/img/calibration/*.png`` from the baseline.

    Reads the estimate from the baseline scenario and the posterior, trace and
    metadata beside it; runs the estimate on ``settings.fit_seeds`` seeds (fit
    table, both readings of the 88% figure) and as many from each of :data:`OTHER_ROOTS`,
    the local sensitivity
    (:func:`~sim.calibration.sensitivity`) and, unless cached beside the posterior
    (``baseline_posterior.prior.csv``) for the same calibration settings, priors and
    model code (``baseline_posterior.prior.json``), a prior predictive sample of
    ``prior_runs`` runs for the frontier figure. All seeds are fixed, so the
    report is the same on every machine.

    Returns:
        The path of the Markdown file.
    """
    settings = settings or Settings()
    say = log or _stderr
    path = Path(baseline) if baseline is not None else bundled_baseline()
    docs = Path(docs)
    img = docs / "img" / "calibration"
    estimate = estimate_from_baseline(path)
    posterior = load_posterior(posterior_path(path))
    trace = load_trace(posterior_path(path, ".trace.csv"))
    meta_file = posterior_path(path, ".json")
    meta = json.loads(meta_file.read_text()) if meta_file.is_file() else {}

    def bar(label: str) -> ProgressBar | None:
        return None if log is silent else ProgressBar(f"calibrate: {label}")

    say(f"calibrate: report: the estimate on {settings.fit_seeds} seeds")
    tick = bar("fit")
    runs = simulate_many(estimate, settings, seeds=settings.fit_seeds, tick=tick)
    if tick:
        tick.close()
    fit = fit_table(estimate, settings, runs=runs)
    say(f"calibrate: report: the estimate on {settings.fit_seeds} seeds of other roots")
    other_roots = []
    for root in OTHER_ROOTS:
        other = fit_table(estimate, replace(settings, root_seed=root), seeds=settings.fit_seeds)
        other_roots.append((root, summarise_fit(other)))
    say(f"calibrate: report: how the count moves with the seeds ({COUNT_RUNS} runs)")
    tick = bar("count")
    spread = expected_count(
        estimate, replace(settings, root_seed=COUNT_ROOT), seeds=settings.fit_seeds, tick=tick
    )
    if tick:
        tick.close()
    say(f"calibrate: report: predictions for the held-out {HELDOUT_WAVE} wave")
    tick = bar("held out")
    draws = posterior_draws(HELDOUT_DRAWS, seed=HELDOUT_ROOT, path=posterior_path(path))
    heldout = predict_heldout(
        estimate,
        settings,
        seeds=HELDOUT_RUNS,
        draws=draws,
        draw_seeds=HELDOUT_DRAW_RUNS,
        tick=tick,
    )
    if tick:
        tick.close()
    shifted = tool_curve_shift(estimate, settings, weeks=HELDOUT_Q_SHIFT, seeds=HELDOUT_RUNS // 2)
    heldout = heldout.merge(shifted, on="id")
    io.write_csv(docs / f"calibration_heldout_{HELDOUT_WAVE}.csv", _rounded_table(heldout))
    say(f"calibrate: report: local sensitivity ({sensitivity_seeds} seeds)")
    tick = bar("sensitivity")
    sens = sensitivity(estimate, settings, seeds=sensitivity_seeds, tick=tick)
    if tick:
        tick.close()
    prior = _prior_predictive(path, settings, prior_runs, say, bar)

    drawn = {
        "fit.png": figures._fig_fit(fit),
        "marginals.png": figures.marginals_figure(posterior, estimate),
        "pairs.png": figures._fig_pairs(posterior, estimate),
        "trace.png": figures._fig_trace(trace),
        "sensitivity.png": figures._fig_sensitivity(sens),
        "frontiers.png": figures._fig_frontiers(prior, pd.DataFrame(runs)),
    }
    for name, fig in drawn.items():
        io.write_figure(img / name, fig)
    cv_file = crossval_path(path)
    cv_table = load_crossval(cv_file)
    cv_meta = json.loads(cv_file.with_suffix(".json").read_text()) if cv_table is not None else {}
    text = render(
        fit,
        runs,
        sens,
        posterior,
        trace,
        estimate,
        meta,
        prior,
        settings,
        (cv_table, cv_meta),
        other_roots,
        spread,
        heldout,
    )
    return io.write_text(docs / "calibration.md", text)


def _prior_predictive(
    baseline: Path, settings: Settings, n: int, say: Callable, bar: Callable
) -> pd.DataFrame:
    """Statistics of ``n`` runs drawn from the prior (one seed each), cached beside it.

    The cache is reused only if its stamp (``.prior.json``) holds the digest of
    :meth:`Settings.identity`, which covers the priors, the parameters they are set on
    and the model's code: a sample drawn from other priors or another model is drawn anew.
    """
    cache_file = posterior_path(baseline, ".prior.csv")
    stamp_file = posterior_path(baseline, ".prior.json")
    stamp = {"identity": _digest(settings.identity())}
    if cache_file.is_file() and io.read_json(stamp_file) == stamp:
        df = pd.read_csv(cache_file)
        if len(df) >= n and all(p.name in df.columns for p in FREE_PARAMETERS):
            return df.head(n)
    say(f"calibrate: report: prior predictive sample ({n} runs, cached in {cache_file.name})")
    rng = np.random.default_rng(settings.root_seed)
    draws = []
    for _ in range(n):
        draws.append({p.name: p.natural(rng.uniform(*p.bounds)) for p in FREE_PARAMETERS})
    base = settings.base_params()
    seeds = _seeds(settings.root_seed, n, salt=4)
    jobs = [
        (base.replace(**d).to_dict(), s, settings.weeks) for d, s in zip(draws, seeds, strict=True)
    ]
    tick = bar("prior predictive")
    res = _map(jobs, settings.jobs, tick)
    if tick:
        tick.close()
    df = pd.concat([pd.DataFrame(draws), pd.DataFrame(res)], axis=1)
    io.write_csv(cache_file, _rounded_table(df))
    io.write_text(stamp_file, json.dumps(stamp, indent=1) + "\n")
    # What a later report reads back from the cache, so the figures do not depend on whether
    # the sample was drawn now or before (the cache keeps six significant digits).
    return pd.read_csv(cache_file).head(n)


def render(
    fit: pd.DataFrame,
    runs: list[dict],
    sens: pd.DataFrame,
    posterior: pd.DataFrame,
    trace: pd.DataFrame,
    estimate: Mapping[str, float],
    meta: Mapping[str, Any],
    prior: pd.DataFrame,
    settings: Settings,
    crossval: tuple[pd.DataFrame | None, dict] = (None, {}),
    other_roots: list[tuple[int, dict[str, Any]]] | None = None,
    spread: CountSpread | None = None,
    heldout: pd.DataFrame | None = None,
) -> str:
    """Render ``docs/calibration.md`` from what :func:`write_report` computed.

    Args:
        fit: the fit table (:func:`~sim.calibration.fit_table`).
        runs: the statistics of the estimate's runs, one dict per seed.
        sens: the local sensitivity (:func:`~sim.calibration.sensitivity`).
        posterior: the last generation (:func:`~sim.calibration.load_posterior`).
        trace: the convergence trace (:func:`~sim.calibration.load_trace`).
        estimate: the committed estimate.
        meta: what the calibration ran (``baseline_posterior.json``).
        prior: the prior predictive sample.
        settings: the report's settings.
        crossval: the cross-validation's per-target table (None if not run) and metadata.
        other_roots: the fit summary (:func:`~sim.calibration.summarise_fit`) at each of
            :data:`OTHER_ROOTS`, the test of issue 12 (seeds from a root other than the fit's).
        spread: how the goal's count moves with the seeds (:func:`~sim.calibration.count_spread`
            on :data:`COUNT_RUNS` runs from :data:`COUNT_ROOT`), or None.
        heldout: the predictions for the held-out wave
            (:func:`~sim.calibration.heldout.predict_heldout`), or None.

    Returns:
        The Markdown text.
    """
    runs_df = pd.DataFrame(runs)
    w = posterior["weight"].to_numpy()
    parameters = []
    for p in FREE_PARAMETERS:
        x, u = posterior[p.name], posterior[p.name].map(p.unit)
        parameters.append(
            {
                "p": p,
                "estimate": estimate[p.name],
                "median": _wquantile(x, w, 0.5),
                "q05": _wquantile(x, w, 0.05),
                "q95": _wquantile(x, w, 0.95),
                "width": _wquantile(u, w, 0.95) - _wquantile(u, w, 0.05),
            }
        )
    fit_rows = []
    for r in fit.itertuples():
        ratio = r.group == RATIO_GROUP
        fit_rows.append(
            r._asdict()
            | {
                "ratio": ratio,
                "off": f"{r.off:+.2f}" if ratio else f"{100 * r.off:+.1f} pts",
                "mark": "yes" if r.within else ("**no, > 10 pts**" if r.beyond_cap else "no"),
                "p_within": spread.within[r.id] if spread is not None else None,
            }
        )
    top = fit.set_index("id").loc["top_burnout"]
    rest, rr = runs_df["_burnout_rest"], runs_df["_burnout_rr"]
    pairs = []
    for i, pi in enumerate(FREE_PARAMETERS):
        for pj in FREE_PARAMETERS[i + 1 :]:
            r = figures._wcorr(
                posterior[pi.name].map(pi.unit).to_numpy(),
                posterior[pj.name].map(pj.unit).to_numpy(),
                w,
            )
            if abs(r) >= 0.4:
                pairs.append((abs(r), f"`{pi.name}` and `{pj.name}` ({r:+.2f})"))
    miss = fit[~fit["within"]]
    miss = miss.reindex(miss["off_points"].abs().sort_values(ascending=False).index)
    sensitivity_rows = []
    for tid in fit["id"]:
        sub = sens[sens["id"] == tid]
        sub = sub.reindex(sub["points"].abs().sort_values(ascending=False).index)
        sub = sub[sub["points"].abs() >= 1.0].head(4)
        text = ", ".join(f"`{r.parameter}` {r.points:+.1f}" for r in sub.itertuples())
        sensitivity_rows.append((tid, text))
    cv_table, cv_meta = crossval
    context = {
        "free": FREE_PARAMETERS,
        "fixed": FIXED_BEHAVIOUR,
        "revisions": MODEL_REVISIONS,
        "n_targets": len(fit),
        "s": summarise_fit(fit),
        "settings": settings,
        "meta": meta,
        "st": meta.get("settings", {}),
        "cli_defaults": _run_with_cli_defaults(meta.get("settings", {})),
        "rerun": _rerun_calls(meta.get("settings", {})),
        "norm_name": _norm_name(settings.distance_p),
        "confirm": {"level": CONFIRM_LEVEL, "resamples": CONFIRM_RESAMPLES},
        "other_roots": other_roots or [],
        "spread": spread,
        "count_root": COUNT_ROOT,
        "parameters": parameters,
        "fit_rows": fit_rows,
        "top": {"mean": top["mean"], "q05": top["q05"], "q95": top["q95"]},
        "rest": {"mean": rest.mean(), "q05": rest.quantile(0.05), "q95": rest.quantile(0.95)},
        "rr": {"mean": rr.mean(), "q05": rr.quantile(0.05), "q95": rr.quantile(0.95)},
        "need": 1.88 * rest.mean(),
        "n_particles": len(posterior),
        "ess": effective_sample_size(w),
        "pairs": [t for _, t in sorted(pairs, reverse=True)],
        "trace": list(trace.itertuples()),
        "misses": [
            {
                "id": r.id,
                "value": r.value,
                "mean": r.mean,
                "off_points": r.off_points,
                "ratio": r.group == RATIO_GROUP,
                "note": TARGET_NOTES.get(r.id, _NO_NOTE),
                "p_within": spread.within[r.id] if spread is not None else None,
            }
            for r in miss.itertuples()
        ],
        "n_prior": len(prior),
        "sensitivity_rows": sensitivity_rows,
        "crossval": "\n".join(markdown(cv_table, cv_meta)) if cv_table is not None else "",
        "heldout": _heldout_rows(heldout, fit) if heldout is not None else [],
        "h": {
            "wave": HELDOUT_WAVE,
            "root": HELDOUT_ROOT,
            "runs": HELDOUT_RUNS,
            "draws": HELDOUT_DRAWS,
            "draw_runs": HELDOUT_DRAW_RUNS,
            "shift": HELDOUT_Q_SHIFT,
            "shift_runs": HELDOUT_RUNS // 2,
            "midpoint": settings.base_params().tool_quality_midpoint,
            "steepest": _steepest(heldout, fit) if heldout is not None else "",
        },
    }
    return unwrap(environment().get_template("calibration.md.j2").render(context))


def _heldout_rows(heldout: pd.DataFrame, fit: pd.DataFrame) -> list[dict[str, Any]]:
    """The held-out table's rows: each prediction beside the 2025 report and model."""
    fit = fit.set_index("id")
    rows = []
    for r in heldout.itertuples():

        def show(x: float, ratio: bool = r.ratio) -> str:
            return "-" if not np.isfinite(x) else (f"{x:.2f}" if ratio else f"{100 * x:.1f}%")

        known = r.id in fit.index
        rows.append(
            {
                "id": r.id,
                "asks": SURVEY_ITEMS[r.item].sentence,
                "group": r.group,
                "report_2025": show(fit.loc[r.id, "value"]) if known else "-",
                "model_2025": show(fit.loc[r.id, "mean"]) if known else "-",
                "mean": show(r.mean),
                "runs": f"{show(r.q05)} to {show(r.q95)}",
                "posterior": f"{show(r.post_q05)} to {show(r.post_q95)}",
                "tools": f"{show(r.q_earlier)}, {show(r.q_later)}",
            }
        )
    return rows


def _steepest(heldout: pd.DataFrame, fit: pd.DataFrame, n: int = 3) -> str:
    """The ``n`` shares the model predicts to change most between the waves, as text."""
    both = heldout[~heldout["ratio"]].merge(fit[["id", "mean"]], on="id", suffixes=("", "_2025"))
    both = both.reindex((both["mean_2025"] - both["mean"]).abs().sort_values(ascending=False).index)
    return "; ".join(
        f"`{r.id}` {100 * r.mean:.0f}% to {100 * r.mean_2025:.0f}%"
        for r in both.head(n).itertuples()
    )


#: Settings the command line sets, and their options (``workplace-sim calibrate``).
_CLI_OPTIONS = {
    "n_agents": "--agents",
    "weeks": "--weeks",
    "population": "--population",
    "generations": "--generations",
    "budget": "--budget",
    "se_floor": "--se-floor",
    "fit_seeds": "--fit-seeds",
    "refine_iterations": "--refine",
}


def _rerun_calls(stored: dict[str, Any]) -> tuple[str | None, str]:
    """The command and the Python call that rerun a stored calibration.

    Only the settings that differ from the defaults are named. The command is ``None`` when
    one of them has no command-line option (the run is then Python's alone).

    Example:
        >>> _rerun_calls({**asdict(Settings()), "population": 600, "budget": 40000})[0]
        'workplace-sim calibrate --fresh --population 600 --budget 40000'
    """
    changed = _changed_settings(stored)
    python = ", ".join(f"{k}={v!r}" for k, v in changed.items())
    python = f"sim.calibration.calibrate(sim.calibration.Settings({python}), fresh=True)"
    if not set(changed) <= set(_CLI_OPTIONS):
        return None, python
    options = "".join(f" {_CLI_OPTIONS[k]} {v:g}" for k, v in changed.items())
    return f"workplace-sim calibrate --fresh{options}", python


def _changed_settings(stored: dict[str, Any]) -> dict[str, Any]:
    """The stored settings that differ from the defaults (those missing are left out).

    The number of processes does not count: the run is the same with any (the sampler is seeded).
    """
    defaults = asdict(Settings())
    return {
        k: stored[k]
        for k in defaults
        if k not in ("jobs", "base") and k in stored and stored[k] != defaults[k]
    }


def _run_with_cli_defaults(stored: dict[str, Any]) -> bool:
    """Whether a stored calibration used the defaults of ``workplace-sim calibrate``."""
    keys = [k for k in asdict(Settings()) if k not in ("jobs", "base")]
    return all(k in stored for k in keys) and not _changed_settings(stored)
