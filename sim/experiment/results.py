"""What a run and a comparison return: :class:`RunResult` and :class:`CompareResult`.

Both hold the replicates as tidy tables (one row per seed, and per posterior
draw) and summarise them on demand (:mod:`sim.experiment.summary`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import UserError
from sim.experiment.metrics import METRICS, _sentence
from sim.experiment.summary import _summarise
from sim.experiment.uncertainty import uncertainty_text
from sim.inputs import check_int
from sim.scenarios import Scenario

__all__ = ["CompareResult", "RunResult"]


class _Replicated:
    """What runs on seeds and posterior draws shares: ``seeds``, ``draws`` and ``held``."""

    seeds: list[int]
    draws: list[dict[str, float]]
    held: list[str]

    @property
    def posterior(self) -> int:
        """Number of posterior draws (0: none)."""
        return len(self.draws)

    @property
    def uncertainty(self) -> str:
        """What the intervals are over and which sources of uncertainty they include."""
        return uncertainty_text(len(self.seeds), self.posterior, self.held)


@dataclass
class RunResult(_Replicated):
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

        Raises:
            UserError: for a wave the run did not take.
        """
        df = self.survey
        waves = sorted(int(w) for w in df["wave"].unique())
        if wave is not None and wave != -1 and wave not in waves:
            raise UserError(
                f"wave={wave!r} was not taken in this run: allowed {', '.join(map(str, waves))},"
                " -1 (the last) or None (all)"
            )
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
class CompareResult(_Replicated):
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
            n: at most this many sentences (0 or more).
            per_metric: at most this many per outcome (1 or more).

        Raises:
            UserError: for a count that is not such a whole number.
        """
        n = check_int("n", n, (0, None))
        per_metric = check_int("per_metric", per_metric, (1, None))
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
