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

import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from typing import Any

from sim.errors import UserError

__all__ = [
    "EXECUTORS",
    "DaskExecutor",
    "InProcessExecutor",
    "ProcessExecutor",
    "check_address",
    "default_workers",
    "make_executor",
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
        ctx.set_forkserver_preload(["sim.model", "sim.sweeps.engine", "sim.sweeps.runs"])
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
        self.workers = int(workers or default_workers())
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

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:  # noqa: D102
        procs = list((getattr(self, "_processes", None) or {}).values())
        super().shutdown(wait=wait, cancel_futures=cancel_futures)
        if not wait:
            for proc in procs:
                if proc.is_alive():
                    proc.terminate()


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
        try:
            import distributed
        except ImportError:
            raise UserError(
                "the dask executor needs dask.distributed: pip install 'workplace-sim[dask]'"
            ) from None
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
                        f"--address {address}: cannot reach the Dask scheduler: {why}"
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
    import json

    if not address.strip():
        raise UserError("--address is empty: give tcp://host:8786 or a scheduler file (.json)")
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
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        raise UserError(f"workers={workers!r} must be a whole number of 1 or more")
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
