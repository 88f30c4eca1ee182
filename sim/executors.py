"""Executors: where a sweep's batches run, all behind :class:`concurrent.futures.Executor`.

* ``local``: in this process, one batch after another (:class:`InProcessExecutor`).
* ``processes`` (the default): a pool of worker processes on this machine, one
  per core unless told otherwise (:class:`ProcessExecutor`).
* ``dask``: a Dask distributed cluster (:class:`DaskExecutor`): a
  ``LocalCluster`` on this machine when no address is given, else the scheduler
  at ``address`` (``tcp://host:8786``), e.g. one started on a SLURM or PBS
  cluster with ``dask-jobqueue`` (see ``docs/sweeps.md``). A ``LocalCluster``
  and its diagnostics page listen on 127.0.0.1 only. A scheduler given by
  address must be trusted: the client unpickles what it sends, so a hostile
  scheduler can run code on this machine.

:func:`run_tasks` runs a list of tasks on one of them and returns the results in
task order, so the numbers never depend on the number of workers; the runner
and the calibration use it, the sweep engine drives an executor itself (it
streams batches to its store).

Any other :class:`concurrent.futures.Executor` works as well (an MPI pool, a
``distributed`` client's ``get_executor()`` ...): pass the object itself. The
task function and its arguments must then pickle, which the sweep's do.

Example:
    >>> from sim.executors import make_executor
    >>> with make_executor("local") as ex:
    ...     ex.submit(sum, [1, 2, 3]).result()
    6
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from multiprocessing import resource_tracker
from typing import Any

from sim.errors import UserError
from sim.extras import require
from sim.inputs import check_int

__all__ = [
    "EXECUTORS",
    "MAX_JOBS",
    "DaskExecutor",
    "InProcessExecutor",
    "ProcessExecutor",
    "check_address",
    "check_jobs",
    "default_workers",
    "make_executor",
    "run_tasks",
    "sigint_held",
    "worker_count",
]

#: Freeze the parent's objects for the garbage collector while workers fork.
FREEZE_GC = True
#: How often a worker process checks that its parent is still alive.
PARENT_CHECK_SECONDS = 1.0

#: How long connecting to a Dask scheduler may take before it is reported unreachable.
CONNECT_TIMEOUT = "10s"

#: Executor names the command line and :func:`make_executor` accept.
EXECUTORS = ("local", "processes", "dask")


#: Most worker processes :func:`check_jobs` allows: 64 or the number of cores, the larger.
MAX_JOBS = max(64, os.cpu_count() or 1)


def check_jobs(jobs: object) -> int:
    """Return ``jobs`` (worker processes asked for) if it is a whole number from 1 to 64 or more.

    The upper bound is :data:`MAX_JOBS`: 64 or the number of cores, whichever is larger.

    Raises:
        UserError: ``jobs=0 is out of range: allowed 1 to 64``.
    """
    return check_int("jobs", jobs, (1, MAX_JOBS))


def default_workers() -> int:
    """Return the number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


# ----------------------------------------------------------------------------- in-process
class InProcessExecutor(Executor):
    """Runs each task in this process when it is submitted; its future is done on return.

    A task that raises gives a future holding the exception, as with any executor.
    """

    workers = 1

    def __init__(self) -> None:
        self._shutdown = False

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:  # noqa: D102
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        future: Future = Future()
        future.set_running_or_notify_cancel()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            if not isinstance(exc, Exception):
                raise  # KeyboardInterrupt, SystemExit: stop the sweep
            future.set_exception(exc)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:  # noqa: D102
        self._shutdown = True


# ----------------------------------------------------------------------------- processes
def _worker_init() -> None:
    # Ctrl-C reaches the whole process group: the parent alone handles it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A worker whose parent is killed outright (SIGKILL) would wait for tasks
    # forever: leave as soon as the parent is gone.
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(PARENT_CHECK_SECONDS)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="sim-parent-watch", daemon=True).start()


def _noop() -> None:
    return None


def _mp_context() -> multiprocessing.context.BaseContext:
    """Pick how worker processes start.

    ``fork`` (Linux) starts workers at once with the model already imported; it is
    used only while this process runs a single thread, where forking is safe.
    Otherwise ``forkserver`` (with the model preloaded once), else ``spawn``.
    """
    methods = multiprocessing.get_all_start_methods()
    if sys.platform.startswith("linux") and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["sim.model", "sim.experiment.run", "sim.sweeps.engine"])
        return ctx
    return multiprocessing.get_context("spawn")


class ProcessExecutor(ProcessPoolExecutor):
    """A pool of worker processes on this machine (default: one per core).

    Workers start at once (not on the first task), ignore Ctrl-C (the parent
    handles it) and are ended when the pool shuts down without waiting.

    Args:
        workers: number of processes (default: every core this process may use).
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = (
            default_workers() if workers is None else check_int("workers", workers, (1, None))
        )
        super().__init__(
            max_workers=self.workers, mp_context=_mp_context(), initializer=_worker_init
        )
        # Start every worker now. With "fork" this process runs no other Python
        # thread (checked above); the native threads of OpenBLAS and Arrow
        # re-initialise in the child through their fork handlers, so Python's
        # warning about forking a multi-threaded process does not apply.
        # gc.freeze(): the objects this process holds now go to a generation the
        # collector skips, so a forked worker's collections never walk (and copy,
        # page by page) the parent's heap; the parent unfreezes after the fork.
        freeze = FREEZE_GC and gc.get_freeze_count() == 0  # not already frozen by a caller
        if freeze:
            gc.freeze()
        try:
            with warnings.catch_warnings():
                warnings.filterwarnings(
                    "ignore",
                    message=r".*use of fork\(\) may lead to deadlocks",
                    category=DeprecationWarning,
                )
                self.submit(_noop).result()
        finally:
            if freeze:
                gc.unfreeze()

    def _workers(self) -> list[multiprocessing.Process]:
        # The pool keeps its processes in a private attribute; it has no public one.
        return list((getattr(self, "_processes", None) or {}).values())

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:  # noqa: D102
        procs = self._workers()
        super().shutdown(wait=wait, cancel_futures=cancel_futures)
        if not wait:
            for proc in procs:
                if proc.is_alive():
                    proc.terminate()

    def terminate(self) -> None:
        """Stop the workers now, then shut the pool down (after an error or Ctrl-C).

        The workers are ended first: a pool asked to shut down while they run
        replaces each worker that exits, racing this process's own exit.
        """
        procs = self._workers()
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.join(timeout=5)
        super().shutdown(wait=True, cancel_futures=True)


# ----------------------------------------------------------------------------- dask
class DaskExecutor(Executor):
    """Runs tasks on a Dask distributed cluster; the futures are ``concurrent.futures`` ones.

    With no ``address`` (and no ``client``) it starts a ``LocalCluster`` of
    ``workers`` single-threaded worker processes on this machine and closes it on
    shutdown; with an ``address`` it connects to that scheduler and leaves the
    cluster running. Dask reruns the tasks of a worker that dies on the others.

    Args:
        address: a scheduler address (``tcp://host:8786``) or scheduler file (``*.json``).
        workers: LocalCluster worker processes (default: one per core).
        client: an existing ``distributed.Client`` to use (left open on shutdown).
        **submit_kwargs: passed to every ``client.submit`` (``retries``, ``resources`` ...).

    Raises:
        UserError: if ``distributed`` is missing or the scheduler cannot be reached.
    """

    def __init__(
        self,
        address: str | None = None,
        workers: int | None = None,
        *,
        client: Any = None,
        **submit_kwargs: Any,
    ) -> None:
        distributed = require("distributed", "dask", "the dask executor")
        self._cluster = None
        self._owns_client = client is None
        if client is None:
            if address:
                kw = check_address(address)
                try:
                    client = distributed.Client(timeout=CONNECT_TIMEOUT, **kw)
                except Exception as exc:
                    why = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                    raise UserError(
                        f"--address {address}: cannot reach the Dask scheduler ({why}): give"
                        " a running scheduler's address as tcp://HOST:PORT (e.g."
                        " tcp://10.0.0.5:8786) or its scheduler file (.json)"
                    ) from None
            else:
                n = int(workers or default_workers())
                self._cluster = distributed.LocalCluster(
                    n_workers=n,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address="127.0.0.1:0",  # ":0" would listen on every interface
                )
                client = distributed.Client(self._cluster)
        self.client = client
        self._executor = client.get_executor(pure=False, **submit_kwargs)

    @property
    def workers(self) -> int:
        """Threads across the cluster's workers now (at least 1)."""
        try:
            try:
                info = self.client.scheduler_info(n_workers=-1)
            except TypeError:  # distributed before 2025: every worker is listed
                info = self.client.scheduler_info()
            return max(1, sum(w.get("nthreads", 1) for w in info["workers"].values()))
        except Exception:
            return 1

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:  # noqa: D102
        return self._executor.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:  # noqa: D102
        self._executor.shutdown(wait=wait and not cancel_futures)
        if self._owns_client:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None


def check_address(address: str) -> dict[str, str]:
    """Return the ``distributed.Client`` keyword of a scheduler address or scheduler file.

    A scheduler file is checked here: ``distributed`` would wait for a missing one
    to appear, for ever.

    Raises:
        UserError: for an empty address, a missing or unreadable scheduler file, or
            one without an address.
    """
    if not isinstance(address, str) or not address.strip():
        given = "empty" if isinstance(address, str) else f"{address!r}, not text"
        raise UserError(f"--address is {given}: give tcp://host:8786 or a scheduler file (.json)")
    if not address.endswith(".json"):
        return {"address": address}
    try:
        with open(address, encoding="utf-8") as fh:
            info = json.loads(fh.read(1_000_000))
    except FileNotFoundError:
        raise UserError(
            f"--address {address}: no such scheduler file: start the scheduler with"
            f" 'dask scheduler --scheduler-file {address}' first"
        ) from None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        why = getattr(exc, "strerror", None) or "not a JSON scheduler file"
        raise UserError(f"--address {address}: cannot read the scheduler file: {why}") from None
    if not isinstance(info, dict) or not isinstance(info.get("address"), str):
        raise UserError(f"--address {address}: the scheduler file names no address")
    return {"scheduler_file": address}


# ----------------------------------------------------------------------------- factory
def make_executor(
    kind: str | Executor = "processes",
    *,
    workers: int | None = None,
    address: str | None = None,
) -> Executor:
    """Return an executor by name (``local``, ``processes``, ``dask``), or ``kind`` itself.

    Args:
        kind: an executor name or an :class:`~concurrent.futures.Executor` (returned as is).
        workers: processes (``processes``) or LocalCluster workers (``dask``);
            default: every core.
        address: Dask scheduler address (``dask`` only).

    Raises:
        UserError: for an unknown name, a bad worker count, or an address without ``dask``.
    """
    if isinstance(kind, Executor):
        return kind
    if kind not in EXECUTORS:
        raise UserError(f"unknown executor {kind!r}: choose one of {', '.join(EXECUTORS)}")
    if workers is not None:
        check_int("workers", workers, (1, None))
    if address and kind != "dask":
        raise UserError(f"--address applies to the dask executor only, not {kind!r}")
    if kind == "local":
        return InProcessExecutor()
    if kind == "processes":
        return ProcessExecutor(workers)
    return DaskExecutor(address, workers)


def worker_count(executor: Executor) -> int:
    """Return how many tasks ``executor`` runs at once (a guess for foreign executors)."""
    n = getattr(executor, "workers", None) or getattr(executor, "_max_workers", None)
    return int(n) if n else default_workers()


# ----------------------------------------------------------------------------- tasks
def run_tasks(
    fn: Callable[[Any], Any],
    tasks: Sequence[Any],
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> list[Any]:
    """Run ``fn(task)`` for every task and return the results in task order.

    With one worker (or one task) everything runs in this process; otherwise in
    a :class:`ProcessExecutor` of ``min(workers, len(tasks))`` processes. The
    results are collected in task order, so they are the same on any number of
    workers. The pool is started and filled with Ctrl-C held back
    (:func:`sigint_held`); on Ctrl-C or any error the workers are stopped at
    once (:meth:`ProcessExecutor.terminate`) and the exception goes on; a
    worker whose parent dies leaves by itself.

    Args:
        fn: a module-level function (it must pickle).
        tasks: its arguments, one per call.
        workers: processes to use.
        progress: called as ``progress(done, total)`` at the start and after
            each finished task.
    """
    workers = check_int("workers", workers, (1, None))
    total = len(tasks)
    results: list[Any] = [None] * total
    if progress:
        progress(0, total)
    if workers <= 1 or total <= 1:
        for i, task in enumerate(tasks):
            results[i] = fn(task)
            if progress:
                progress(i + 1, total)
        return results
    pool: ProcessExecutor | None = None
    _start_resource_tracker()
    try:
        # Start the workers and queue every task with Ctrl-C held back: an interrupt
        # half-way through starting a worker would leave an orphan that cannot start.
        # Processes started here inherit the blocked signal, so a Ctrl-C sent to the
        # whole process group reaches only this one, which stops the workers itself.
        with sigint_held():
            pool = ProcessExecutor(min(workers, total))
            pending = {pool.submit(fn, task): i for i, task in enumerate(tasks)}
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
            pool.terminate()
        raise
    pool.shutdown(wait=True)
    return results


def _start_resource_tracker() -> None:
    """Start multiprocessing's resource tracker now, outside :func:`sigint_held`.

    Starting it unblocks SIGINT in the calling thread, which would undo the hold.
    """
    with contextlib.suppress(AttributeError, ImportError, OSError):  # pragma: no cover - not POSIX
        resource_tracker.ensure_running()


@contextlib.contextmanager
def sigint_held() -> Iterator[None]:
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
