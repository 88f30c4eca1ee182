"""Replicated runs of scenarios, and comparisons of redesigns with the baseline.

One simulation is ``sim.model.simulate(params, seed, weeks)``; this module runs
it for many seeds (and many scenarios), in one process or in a pool, and
summarises the replicates with a mean and a 95% interval.

* Seeds come from one root seed through :class:`numpy.random.SeedSequence`
  (:func:`spawn_seeds`): the same root seed always gives the same seeds.
* In :func:`compare` every scenario runs on the *same* seeds (common random
  numbers), and a redesign's difference from the baseline is taken seed by seed
  (a paired difference), so the interval reflects the redesign, not the noise
  shared by both runs.
* ``jobs=N`` runs the replicates in ``N`` processes; results are collected in
  task order, so they are identical to ``jobs=1``.
* Parameter uncertainty is included by default: ``posterior=K`` (default
  :data:`DEFAULT_POSTERIOR`) sets of the calibrated parameters are drawn from
  the calibration's posterior (:func:`sim.calibration.posterior_draws`), each
  applied to every scenario and run on the same seeds (``K x seeds`` runs per
  scenario; without ``seeds``, at most :data:`POSTERIOR_SEEDS` per draw). The
  tables gain a ``draw`` column, and a summary is then the mean over draws of
  each draw's mean over seeds, with the 2.5% and 97.5% quantiles of those
  per-draw means as its interval (see :func:`_summarise`). ``posterior=0``
  turns it off: the calibrated values only, intervals over seeds.
* :meth:`CompareResult.superiority` gives, for each pair of scenarios and each
  outcome with a direction, the share of matched runs (same draw, same seed) in
  which one does better than the other (:func:`superiority`; ties count half),
  and :meth:`CompareResult.sentences` says the clearest ones in plain words.

Example:
    >>> from sim.runner import run_scenario, compare
    >>> res = run_scenario("baseline", seeds=3, weeks=104)          # doctest: +SKIP
    >>> res.outcome_summary()                                        # doctest: +SKIP
    >>> cmp = compare(["baseline", "keep_slack"], seeds=5)           # doctest: +SKIP
    >>> cmp.table()                                                  # doctest: +SKIP
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.calibration.posterior import posterior_draws
from sim.errors import UserError
from sim.executors import run_tasks
from sim.experiment.run import EVERYTHING, run_once
from sim.experiment.seeds import DEFAULT_ROOT_SEED, spawn_seeds
from sim.params import Params
from sim.scenarios import (
    BASELINE,
    SEEDS_RANGE,
    WEEKS_RANGE,
    Scenario,
    bundled_scenarios,
    load_scenario,
    load_scenarios,
)

__all__ = [
    "DEFAULT_POSTERIOR",
    "DEFAULT_ROOT_SEED",
    "METRICS",
    "POSTERIOR_RANGE",
    "POSTERIOR_SEEDS",
    "CompareResult",
    "Metric",
    "RunResult",
    "compare",
    "direction_text",
    "interval",
    "run_scenario",
    "run_seeds",
    "share_text",
    "simulate_scenario",
    "spawn_seeds",
    "superiority",
    "uncertainty_text",
    "verdict",
]

#: Confidence level of every interval.
LEVEL = 0.95
#: Allowed number of posterior draws (0: the scenario's own parameter values only).
POSTERIOR_RANGE = (0, 1000)
#: Posterior draws of ``run_scenario`` and ``compare`` unless told otherwise: parameter
#: uncertainty is part of every answer by default (``posterior=0`` turns it off).
DEFAULT_POSTERIOR = 20
#: Seeds per posterior draw when no ``seeds`` are given: the scenario's ``seeds``, at most
#: this many. 20 draws x 2 seeds keeps the default ``compare`` of every bundled scenario
#: (280 runs) well within a minute on 2 cores (benchmarks/README.md); for the same runs,
#: more draws and fewer seeds give steadier quantile intervals, since the calibrated
#: parameters' spread is much wider than one seed's noise.
POSTERIOR_SEEDS = 2

#: ``progress(done, total)`` is called after each finished simulation.
Progress = Callable[[int, int], None]


# ----------------------------------------------------------------------------- stats
def interval(
    values: Sequence[float] | np.ndarray, level: float = LEVEL
) -> tuple[float, float, float]:
    """Return ``(mean, low, high)``: the mean and its Student-t confidence interval.

    With one value the interval is undefined (NaN); NaN values are ignored.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    if n == 0:
        return (math.nan, math.nan, math.nan)
    mean = float(x.mean())
    if n == 1:
        return (mean, math.nan, math.nan)
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return (mean, mean - half, mean + half)


def _summarise(df: pd.DataFrame, by: list[str], value: str, level: float = LEVEL) -> pd.DataFrame:
    """Mean and 95% interval of ``value`` within groups ``by`` (vectorised).

    Without a ``draw`` column: the mean over seeds and its Student-t interval.
    With one (posterior draws): each draw's mean over its seeds, then the mean of
    those per-draw means and, as the interval, their ``(1 - level) / 2`` and
    ``(1 + level) / 2`` quantiles (linear interpolation, numpy's default), so the
    interval carries parameter uncertainty as well as seed noise; NaN with fewer
    than two draws. NaN values are ignored.

    Returns:
        Columns ``*by, mean, ci_low, ci_high, replicates`` (replicates: values used).
    """
    vals = pd.to_numeric(df[value], errors="coerce")
    keys = [df[c] for c in by]
    if "draw" in df.columns:
        agg = _over_draws(vals, keys, df["draw"], level)
    else:
        agg = _over_seeds(vals, keys, level)
    agg = agg.reset_index()
    agg.columns = [*by, *agg.columns[len(by) :]]
    return agg[[*by, "mean", "ci_low", "ci_high", "replicates"]]


def _over_seeds(vals: pd.Series, keys: list[pd.Series], level: float) -> pd.DataFrame:
    """Mean and Student-t interval over the values of each group."""
    g = vals.groupby(keys, sort=False, dropna=False)
    agg = pd.DataFrame({"mean": g.mean(), "sd": g.std(ddof=1), "replicates": g.count()})
    n = agg["replicates"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        tq = np.where(n > 1, stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1)), np.nan)
        half = tq * agg["sd"].to_numpy(float) / np.sqrt(n)
    agg["ci_low"] = agg["mean"] - half
    agg["ci_high"] = agg["mean"] + half
    return agg


def _over_draws(
    vals: pd.Series, keys: list[pd.Series], draw: pd.Series, level: float
) -> pd.DataFrame:
    """Mean of per-draw means and the central ``level`` quantile range of them, per group."""
    g = vals.groupby([*keys, draw], sort=False, dropna=False)
    per = pd.DataFrame({"mean": g.mean(), "count": g.count()})
    gd = per.groupby(level=list(range(len(keys))), sort=False, dropna=False)
    agg = pd.DataFrame(
        {
            "mean": gd["mean"].mean(),
            "ci_low": gd["mean"].quantile((1 - level) / 2),
            "ci_high": gd["mean"].quantile((1 + level) / 2),
            "replicates": gd["count"].sum(),
        }
    )
    few = (gd["mean"].count() < 2).to_numpy()
    agg.loc[few, ["ci_low", "ci_high"]] = np.nan
    return agg


# ----------------------------------------------------------------------------- metrics
@dataclass(frozen=True)
class Metric:
    """An outcome a strategist compares, computed per seed from one simulation.

    Attributes:
        key: column name in tables and files.
        label: human label.
        unit: what the number is (``share``, ``per year`` ...).
        better: ``"lower"`` or ``"higher"``: which direction is good (for colouring,
            verdicts and :func:`superiority`); ``""``: no direction is better (the
            outcome is shown, no scenario is said to beat another on it).
        outcome: key of the model's true outcomes to read, if any.
        survey: ``(item, group)`` of the last survey wave to read, if no outcome is given.
        short: column heading in the summary table (``""``: not in the summary).
        noun: what it is in a sentence (``"burnout"`` in "keep_slack gives lower
            burnout than touchpoints ..."); ``""``: the label in lower case.
    """

    key: str
    label: str
    unit: str
    better: str
    outcome: str | None = None
    survey: tuple[str, str] | None = None
    short: str = ""
    noun: str = ""

    @property
    def sign(self) -> int:
        """``+1`` if higher is better, ``-1`` if lower is better, ``0`` without a direction."""
        return {"higher": 1, "lower": -1}.get(self.better, 0)

    @property
    def phrase(self) -> str:
        """The outcome as a noun phrase for sentences."""
        return self.noun or self.label.lower()

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


#: The outcomes of ``compare``, in table order.
METRICS: tuple[Metric, ...] = (
    Metric(
        "burnout_top_quartile",
        "Burnout, top quartile of self-reported gain",
        "share",
        "lower",
        outcome="top_quartile_burnout_share",
        survey=("burnout", "top_quartile"),
        short="top-q burnout",
        noun="burnout among the top quartile",
    ),
    Metric(
        "burnout",
        "Burnout, all employees",
        "share",
        "lower",
        outcome="burnout_share",
        survey=("burnout", "fte"),
        short="burnout",
        noun="burnout",
    ),
    Metric(
        "considering_quitting",
        "Considering quitting (intention above one half)",
        "share",
        "lower",
        outcome="considering_quitting",
        survey=("considering_quitting", "fte"),
        noun="intention to quit",
    ),
    Metric(
        "annual_quit_rate",
        "Quit rate",
        "per year",
        "lower",
        outcome="annual_quit_rate",
        short="quit rate",
        noun="quits",
    ),
    Metric(
        "true_productivity_gain",
        "Productivity gain, true",
        "gain",
        "higher",
        outcome="true_productivity_gain",
        short="true gain",
        noun="true productivity gain",
    ),
    # No direction: a higher self-report over the same true gain is optimism, not output.
    Metric(
        "reported_productivity_gain",
        "Productivity gain, self-reported",
        "gain",
        "",
        outcome="self_reported_gain",
        survey=("productivity_gain", "fte"),
        noun="self-reported gain",
    ),
    Metric(
        "trust_ai_vs_coworkers",
        "Trust in AI minus trust in coworkers",
        "score",
        "lower",
        outcome="trust_gap",
        noun="trust in AI over coworkers",
    ),
    Metric(
        "mean_tie_strength",
        "Tie strength to coworkers (mean)",
        "score",
        "higher",
        outcome="mean_tie_strength",
        short="ties",
        noun="tie strength",
    ),
    Metric(
        "effective_output",
        "Effective output net of turnover (vacancies, ramp-up)",
        "x pre-AI output",
        "higher",
        outcome="effective_output",
        short="eff. output",
        noun="effective output",
    ),
    Metric(
        "burnout_1y",
        "Burnout, all employees, one year after the redesign starts",
        "share",
        "lower",
        outcome="burnout_share_1y",
        noun="burnout after one year",
    ),
    Metric(
        "annual_quit_rate_1y",
        "Quit rate in the first year of the redesign",
        "per year",
        "lower",
        outcome="annual_quit_rate_1y",
        noun="quits in the first year",
    ),
    Metric(
        "effective_output_1y",
        "Effective output in the first year of the redesign",
        "x pre-AI output",
        "higher",
        outcome="effective_output_1y",
        noun="effective output in the first year",
    ),
    # Costs of the levers, in units a strategist can act on (output is above).
    Metric(
        "lever_hours",
        "Cost: hours a week per employee given to touchpoints and coaching",
        "hours per week",
        "lower",
        outcome="lever_hours",
        short="hours",
        noun="time given to the levers",
    ),
    Metric(
        "managers_per_100",
        "Cost: managers per 100 employees",
        "managers",
        "lower",
        outcome="managers_per_100",
        noun="managers needed",
    ),
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


def uncertainty_text(n_seeds: int, posterior: int, held: Sequence[str] = ()) -> str:
    """Say what a result's 95% intervals are over and which sources of uncertainty they hold.

    Example:
        >>> uncertainty_text(4, 10)
        '95% intervals over 4 seeds x 10 posterior draws: seed noise and parameter uncertainty'
        >>> uncertainty_text(8, 0)
        '95% intervals over 8 seeds: seed noise only (parameters at their calibrated values)'
    """
    seeds = f"{n_seeds} seed{'s' if n_seeds != 1 else ''}"
    if not posterior:
        return (
            f"95% intervals over {seeds}: seed noise only (parameters at their calibrated values)"
        )
    draws = f"{posterior} posterior draw{'s' if posterior != 1 else ''}"
    text = f"95% intervals over {seeds} x {draws}: seed noise and parameter uncertainty"
    if held:
        text += f" ({', '.join(held)} held fixed)"
    return text


# ----------------------------------------------------------------------------- results
@dataclass
class RunResult:
    """The replicates of one scenario.

    With posterior draws every table has a ``draw`` column (``0`` to ``K - 1``)
    right after ``seed``: one replicate per draw and seed.

    Attributes:
        scenario: the scenario run (overrides included, posterior draws not).
        seeds: the seeds, one per replicate (with draws: the seeds every draw runs on).
        weeks: weeks simulated.
        root_seed: the root seed the seeds (and the draws) come from.
        survey: survey rows per seed: ``seed, wave, item, group, value, n``.
        series: weekly series per seed: ``seed, week`` and one column per series.
        outcomes: one row per seed: ``seed`` and one column per true outcome.
        metrics: one row per seed: ``seed`` and one column per :data:`METRICS` entry.
        draws: the posterior draws applied on top of the scenario, ``{name: value}``
            each (empty: no draws).
        held: calibrated parameters held fixed against the draws (explicit overrides).
    """

    scenario: Scenario
    seeds: list[int]
    weeks: int
    root_seed: int
    survey: pd.DataFrame
    series: pd.DataFrame
    outcomes: pd.DataFrame
    metrics: pd.DataFrame = field(repr=False)
    draws: list[dict[str, float]] = field(default_factory=list)
    held: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.scenario.name

    @property
    def posterior(self) -> int:
        """Number of posterior draws (0: none)."""
        return len(self.draws)

    @property
    def uncertainty(self) -> str:
        """What the intervals are over and which sources of uncertainty they include."""
        return uncertainty_text(len(self.seeds), self.posterior, self.held)

    @property
    def draw_scenarios(self) -> list[Scenario]:
        """The scenario as run for each posterior draw (empty without draws)."""
        return [self.scenario.with_overrides(**d) for d in self.draws]

    @property
    def _ids(self) -> list[str]:
        return ["seed", "draw"] if self.draws else ["seed"]

    def survey_summary(self, wave: int | None = None) -> pd.DataFrame:
        """Mean and 95% interval over seeds (or posterior draws) of every survey row.

        Args:
            wave: keep only this wave (``None``: all waves; ``-1``: the last one).

        Returns:
            Columns ``wave, item, group, mean, ci_low, ci_high, n`` (n: mean respondents).
        """
        df = self.survey
        if wave == -1:
            df = df[df["wave"] == df["wave"].max()]
        elif wave is not None:
            df = df[df["wave"] == wave]
        out = _summarise(df, ["wave", "item", "group"], "value")
        n = df.groupby(["wave", "item", "group"], sort=False)["n"].mean().round().astype(int)
        out = out.merge(n.rename("n").reset_index(), on=["wave", "item", "group"], how="left")
        return out.drop(columns="replicates")

    def outcome_summary(self) -> pd.DataFrame:
        """Mean and 95% interval of every true outcome (``outcome, mean, ...``)."""
        long = self.outcomes.melt(id_vars=self._ids, var_name="outcome", value_name="value")
        return _summarise(long, ["outcome"], "value")

    def metric_summary(self) -> pd.DataFrame:
        """Mean and 95% interval of every :data:`METRICS` entry."""
        long = self.metrics.melt(id_vars=self._ids, var_name="metric", value_name="value")
        return _summarise(long, ["metric"], "value")

    def series_summary(self) -> pd.DataFrame:
        """Mean and 95% interval of every weekly series (``week, series, ...``)."""
        long = self.series.melt(id_vars=[*self._ids, "week"], var_name="series", value_name="value")
        long = long[pd.to_numeric(long["value"], errors="coerce").notna()]
        return _summarise(long, ["series", "week"], "value")

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready summary: scenario, seeds, draws, parameters, survey, outcomes."""
        sc = self.scenario
        return {
            "scenario": sc.name,
            "title": sc.title,
            "description": sc.description,
            "recommendation": sc.recommendation,
            "inherits": sc.parent,
            "path": str(sc.path) if sc.path else None,
            "weeks": self.weeks,
            "root_seed": self.root_seed,
            "seeds": list(self.seeds),
            "posterior": self.posterior,
            "draws": [dict(d) for d in self.draws],
            "held_fixed": list(self.held),
            "intervals": self.uncertainty,
            "parameters": sc.params.to_dict(),
            "changes": dict(sc.changes),
            "survey": _records(self.survey_summary()),
            "outcomes": {
                row["outcome"]: _clean(
                    {"mean": row["mean"], "ci_low": row["ci_low"], "ci_high": row["ci_high"]}
                )
                for row in self.outcome_summary().to_dict("records")
            },
        }


@dataclass
class CompareResult:
    """Several scenarios on the same seeds, and each one's difference from the baseline.

    Attributes:
        runs: the runs by scenario name, the baseline first.
        baseline: the name of the reference scenario.
        seeds: the seeds shared by all scenarios (common random numbers).
        weeks: weeks simulated.
        root_seed: the root seed.
        draws: the posterior draws shared by all scenarios (empty: no draws).
        held: calibrated parameters held fixed against the draws (explicit overrides).
    """

    runs: dict[str, RunResult]
    baseline: str
    seeds: list[int]
    weeks: int
    root_seed: int
    draws: list[dict[str, float]] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    _table: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    _sup: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    @property
    def posterior(self) -> int:
        """Number of posterior draws (0: none)."""
        return len(self.draws)

    @property
    def uncertainty(self) -> str:
        """What the intervals are over and which sources of uncertainty they include."""
        return uncertainty_text(len(self.seeds), self.posterior, self.held)

    @property
    def matched(self) -> str:
        """What a matched run is called in sentences: ``draws`` (posterior draws) or ``seeds``."""
        return "draws" if self.draws else "seeds"

    @property
    def scenarios(self) -> list[Scenario]:
        """The scenarios compared, baseline first."""
        return [r.scenario for r in self.runs.values()]

    def table(self) -> pd.DataFrame:
        """The comparison in long form, one row per scenario and metric.

        Columns: ``scenario, metric, label, unit, better, mean, ci_low, ci_high,
        diff, diff_low, diff_high, beats_baseline`` (difference from the baseline,
        paired by seed, and with posterior draws by draw and seed; intervals as in
        :func:`_summarise`; ``beats_baseline``: the share of matched runs in which the
        scenario does better than the baseline, see :meth:`superiority`).
        """
        if self._table is None:
            self._table = self._make_table()
        return self._table.copy()

    def _make_table(self) -> pd.DataFrame:
        ids = ["seed", "draw"] if self.draws else ["seed"]
        long = self.metrics.melt(id_vars=["scenario", *ids], var_name="metric", value_name="value")
        values = pd.to_numeric(long["value"], errors="coerce")
        long["value"] = values.where(np.isfinite(values))
        base = long[long["scenario"] == self.baseline].drop(columns="scenario")
        paired = long[long["scenario"] != self.baseline].merge(
            base.rename(columns={"value": "base"}), on=[*ids, "metric"], how="inner"
        )
        paired["diff"] = paired["value"] - paired["base"]
        levels = _summarise(long, ["scenario", "metric"], "value")
        diffs = _summarise(paired, ["scenario", "metric"], "diff").rename(
            columns={"mean": "diff", "ci_low": "diff_low", "ci_high": "diff_high"}
        )
        info = pd.DataFrame(
            [(m.key, m.label, m.unit, m.better) for m in METRICS],
            columns=["metric", "label", "unit", "better"],
        )
        grid = pd.MultiIndex.from_product([list(self.runs), info["metric"]]).to_frame(
            index=False, name=["scenario", "metric"]
        )
        sup = self.superiority()
        vs_base = sup[sup["other"] == self.baseline][["scenario", "metric", "share"]].rename(
            columns={"share": "beats_baseline"}
        )
        out = (
            grid.merge(info, on="metric", how="left")
            .merge(levels.drop(columns="replicates"), on=["scenario", "metric"], how="left")
            .merge(diffs.drop(columns="replicates"), on=["scenario", "metric"], how="left")
            .merge(vs_base, on=["scenario", "metric"], how="left")
        )
        return out[
            [
                "scenario",
                "metric",
                "label",
                "unit",
                "better",
                "mean",
                "ci_low",
                "ci_high",
                "diff",
                "diff_low",
                "diff_high",
                "beats_baseline",
            ]
        ]

    def superiority(self) -> pd.DataFrame:
        """For each outcome with a direction and each ordered pair of scenarios, who does better.

        ``share`` is the share of matched runs (the same posterior draw and seed) in
        which ``scenario`` does better than ``other`` on ``metric`` (ties count half;
        see :func:`superiority`), so ``share(a, b) + share(b, a) = 1``. Outcomes
        without a direction (``Metric.better == ""``) are left out.

        Returns:
            Columns ``metric, scenario, other, share, runs`` (runs: matched runs used),
            metrics in :data:`METRICS` order, scenarios in run order.
        """
        if self._sup is None:
            self._sup = self._make_superiority()
        return self._sup.copy()

    def _make_superiority(self) -> pd.DataFrame:
        ids = ["draw", "seed"] if self.draws else ["seed"]
        names = list(self.runs)
        rows = []
        frames = {n: r.metrics.set_index(ids) for n, r in self.runs.items()}
        index = frames[self.baseline].index
        for m in METRICS:
            if not m.sign:
                continue
            # one row per scenario, one column per matched run; NaN where a run lacks it
            vals = np.vstack(
                [
                    pd.to_numeric(frames[n][m.key].reindex(index), errors="coerce").to_numpy(float)
                    for n in names
                ]
            )
            x = m.sign * vals
            ok = np.isfinite(x)
            both = ok[:, None, :] & ok[None, :, :]
            wins = ((x[:, None, :] > x[None, :, :]) & both).sum(axis=2)
            ties = ((x[:, None, :] == x[None, :, :]) & both).sum(axis=2)
            n = both.sum(axis=2)
            with np.errstate(invalid="ignore", divide="ignore"):
                share = np.where(n > 0, (wins + 0.5 * ties) / np.maximum(n, 1), np.nan)
            for i, a in enumerate(names):
                for j, b in enumerate(names):
                    if i != j:
                        rows.append((m.key, a, b, float(share[i, j]), int(n[i, j])))
        return pd.DataFrame(rows, columns=["metric", "scenario", "other", "share", "runs"])

    def sentences(self, n: int = 5, per_metric: int = 1) -> list[str]:
        """Plain sentences for the clearest pairwise differences.

        The unordered pairs of scenarios whose share (:meth:`superiority`) lies
        furthest from an even split, at most ``per_metric`` per outcome, each pair
        used once while other pairs are left, so the sentences cover several
        outcomes and pairs. Among pairs equally far from even (often many at 100%),
        pairs of two redesigns come before pairs with the baseline (the table
        already gives each redesign's share against the baseline), then the smaller
        mean difference relative to the outcome's spread: a ranking that holds in
        every draw although the means are close is what the share adds to the
        table. Each sentence is said from the winner's side, e.g.
        ``"keep_slack gives lower burnout than touchpoints in 92% of draws"``, and
        they come in that order.

        Args:
            n: at most this many sentences.
            per_metric: at most this many per outcome.
        """
        sup = self.superiority()
        if not len(sup):
            return []
        names = list(self.runs)
        order = {nm: i for i, nm in enumerate(names)}
        sup = sup[sup["scenario"].map(order) < sup["other"].map(order)].dropna(subset=["share"])
        metrics = {m.key: m for m in METRICS}
        means = self.metrics.groupby(["scenario"])[[m.key for m in METRICS]].mean()
        spread = self.metrics[[m.key for m in METRICS]].std()
        cands = []
        for rank, r in enumerate(sup.itertuples(index=False)):
            gap = abs(r.share - 0.5)
            if gap == 0:
                continue
            sd = spread.get(r.metric, math.nan)
            size = abs(means.loc[r.scenario, r.metric] - means.loc[r.other, r.metric])
            rel = size / sd if sd and math.isfinite(sd) and math.isfinite(size) else 0.0
            with_base = self.baseline in (r.scenario, r.other)
            cands.append((-round(gap, 9), with_base, rel, rank, r))
        cands.sort(key=lambda c: c[:4])
        picked: list[Any] = []
        used: dict[str, int] = {}
        pairs: set[tuple[str, str]] = set()
        for new_pair in (True, False):  # first each pair once; then fill up with any pair
            for *_, r in cands:
                if len(picked) >= n:
                    break
                if any(r is p for p in picked) or used.get(r.metric, 0) >= per_metric:
                    continue
                if new_pair and (r.scenario, r.other) in pairs:
                    continue
                used[r.metric] = used.get(r.metric, 0) + 1
                pairs.add((r.scenario, r.other))
                picked.append(r)
        picked.sort(key=lambda r: next(i for i, c in enumerate(cands) if c[-1] is r))
        out = []
        for r in picked:
            m = metrics[r.metric]
            if r.share > 0.5:
                win, lose, share = r.scenario, r.other, r.share
            else:
                win, lose, share = r.other, r.scenario, 1 - r.share
            out.append(_sentence(win, lose, m, share, self.matched))
        return out

    def wide(self) -> pd.DataFrame:
        """The comparison as one row per scenario and a column per metric (means only)."""
        t = self.table()
        w = t.pivot(index="scenario", columns="metric", values="mean")
        return w.loc[list(self.runs), [m.key for m in METRICS]]

    def _concat(self, attr: str) -> pd.DataFrame:
        frames = [getattr(r, attr).assign(scenario=n) for n, r in self.runs.items()]
        df = pd.concat(frames, ignore_index=True)
        return df[["scenario", *[c for c in df.columns if c != "scenario"]]]

    @property
    def survey(self) -> pd.DataFrame:
        """Survey rows of every scenario and seed (``scenario, seed, [draw,] wave, ...``)."""
        return self._concat("survey")

    @property
    def series(self) -> pd.DataFrame:
        """Weekly series of every scenario and seed."""
        return self._concat("series")

    @property
    def outcomes(self) -> pd.DataFrame:
        """True outcomes of every scenario and seed."""
        return self._concat("outcomes")

    @property
    def metrics(self) -> pd.DataFrame:
        """Comparison metrics of every scenario and seed."""
        return self._concat("metrics")

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready summary of the comparison."""
        return {
            "baseline": self.baseline,
            "weeks": self.weeks,
            "root_seed": self.root_seed,
            "seeds": list(self.seeds),
            "posterior": self.posterior,
            "draws": [dict(d) for d in self.draws],
            "held_fixed": list(self.held),
            "intervals": self.uncertainty,
            "scenarios": [
                {
                    "scenario": sc.name,
                    "title": sc.title,
                    "recommendation": sc.recommendation,
                    "inherits": sc.parent,
                    "changes": dict(sc.changes),
                    "parameters": sc.params.to_dict(),
                }
                for sc in self.scenarios
            ],
            "metrics": [
                {"metric": m.key, "label": m.label, "unit": m.unit, "better": m.better}
                for m in METRICS
            ],
            "table": _records(self.table().drop(columns=["label", "unit", "better"])),
            "superiority": {
                "about": (
                    f"share: the share of {self.matched} (matched runs: same posterior draw "
                    "and seed) in which 'scenario' does better than 'other' on 'metric'; "
                    "ties count half; outcomes without a better direction are left out"
                    if self.draws
                    else f"share: the share of {self.matched} (matched runs on the same seed) "
                    "in which 'scenario' does better than 'other' on 'metric'; ties count "
                    "half; outcomes without a better direction are left out"
                ),
                "matched_runs": len(self.seeds) * max(self.posterior, 1),
                "pairs": _records(self.superiority()),
                "sentences": self.sentences(),
            },
        }


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


def _clean(d: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for k, v in d.items():
        if isinstance(v, np.integer):
            v = int(v)
        elif isinstance(v, np.floating | float):
            v = float(v) if math.isfinite(v) else None
        out[k] = v
    return out


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    return [_clean(r) for r in df.to_dict("records")]


# ----------------------------------------------------------------------------- execution
def _simulate(task: tuple[dict[str, Any], int, int, dict[str, Any] | None]) -> dict[str, Any]:
    """Run one simulation (in a worker or in this process).

    ``task`` is ``(params, seed, weeks, status_quo)``: with a status quo, the
    levers keep the status quo's values until the redesign starts
    (``sim.calendar.REDESIGN_WEEK``).
    """
    params, seed, weeks, status_quo = task
    return run_once(params, seed, weeks, EVERYTHING, status_quo=status_quo)


def _execute(
    tasks: list[tuple[dict[str, Any], int, int, dict[str, Any] | None]],
    jobs: int,
    progress: Progress | None,
) -> list[dict[str, Any]]:
    """Run every task, in order, in this process or a pool of ``jobs`` processes."""
    return run_tasks(_simulate, tasks, jobs, progress)


def _check_count(what: str, value: Any, bounds: tuple[int, int]) -> int:
    lo, hi = bounds
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise UserError(
            f"{what}={value!r} has the wrong type: expected an integer from {lo} to {hi}"
        )
    if not lo <= value <= hi:
        raise UserError(f"{what}={value} is out of range: allowed {lo} to {hi}")
    return int(value)


def _check_jobs(jobs: Any) -> int:
    return _check_count("jobs", jobs, (1, max(64, os.cpu_count() or 1)))


def _posterior_count(posterior: Any) -> int:
    """The number of posterior draws asked for (``None``: :data:`DEFAULT_POSTERIOR`)."""
    if posterior is None:
        return DEFAULT_POSTERIOR
    return _check_count("posterior", posterior, POSTERIOR_RANGE)


def _seed_count(seeds: Any, scenario: Scenario, k: int) -> int:
    """Seeds per draw: as given, else the scenario's (at most :data:`POSTERIOR_SEEDS` if k)."""
    if seeds is None:
        seeds = min(scenario.seeds, POSTERIOR_SEEDS) if k else scenario.seeds
    return _check_count("seeds", seeds, SEEDS_RANGE)


def _posterior_draws(
    k: int,
    posterior_file: str | os.PathLike[str] | None,
    root_seed: int,
    fixed: Iterable[str] = (),
) -> tuple[list[dict[str, float]], list[str]]:
    """Return ``k`` draws of the calibrated parameters (none for 0) and the ones held fixed.

    The draws are seeded by the root seed. Parameters in ``fixed`` (explicit
    overrides) are left out of every draw, so an override holds its value.
    """
    if k == 0:
        return [], []
    keep = set(fixed)
    draws = posterior_draws(k, seed=int(root_seed), path=posterior_file)
    held = [n for n in draws[0] if n in keep]
    return [{n: v for n, v in d.items() if n not in keep} for d in draws], held


def _status_quo(scenario: Scenario, base: Scenario) -> dict[str, Any] | None:
    """The status quo a redesign starts from (None when no lever differs from it)."""
    levers = Params.names("lever")
    if all(getattr(scenario.params, k) == getattr(base.params, k) for k in levers):
        return None
    return base.params.to_dict()


def _variants(scenario: Scenario, draws: list[dict[str, float]]) -> list[Scenario]:
    """The scenario as run for each draw (the scenario itself without draws)."""
    return [scenario.with_overrides(**d) for d in draws] if draws else [scenario]


def _assemble(
    scenario: Scenario,
    seeds: list[int],
    weeks: int,
    root_seed: int,
    outs: list[dict[str, Any]],
    draws: list[dict[str, float]] | None = None,
    held: list[str] | None = None,
) -> RunResult:
    """Build a :class:`RunResult` from outputs in task order (draw by draw, seed by seed)."""
    draws = list(draws or [])
    tags = (
        [{"seed": s, "draw": d} for d in range(len(draws)) for s in seeds]
        if draws
        else [{"seed": s} for s in seeds]
    )
    ids = list(tags[0]) if tags else ["seed"]
    surveys, series, outcomes, metrics = [], [], [], []
    for tag, out in zip(tags, outs, strict=True):
        sv = out["survey"].reset_index(drop=True)
        surveys.append(sv.assign(**tag))
        se = out["series"]
        if "week" not in se.columns:
            se = se.reset_index()
            if "week" not in se.columns:
                se = se.rename(columns={se.columns[0]: "week"})
        series.append(se.assign(**tag))
        outcomes.append({**tag, **out["outcomes"]})
        metrics.append({**tag, **metric_values(out["outcomes"], sv)})

    def front(df: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
        return df[[*cols, *[c for c in df.columns if c not in cols]]]

    return RunResult(
        scenario=scenario,
        seeds=seeds,
        weeks=weeks,
        root_seed=root_seed,
        survey=front(pd.concat(surveys, ignore_index=True), ids),
        series=front(pd.concat(series, ignore_index=True), [*ids, "week"]),
        outcomes=pd.DataFrame(outcomes),
        metrics=pd.DataFrame(metrics),
        draws=draws,
        held=list(held or []),
    )


def _run_draws_and_seeds(
    sc: Scenario,
    seed_list: list[int],
    weeks: int,
    jobs: int,
    root_seed: int,
    progress: Progress | None,
    draws: list[dict[str, float]],
    held: list[str],
    overrides: Mapping[str, Any],
) -> RunResult:
    """Run ``sc`` for every draw on every seed, a redesign from the status quo (the baseline)."""
    base = load_scenario(BASELINE)
    if overrides:
        base = base.with_overrides(**overrides)
    tasks = [
        (v.params.to_dict(), s, weeks, _status_quo(v, b))
        for v, b in zip(_variants(sc, draws), _variants(base, draws), strict=True)
        for s in seed_list
    ]
    outs = _execute(tasks, jobs, progress)
    return _assemble(sc, seed_list, weeks, int(root_seed), outs, draws, held)


# ----------------------------------------------------------------------------- public API
def run_scenario(
    scenario: Scenario | str | os.PathLike[str],
    seeds: int | None = None,
    weeks: int | None = None,
    jobs: int = 1,
    root_seed: int = DEFAULT_ROOT_SEED,
    progress: Progress | None = None,
    posterior: int | None = None,
    posterior_file: str | os.PathLike[str] | None = None,
    **overrides: Any,
) -> RunResult:
    """Run one scenario on ``seeds`` replicates for each of ``posterior`` draws.

    Parameter uncertainty is included by default (:data:`DEFAULT_POSTERIOR` draws
    of :data:`POSTERIOR_SEEDS` seeds each); ``posterior=0`` runs the calibrated
    values only, on the scenario's own ``seeds``.

    Args:
        scenario: a :class:`~sim.scenarios.Scenario`, a bundled name or a file path.
        seeds: replicates per draw (default: the scenario's ``seeds``, with posterior
            draws at most :data:`POSTERIOR_SEEDS`).
        weeks: weeks to simulate (default: the scenario's ``weeks``).
        jobs: worker processes; any value gives the same numbers.
        root_seed: the root the replicate seeds (and the posterior draws) come from.
        progress: called as ``progress(done, total)`` after each simulation.
        posterior: number of parameter sets to draw from the calibration's posterior
            (0 to 1000; ``None``: :data:`DEFAULT_POSTERIOR`; 0: none). Each is applied on
            top of the scenario and run on the same seeds: ``posterior x seeds`` runs,
            intervals over the draws.
        posterior_file: posterior CSV to draw from (default: the bundled one).
        **overrides: parameter values to change (``n_agents=300`` ...); they also hold
            against the posterior draws.

    Returns:
        A :class:`RunResult` with ``.survey``, ``.series`` and ``.outcomes`` DataFrames.

    Raises:
        UserError: for a bad scenario, parameter, count or seed, or a missing posterior.
    """
    sc = load_scenario(scenario)
    if overrides:
        sc = sc.with_overrides(**overrides)
    k = _posterior_count(posterior)
    n = _seed_count(seeds, sc, k)
    w = _check_count("weeks", sc.weeks if weeks is None else weeks, WEEKS_RANGE)
    jobs = _check_jobs(jobs)
    seed_list = spawn_seeds(root_seed, n)
    draws, held = _posterior_draws(k, posterior_file, root_seed, overrides)
    return _run_draws_and_seeds(sc, seed_list, w, jobs, root_seed, progress, draws, held, overrides)


def compare(
    scenarios: Iterable[Scenario | str | os.PathLike[str]] | None = None,
    seeds: int | None = None,
    weeks: int | None = None,
    jobs: int = 1,
    root_seed: int = DEFAULT_ROOT_SEED,
    baseline: Scenario | str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    posterior: int | None = None,
    posterior_file: str | os.PathLike[str] | None = None,
    **overrides: Any,
) -> CompareResult:
    """Run scenarios on common seeds and compare each with the baseline.

    Parameter uncertainty is included by default (:data:`DEFAULT_POSTERIOR` draws
    of :data:`POSTERIOR_SEEDS` seeds each, the same for every scenario);
    ``posterior=0`` runs the calibrated values only, on the baseline's ``seeds``.

    Args:
        scenarios: scenarios, names or paths (default: every bundled scenario). The
            baseline is added first when it is not among them.
        seeds: replicates per scenario and draw (default: the baseline scenario's
            ``seeds``, with posterior draws at most :data:`POSTERIOR_SEEDS`).
        weeks: weeks to simulate, the same for all (default: the baseline's ``weeks``).
        jobs: worker processes; any value gives the same numbers.
        root_seed: the root the shared seeds are spawned from.
        baseline: the reference scenario (default: ``baseline``).
        progress: called as ``progress(done, total)`` after each simulation.
        posterior: number of parameter sets to draw from the calibration's posterior
            (0 to 1000; ``None``: :data:`DEFAULT_POSTERIOR`; 0: none). Every draw is
            applied to every scenario and run on the same seeds; differences and
            :meth:`CompareResult.superiority` are paired by draw and seed.
        posterior_file: posterior CSV to draw from (default: the bundled one).
        **overrides: parameter values applied to every scenario (``n_agents=300`` ...);
            they also hold against the posterior draws.

    Returns:
        A :class:`CompareResult`; ``.table()`` holds each difference from the baseline.

    Raises:
        UserError: for a bad scenario, parameter, count or seed, or a missing posterior.
    """
    chosen = bundled_scenarios() if scenarios is None else load_scenarios(list(scenarios))
    if not chosen:
        raise UserError("no scenarios to compare")
    base = load_scenario(baseline if baseline is not None else BASELINE)
    names = [sc.name for sc in chosen]
    if base.name in names:
        chosen.insert(0, chosen.pop(names.index(base.name)))
    else:
        chosen.insert(0, base)
    chosen = load_scenarios(chosen)
    if overrides:
        chosen = [sc.with_overrides(**overrides) for sc in chosen]
    base = chosen[0]
    k = _posterior_count(posterior)
    n = _seed_count(seeds, base, k)
    w = _check_count("weeks", base.weeks if weeks is None else weeks, WEEKS_RANGE)
    jobs = _check_jobs(jobs)
    seed_list = spawn_seeds(root_seed, n)
    draws, held = _posterior_draws(k, posterior_file, root_seed, overrides)
    base_variants = _variants(base, draws)
    tasks = [
        (v.params.to_dict(), s, w, None if sc is base else _status_quo(v, b))
        for sc in chosen
        for v, b in zip(_variants(sc, draws), base_variants, strict=True)
        for s in seed_list
    ]
    outs = _execute(tasks, jobs, progress)
    per = n * max(len(draws), 1)
    runs = {}
    for k, sc in enumerate(chosen):
        part = outs[k * per : (k + 1) * per]
        runs[sc.name] = _assemble(sc, seed_list, w, int(root_seed), part, draws, held)
    return CompareResult(
        runs=runs,
        baseline=base.name,
        seeds=seed_list,
        weeks=w,
        root_seed=int(root_seed),
        draws=draws,
        held=held,
    )


# ----------------------------------------------------------------------------- exact reruns
def _check_seed(seed: Any) -> int:
    """Return ``seed`` as an int, or raise a :class:`UserError` saying what a seed is."""
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not 0 <= seed < 2**63:
        raise UserError(
            f"seed {seed!r} must be a whole number from 0 to 2**63-1 "
            "(a replicate seed as listed in a result's 'seeds' or a sweep's 'seed' column)"
        )
    return int(seed)


def _scenario_meant(scenario: Any) -> Scenario:
    """Load a scenario; a parameter set given in its place gets a message saying what to do."""
    if isinstance(scenario, Mapping | Params):
        keys = list(scenario.to_dict() if isinstance(scenario, Params) else scenario)
        shown = ", ".join(map(str, keys[:3])) + (", ..." if len(keys) > 3 else "")
        raise UserError(
            f"a scenario is meant here (a bundled name, a .toml path or a Scenario), not a "
            f"parameter set ({shown}); give the changes as keywords on top of a scenario, e.g. "
            "simulate_scenario('baseline', seed, touchpoints=0.4), or call sim.model.simulate, "
            "which starts from the model's defaults"
        )
    return load_scenario(scenario)


def run_seeds(
    scenario: Scenario | str | os.PathLike[str],
    seeds: Sequence[int],
    weeks: int | None = None,
    jobs: int = 1,
    root_seed: int = DEFAULT_ROOT_SEED,
    progress: Progress | None = None,
    posterior: int | None = None,
    posterior_file: str | os.PathLike[str] | None = None,
    **overrides: Any,
) -> RunResult:
    """Run one scenario on the given replicate seeds: an exact rerun of those replicates.

    :func:`run_scenario` and :func:`compare` spawn their seeds from ``root_seed``
    (:func:`spawn_seeds`) and list them in ``result.seeds`` (``"seeds"`` in
    ``--json``). Running any of them again here gives the same numbers bit for bit,
    as long as ``weeks``, ``overrides`` and, with posterior draws, ``posterior``
    and ``root_seed`` (which seed the draws) are those of the first run.
    Arguments are those of :func:`run_scenario`.

    Example:
        >>> first = run_scenario("baseline", seeds=3, weeks=60, posterior=0)   # doctest: +SKIP
        >>> again = run_seeds("baseline", [first.seeds[2]], weeks=60, posterior=0)  # doctest: +SKIP

    Raises:
        UserError: for a bad scenario (or a parameter set in its place), seed or count.
    """
    sc = _scenario_meant(scenario)
    if overrides:
        sc = sc.with_overrides(**overrides)
    if isinstance(seeds, int | np.integer):
        seeds = [seeds]
    seed_list = [_check_seed(s) for s in seeds]
    if not seed_list:
        raise UserError("no seeds to run: give at least one replicate seed")
    k = _posterior_count(posterior)
    w = _check_count("weeks", sc.weeks if weeks is None else weeks, WEEKS_RANGE)
    jobs = _check_jobs(jobs)
    draws, held = _posterior_draws(k, posterior_file, root_seed, overrides)
    return _run_draws_and_seeds(sc, seed_list, w, jobs, root_seed, progress, draws, held, overrides)


def simulate_scenario(
    scenario: Scenario | str | os.PathLike[str],
    seed: int,
    weeks: int | None = None,
    **changes: Any,
) -> dict[str, Any]:
    """Run one replicate of a scenario, as ``run`` and ``compare`` do; return what it gives.

    Unlike :func:`sim.model.simulate`, which starts from the model's defaults, this
    starts from the scenario's parameters (plus ``changes``), and a redesign starts
    from the baseline's status quo after the first survey wave, as in
    :func:`run_scenario`. With the seed of a replicate of a run without posterior
    draws (``posterior=0``), the numbers are that replicate's.

    Args:
        scenario: a :class:`~sim.scenarios.Scenario`, a bundled name or a file path.
        seed: the replicate seed (``result.seeds[i]``).
        weeks: weeks to simulate (default: the scenario's).
        **changes: parameter values to change, as ``run_scenario``'s overrides.

    Returns:
        ``{"survey", "series", "outcomes"}`` as :func:`sim.model.simulate`.

    Raises:
        UserError: for a bad scenario (or a parameter set in its place), seed or weeks.
    """
    sc = _scenario_meant(scenario)
    base = load_scenario(BASELINE)
    if changes:
        sc, base = sc.with_overrides(**changes), base.with_overrides(**changes)
    w = _check_count("weeks", sc.weeks if weeks is None else weeks, WEEKS_RANGE)
    return run_once(sc.params.to_dict(), _check_seed(seed), w, status_quo=_status_quo(sc, base))
