"""Replicated runs of scenarios, and comparisons of redesigns with the baseline.

One simulation is :func:`sim.experiment.run.run_once` (the numbers of
``sim.model.simulate(params, seed, weeks)``); this module runs it for many seeds
(and many scenarios), in one process or in a pool (:func:`sim.executors.run_tasks`),
and summarises the replicates with a mean and a 95% interval. The parts live in
:mod:`sim.experiment`: seeds, summaries, metrics, parameter uncertainty and the
result classes; this module re-exports their public names.

* Seeds come from one root seed through :class:`numpy.random.SeedSequence`
  (:func:`spawn_seeds`): the same root seed always gives the same seeds.
* In :func:`compare` every scenario runs on the *same* seeds (common random
  numbers), and a redesign's difference from the baseline is taken seed by seed
  (a paired difference), so the interval reflects the redesign, not the noise
  shared by both runs.
* ``jobs=N`` runs the replicates in ``N`` processes; results are collected in
  task order, so they are identical to ``jobs=1``. Before anything runs, the
  memory of the runs held at once (the largest organisation times ``jobs``, no
  more than there are runs) is estimated and a run too large for this machine is
  refused (:func:`sim.inputs.check_memory`, as on the command line).
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

import os
import reprlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.errors import UserError
from sim.executors import check_jobs as _check_jobs  # the tests use the old name
from sim.executors import run_tasks
from sim.experiment.metrics import (
    METRICS,
    Metric,
    direction_text,
    metric_values,
    share_text,
    superiority,
    verdict,
)
from sim.experiment.results import CompareResult, RunResult
from sim.experiment.run import EVERYTHING, run_once
from sim.experiment.seeds import DEFAULT_ROOT_SEED, spawn_seeds
from sim.experiment.summary import LEVEL as LEVEL
from sim.experiment.summary import _summarise as _summarise  # sim.report uses it
from sim.experiment.summary import interval
from sim.experiment.uncertainty import (
    DEFAULT_POSTERIOR,
    POSTERIOR_RANGE,
    POSTERIOR_SEEDS,
    _posterior_count,
    _posterior_draws,
    _seed_count,
    _variants,
    uncertainty_text,
)
from sim.inputs import ROOT_SEED_RANGE, check_callable, check_int, check_memory
from sim.params import Params
from sim.scenarios import (
    BASELINE,
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
    "check_baseline_name",
    "check_run_memory",
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

#: ``progress(done, total)`` is called after each finished simulation.
Progress = Callable[[int, int], None]


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


def _status_quo(scenario: Scenario, base: Scenario) -> dict[str, Any] | None:
    """The status quo a redesign starts from (None when no lever differs from it)."""
    levers = Params.names("lever")
    if all(getattr(scenario.params, k) == getattr(base.params, k) for k in levers):
        return None
    return base.params.to_dict()


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


# ----------------------------------------------------------------------------- argument checks
#: What a scenario reference may be, for messages.
_SCENARIO_KINDS = "a bundled scenario's name, a .toml path or a Scenario"


def _check_root_seed(root_seed: Any) -> int:
    """Return ``root_seed`` as an int if it is a whole number from 0 to 2**63-1.

    Raises:
        UserError: ``root_seed=-1 is out of range: allowed 0 to 9223372036854775807``.
    """
    return check_int("root_seed", root_seed, ROOT_SEED_RANGE)


def check_run_memory(
    scenarios: Sequence[Scenario], runs: int, jobs: int, *, flags: bool = False
) -> None:
    """Refuse runs whose concurrent simulations cannot fit in this machine's memory.

    The largest organisation among ``scenarios`` times the runs held at once
    (``jobs``, no more than ``runs``) is estimated with
    :func:`sim.inputs.check_memory`; the command line's ``run`` and ``compare`` make
    the same check before their ``--out`` folder is prepared.

    Args:
        scenarios: the scenarios to run (with any changes applied).
        runs: how many simulations there are in all.
        jobs: worker processes.
        flags: name the sizes as the command line's options (``--agents N --jobs J``).

    Raises:
        UserError: ``n_agents=10000000 with jobs=8: 8 run(s) of 10,000,000 agents at
            once need about 81.6 GB ..., but this machine has ... available: ...``.
    """
    sizes = {int(sc.params.n_agents) for sc in scenarios}
    if not sizes:
        return
    agents = max(sizes)
    size = f"n_agents={agents}" if len(sizes) == 1 else f"n_agents up to {agents}"
    label = f"--agents {agents} --jobs {jobs}" if flags else f"{size} with jobs={jobs}"
    check_memory(agents, max(1, min(jobs, runs)), label)


def _is_scenario_ref(value: Any) -> bool:
    """Whether ``value`` is one scenario reference: a name or path, a PathLike or a Scenario."""
    return isinstance(value, str | os.PathLike | Scenario)


def check_baseline_name(
    chosen: Sequence[Scenario], base: Scenario, *, option: str = "baseline="
) -> None:
    """Refuse a compared scenario that has the reference's name but is another scenario.

    A user's file whose ``name`` is ``baseline`` would otherwise take the bundled
    reference's place in the comparison without a word. The same file named
    twice (by any spelling of its path) with the same parameters is the reference.

    Args:
        chosen: the scenarios compared.
        base: the reference.
        option: how the reference is set where the user is (``baseline=`` in Python,
            ``--baseline `` on the command line), for the message.

    Raises:
        UserError: naming the file and the two ways out.
    """

    def file(sc: Scenario) -> Path | None:
        return sc.path.resolve() if sc.path is not None else None

    for sc in chosen:
        if sc.name != base.name or (file(sc) == file(base) and sc.params == base.params):
            continue
        if sc.path is not None and file(sc) != file(base):
            path = repr(str(sc.path)) if option.endswith("=") else str(sc.path)
            how = f"give it another name in the file, or make it the reference with {option}{path}"
        else:  # built or changed in code
            how = f"give it another name, or make it the reference with {option}<that Scenario>"
        raise UserError(
            f"{sc.path or sc.name}: its name '{sc.name}' is the reference scenario's"
            f" ({base.path or base.name}): {how}"
        )


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
        jobs: worker processes; any value gives the same numbers. ``n_agents`` times
            ``jobs`` (no more than there are runs) must fit in this machine's memory.
        root_seed: the root the replicate seeds (and the posterior draws) come from:
            0 to 2**63-1.
        progress: None, or a function called as ``progress(done, total)`` after each
            simulation.
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
        UserError: for a bad scenario (or a parameter set in its place), a bad
            parameter, count, seed or ``progress``, a missing posterior, or runs too
            large for this machine's memory (``n_agents`` times ``jobs``), before
            anything runs.
    """
    sc = _scenario_meant(scenario, example="run_scenario('baseline', touchpoints=0.4)")
    if overrides:
        sc = sc.with_overrides(**overrides)
    k = _posterior_count(posterior)
    n = _seed_count(seeds, sc, k)
    w = check_int("weeks", sc.weeks if weeks is None else weeks, WEEKS_RANGE)
    jobs = _check_jobs(jobs)
    root_seed = _check_root_seed(root_seed)
    progress = check_callable("progress", progress, "progress(done, total)")
    check_run_memory([sc], n * max(k, 1), jobs)
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
        scenarios: scenarios, names or paths (default: every bundled scenario); a lone
            name, path or Scenario is one scenario. The baseline is added first when it
            is not among them; a compared scenario with the baseline's name must be the
            baseline itself.
        seeds: replicates per scenario and draw (default: the baseline scenario's
            ``seeds``, with posterior draws at most :data:`POSTERIOR_SEEDS`).
        weeks: weeks to simulate, the same for all (default: the baseline's ``weeks``).
        jobs: worker processes; any value gives the same numbers. The largest
            ``n_agents`` times ``jobs`` (no more than there are runs) must fit in this
            machine's memory.
        root_seed: the root the shared seeds are spawned from: 0 to 2**63-1.
        baseline: the reference scenario: a name, a path or a Scenario (default:
            ``baseline``).
        progress: None, or a function called as ``progress(done, total)`` after each
            simulation.
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
        UserError: for a bad scenario (or a parameter set in its place), a scenario
            named as the baseline but another one, nothing but the baseline to compare,
            a bad parameter, count, seed or
            ``progress``, a missing posterior, or runs too large for this machine's
            memory (the largest ``n_agents`` times ``jobs``), before anything runs.
    """
    chosen = bundled_scenarios() if scenarios is None else _scenario_list(scenarios)
    if not chosen:
        raise UserError("no scenarios to compare")
    base = _scenario_meant(
        BASELINE if baseline is None else baseline,
        "baseline",
        "compare(['keep_slack'], touchpoints=0.4) (the changes apply to every scenario)",
    )
    check_baseline_name(chosen, base)
    if all(sc.name == base.name for sc in chosen):
        raise UserError(
            f"nothing to compare: the only scenario given is the reference '{base.name}': name"
            " one or more others, e.g. compare(['keep_slack']), or scenarios=None for every"
            " bundled one"
        )
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
    w = check_int("weeks", base.weeks if weeks is None else weeks, WEEKS_RANGE)
    jobs = _check_jobs(jobs)
    root_seed = _check_root_seed(root_seed)
    progress = check_callable("progress", progress, "progress(done, total)")
    check_run_memory(chosen, len(chosen) * n * max(k, 1), jobs)
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
    lo, hi = ROOT_SEED_RANGE
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or not lo <= seed <= hi:
        raise UserError(
            f"seed {seed!r} must be a whole number from 0 to 2**63-1 "
            "(a replicate seed as listed in a result's 'seeds' or a sweep's 'seed' column)"
        )
    return int(seed)


def _scenario_meant(
    scenario: Any,
    what: str = "scenario",
    example: str = "simulate_scenario('baseline', seed, touchpoints=0.4)",
) -> Scenario:
    """Load a scenario; anything else given in its place gets a message saying what to do.

    Args:
        scenario: what was given: a bundled name, a path or a :class:`Scenario`.
        what: the argument's name, for the message (``"baseline"``, ``"scenarios[1]"``).
        example: a call that sets parameters on top of a scenario, for the message
            given to a parameter set.

    Raises:
        UserError: for a parameter set (a dict or :class:`Params`) or any other type,
            or a scenario that does not load.
    """
    if isinstance(scenario, Mapping | Params):
        keys = list(scenario.to_dict() if isinstance(scenario, Params) else scenario)
        shown = ", ".join(map(str, keys[:3])) + (", ..." if len(keys) > 3 else "")
        raise UserError(
            f"a scenario is meant here (a bundled name, a .toml path or a Scenario), not a "
            f"parameter set ({shown}); give the changes as keywords on top of a scenario, e.g. "
            f"{example}, or call sim.model.simulate, which starts from the model's defaults"
        )
    if not _is_scenario_ref(scenario):
        several = (
            "; to run several scenarios, use compare"
            if what == "scenario" and isinstance(scenario, list | tuple)
            else ""
        )
        raise UserError(
            f"{what}={reprlib.repr(scenario)} has the wrong type: expected {_SCENARIO_KINDS}"
            f"{several}"
        )
    return load_scenario(scenario)


def _scenario_list(scenarios: Any) -> list[Scenario]:
    """Load the scenarios ``compare`` is given: several, or one on its own.

    Raises:
        UserError: for a parameter set or another type in a scenario's place, a
            scenario that does not load, or two scenarios with one name.
    """
    if _is_scenario_ref(scenarios):
        scenarios = [scenarios]
    example = "compare(['keep_slack'], touchpoints=0.4) (the changes apply to every scenario)"
    if isinstance(scenarios, Mapping | Params):
        _scenario_meant(scenarios, "scenarios", example)
    if isinstance(scenarios, bytes) or not isinstance(scenarios, Iterable):
        raise UserError(
            f"scenarios={reprlib.repr(scenarios)} has the wrong type: expected a list of"
            f" scenarios ({_SCENARIO_KINDS} each), or one of them"
        )
    loaded = [_scenario_meant(sc, f"scenarios[{i}]", example) for i, sc in enumerate(scenarios)]
    return load_scenarios(loaded)


def _seed_list(seeds: Any) -> list[int]:
    """Return the seeds ``run_seeds`` is given as a list of ints (one seed: a list of one).

    Raises:
        UserError: for something other than a seed or a sequence of seeds, a bad seed,
            or no seed at all.
    """
    if isinstance(seeds, np.ndarray):
        seeds = seeds.tolist()
    if isinstance(seeds, int | np.integer) and not isinstance(seeds, bool):
        seeds = [seeds]
    if isinstance(seeds, str | bytes | Mapping) or not isinstance(seeds, Iterable):
        raise UserError(
            f"seeds={reprlib.repr(seeds)} has the wrong type: expected a list of replicate"
            " seeds (whole numbers from 0 to 2**63-1, as in a result's 'seeds'), or one seed"
        )
    seed_list = [_check_seed(s) for s in seeds]
    if not seed_list:
        raise UserError("no seeds to run: give at least one replicate seed")
    return seed_list


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
    Arguments are those of :func:`run_scenario`, but ``seeds`` are the replicate seeds
    themselves (whole numbers from 0 to 2**63-1, numpy integers too), or one seed.

    Example:
        >>> first = run_scenario("baseline", seeds=3, weeks=60, posterior=0)   # doctest: +SKIP
        >>> again = run_seeds("baseline", [first.seeds[2]], weeks=60, posterior=0)  # doctest: +SKIP

    Raises:
        UserError: for a bad scenario (or a parameter set in its place), seed, count,
            root seed or ``progress``, or runs too large for this machine's memory.
    """
    sc = _scenario_meant(scenario, example="run_seeds('baseline', seeds, touchpoints=0.4)")
    if overrides:
        sc = sc.with_overrides(**overrides)
    seed_list = _seed_list(seeds)
    k = _posterior_count(posterior)
    w = check_int("weeks", sc.weeks if weeks is None else weeks, WEEKS_RANGE)
    jobs = _check_jobs(jobs)
    root_seed = _check_root_seed(root_seed)
    progress = check_callable("progress", progress, "progress(done, total)")
    check_run_memory([sc], len(seed_list) * max(k, 1), jobs)
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
    w = check_int("weeks", sc.weeks if weeks is None else weeks, WEEKS_RANGE)
    return run_once(sc.params.to_dict(), _check_seed(seed), w, status_quo=_status_quo(sc, base))
