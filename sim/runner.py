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
* ``posterior=K`` adds parameter uncertainty: ``K`` sets of the calibrated
  parameters are drawn from the calibration's posterior
  (:func:`sim.calibration.posterior_draws`), each applied to every scenario and
  run on the same seeds (``K x seeds`` runs per scenario). The tables gain a
  ``draw`` column, and a summary is then the mean over draws of each draw's
  mean over seeds, with the 2.5% and 97.5% quantiles of those per-draw means
  as its interval (see :func:`_summarise`).

Example:
    >>> from sim.runner import run_scenario, compare
    >>> res = run_scenario("baseline", seeds=3, weeks=104)          # doctest: +SKIP
    >>> res.outcome_summary()                                        # doctest: +SKIP
    >>> cmp = compare(["baseline", "keep_slack"], seeds=5)           # doctest: +SKIP
    >>> cmp.table()                                                  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import UserError
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
    "DEFAULT_ROOT_SEED",
    "METRICS",
    "POSTERIOR_RANGE",
    "CompareResult",
    "Metric",
    "RunResult",
    "compare",
    "interval",
    "run_scenario",
    "spawn_seeds",
]

#: Root seed of every run unless one is given.
DEFAULT_ROOT_SEED = 2025
#: Confidence level of every interval.
LEVEL = 0.95
#: Allowed number of posterior draws (0: the scenario's own parameter values only).
POSTERIOR_RANGE = (0, 1000)

#: ``progress(done, total)`` is called after each finished simulation.
Progress = Callable[[int, int], None]


# ----------------------------------------------------------------------------- seeds, stats
def spawn_seeds(root_seed: int, n: int) -> list[int]:
    """Return ``n`` independent seeds spawned from ``root_seed`` (numpy SeedSequence).

    The list is stable: the first ``k`` seeds of ``spawn_seeds(r, n)`` are
    ``spawn_seeds(r, k)``. Seeds fit in a signed 64-bit integer.

    Args:
        root_seed: any non-negative integer.
        n: how many seeds.
    """
    if isinstance(root_seed, bool) or not isinstance(root_seed, int | np.integer) or root_seed < 0:
        raise UserError(f"root seed {root_seed!r} must be a non-negative integer")
    children = np.random.SeedSequence(int(root_seed)).spawn(int(n))
    return [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]


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
    from scipy import stats

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
    from scipy import stats

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
        better: ``"lower"`` or ``"higher"``: which direction is good (for colouring).
        outcome: key of the model's true outcomes to read, if any.
        survey: ``(item, group)`` of the last survey wave to read, if no outcome is given.
        short: column heading in the summary table (``""``: not in the summary).
    """

    key: str
    label: str
    unit: str
    better: str
    outcome: str | None = None
    survey: tuple[str, str] | None = None
    short: str = ""

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
    ),
    Metric(
        "burnout",
        "Burnout, all employees",
        "share",
        "lower",
        outcome="burnout_share",
        survey=("burnout", "fte"),
        short="burnout",
    ),
    Metric(
        "considering_quitting",
        "Considering quitting (survey of employees)",
        "share",
        "lower",
        survey=("considering_quitting", "fte"),
    ),
    Metric(
        "annual_quit_rate",
        "Quit rate",
        "per year",
        "lower",
        outcome="annual_quit_rate",
        short="quit rate",
    ),
    Metric(
        "true_productivity_gain",
        "Productivity gain, true",
        "gain",
        "higher",
        outcome="true_productivity_gain",
        short="true gain",
    ),
    Metric(
        "reported_productivity_gain",
        "Productivity gain, self-reported",
        "gain",
        "higher",
        outcome="self_reported_gain",
        survey=("productivity_gain", "fte"),
    ),
    Metric(
        "trust_ai_vs_coworkers",
        "Trust in AI minus trust in coworkers",
        "score",
        "lower",
        outcome="trust_gap",
    ),
    Metric(
        "mean_tie_strength",
        "Tie strength to coworkers (mean)",
        "score",
        "higher",
        outcome="mean_tie_strength",
        short="ties",
    ),
    Metric(
        "effective_output",
        "Effective output net of turnover (vacancies, ramp-up)",
        "x pre-AI output",
        "higher",
        outcome="effective_output",
        short="eff. output",
    ),
)


def metric_values(outcomes: Mapping[str, float], survey: pd.DataFrame) -> dict[str, float]:
    """Return every :data:`METRICS` value for one simulation."""
    return {m.key: m.value(outcomes, survey) for m in METRICS}


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

    @property
    def name(self) -> str:
        """The scenario's name."""
        return self.scenario.name

    @property
    def posterior(self) -> int:
        """Number of posterior draws (0: none)."""
        return len(self.draws)

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
    """

    runs: dict[str, RunResult]
    baseline: str
    seeds: list[int]
    weeks: int
    root_seed: int
    draws: list[dict[str, float]] = field(default_factory=list)
    _table: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    @property
    def posterior(self) -> int:
        """Number of posterior draws (0: none)."""
        return len(self.draws)

    @property
    def scenarios(self) -> list[Scenario]:
        """The scenarios compared, baseline first."""
        return [r.scenario for r in self.runs.values()]

    def table(self) -> pd.DataFrame:
        """The comparison in long form, one row per scenario and metric.

        Columns: ``scenario, metric, label, unit, better, mean, ci_low, ci_high,
        diff, diff_low, diff_high`` (difference from the baseline, paired by seed, and
        with posterior draws by draw and seed; intervals as in :func:`_summarise`).
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
        out = (
            grid.merge(info, on="metric", how="left")
            .merge(levels.drop(columns="replicates"), on=["scenario", "metric"], how="left")
            .merge(diffs.drop(columns="replicates"), on=["scenario", "metric"], how="left")
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
            ]
        ]

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


# ----------------------------------------------------------------------------- execution
def _simulate(task: tuple[dict[str, Any], int, int]) -> dict[str, Any]:
    """Run one simulation (in a worker or in this process)."""
    from sim.model import simulate

    params, seed, weeks = task
    out = simulate(params, seed, weeks)
    return {"survey": out["survey"], "series": out["series"], "outcomes": dict(out["outcomes"])}


def _worker_init() -> None:
    # Ctrl-C goes to the whole process group: let the parent alone handle it, quietly.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _mp_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["sim.model", "sim.runner"])
        return ctx
    return multiprocessing.get_context("spawn")


def _execute(
    tasks: list[tuple[dict[str, Any], int, int]], jobs: int, progress: Progress | None
) -> list[dict[str, Any]]:
    """Run every task, in order, in this process or a pool of ``jobs`` processes."""
    total = len(tasks)
    results: list[dict[str, Any] | None] = [None] * total
    if progress:
        progress(0, total)
    if jobs <= 1 or total <= 1:
        for i, task in enumerate(tasks):
            results[i] = _simulate(task)
            if progress:
                progress(i + 1, total)
        return results  # type: ignore[return-value]
    pool: ProcessPoolExecutor | None = None
    _start_resource_tracker()
    try:
        # Start the workers and queue every task with Ctrl-C held back: an interrupt
        # half-way through starting a worker would leave an orphan that cannot start.
        # Processes started here inherit the blocked signal, so a Ctrl-C sent to the
        # whole process group reaches only this one, which stops the workers itself.
        with _sigint_held():
            pool = ProcessPoolExecutor(
                max_workers=min(jobs, total), mp_context=_mp_context(), initializer=_worker_init
            )
            pending = {pool.submit(_simulate, task): i for i, task in enumerate(tasks)}
        done_count = 0
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                results[pending.pop(fut)] = fut.result()
                done_count += 1
            if progress:
                progress(done_count, total)
    except BaseException:
        if pool is not None:
            # Stop the workers first: a pool asked to shut down while they run
            # replaces each worker that exits, racing this process's own exit.
            procs = list((getattr(pool, "_processes", None) or {}).values())
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.join(timeout=5)
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    return results  # type: ignore[return-value]


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker now, outside :func:`_sigint_held`.

    Starting it unblocks SIGINT in the calling thread, which would undo the hold.
    """
    try:
        from multiprocessing import resource_tracker
    except ImportError:  # pragma: no cover - Windows has none
        return
    resource_tracker.ensure_running()


@contextlib.contextmanager
def _sigint_held() -> Iterator[None]:
    """Hold Ctrl-C back for the block and raise it after (main thread only).

    A deferring handler catches SIGINT wherever the kernel delivers it (any
    thread), and the signal is also blocked (POSIX) so that processes started
    in the block inherit the block and never see a Ctrl-C meant for this one.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGINT)
    if previous is None:  # a handler not set from Python: leave it alone
        yield
        return
    caught: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    mask = hasattr(signal, "pthread_sigmask")
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if mask else None
    try:
        yield
    finally:
        if mask:
            signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
        signal.signal(signal.SIGINT, previous)
    if caught and previous is signal.default_int_handler:
        raise KeyboardInterrupt
    if caught and callable(previous):
        previous(signal.SIGINT, None)


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


def _posterior_draws(
    posterior: Any,
    posterior_file: str | os.PathLike[str] | None,
    root_seed: int,
    fixed: Iterable[str] = (),
) -> list[dict[str, float]]:
    """Return ``posterior`` draws of the calibrated parameters (none for 0).

    The draws are seeded by the root seed. Parameters in ``fixed`` (explicit
    overrides) are left out of every draw, so an override holds its value.
    """
    k = _check_count("posterior", posterior, POSTERIOR_RANGE)
    if k == 0:
        return []
    from sim.calibration import posterior_draws

    keep = set(fixed)
    draws = posterior_draws(k, seed=int(root_seed), path=posterior_file)
    return [{n: v for n, v in d.items() if n not in keep} for d in draws]


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
    )


# ----------------------------------------------------------------------------- public API
def run_scenario(
    scenario: Scenario | str | os.PathLike[str],
    seeds: int | None = None,
    weeks: int | None = None,
    jobs: int = 1,
    root_seed: int = DEFAULT_ROOT_SEED,
    progress: Progress | None = None,
    posterior: int = 0,
    posterior_file: str | os.PathLike[str] | None = None,
    **overrides: Any,
) -> RunResult:
    """Run one scenario on ``seeds`` replicates (for each of ``posterior`` draws).

    Args:
        scenario: a :class:`~sim.scenarios.Scenario`, a bundled name or a file path.
        seeds: number of replicates (default: the scenario's ``seeds``).
        weeks: weeks to simulate (default: the scenario's ``weeks``).
        jobs: worker processes; any value gives the same numbers.
        root_seed: the root the replicate seeds (and the posterior draws) come from.
        progress: called as ``progress(done, total)`` after each simulation.
        posterior: number of parameter sets to draw from the calibration's posterior
            (0 to 1000; 0: none). Each is applied on top of the scenario and run on
            the same seeds: ``posterior x seeds`` runs, intervals over the draws.
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
    n = _check_count("seeds", sc.seeds if seeds is None else seeds, SEEDS_RANGE)
    w = _check_count("weeks", sc.weeks if weeks is None else weeks, WEEKS_RANGE)
    jobs = _check_jobs(jobs)
    seed_list = spawn_seeds(root_seed, n)
    draws = _posterior_draws(posterior, posterior_file, root_seed, overrides)
    tasks = [(v.params.to_dict(), s, w) for v in _variants(sc, draws) for s in seed_list]
    outs = _execute(tasks, jobs, progress)
    return _assemble(sc, seed_list, w, int(root_seed), outs, draws)


def compare(
    scenarios: Iterable[Scenario | str | os.PathLike[str]] | None = None,
    seeds: int | None = None,
    weeks: int | None = None,
    jobs: int = 1,
    root_seed: int = DEFAULT_ROOT_SEED,
    baseline: Scenario | str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    posterior: int = 0,
    posterior_file: str | os.PathLike[str] | None = None,
    **overrides: Any,
) -> CompareResult:
    """Run scenarios on common seeds and compare each with the baseline.

    Args:
        scenarios: scenarios, names or paths (default: every bundled scenario). The
            baseline is added first when it is not among them.
        seeds: replicates per scenario (default: the baseline scenario's ``seeds``).
        weeks: weeks to simulate, the same for all (default: the baseline's ``weeks``).
        jobs: worker processes; any value gives the same numbers.
        root_seed: the root the shared seeds are spawned from.
        baseline: the reference scenario (default: ``baseline``).
        progress: called as ``progress(done, total)`` after each simulation.
        posterior: number of parameter sets to draw from the calibration's posterior
            (0 to 1000; 0: none). Every draw is applied to every scenario and run on
            the same seeds; differences are paired by draw and seed.
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
    n = _check_count("seeds", base.seeds if seeds is None else seeds, SEEDS_RANGE)
    w = _check_count("weeks", base.weeks if weeks is None else weeks, WEEKS_RANGE)
    jobs = _check_jobs(jobs)
    seed_list = spawn_seeds(root_seed, n)
    draws = _posterior_draws(posterior, posterior_file, root_seed, overrides)
    tasks = [
        (v.params.to_dict(), s, w) for sc in chosen for v in _variants(sc, draws) for s in seed_list
    ]
    outs = _execute(tasks, jobs, progress)
    per = n * max(len(draws), 1)
    runs = {}
    for k, sc in enumerate(chosen):
        part = outs[k * per : (k + 1) * per]
        runs[sc.name] = _assemble(sc, seed_list, w, int(root_seed), part, draws)
    return CompareResult(
        runs=runs,
        baseline=base.name,
        seeds=seed_list,
        weeks=w,
        root_seed=int(root_seed),
        draws=draws,
    )
