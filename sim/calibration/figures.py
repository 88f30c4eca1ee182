"""The calibration report's figures (matplotlib, no pyplot state)."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from sim.calibration.priors import FREE_PARAMETERS
from sim.calibration.statistics import RATIO_GROUP, RATIO_REST_SHARE, target_table

__all__ = ["FRONTIERS", "marginals_figure"]


def _figure(w: float, h: float) -> Figure:
    return Figure(figsize=(w, h), layout="constrained")


def _fig_fit(fit: pd.DataFrame) -> Any:
    fig = _figure(8.5, 7.5)
    ax = fig.add_subplot()
    y = np.arange(len(fit))[::-1]
    pts = fit["off_points"].to_numpy()
    scale = np.where(fit["group"] == RATIO_GROUP, RATIO_REST_SHARE, 1.0)
    tol = 100 * fit["tol"].to_numpy() * scale
    sd = 100 * fit["sd"].to_numpy() * scale
    ax.barh(y, 2 * tol, left=-tol, color="#dfe8f1", height=0.7, label="tolerance: max(2 SE, 3 pts)")
    colors = np.where(fit["within"], "#2b6cb0", np.where(fit["beyond_cap"], "#c53030", "#dd6b20"))
    ax.errorbar(pts, y, xerr=sd, fmt="none", ecolor="#555", lw=1, capsize=2)
    ax.scatter(pts, y, c=colors, zorder=3, s=28)
    ax.axvline(0, color="k", lw=0.8)
    for cap in (-10, 10):
        ax.axvline(cap, color="#c53030", lw=0.8, ls=":")
    ax.set_yticks(y, fit["id"])
    ax.set_xlabel("simulated mean minus report, share points (ratio: points of the top share)")
    ax.set_title("Fit of the calibrated baseline: mean and SD over seeds", fontsize=11)
    ax.legend(loc="lower right", fontsize=8)
    return fig


def marginals_figure(posterior: pd.DataFrame, estimate: Mapping[str, float]) -> Figure:
    """Each free parameter's posterior marginal on its prior range, with the estimate.

    One panel per parameter of :data:`FREE_PARAMETERS`, six to a row; log-uniform
    priors are drawn on their log10 scale.
    """
    cols = 6
    rows = math.ceil(len(FREE_PARAMETERS) / cols)
    fig = _figure(13, 3 * rows)
    w = posterior["weight"].to_numpy()
    for i, p in enumerate(FREE_PARAMETERS):
        ax = fig.add_subplot(rows, cols, i + 1)
        x = posterior[p.name].map(p.sampler_value).to_numpy()
        a, b = p.bounds
        ax.hist(x, bins=np.linspace(a, b, 21), weights=w, color="#90cdf4", edgecolor="#2b6cb0")
        ax.axvline(p.sampler_value(estimate[p.name]), color="#c53030", lw=1.5)
        ax.axhline(1 / 20, color="#777", lw=0.8, ls="--")
        ax.set_xlim(a, b)
        ax.set_yticks([])
        ax.set_title(p.name, fontsize=8)
        ax.tick_params(labelsize=7)
        if p.log:
            ax.set_xlabel("log10", fontsize=7)
    fig.suptitle(
        "Posterior marginals (last generation; red: estimate; dashed: flat prior)", fontsize=10
    )
    return fig


def _fig_pairs(posterior: pd.DataFrame, estimate: Mapping[str, float]) -> Any:
    k = len(FREE_PARAMETERS)
    fig = _figure(13, 13)
    w = posterior["weight"].to_numpy()
    u = {p.name: posterior[p.name].map(p.unit).to_numpy() for p in FREE_PARAMETERS}
    size = 4 + 40 * w / w.max()
    for i, pi in enumerate(FREE_PARAMETERS):
        for j, pj in enumerate(FREE_PARAMETERS):
            ax = fig.add_subplot(k, k, i * k + j + 1)
            ax.set_xticks([])
            ax.set_yticks([])
            if i == j:
                ax.hist(u[pi.name], bins=np.linspace(0, 1, 16), weights=w, color="#90cdf4")
                ax.set_xlim(0, 1)
            elif i > j:
                ax.scatter(u[pj.name], u[pi.name], s=size, alpha=0.4, color="#2b6cb0", lw=0)
                ax.plot(pj.unit(estimate[pj.name]), pi.unit(estimate[pi.name]), "r+", ms=8)
                ax.set_xlim(0, 1)
                ax.set_ylim(0, 1)
            else:
                r = _wcorr(u[pi.name], u[pj.name], w)
                ax.text(
                    0.5,
                    0.5,
                    f"{r:+.2f}",
                    ha="center",
                    va="center",
                    fontsize=9,
                    color="#c53030" if abs(r) >= 0.5 else "#333",
                )
                ax.set_facecolor((1, 1 - 0.5 * abs(r), 1 - 0.5 * abs(r)))
            if j == 0:
                ax.set_ylabel(pi.name.replace("_", "\n", 1), fontsize=7)
            if i == k - 1:
                ax.set_xlabel(pj.name.replace("_", "\n", 1), fontsize=7)
    fig.suptitle(
        "Pairwise posterior (prior range scaled to 0-1; upper: weighted correlation)", fontsize=11
    )
    return fig


def _wcorr(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    mx, my = np.sum(w * x), np.sum(w * y)
    cov = np.sum(w * (x - mx) * (y - my))
    sx, sy = np.sqrt(np.sum(w * (x - mx) ** 2)), np.sqrt(np.sum(w * (y - my) ** 2))
    return float(cov / (sx * sy)) if sx > 0 and sy > 0 else math.nan


def _fig_trace(trace: pd.DataFrame) -> Any:
    fig = _figure(11, 4.2)
    g = trace["generation"].to_numpy()
    ax = fig.add_subplot(1, 3, 1)
    ax.plot(g, trace["epsilon"], "o-", label="epsilon (median distance)")
    ax.plot(g, trace["distance_min"], "s--", label="closest particle")
    ax.set_xlabel("generation")
    ax.set_ylabel("distance (z units)")
    ax.legend(fontsize=8)
    ax.set_title("Tolerance", fontsize=10)
    ax = fig.add_subplot(1, 3, 2)
    ax.plot(g, trace["acceptance_rate"], "o-", color="#dd6b20")
    ax.set_xlabel("generation")
    ax.set_ylabel("acceptance rate")
    ax2 = ax.twinx()
    ax2.bar(g, trace["simulations"], alpha=0.25, color="#777")
    ax2.set_ylabel("simulations")
    ax.set_title("Acceptance and cost", fontsize=10)
    ax = fig.add_subplot(1, 3, 3)
    for p in FREE_PARAMETERS:
        med = trace[f"{p.name}_median"].map(p.unit)
        ax.plot(g, med, "-", lw=1.2, label=p.name)
    ax.set_ylim(0, 1)
    ax.set_xlabel("generation")
    ax.set_ylabel("posterior median, share of prior range")
    ax.legend(fontsize=6, ncol=2)
    ax.set_title("Parameters", fontsize=10)
    return fig


def _fig_sensitivity(sens: pd.DataFrame) -> Any:
    m = sens.pivot(index="id", columns="parameter", values="points")
    t = target_table()
    m = m.reindex(index=t["id"], columns=[p.name for p in FREE_PARAMETERS])
    fig = _figure(9, 8)
    ax = fig.add_subplot()
    lim = max(5.0, float(np.nanpercentile(np.abs(m.to_numpy()), 95)))
    im = ax.imshow(m.to_numpy(), cmap="RdBu_r", vmin=-lim, vmax=lim, aspect="auto")
    ax.set_yticks(range(len(m.index)), m.index, fontsize=8)
    ax.set_xticks(range(len(m.columns)), m.columns, rotation=50, ha="right", fontsize=8)
    for (i, j), v in np.ndenumerate(m.to_numpy()):
        if np.isfinite(v) and abs(v) >= 1:
            ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=6)
    fig.colorbar(im, ax=ax, label="share points per 10% of the prior range")
    ax.set_title("Local sensitivity at the estimate", fontsize=11)
    return fig


#: Pairs of targets shown in the frontier figure (x, y).
FRONTIERS = (
    ("fte_productivity_gain", "fte_extra_edge_strong"),
    ("top_burnout", "top_more_polite_to_ai"),
    ("all_ai_as_coworker", "all_humanlike_phrasing"),
    ("freelancer_learn_faster", "freelancer_specialize"),
    ("fte_employer_asks_too_much", "fte_new_projects"),
    ("driver_self_upskilling", "driver_employer_training"),
)


def _fig_frontiers(prior: pd.DataFrame, runs: pd.DataFrame) -> Any:
    t = target_table().set_index("id")
    fig = _figure(12, 7.5)
    for i, (xa, ya) in enumerate(FRONTIERS):
        ax = fig.add_subplot(2, 3, i + 1)
        ax.scatter(prior[xa], prior[ya], s=8, color="#a0aec0", label="prior predictive")
        ax.scatter(runs[xa], runs[ya], s=12, color="#2b6cb0", label="estimate (seeds)")
        tx, ty = t.loc[xa], t.loc[ya]
        ax.add_patch(
            Rectangle(
                (tx.value - tx.tol, ty.value - ty.tol),
                2 * tx.tol,
                2 * ty.tol,
                fill=False,
                ec="#c53030",
                lw=1.2,
            )
        )
        ax.plot(tx.value, ty.value, "*", color="#c53030", ms=12, label="report")
        ax.set_xlabel(xa, fontsize=8)
        ax.set_ylabel(ya, fontsize=8)
        ax.tick_params(labelsize=7)
        if i == 0:
            ax.legend(fontsize=7)
    fig.suptitle(
        "What the model can reach: pairs of targets over the prior (red box: tolerance)",
        fontsize=11,
    )
    return fig
