"""The metrics a comparison reports, and the words for what a difference says.

:data:`METRICS` lists the outcomes and survey figures every run and comparison
reports, each with its better direction; its label, unit, summary heading and the
noun of its sentences are the vocabulary's (:data:`sim.vocabulary.METRICS`, the one
place the words are written). :func:`verdict`, :func:`superiority` and
:func:`share_text` turn differences into words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.vocabulary import Term, term

__all__ = [
    "METRICS",
    "Metric",
    "direction_text",
    "metric_values",
    "share_text",
    "superiority",
    "verdict",
]


@dataclass(frozen=True)
class Metric:
    """An outcome a strategist compares, computed per seed from one simulation.

    Its words (label, unit, summary heading, noun) are :data:`sim.vocabulary.METRICS`'s.

    Attributes:
        key: column name in tables and files.
        better: ``"lower"`` or ``"higher"``: which direction is good (for colouring,
            verdicts and :func:`superiority`); ``""``: no direction is better (the
            outcome is shown, no scenario is said to beat another on it).
        outcome: key of the model's true outcomes to read, if any.
        survey: ``(item, group)`` of the last survey wave to read, if no outcome is given.
        summary: whether the summary table of ``compare`` shows it (under ``words.column``).
    """

    key: str
    better: str
    outcome: str | None = None
    survey: tuple[str, str] | None = None
    summary: bool = False

    @property
    def words(self) -> Term:
        """Its plain words (:data:`sim.vocabulary.METRICS`)."""
        return term(self.key, "metrics")

    @property
    def label(self) -> str:
        """Its plain label (``burnt out``)."""
        return self.words.label

    @property
    def unit(self) -> str:
        """What its number is, and over what time (``share of employees, at the end ...``)."""
        return self.words.units

    @property
    def short(self) -> str:
        """Its heading in the summary table of ``compare``; ``""``: not in the summary."""
        return self.words.column if self.summary else ""

    @property
    def sign(self) -> int:
        """``+1`` if higher is better, ``-1`` if lower is better, ``0`` without a direction."""
        return {"higher": 1, "lower": -1}.get(self.better, 0)

    @property
    def phrase(self) -> str:
        """The outcome as a noun phrase for sentences (``burnout``)."""
        return self.words.phrase

    def value(self, outcomes: Mapping[str, float], survey: pd.DataFrame) -> float:
        """Return this metric for one simulation (NaN when the model does not report it)."""
        if self.outcome is not None and self.outcome in outcomes:
            return float(outcomes[self.outcome])
        if self.survey is not None and len(survey):
            item, group = self.survey
            last = survey[survey["wave"] == survey["wave"].max()]
            hit = last[(last["item"] == item) & (last["group"] == group)]
            if len(hit):
                return float(hit["value"].iloc[0])
        return math.nan


#: The outcomes of ``compare``, in table order (their words: :data:`sim.vocabulary.METRICS`).
METRICS: tuple[Metric, ...] = (
    Metric(
        "burnout_top_quartile",
        "lower",
        outcome="top_quartile_burnout_share",
        survey=("burnout", "top_quartile"),
        summary=True,
    ),
    Metric("burnout", "lower", outcome="burnout_share", survey=("burnout", "fte"), summary=True),
    Metric(
        "considering_quitting",
        "lower",
        outcome="considering_quitting",
        survey=("considering_quitting", "fte"),
    ),
    Metric("annual_quit_rate", "lower", outcome="annual_quit_rate", summary=True),
    Metric("true_productivity_gain", "higher", outcome="true_productivity_gain", summary=True),
    # No direction: a higher self-report over the same true gain is optimism, not output.
    Metric(
        "reported_productivity_gain",
        "",
        outcome="self_reported_gain",
        survey=("productivity_gain", "fte"),
    ),
    Metric("trust_ai_vs_coworkers", "lower", outcome="trust_gap"),
    Metric("mean_tie_strength", "higher", outcome="mean_tie_strength", summary=True),
    Metric("effective_output", "higher", outcome="effective_output", summary=True),
    Metric("burnout_1y", "lower", outcome="burnout_share_1y"),
    Metric("annual_quit_rate_1y", "lower", outcome="annual_quit_rate_1y"),
    Metric("effective_output_1y", "higher", outcome="effective_output_1y"),
    # Costs of the levers, in units a strategist can act on (output is above).
    Metric("lever_hours", "lower", outcome="lever_hours", summary=True),
    Metric("managers_per_100", "lower", outcome="managers_per_100"),
    Metric("released_per_100", "lower", outcome="released_per_100"),
)


def metric_values(outcomes: Mapping[str, float], survey: pd.DataFrame) -> dict[str, float]:
    """Return every :data:`METRICS` value for one simulation."""
    return {m.key: m.value(outcomes, survey) for m in METRICS}


def verdict(d: float, lo: float, hi: float, better: str) -> str:
    """Return what a difference from the baseline and its interval say.

    ``"better"`` or ``"worse"`` when the interval excludes zero (by the metric's
    ``better`` direction), ``"higher"`` or ``"lower"`` for a metric without a
    direction, ``"no clear change"`` when it includes zero, ``""`` without an interval.
    """
    if not all(isinstance(x, int | float) and math.isfinite(x) for x in (lo, hi)):
        return ""
    if lo <= 0 <= hi:
        return "no clear change"
    if better not in ("lower", "higher"):
        return "higher" if d > 0 else "lower"
    improved = (d < 0) if better == "lower" else (d > 0)
    return "better" if improved else "worse"


def superiority(
    a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray, better: str
) -> float:
    """Share of matched runs in which ``a`` does better than ``b``; ties count half.

    ``a[i]`` and ``b[i]`` are one outcome of two scenarios in the same matched run
    (the same posterior draw and seed, so the same random numbers). With ``s = +1``
    when higher is better and ``-1`` when lower is better, the share is

        P(a beats b) = (#{i: s a_i > s b_i} + 0.5 #{i: a_i = b_i}) / n,

    over the ``n`` runs where both values are finite: the probability of
    superiority (common-language effect size, McGraw & Wong 1992, Psychological
    Bulletin 111: 361-365), here on matched rather than independent draws, so
    ``P(a beats b) + P(b beats a) = 1``.

    Args:
        a: the outcome of the first scenario, one value per matched run.
        b: the same outcome of the second scenario, in the same order.
        better: ``"lower"`` or ``"higher"``.

    Returns:
        The share in [0, 1]; NaN without a direction or without any finite pair.

    Example:
        >>> superiority([0.2, 0.3, 0.4, 0.5], [0.3, 0.3, 0.5, 0.6], "lower")
        0.875
    """
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"superiority: {x.shape} and {y.shape} values are not matched runs")
    sign = {"higher": 1.0, "lower": -1.0}.get(better, 0.0)
    ok = np.isfinite(x) & np.isfinite(y)
    if not sign or not ok.any():
        return math.nan
    x, y = sign * x[ok], sign * y[ok]
    return float(((x > y).sum() + 0.5 * (x == y).sum()) / ok.sum())


def _sentence(win: str, lose: str, m: Metric, share: float, matched: str) -> str:
    """``"keep_slack gives lower burnout than touchpoints in 92% of draws"``."""
    word = "lower" if m.better == "lower" else "higher"
    return f"{win} gives {word} {m.phrase} than {lose} in {share_text(share)} of {matched}"


def direction_text(better: str) -> str:
    """``lower is better``, ``higher is better`` or ``no better direction``."""
    return {"lower": "lower is better", "higher": "higher is better"}.get(
        better, "no better direction"
    )


def share_text(x: float) -> str:
    """A share as a whole percentage, rounded half up; ``>99%``/``<1%`` short of all or none.

    Example:
        >>> [share_text(x) for x in (0.625, 0.875, 0.996, 1.0, 0.004, 0.0)]
        ['63%', '88%', '>99%', '100%', '<1%', '0%']
    """
    if not isinstance(x, int | float) or not math.isfinite(x):
        return "n/a"
    pct = math.floor(100 * x + 0.5)
    if pct == 100 and x < 1:
        return ">99%"
    if pct == 0 and x > 0:
        return "<1%"
    return f"{pct}%"
