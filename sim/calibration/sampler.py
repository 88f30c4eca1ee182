"""A pyabc sampler whose draws depend on the root seed alone, not on the workers.

pyabc's own samplers draw from numpy's global generator, and the parallel ones
reseed it from the operating system in every worker, so two runs never agree.
:class:`SeededSampler` numbers the candidates of generation ``t`` 0, 1, 2, ...
and, before candidate ``i`` is simulated, seeds numpy's global generator (and
``random``) from ``(root_seed, t, i)`` (:func:`candidate_seed`). The parameter
proposal and the simulation's own seed, both drawn inside ``simulate_one``, are
thus functions of ``(root_seed, t, i)``. Candidates are accepted in index order
up to the ``n``-th acceptance, and exactly the candidates up to it count as
evaluations; any run beyond it is discarded. The sample, the number of
evaluations and so the whole history are the same for any number of processes.

This module imports pyabc: it is loaded by :func:`~sim.calibration.abcsmc.calibrate`
only, after pyabc was found.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import random
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

import numpy as np
from pyabc.population import Particle, Sample
from pyabc.sampler import Sampler

from sim.executors import _worker_init, sigint_held

__all__ = ["SeededSampler", "candidate_seed"]

#: First word of every candidate's spawn key: keeps the ABC draws apart from the
#: other streams spawned from the same root seed (``spawn_seeds`` uses one-word keys).
ABC_STREAM = 0xABC
#: Candidates kept running or queued per worker process, so that no worker waits.
IN_FLIGHT_PER_JOB = 2

#: The ``simulate_one`` of the generation a worker process was forked for.
_worker_simulate_one: Callable[[], Particle] | None = None


def candidate_seed(root_seed: int, t: int, i: int) -> np.ndarray:
    """Return the seed words of candidate ``i`` of generation ``t``.

    Args:
        root_seed: the calibration's root seed (non-negative).
        t: pyabc's generation index; -1 is the prior sample that calibrates epsilon.
        i: the candidate's number within the generation, from 0.

    Returns:
        Four 32-bit words from ``SeedSequence(root_seed, spawn_key=(ABC_STREAM, t + 1, i))``.
    """
    seq = np.random.SeedSequence(int(root_seed), spawn_key=(ABC_STREAM, int(t) + 1, int(i)))
    return seq.generate_state(4)


def _seed_globals(words: np.ndarray) -> None:
    """Seed numpy's global generator and ``random``, which pyabc and the model draw from."""
    np.random.seed(words)  # noqa: NPY002 - pyabc draws from the global generator
    random.seed(int.from_bytes(words.tobytes(), "little"))


def _run_candidate(simulate_one: Callable[[], Particle], words: np.ndarray) -> Particle:
    _seed_globals(words)
    return simulate_one()


def _worker_start(simulate_one: Callable[[], Particle]) -> None:
    """Initialise a worker: Ctrl-C left to the parent, and the generation's ``simulate_one``.

    The workers are forked, so ``simulate_one`` reaches them without being pickled.
    """
    global _worker_simulate_one
    _worker_init()
    _worker_simulate_one = simulate_one


def _run_in_worker(words: np.ndarray) -> Particle:
    assert _worker_simulate_one is not None, "worker started without simulate_one"
    return _run_candidate(_worker_simulate_one, words)


@contextlib.contextmanager
def _globals_kept() -> Iterator[None]:
    """Restore numpy's global generator and ``random`` after the block."""
    np_state, py_state = np.random.get_state(), random.getstate()  # noqa: NPY002
    try:
        yield
    finally:
        np.random.set_state(np_state)  # noqa: NPY002
        random.setstate(py_state)


class SeededSampler(Sampler):
    """Samples candidates seeded by (root seed, generation, candidate), in order.

    With one job every candidate runs in this process, one after another, and
    sampling stops at the ``n``-th acceptance. With more, a pool of forked
    worker processes is started for each generation and kept busy with the next
    candidates in order; results are taken in index order, so the accepted
    particles and the count of evaluations are those of one job. A worker that
    is still running a candidate past the ``n``-th acceptance finishes it, and
    its result is dropped.

    Ctrl-C reaches this process only (the workers ignore it): the workers are
    stopped and the ``KeyboardInterrupt`` goes on.

    Args:
        root_seed: root of every candidate's seed (see :func:`candidate_seed`).
        jobs: worker processes (1: in this process).
    """

    def __init__(self, root_seed: int, jobs: int = 1) -> None:
        super().__init__()
        self.root_seed = int(root_seed)
        self.jobs = max(1, int(jobs))

    def sample_until_n_accepted(
        self,
        n: int,
        simulate_one: Callable[[], Particle],
        t: int,
        *,
        max_eval: float = np.inf,
        all_accepted: bool = False,
        ana_vars: Any = None,
    ) -> Sample:
        """Evaluate candidates 0, 1, 2, ... of generation ``t`` until ``n`` are accepted.

        Args:
            n: particles to accept (the population size).
            simulate_one: pyabc's function drawing, simulating and judging one candidate.
            t: the generation (-1: the prior sample calibrating epsilon).
            max_eval: most candidates to evaluate; if they run out before ``n``
                acceptances the sample is marked not ``ok``.
            all_accepted: every candidate is accepted (the prior sample calibrating
                epsilon): no more than ``n`` are started.
            ana_vars: pyabc's analysis variables, for look-ahead samplers; not used
                (this sampler never looks ahead).

        Returns:
            The sample: the accepted particles (and the rejected ones if pyabc asks
            for them) in candidate order; ``nr_evaluations_`` is set to the
            candidates up to and including the ``n``-th acceptance.
        """
        del ana_vars  # no look-ahead: every candidate is drawn from this generation
        limit = min(float(max_eval), float(n)) if all_accepted else float(max_eval)
        sample = self._create_empty_sample()
        if self.jobs == 1:
            with _globals_kept():
                evaluated = _fill(sample, n, limit, self._in_process(simulate_one, t))
        else:
            pool = _start_pool(self.jobs, simulate_one)
            try:
                feed = _OrderedFeed(pool, self.root_seed, t, limit, self.jobs * IN_FLIGHT_PER_JOB)
                evaluated = _fill(sample, n, limit, feed.result)
            except BaseException:
                _stop_pool(pool)  # Ctrl-C or an error: no waiting for running candidates
                raise
            # The candidates not started are cancelled and those running are waited
            # for: a worker ended mid-simulation could leave the progress counter's
            # lock held.
            pool.shutdown(wait=True, cancel_futures=True)
        self.nr_evaluations_ = evaluated
        if sample.n_accepted < n:
            sample.ok = False
        return sample

    def _in_process(
        self, simulate_one: Callable[[], Particle], t: int
    ) -> Callable[[int], Particle]:
        def evaluate(i: int) -> Particle:
            return _run_candidate(simulate_one, candidate_seed(self.root_seed, t, i))

        return evaluate


def _fill(sample: Sample, n: int, limit: float, evaluate: Callable[[int], Particle]) -> int:
    """Append candidates 0, 1, ... until ``n`` are accepted or ``limit`` are evaluated.

    Returns:
        The number of candidates appended.
    """
    i = 0
    while sample.n_accepted < n and i < limit:
        sample.append(evaluate(i))
        i += 1
    return i


class _OrderedFeed:
    """Candidates of one generation run in a pool ahead of need, handed out in index order.

    Args:
        pool: the generation's worker processes.
        root_seed: root of the candidates' seeds.
        t: the generation.
        limit: most candidates ever started.
        ahead: candidates kept started (running or queued) beyond the one asked for.
    """

    def __init__(
        self, pool: ProcessPoolExecutor, root_seed: int, t: int, limit: float, ahead: int
    ) -> None:
        self.pool = pool
        self.root_seed = root_seed
        self.t = t
        self.limit = limit
        self.ahead = ahead
        self.futures: dict[int, Future] = {}
        self.submitted = 0

    def result(self, i: int) -> Particle:
        """Return candidate ``i`` evaluated, once the next ones are started too."""
        while self.submitted < self.limit and self.submitted <= i + self.ahead:
            words = candidate_seed(self.root_seed, self.t, self.submitted)
            self.futures[self.submitted] = self.pool.submit(_run_in_worker, words)
            self.submitted += 1
        return self.futures.pop(i).result()


def _start_pool(jobs: int, simulate_one: Callable[[], Particle]) -> ProcessPoolExecutor:
    """Fork ``jobs`` workers now, with Ctrl-C held back while they start."""
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_start,
        initargs=(simulate_one,),
    )
    # With "fork" the pool starts every worker on the first submission; started
    # with Ctrl-C blocked, they never see one meant for this process. A Ctrl-C
    # held back meanwhile is raised on leaving sigint_held().
    try:
        with sigint_held(), warnings.catch_warnings():
            warnings.filterwarnings(
                "ignore",
                message=r".*use of fork\(\) may lead to deadlocks",
                category=DeprecationWarning,
            )
            pool.submit(int).result()
    except BaseException:
        _stop_pool(pool)
        raise
    return pool


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """End the workers at once, then shut the pool down."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for proc in procs:
        proc.terminate()
    for proc in procs:
        proc.join(timeout=5)
    pool.shutdown(wait=True, cancel_futures=True)
