"""Running a sweep: batches of runs on an executor, streamed to a resumable store.

The sweep plans its runs (:func:`sim.sweeps.design.build_design`), skips those
its output folder already holds, groups the rest into batches and hands the
batches to an executor. Each finished batch is written at once, as one Parquet
file. Batches start large and shrink towards the end of the sweep (guided
self-scheduling), so few tasks carry the work and no worker idles at the end.

A run's numbers depend only on its parameters, its seed and the weeks
(:func:`sim.model.simulate`): the executor, the number of workers, the batch
sizes and any interruption change when a run happens, never what it gives.
"""

from __future__ import annotations

import gc
import math
import os
import reprlib
import time
import traceback
import warnings
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim import __version__
from sim.errors import SimWarning, UserError
from sim.executors import (
    EXECUTORS,
    DaskExecutor,
    InProcessExecutor,
    ProcessExecutor,
    default_workers,
    make_executor,
    worker_count,
)
from sim.experiment.run import run_once
from sim.inputs import check_callable, check_int, check_memory
from sim.provenance import code_fingerprint
from sim.sweeps.design import build_design
from sim.sweeps.runs import run_kept
from sim.sweeps.spec import Outputs, SweepSpec, load_spec
from sim.sweeps.store import (
    ERROR,
    OK,
    PENDING,
    load_run_table,
    open_store,
    read_manifest,
)

__all__ = [
    "SweepReport",
    "check_sweep_memory",
    "execute",
    "preflight",
    "rerun",
    "rerun_inputs",
    "run_batch",
    "sweep",
]

#: Batches per worker over the remaining runs (guided self-scheduling).
GUIDE = 4
#: Largest automatic batch.
MAX_BATCH = 64
#: Automatic batches aim at tasks of about this many seconds (once a run's time is known).
TARGET_TASK_SECONDS = 2.0
#: Tasks kept queued on a Dask cluster at least (an adaptive cluster grows with its queue).
MIN_DASK_WINDOW = 8
#: Times a broken process pool is replaced before the sweep gives up on it.
MAX_POOL_RESTARTS = 3

#: ``progress(done, total)``: runs finished in this invocation, runs it has to do.
Progress = Callable[[int, int], None]
#: A model function: ``model(params: dict, seed: int, weeks: int) -> dict`` as
#: :func:`sim.model.simulate` (keys ``outcomes``, and ``survey``/``series`` if kept).
ModelFn = Callable[[dict[str, Any], int, int], Mapping[str, Any]]

Run = tuple[int, int, int, int, tuple]  # run_id, point, replicate, seed, factor values


# ----------------------------------------------------------------------------- argument checks
def _check_flag(name: str, value: Any) -> bool:
    """Return ``value`` as a bool if it is one (``np.bool_`` too).

    Raises:
        UserError: ``retry_errors='no' has the wrong type: expected True or False``.
    """
    if not isinstance(value, bool | np.bool_):
        raise UserError(f"{name}={reprlib.repr(value)} has the wrong type: expected True or False")
    return bool(value)


# ----------------------------------------------------------------------------- the task
@dataclass(frozen=True)
class Batch:
    """One task: several runs sharing a base parameter set (what a worker receives)."""

    base: dict[str, Any]
    names: tuple[str, ...]
    runs: tuple[Run, ...]
    weeks: int
    outputs: Outputs
    model: ModelFn | None = None


def _error_text(exc: BaseException) -> str:
    msg = " ".join(str(exc).split()) or "(no message)"
    where = ""
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        last = frames[-1]
        where = f" [at {Path(last.filename).name}:{last.lineno} in {last.name}]"
    return f"{type(exc).__name__}: {msg}"[:800] + where


def _extract(out: Mapping[str, Any], outputs: Outputs) -> dict[str, float]:
    row: dict[str, float] = {}
    outcomes = out["outcomes"] if outputs.outcomes else {}
    for name in outputs.outcomes:
        row[name] = float(outcomes[name])
    keys = outputs.survey_keys()
    if keys:
        sv = out["survey"]
        wanted = {(wave, item, group) for item, group, wave in keys}
        cols = (sv["wave"].tolist(), sv["item"].tolist(), sv["group"].tolist())
        found = {
            k: float(v)
            for k, v in zip(zip(*cols, strict=True), sv["value"].tolist(), strict=True)
            if k in wanted
        }
        for item, group, wave in keys:
            row[f"survey.{item}.{group}.{wave}"] = found.get((wave, item, group), math.nan)
    return row


def _series(out: Mapping[str, Any], outputs: Outputs, run_id: int) -> pd.DataFrame:
    df = out["series"]
    if "week" not in df.columns:
        df = df.reset_index()
        if "week" not in df.columns:
            df = df.rename(columns={df.columns[0]: "week"})
    df = df[["week", *outputs.series]].astype({c: "float64" for c in outputs.series})
    df = df.astype({"week": "int64"})
    df.insert(0, "run_id", np.int64(run_id))
    return df


def run_batch(batch: Batch) -> tuple[list[dict[str, Any]], pd.DataFrame | None, float]:
    """Run every run of a batch; a run that raises is recorded with its error, not raised.

    With the default model each run computes only the outputs the spec keeps
    (:func:`sim.sweeps.runs.run_kept`); a custom ``model`` returns everything
    and the kept outputs are picked from it.

    Returns:
        ``(rows, series, seconds)``: one dict per run (ids, parameters, ``status``,
        ``error``, kept outputs), the kept weekly series (``None`` if none is kept),
        and the batch's time on the worker (which sizes later batches; never stored).
    """
    started = time.perf_counter()
    outputs = batch.outputs
    rows: list[dict[str, Any]] = []
    series: list[tuple[int, dict[str, np.ndarray]]] = []
    frames: list[pd.DataFrame] = []
    for run_id, point, replicate, seed, values in batch.runs:
        row: dict[str, Any] = {
            "run_id": run_id,
            "point": point,
            "replicate": replicate,
            "seed": seed,
            **dict(zip(batch.names, values, strict=True)),
        }
        try:
            params = {**batch.base, **row_params(batch.names, values)}
            if batch.model is None:
                kept, weekly = run_kept(params, seed, batch.weeks, outputs)
                if weekly is not None:
                    series.append((run_id, weekly))
            else:
                out = batch.model(params, seed, batch.weeks)
                kept = _extract(out, outputs)
                if outputs.series:
                    frames.append(_series(out, outputs, run_id))
            row.update(status=OK, error="", **kept)
        except Exception as exc:
            row.update(status=ERROR, error=_error_text(exc))
        rows.append(row)
    if series:
        frames.append(_series_frame(series, outputs))
    kept_series = pd.concat(frames, ignore_index=True) if frames else None
    return rows, kept_series, time.perf_counter() - started


def _series_frame(
    series: list[tuple[int, dict[str, np.ndarray]]], outputs: Outputs
) -> pd.DataFrame:
    """Build the kept weekly series of several runs as one frame (the columns of ``_series``)."""
    weeks = [len(weekly[outputs.series[0]]) for _, weekly in series]
    data: dict[str, Any] = {
        "run_id": np.repeat(np.array([r for r, _ in series], dtype=np.int64), weeks),
        "week": np.concatenate([np.arange(n, dtype=np.int64) for n in weeks]),
    }
    for name in outputs.series:
        data[name] = np.concatenate([weekly[name] for _, weekly in series])
    return pd.DataFrame(data)


def row_params(names: tuple[str, ...], values: tuple) -> dict[str, Any]:
    """Return the varied parameters of a run as plain Python numbers."""
    return {n: (v.item() if hasattr(v, "item") else v) for n, v in zip(names, values, strict=True)}


def _frame(rows: list[dict[str, Any]], spec: SweepSpec, design: pd.DataFrame) -> pd.DataFrame:
    """Build a batch's results with the sweep's fixed column types."""
    ids = ["run_id", "point", "replicate", "seed", *spec.names]
    data: dict[str, Any] = {}
    for c in ids:
        data[c] = np.array([r[c] for r in rows], dtype=design[c].dtype)
    data["status"] = pd.array([r["status"] for r in rows], dtype="str")
    data["error"] = pd.array([r["error"] for r in rows], dtype="str")
    for c in spec.outputs.columns():
        data[c] = np.array([r.get(c, math.nan) for r in rows], dtype=np.float64)
    return pd.DataFrame(data)


# ----------------------------------------------------------------------------- the loop
@dataclass
class SweepReport:
    """What an invocation of a sweep did.

    Attributes:
        spec: the sweep spec.
        out: the output folder (``None`` when kept in memory).
        table: the run table: every planned run with its status (ok, error, pending).
        results: one row per finished run with its kept outputs, ordered by ``run_id``.
        series: the kept weekly series (``None`` if none is kept).
        skipped: runs already finished before this invocation (resumed).
        ran: runs finished in this invocation.
        lost: messages for batches lost to a broken worker or cluster (their runs stay pending).
        seconds: wall time of this invocation.
        executor: the executor's name.
        workers: tasks it ran at once.
        busy: seconds the workers spent on this invocation's batches (all workers added up).
    """

    spec: SweepSpec
    out: Path | None
    table: pd.DataFrame
    results: pd.DataFrame
    series: pd.DataFrame | None
    skipped: int
    ran: int
    seconds: float
    executor: str
    workers: int
    lost: list[str] = field(default_factory=list)
    busy: float = 0.0

    def count(self, status: str) -> int:
        """Return how many runs have ``status`` (``ok``, ``error`` or ``pending``).

        Raises:
            UserError: for another status.
        """
        if status not in (OK, ERROR, PENDING):
            raise UserError(
                f"status={status!r} is not a run's status: allowed {OK}, {ERROR}, {PENDING}"
            )
        return int((self.table["status"] == status).sum())

    @property
    def complete(self) -> bool:
        """Whether every planned run has finished (ok or error)."""
        return self.count(PENDING) == 0


def _batch_size(
    remaining: int, workers: int, fixed: int | None, cap: int, per_run: float | None
) -> int:
    """Runs in the next batch.

    A fixed size if one is set; else guided self-scheduling (a share of the
    remaining runs per worker, so batches shrink towards the end), no more than
    ``cap`` and no longer than about :data:`TARGET_TASK_SECONDS`; one run per
    batch until a run's time is known.
    """
    if fixed:
        return fixed
    guided = math.ceil(remaining / (GUIDE * workers))
    timed = 1 if per_run is None else int(TARGET_TASK_SECONDS / max(per_run, 1e-6))
    return max(1, min(cap, guided, timed))


def _name(executor: str | Executor) -> str:
    if isinstance(executor, str):
        return executor
    names = {InProcessExecutor: "local", ProcessExecutor: "processes", DaskExecutor: "dask"}
    return names.get(type(executor), type(executor).__name__)


def check_sweep_memory(
    spec: SweepSpec,
    executor: Any,
    workers: Any = None,
    *,
    address: Any = None,
    model: Any = None,
) -> None:
    """Refuse a sweep whose largest runs, one per worker on this machine, cannot fit in memory.

    The estimate (:func:`sim.inputs.check_memory`, which ``execute`` and the command
    line's ``sweep`` both make before anything runs): the largest ``n_agents`` of the
    spec (its base or its varied values) times the workers (one for ``local``; no more
    than there are runs). Nothing is estimated for an
    :class:`~concurrent.futures.Executor` given as is or a Dask cluster at ``address``
    (their memory is their own), nor for a ``model`` of the caller's (the estimate is
    the workplace model's); an unknown executor name is left to
    :func:`sim.executors.make_executor` to refuse.

    Raises:
        UserError: ``sweep 'x' (n_agents up to 10000000, 8 worker(s)): 8 run(s) of
            10,000,000 agents at once need about 81.6 GB ...``.
    """
    if model is not None or not isinstance(executor, str) or executor not in EXECUTORS:
        return
    if executor == "dask" and address:
        return
    if workers is not None:
        check_int("workers", workers, (1, None))
    agents = int(spec.base.n_agents)
    for f in spec.factors:
        if f.name == "n_agents":
            agents = int(max(f.values) if f.values is not None else f.hi)  # type: ignore[arg-type]
    n = 1 if executor == "local" else int(workers or default_workers())
    n = max(1, min(n, spec.n_runs))
    check_memory(agents, n, f"sweep '{spec.name}' (n_agents up to {agents}, {n} worker(s))")


def execute(
    spec: SweepSpec | str | Mapping[str, Any],
    executor: str | Executor = "processes",
    *,
    out: str | Path | None = None,
    workers: int | None = None,
    address: str | None = None,
    batch_size: int | None = None,
    progress: Progress | None = None,
    model: ModelFn | None = None,
    retry_errors: bool = False,
) -> SweepReport:
    """Run (or resume) a sweep and report what happened; see :func:`sweep`.

    Raises:
        UserError: for a bad spec, executor, output folder, ``batch_size``,
            ``progress``, ``model`` or ``retry_errors``, or runs too large for this
            machine's memory, before anything runs.
    """
    progress = check_callable("progress", progress, "progress(done, total)")
    model = check_callable("model", model, "model(params, seed, weeks), as sim.model.simulate")
    retry_errors = _check_flag("retry_errors", retry_errors)
    spec = load_spec(spec)
    if batch_size is not None:
        check_int("batch_size", batch_size, (1, None))
    check_sweep_memory(spec, executor, workers, address=address, model=model)
    fixed = batch_size or spec.batch_size
    design, _ = build_design(spec)
    store = open_store(out)
    started = time.monotonic()
    store.check(spec)  # before any worker starts: a wrong folder fails fast
    owned = not isinstance(executor, Executor)
    ex: Executor | None = None
    lost: list[str] = []
    inflight: dict[Future, Batch] = {}
    ran = skipped = n_workers = 0
    busy = 0.0
    table: pd.DataFrame | None = None
    # The objects alive now (modules, caller's data) live on through the sweep:
    # freezing them keeps the garbage collector from walking them again and again
    # while runs allocate, here and in forked workers (where walking them would
    # also copy the parent's memory page by page).
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        ex = make_executor(executor, workers=workers, address=address)
        store.prepare(spec, design)
        if retry_errors:
            store.drop_errors()
        done = store.done_ids()
        skipped = len(done)
        pending = design[~design["run_id"].isin(done)]
        todo: deque[Run] = deque(
            zip(
                pending["run_id"].tolist(),
                pending["point"].tolist(),
                pending["replicate"].tolist(),
                pending["seed"].tolist(),
                pending[spec.names].itertuples(index=False, name=None),
                strict=True,
            )
        )
        total = len(todo)
        n_workers = max(1, worker_count(ex))
        window = 1 if isinstance(ex, InProcessExecutor) else 2 * n_workers
        cap = MAX_BATCH
        base = spec.base.to_dict()
        restarts = 0
        broken = False
        timed_runs = 0
        if progress:
            progress(0, total)
        while todo or inflight:
            if isinstance(ex, DaskExecutor):  # a cluster may grow or shrink as it runs
                n_workers = max(1, worker_count(ex))
                window = max(2 * n_workers, MIN_DASK_WINDOW)
            while todo and not broken and len(inflight) < window:
                per_run = busy / timed_runs if timed_runs else None
                size = _batch_size(len(todo), n_workers, fixed, cap, per_run)
                runs = tuple(todo.popleft() for _ in range(min(size, len(todo))))
                batch = Batch(base, tuple(spec.names), runs, spec.weeks, spec.outputs, model)
                try:
                    inflight[ex.submit(run_batch, batch)] = batch
                except BrokenProcessPool:
                    todo.extendleft(reversed(runs))
                    broken = True
            if inflight:
                finished, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
            else:
                finished = set()
            for fut in finished:
                batch = inflight.pop(fut)
                try:
                    rows, series, seconds = fut.result()
                except BrokenProcessPool:
                    todo.extendleft(reversed(batch.runs))  # run them again on a new pool
                    broken = True
                    continue
                except Exception as exc:
                    ids = [r[0] for r in batch.runs]
                    lost.append(f"runs {min(ids)}-{max(ids)} ({len(ids)}): {_error_text(exc)}")
                    continue
                store.write_batch(_frame(rows, spec, design), series)
                ran += len(rows)
                busy += seconds
                timed_runs += len(rows)
                if progress:
                    progress(ran, total)
            if broken and not inflight:
                restarts += 1
                if owned:
                    ex.shutdown(wait=False, cancel_futures=True)
                if not owned or restarts > MAX_POOL_RESTARTS:
                    lost.append(
                        f"{len(todo)} runs not started: the worker processes kept dying"
                        f" ({restarts} times); see the runs' memory needs"
                    )
                    todo.clear()
                    ex = None
                    break
                ex = make_executor(executor, workers=workers, address=address)
                broken = False
    except BaseException:
        for fut in inflight:
            fut.cancel()
        if ex is not None and owned:
            ex.shutdown(wait=False, cancel_futures=True)
        ex = None
        raise
    finally:
        if freeze:
            gc.unfreeze()
        if ex is not None and owned:
            ex.shutdown(wait=True)
        try:
            if store.ready:
                table = store.finish(design)
        finally:
            store.close()
    results = store.results()
    if results is None:
        results = _frame([], spec, design)
    if table is None:  # pragma: no cover - finish always runs once prepared
        table = store.finish(design)
    return SweepReport(
        spec=spec,
        out=Path(out) if out is not None else None,
        table=table,
        results=results,
        series=store.series(),
        skipped=skipped,
        ran=ran,
        seconds=time.monotonic() - started,
        executor=_name(executor),
        workers=n_workers,
        lost=lost,
        busy=busy,
    )


def preflight(
    spec: SweepSpec | str | Mapping[str, Any], out: str | Path | None, *, write: bool = True
) -> SweepSpec:
    """Check a spec and its output folder without running anything; return the spec.

    Args:
        spec: the sweep spec (see :func:`sweep`).
        out: the output folder (``None``: in memory, nothing to check).
        write: whether the folder will be written (created if missing); ``False``
            when it is only read, as by a rerun.

    Raises:
        UserError: for a bad spec, or a folder that holds another sweep or other
            files, or cannot be created, written or locked.
    """
    spec = load_spec(spec)
    store = open_store(out)
    try:
        store.check(spec, write=write)
    finally:
        store.close()
    return spec


def sweep(
    spec: SweepSpec | str | Mapping[str, Any],
    executor: str | Executor = "processes",
    *,
    out: str | Path | None = None,
    workers: int | None = None,
    address: str | None = None,
    batch_size: int | None = None,
    progress: Progress | None = None,
    model: ModelFn | None = None,
    retry_errors: bool = False,
    with_series: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame | None]:
    """Run a sweep and return one row per run.

    With ``out`` the results stream to that folder (one Parquet file per finished
    batch) and calling again with the same spec resumes: finished runs are
    skipped, none is duplicated. A different spec pointed at the same folder is
    refused.

    Args:
        spec: a :class:`~sim.sweeps.spec.SweepSpec`, a spec file, a bundled spec's
            name (``"levers"``) or a dict with a spec file's content.
        executor: ``"local"`` (this process), ``"processes"`` (a pool, default),
            ``"dask"``, or any :class:`concurrent.futures.Executor`.
        out: output folder (``None``: keep everything in memory, nothing to resume).
        workers: processes or Dask LocalCluster workers (default: every core). On
            this machine, the largest ``n_agents`` times the workers must fit in its
            memory (not estimated for a cluster at ``address``, an Executor given as is
            or a ``model`` of yours).
        address: Dask scheduler address (with ``executor="dask"``).
        batch_size: runs per task (default: automatic); never changes a result.
        progress: None, or a function called as ``progress(done, total)`` after each
            finished batch.
        model: None, or the function one run calls, as :func:`sim.model.simulate`; it
            must pickle (be importable) for the process and Dask executors.
            By default the workplace model, computing only the kept outputs
            (:func:`sim.sweeps.runs.run_kept`, the numbers of ``simulate``).
        retry_errors: run again the runs that raised in an earlier invocation
            (True or False).
        with_series: also return the kept weekly series (True or False).

    Returns:
        The results: one row per run, ordered by ``run_id``, with ``run_id``,
        ``point``, ``replicate``, ``seed``, the varied parameters, ``status``
        (``ok`` or ``error``), ``error`` and one column per kept output (true
        outcomes by name, survey values as ``survey.ITEM.GROUP.WAVE``). With
        ``with_series=True``, ``(results, series)``.

    Raises:
        UserError: for a bad spec, executor, output folder or other argument, or runs
            too large for this machine's memory, before anything runs.
    """
    with_series = _check_flag("with_series", with_series)
    report = execute(
        spec,
        executor,
        out=out,
        workers=workers,
        address=address,
        batch_size=batch_size,
        progress=progress,
        model=model,
        retry_errors=retry_errors,
    )
    if with_series:
        return report.results, report.series
    return report.results


# ----------------------------------------------------------------------------- exact reruns
def rerun_inputs(
    source: SweepReport | pd.DataFrame | str | Path,
    run_id: int,
    *,
    spec: SweepSpec | str | Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Return what one sweep run was given: every parameter, its seed and the weeks.

    A sweep run is ``simulate({**base, **varied}, seed, weeks)`` with no status
    quo, where ``base`` is the sweep's base scenario plus its ``[params]`` (the
    manifest's ``spec.base``), never the model's defaults.

    Args:
        source: a sweep's output folder, a :class:`SweepReport`, or a results or
            run table (then ``spec`` is needed).
        run_id: the run's ``run_id``.
        spec: the sweep spec, when ``source`` is a table.

    Returns:
        ``{"params": dict, "seed": int, "weeks": int, "outputs": Outputs}``.

    Raises:
        UserError: for a source of another type, a folder that is no sweep, a table
            without its spec, an empty table, a table without the ``run_id``, ``seed``
            or varied parameters' columns (of another spec), or an unknown ``run_id``.
    """
    if isinstance(run_id, bool) or not isinstance(run_id, int | np.integer):
        raise UserError(f"run_id {run_id!r} must be a whole number (the 'run_id' column)")
    if isinstance(source, SweepReport):
        base, weeks, outputs = source.spec.base.to_dict(), source.spec.weeks, source.spec.outputs
        names, table = list(source.spec.names), source.table
    elif isinstance(source, pd.DataFrame):
        if spec is None:
            raise UserError(
                "rerun of a sweep table needs its spec: rerun(table, run_id, spec=...) "
                "(or pass the sweep's output folder, whose manifest holds the spec)"
            )
        s = load_spec(spec)
        base, weeks, outputs, names, table = s.base.to_dict(), s.weeks, s.outputs, s.names, source
        _check_table(table, names)
    elif not isinstance(source, str | os.PathLike):
        raise UserError(
            f"source={reprlib.repr(source)} has the wrong type: expected a sweep's output"
            " folder, a SweepReport, or a results or run table (a DataFrame, with spec=...)"
        )
    elif not os.fspath(source).strip():
        raise UserError("source is empty: name a sweep's output folder")
    else:
        folder = Path(source)
        if not (folder / "sweep.json").is_file():
            raise UserError(f"{folder}: not a sweep's output folder (no sweep.json in it)")
        manifest = read_manifest(folder)
        m = manifest["spec"]
        base, weeks, names = dict(m["base"]), int(m["weeks"]), list(m["factors"])
        outputs = Outputs(**{k: tuple(v) for k, v in m["outputs"].items()})
        table = load_run_table(folder)
        made = (manifest.get("sim_version"), manifest.get("code"))
        if made != (__version__, code_fingerprint()):
            warnings.warn(
                f"{folder} was made by workplace-sim {made[0]} (code {made[1]}); this is "
                f"{__version__} (code {code_fingerprint()}): a rerun may not match its numbers",
                SimWarning,
                stacklevel=2,
            )
    rows = table[table["run_id"] == int(run_id)]
    if rows.empty:
        lo, hi = int(table["run_id"].min()), int(table["run_id"].max())
        raise UserError(f"run_id {run_id} is not in this sweep: its run ids go from {lo} to {hi}")
    values = next(rows[list(names)].itertuples(index=False, name=None))
    seed = int(rows["seed"].iloc[0])
    params = {**base, **row_params(tuple(names), values)}
    return {"params": params, "seed": seed, "weeks": int(weeks), "outputs": outputs}


def _check_table(table: pd.DataFrame, names: list[str]) -> None:
    """Refuse a sweep table that is empty or lacks the columns a rerun reads.

    Raises:
        UserError: naming the missing columns: ``run_id``, ``seed`` or a varied
            parameter of the spec (a table of another sweep).
    """
    if table.empty:
        raise UserError(
            "the sweep table is empty: give the sweep's results or run table, with its rows"
        )
    missing = [c for c in ("run_id", "seed") if c not in table.columns]
    if missing:
        raise UserError(
            f"the table has no {' or '.join(repr(c) for c in missing)} column: give the"
            " sweep's results or run table (sim.sweeps.sweep or load_results)"
        )
    missing = [n for n in names if n not in table.columns]
    if missing:
        raise UserError(
            f"the table has no column for the spec's varied parameter(s) {', '.join(missing)}:"
            " give the spec the sweep ran with"
        )


def rerun(
    source: SweepReport | pd.DataFrame | str | Path,
    run_id: int,
    *,
    spec: SweepSpec | str | Mapping[str, Any] | None = None,
    full: bool = False,
) -> dict[str, Any]:
    """Run one sweep run again and return its numbers, identical to its row.

    Example:
        >>> import sim.sweeps as sw
        >>> spec = {"vary": {"touchpoints": [0.1, 0.5]}, "weeks": 8,
        ...         "params": {"n_agents": 60}, "outputs": {"outcomes": ["burnout_share"]}}
        >>> df = sw.sweep(spec, executor="local")
        >>> bool(sw.rerun(df, 1, spec=spec)["burnout_share"] == df.loc[1, "burnout_share"])
        True

    Args:
        source: a sweep's output folder, a :class:`SweepReport`, or a results or
            run table (then ``spec`` is needed); see :func:`rerun_inputs`.
        run_id: the run's ``run_id``.
        spec: the sweep spec, when ``source`` is a table.
        full: return all that :func:`sim.model.simulate` returns (``survey``,
            ``series``, ``outcomes``) instead of the kept outputs (True or False).

    Returns:
        The kept outputs by column name (as in the results table), or with
        ``full=True`` the whole simulation output.

    Raises:
        UserError: as :func:`rerun_inputs` does, or for a ``full`` that is not a bool.
    """
    full = _check_flag("full", full)
    got = rerun_inputs(source, run_id, spec=spec)
    if full:
        return run_once(got["params"], got["seed"], got["weeks"])
    values, _ = run_kept(got["params"], got["seed"], got["weeks"], got["outputs"])
    return values
