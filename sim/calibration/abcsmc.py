"""ABC-SMC: fit the free parameters to the report's figures with pyabc.

:func:`calibrate` draws particles from the priors, keeps those closest to the
report and refines them generation after generation (median epsilon, a
multivariate normal kernel); every particle is one simulation with its own
seed. Every draw follows from ``Settings.root_seed``
(:class:`~sim.calibration.sampler.SeededSampler`), so a run gives the same
numbers on any number of processes. Generations are stored in an SQLite
history as they complete, so an interrupted run resumes from the last full
one. Progress lines come from pyabc's own history after each generation, and
from a shared counter of simulations in between.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import multiprocessing
import sqlite3
import sys
import time
import warnings
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import io
from sim.calibration.common import _stderr, _wquantile, silent
from sim.calibration.estimate import choose_estimate, confirm_estimate, refine_estimate
from sim.calibration.fit import fit_table, summarise_fit
from sim.calibration.posterior import (
    THIN_ESS,
    ThinPosteriorWarning,
    _write_posterior,
    effective_sample_size,
    estimate_from_baseline,
    thin_posterior_message,
    write_baseline,
)
from sim.calibration.priors import FIXED_BEHAVIOUR, FREE_PARAMETERS, bundled_baseline
from sim.calibration.settings import Settings
from sim.calibration.statistics import WeightedDistance, run_statistics, target_table
from sim.errors import UserError
from sim.extras import require
from sim.params import Params

__all__ = ["DEFAULT_WORKDIR", "CalibrationResult", "calibrate"]

#: Where the history database and the working files go unless told otherwise.
DEFAULT_WORKDIR = Path("results") / "calibration"


@dataclass
class CalibrationResult:
    """What :func:`calibrate` returns.

    Attributes:
        estimate: the point estimate ``{name: value}`` of the free parameters.
        posterior: the last generation: one row per particle, the free
            parameters (natural units), ``weight`` (summing to 1) and ``distance``.
        trace: one row per generation (see :func:`load_trace`).
        fit: the fit table at the estimate (see :func:`fit_table`).
        simulations: simulations run in all (over every resumed session).
        seconds: wall time of this session.
        resumed: whether the run continued a stored one.
        written: files written (baseline, posterior, trace, metadata).
    """

    estimate: dict[str, float]
    posterior: pd.DataFrame
    trace: pd.DataFrame
    fit: pd.DataFrame
    simulations: int
    seconds: float
    resumed: bool
    written: list[Path] = field(default_factory=list)

    @property
    def effective_sample_size(self) -> float:
        """Kish's effective sample size of the last generation (:func:`effective_sample_size`)."""
        return float(self.trace["ess"].iloc[-1])


class _Heartbeat:
    """Counts simulations across worker processes and prints a line every few seconds.

    Shared counters are created before the sampler forks its workers, so each
    worker updates the same numbers; the worker that finds the last line old
    enough prints the next one.
    """

    def __init__(self, emit: bool, interval: float = 10.0) -> None:
        ctx = multiprocessing.get_context("fork")
        self.count = ctx.Value("q", 0)
        self.last = ctx.Value("d", time.monotonic())
        self.generation = ctx.Value("q", 0)
        self.emit = emit
        self.interval = interval
        self.start = time.monotonic()

    def tick(self) -> None:
        with self.count.get_lock():
            self.count.value += 1
            n = self.count.value
            now = time.monotonic()
            due = self.emit and now - self.last.value >= self.interval
            if due:
                self.last.value = now
        if due:
            g = self.generation.value
            what = f"generation {g}" if g > 0 else "prior sample"
            print(
                f"calibrate:   {what}: {n:,} simulations this session ({now - self.start:.0f}s)",
                file=sys.stderr,
                flush=True,
            )


class _Simulator:
    """The model as pyabc sees it: free parameters in, target statistics out."""

    def __init__(self, base: Params, weeks: int, heartbeat: _Heartbeat | None) -> None:
        self.base = base
        self.weeks = weeks
        self.heartbeat = heartbeat

    def __call__(self, theta: Mapping[str, float]) -> dict:
        values = {p.name: p.natural(float(theta[p.key])) for p in FREE_PARAMETERS}
        # The sampler seeds numpy's global generator for each candidate (SeededSampler),
        # so this seed follows from the root seed, the generation and the candidate.
        seed = int(np.random.randint(0, 2**31 - 1))  # noqa: NPY002
        out = run_statistics(self.base.replace(**values), seed, self.weeks)
        if self.heartbeat is not None:
            self.heartbeat.tick()
        return out


class _Progress:
    """Progress lines of an ABC-SMC run, read from pyabc's history after each generation.

    :meth:`attach` wraps the sampler's ``run_generation`` so that a line is said
    when a generation starts (its epsilon) and when it is stored (accepted
    particles, simulations, effective sample size, all from the history).
    """

    def __init__(
        self, say: Callable[[str], None], heartbeat: _Heartbeat, settings: Settings, done: int
    ) -> None:
        self.say = say
        self.heartbeat = heartbeat
        self.settings = settings
        self.total = done
        self.start = time.monotonic()

    def attach(self, abc: Any) -> None:
        """Wrap ``abc.run_generation`` with the progress lines."""
        run_generation = abc.run_generation

        def wrapped(t: int) -> dict:
            self.heartbeat.generation.value = t + 1
            self.say(
                f"calibrate: generation {t + 1}/{self.settings.generations} "
                f"started, epsilon {float(abc.eps(t)):.4g}"
            )
            ret = run_generation(t)
            if ret.get("successful"):
                self.generation_done(abc.history, t)
            else:
                self.say(f"calibrate: generation {t + 1} stopped: the sample was not usable")
            return ret

        abc.run_generation = wrapped

    def generation_done(self, history: Any, t: int) -> None:
        """Say what the history holds for generation ``t``."""
        pops = history.get_all_populations()
        rec = pops[pops["t"] == t].iloc[-1]
        n, acc = int(rec["samples"]), int(rec["particles"])
        _, w = history.get_distribution(m=0, t=t)
        self.total += n
        elapsed = time.monotonic() - self.start
        self.say(
            f"calibrate: generation {t + 1} done: {acc} accepted of {n:,} "
            f"({acc / max(n, 1):.1%}), ESS {effective_sample_size(w):.0f}; "
            f"{self.total:,}/{self.settings.budget:,} simulations, "
            f"{elapsed / 60:.1f} min this session"
        )


class _Warnings(logging.Handler):
    """Passes pyabc's warnings on as progress lines; its info records are left out."""

    def __init__(self, say: Callable[[str], None]) -> None:
        super().__init__(logging.WARNING)
        self.say = say

    def emit(self, record: logging.LogRecord) -> None:
        self.say(f"calibrate: pyabc: {record.getMessage()}")


@contextlib.contextmanager
def _pyabc_logging(handler: logging.Handler) -> Iterator[None]:
    logger = logging.getLogger("ABC")
    old_handlers, old_level, old_prop = list(logger.handlers), logger.level, logger.propagate
    for h in old_handlers:
        logger.removeHandler(h)
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        for h in old_handlers:
            logger.addHandler(h)
        logger.setLevel(old_level)
        logger.propagate = old_prop


def _import_pyabc() -> Any:
    return require("pyabc", "calibration", "calibration")


def calibrate(
    settings: Settings | None = None,
    *,
    workdir: str | Path = DEFAULT_WORKDIR,
    fresh: bool = False,
    baseline: str | Path | None = None,
    write: bool = True,
    log: Callable[[str], None] | None = None,
) -> CalibrationResult:
    """Fit the free parameters to the targets by ABC-SMC, resuming a stored run if there is one.

    Args:
        settings: what to run (default :class:`Settings`).
        workdir: folder of the history database (``abc.sqlite``) and run files.
            A run stored there with the same settings is resumed; the budget and
            the number of generations may be raised between sessions.
        fresh: discard a stored run and start over.
        baseline: scenario file to write the estimate into (default: the bundled
            ``baseline.toml``); the posterior files go beside it.
        write: write the estimate and posterior (else only the work directory).
        log: called with each progress line (default: print on stderr).

    Returns:
        The estimate, posterior, trace and fit (:class:`CalibrationResult`).

    Raises:
        UserError: for bad settings, a work directory holding a different run,
            or pyabc missing.

    Warns:
        ThinPosteriorWarning: when the last generation has fewer than :data:`THIN_ESS`
            effective particles (its weights rest on a few of them), naming the larger
            population that would thicken it.
    """
    settings = settings or Settings()
    say = log or _stderr
    pyabc = _import_pyabc()
    started = time.monotonic()
    workdir = Path(workdir)
    try:
        workdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot use {workdir} as the work directory: {exc.strerror}") from None
    db_file = workdir / "abc.sqlite"
    ident_file = workdir / "settings.json"
    identity = settings.identity()
    if fresh:
        for f in (db_file, ident_file):
            f.unlink(missing_ok=True)
    resumed = False
    if db_file.exists():
        if io.read_json(ident_file) != identity:  # missing or unreadable: other settings
            raise UserError(
                f"{workdir} holds a calibration with other settings (population, agents, "
                "weeks, root seed, SE floor, targets, base parameters or the model's code "
                "differ): use --fresh to discard it, or another --workdir"
            )
        if _completed_generations(db_file) < 1:
            db_file.unlink()  # interrupted before its first generation: nothing to keep
        else:
            resumed = True
    io.write_json(ident_file, identity)

    targets = target_table(settings.se_floor)
    observed = dict(zip(targets["id"], targets["value"].astype(float), strict=True))
    heartbeat = _Heartbeat(emit=log is not silent)
    prior = pyabc.Distribution(
        **{
            p.key: pyabc.RV("uniform", p.bounds[0], p.bounds[1] - p.bounds[0])
            for p in FREE_PARAMETERS
        }
    )
    db = f"sqlite:///{db_file.resolve()}"
    progress = _Progress(say, heartbeat, settings, 0)
    with _pyabc_logging(_Warnings(say)):
        # Imported here: the module subclasses pyabc's sampler, and pyabc is optional.
        from sim.calibration.sampler import SeededSampler

        sampler = SeededSampler(settings.root_seed, settings.jobs)
        abc = pyabc.ABCSMC(
            models=_Simulator(settings.base_params(), settings.weeks, heartbeat),
            parameter_priors=prior,
            distance_function=WeightedDistance(settings.se_floor, settings.distance_p),
            population_size=settings.population,
            sampler=sampler,
            eps=pyabc.MedianEpsilon(),
        )
        if resumed:
            history = abc.load(db, 1)
            done_t, done_sims = history.max_t + 1, int(history.total_nr_simulations)
            say(
                f"calibrate: resuming {db_file}: {done_t} generation(s), "
                f"{done_sims:,} simulations stored"
            )
        else:
            history = abc.new(db, observed)
            done_t, done_sims = 0, 0
            say(
                f"calibrate: ABC-SMC of {len(FREE_PARAMETERS)} parameters on {len(targets)} "
                f"targets: population {settings.population}, up to {settings.generations} "
                f"generations or {settings.budget:,} simulations, {settings.n_agents:,} agents "
                f"x {settings.weeks} weeks, {settings.jobs} process(es); history in {db_file}"
            )
        progress.total = done_sims
        progress.attach(abc)
        heartbeat.generation.value = done_t
        remaining = settings.generations - done_t
        if remaining > 0 and done_sims < settings.budget:
            history = abc.run(
                max_nr_populations=remaining,
                max_total_nr_simulations=settings.budget,
                min_acceptance_rate=settings.min_acceptance,
            )
            say(f"calibrate: stopped: {_stop_reason(history, settings)}")
        else:
            say("calibrate: the stored run is complete; choosing the estimate")
    posterior = _posterior_from_history(history)
    trace = _trace_from_history(history)
    simulations = int(history.total_nr_simulations)

    estimate = choose_estimate(posterior, settings, log=say)
    candidates = {"chosen": estimate}
    if settings.refine_iterations > 0:
        candidates["polished"] = refine_estimate(estimate, settings, log=say)
    previous = _previous_estimate(baseline) if write else None
    if previous is not None:
        candidates["previous"] = previous
    if len(candidates) > 1:
        incumbent = "previous" if previous is not None else None
        estimate = confirm_estimate(candidates, settings, incumbent=incumbent, log=say)
    say(f"calibrate: fit at the estimate over {settings.fit_seeds} seeds")
    fit = fit_table(estimate, settings, seeds=settings.fit_seeds)
    summary = summarise_fit(fit)
    say(
        f"calibrate: {summary['within']}/{summary['n']} targets within max(2 SE, 3 points), "
        f"{summary['beyond_cap']} beyond 10 points; worst: {summary['worst']}"
    )
    meta = {
        "method": "ABC-SMC (pyabc), median epsilon, multivariate normal kernel",
        "sampler": "seeded: candidate i of generation t from (root_seed, t, i)",
        "pyabc": getattr(pyabc, "__version__", "?"),
        "settings": {k: v for k, v in asdict(settings).items() if k != "base"},
        "generations": len(trace),
        "simulations": simulations,
        "minutes": round(float(np.nansum(trace["seconds"])) / 60, 1),
        "distance": f"{settings.distance_p:g}-norm of (sim - report) / max(se, se_floor)",
        "estimate": estimate,
        "free": [asdict(p) for p in FREE_PARAMETERS],
        "fixed_behaviour": FIXED_BEHAVIOUR,
    }
    written = []
    outputs = {
        "estimate.json": json.dumps(estimate, indent=2),
        "posterior.csv": posterior.to_csv(index=False),
        "trace.csv": trace.to_csv(index=False),
        "fit.csv": fit.to_csv(index=False),
    }
    for name, text in outputs.items():
        io.write_text(workdir / name, text)
    if write:
        path = Path(baseline) if baseline is not None else bundled_baseline()
        written.append(write_baseline(estimate, path))
        written.extend(_write_posterior(posterior, trace, meta, path))
        for p in written:
            say(f"calibrate: wrote {p}")
    result = CalibrationResult(
        estimate=estimate,
        posterior=posterior,
        trace=trace,
        fit=fit,
        simulations=simulations,
        seconds=time.monotonic() - started,
        resumed=resumed,
        written=written,
    )
    if result.effective_sample_size < THIN_ESS:
        message = thin_posterior_message(result.effective_sample_size, settings.population)
        warnings.warn(message, ThinPosteriorWarning, stacklevel=2)
    return result


def _previous_estimate(baseline: str | Path | None) -> dict[str, float] | None:
    """The estimate in the baseline file the run will overwrite, if it has one inside the priors."""
    try:
        previous = estimate_from_baseline(baseline)
    except (UserError, OSError, ValueError):
        return None
    inside = all(p.lo <= previous[p.name] <= p.hi for p in FREE_PARAMETERS)
    return previous if inside else None


def _completed_generations(db_file: Path) -> int:
    """Number of generations (t >= 0) stored in a pyabc history database (0 if unreadable)."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)) as con:
            row = con.execute("SELECT COUNT(*) FROM populations WHERE t >= 0").fetchone()
    except sqlite3.Error:
        return 0
    return int(row[0]) if row else 0


def _posterior_from_history(history: Any, t: int | None = None) -> pd.DataFrame:
    pop = history.get_population(t=history.max_t if t is None else t)
    rows = []
    for particle in pop.particles:
        row = {p.name: p.natural(float(particle.parameter[p.key])) for p in FREE_PARAMETERS}
        row["weight"] = float(particle.weight)
        row["distance"] = float(particle.distance)
        rows.append(row)
    df = pd.DataFrame(rows)
    df["weight"] /= df["weight"].sum()
    return df.sort_values("distance", ignore_index=True)


def _trace_from_history(history: Any) -> pd.DataFrame:
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0]
    rows = []
    for rec in pops.itertuples():
        post = _posterior_from_history(history, int(rec.t))
        w = post["weight"].to_numpy()
        row = {
            "generation": int(rec.t) + 1,
            "epsilon": float(rec.epsilon),
            "simulations": int(rec.samples),
            "acceptance_rate": float(rec.particles) / max(float(rec.samples), 1.0),
            "ess": effective_sample_size(w),
            "distance_median": _wquantile(post["distance"], w, 0.5),
            "distance_min": float(post["distance"].min()),
            "seconds": float(getattr(rec, "wall_time", math.nan)),
        }
        for p in FREE_PARAMETERS:
            x = post[p.name]
            row[f"{p.name}_median"] = _wquantile(x, w, 0.5)
            row[f"{p.name}_q05"] = _wquantile(x, w, 0.05)
            row[f"{p.name}_q95"] = _wquantile(x, w, 0.95)
        rows.append(row)
    return pd.DataFrame(rows)


def _stop_reason(history: Any, settings: Settings) -> str:
    """Why a run stopped, read from its history and the settings' stopping rules."""
    generations = int(history.max_t) + 1
    if generations >= settings.generations:
        return f"{generations} generations, the most asked for"
    if int(history.total_nr_simulations) >= settings.budget:
        return f"the budget of {settings.budget:,} simulations is spent"
    return (
        f"the last generation's acceptance rate fell below {settings.min_acceptance:g} "
        "(or its sample was not usable)"
    )
