"""Where a sweep's results go: a folder of Parquet files that a re-run resumes from.

Layout of a sweep's output folder::

    OUT/
      sweep.json            manifest: the spec, its fingerprint, when it was made
      runs.parquet          the run table: every planned run with its parameters, seed,
                            status (ok, error, pending) and error; rewritten at the end
                            of every invocation
      results/part-*.parquet  one file per finished batch: one row per run with
                            run_id, point, replicate, seed, the varied parameters,
                            status, error and every kept output
      series/part-*.parquet   weekly series of the same batch (only if the spec keeps any)

Every file is written atomically (:mod:`sim.io`): a file is there whole or not at
all. A batch's series file is written before its results file, and a batch
counts as finished once its results file exists, so a sweep killed at any
moment loses at most the batches it had in flight. Opening the folder again
removes what a killed sweep left half-done (temporary files, a series file
whose results file never came), so a re-run skips every finished run and
duplicates none.

``results/`` and ``series/`` are ordinary Parquet datasets:
``pandas.read_parquet("OUT/results")`` or ``pyarrow.dataset.dataset("OUT/results")``
read them; :func:`load_results` and :func:`load_series` also sort them by run.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import json
import os
import reprlib
import shlex
from pathlib import Path
from typing import Any

import pandas as pd

try:
    import fcntl  # POSIX only: the lock that keeps two sweeps out of one folder
except ImportError:  # pragma: no cover - Windows
    fcntl = None

from sim import __version__, io
from sim.errors import UserError
from sim.extras import require
from sim.provenance import code_fingerprint
from sim.sweeps.spec import SweepSpec

__all__ = [
    "MANIFEST",
    "DirStore",
    "MemoryStore",
    "load_results",
    "load_run_table",
    "load_series",
    "open_store",
    "read_manifest",
]

MANIFEST = "sweep.json"
RUN_TABLE = "runs.parquet"
RESULTS = "results"
SERIES = "series"
LOCK = ".lock"
FORMAT = 1

#: Statuses in the run table.
OK, ERROR, PENDING = "ok", "error", "pending"


def part_name(run_ids: list[int]) -> str:
    """Return the file name of a batch: ``part-FIRST-LAST-COUNT.parquet`` (run ids)."""
    return f"part-{min(run_ids):08d}-{max(run_ids):08d}-{len(run_ids):05d}.parquet"


def _pyarrow(module: str = "") -> Any:
    """Pyarrow (or one of its modules), or the message saying how to install it."""
    name = f"pyarrow.{module}" if module else "pyarrow"
    return require(name, "results", "a sweep's output folder (Parquet)")


def _parts(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("part-*.parquet") if p.is_file())


def _read_parts(parts: list[Path], columns: list[str] | None = None) -> pd.DataFrame | None:
    if not parts:
        return None
    pa, pq = _pyarrow(), _pyarrow("parquet")
    tables = []
    for p in parts:
        try:
            tables.append(pq.read_table(p, columns=columns))
        except Exception as exc:
            raise _corrupt(p, exc) from None
    return pa.concat_tables(tables, promote_options="default").to_pandas()


def _corrupt(path: Path, exc: BaseException) -> UserError:
    """Return the error for an unreadable part: its name, and the command that discards it."""
    reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
    series = path.parent.parent / SERIES / path.name
    extra = f" {_quote(series)}" if path.parent.name == RESULTS and series.exists() else ""
    if path.parent.name == RESULTS:
        what = "its runs run again when you resume"
    elif path.name == RUN_TABLE:
        what = "it is rebuilt from the results"
    else:
        what = "its batch runs again if you also remove its results part"
    return UserError(
        f"{path}: the file is damaged ({reason}); discard it with: rm {_quote(path)}{extra}"
        f"  ({what})"
    )


def _quote(path: Path) -> str:
    return shlex.quote(str(path))


def _why(exc: OSError) -> str:
    """Return an OSError's reason in words (``Permission denied`` ...)."""
    return exc.strerror or str(exc) or type(exc).__name__


# ----------------------------------------------------------------------------- stores
class MemoryStore:
    """Keeps a sweep's results in memory (the Python API without ``out``): nothing to resume."""

    path: Path | None = None

    def __init__(self) -> None:
        self._results: list[pd.DataFrame] = []
        self._series: list[pd.DataFrame] = []

    ready = False

    def check(self, spec: SweepSpec, *, write: bool = True) -> None:
        """Check that the store can take ``spec`` (nothing to check in memory)."""

    def prepare(self, spec: SweepSpec, design: pd.DataFrame) -> None:
        """Get ready to take batches."""
        self.ready = True

    def done_ids(self) -> set[int]:
        """Return the ids of finished runs."""
        return {int(i) for df in self._results for i in df["run_id"]}

    def write_batch(self, results: pd.DataFrame, series: pd.DataFrame | None) -> None:
        """Keep one finished batch."""
        if series is not None and len(series):
            self._series.append(series)
        self._results.append(results)

    def results(self) -> pd.DataFrame | None:
        """Return every finished run, ordered by run id (``None`` if there is none)."""
        if not self._results:
            return None
        return _sorted(pd.concat(self._results, ignore_index=True))

    def series(self) -> pd.DataFrame | None:
        """Return the kept weekly series, ordered by run and week."""
        if not self._series:
            return None
        return _sorted(pd.concat(self._series, ignore_index=True), ["run_id", "week"])

    def drop_errors(self) -> int:
        """Forget runs that raised, so they run again; return how many."""
        n = 0
        for i, df in enumerate(self._results):
            bad = df["status"] == ERROR
            n += int(bad.sum())
            self._results[i] = df[~bad]
        return n

    def finish(self, design: pd.DataFrame) -> pd.DataFrame:
        """Return the run table."""
        return run_table(design, self.results())

    def close(self) -> None:
        """Release nothing."""


class DirStore(MemoryStore):
    """A sweep's output folder (see the module docs)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        """Take the folder's path (nothing is read or written yet).

        Raises:
            UserError: for a path of another type than ``str`` or ``os.PathLike``, or an
                empty one.
        """
        super().__init__()
        self.path = _folder_path("out", path)
        self._lock_fd: int | None = None

    # ------------------------------------------------------------------ opening
    def check(self, spec: SweepSpec, *, write: bool = True) -> None:
        """Create and lock the folder, or check that it holds the same sweep and lock it.

        Reads only the manifest (JSON), so it is quick and starts no thread.

        Args:
            spec: the sweep to be written into the folder, or read from it.
            write: whether the folder will be written; ``False`` (a rerun, which only
                reads) also accepts a folder this process cannot write.

        Raises:
            UserError: if the folder holds another sweep, something else, is in use,
                or cannot be created, written or locked.
        """
        if not io.parquet_available():
            raise UserError(
                "sweep results are Parquet files, which need pyarrow:"
                " pip install 'workplace-sim[results]'"
            )
        root = self.path
        if root.exists() and not root.is_dir():
            raise UserError(f"--out {root}: is a file, not a folder")
        manifest = root / MANIFEST
        if root.is_dir() and not manifest.is_file():
            try:
                others = [p.name for p in root.iterdir() if p.name != LOCK]
            except OSError as exc:
                raise UserError(f"--out {root}: cannot read the folder: {_why(exc)}") from None
            if others:
                raise UserError(
                    f"--out {root}: the folder is not empty and holds no sweep ({MANIFEST}"
                    " missing): choose a new or empty folder"
                )
        if write:
            io.writable_folder(root)
        self._lock(write=write)
        if manifest.is_file():
            try:
                self._check_spec(spec)
                self._check_parts()
            except BaseException:
                self.close()
                raise

    def _check_parts(self) -> None:
        """Read every part's footer (quick); name a damaged file and the command that drops it."""
        pq = _pyarrow("parquet")
        results = _parts(self.path / RESULTS)
        finished = {p.name for p in results}
        # a series part without its results part is an orphan, removed when the sweep starts
        files = [*results, *(p for p in _parts(self.path / SERIES) if p.name in finished)]
        table = self.path / RUN_TABLE
        if table.is_file():
            files.append(table)
        for p in files:
            try:
                pq.read_metadata(p)
            except Exception as exc:
                raise _corrupt(p, exc) from None

    def prepare(self, spec: SweepSpec, design: pd.DataFrame) -> None:
        """Write the manifest and run table of a new sweep, or check the stored design.

        Then remove what a killed sweep left half-done.

        Raises:
            UserError: if the stored design differs from ``design``.
        """
        root = self.path
        manifest = root / MANIFEST
        if manifest.is_file():
            self._check_design(design)
        else:
            io.write_parquet(root / RUN_TABLE, run_table(design, None))
            io.write_json(
                manifest,
                {
                    "format": FORMAT,
                    "name": spec.name,
                    "fingerprint": spec.fingerprint(),
                    "runs": len(design),
                    "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
                    "sim_version": __version__,
                    "code": code_fingerprint(),
                    "spec": spec.to_dict(),
                },
            )
        self._clean()
        self.ready = True

    def _lock(self, *, write: bool = True) -> None:
        """Take the folder's lock, so that no other sweep writes into it meanwhile.

        Args:
            write: create the lock file if it is missing; a reader (``False``) takes
                the lock only if the file is there and opens (a sweep creates it).

        Raises:
            UserError: if another sweep holds the lock, or the lock file cannot be
                created, opened or locked.
        """
        if fcntl is None:  # pragma: no cover - Windows: no lock
            return
        flags = os.O_RDWR | os.O_CREAT if write else os.O_RDONLY
        try:
            fd = os.open(self.path / LOCK, flags, 0o644)
        except OSError as exc:
            if not write:
                return  # no sweep has written here, or the folder is not this user's to write
            raise UserError(
                f"--out {self.path}: cannot open its lock file {LOCK}:"
                f" {_why(exc)}: choose a folder you can write to"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise UserError(
                    f"--out {self.path}: another sweep is writing to this folder right now;"
                    " wait for it or choose another folder"
                ) from None
            raise UserError(
                f"--out {self.path}: cannot lock the folder ({LOCK}): {_why(exc)}:"
                " choose a folder on a disk that supports file locks"
            ) from None
        self._lock_fd = fd

    def close(self) -> None:
        """Release the folder's lock."""
        if self._lock_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._lock_fd)
            self._lock_fd = None

    def _check_spec(self, spec: SweepSpec) -> None:
        root = self.path
        old = io.read_json(root / MANIFEST)  # None when missing or unreadable
        try:
            old_fp, old_spec = old["fingerprint"], old["spec"]
        except (KeyError, TypeError):
            raise UserError(
                f"--out {root}: {MANIFEST} is unreadable: choose a new folder"
            ) from None
        if old_fp != spec.fingerprint():
            new = spec.to_dict()
            keys = [k for k in spec.identity() if old_spec.get(k) != new.get(k)]
            what = ", ".join(keys) if keys else "its content"
            raise UserError(
                f"--out {root} holds a different sweep ('{old.get('name')}', which differs in"
                f" {what}): give this spec its own --out folder, or delete that one to start over"
            )
        made = (old.get("sim_version"), old.get("code"))
        now = (__version__, code_fingerprint())
        if made != now:
            was = f"workplace-sim {made[0] or 'unknown'}, code {made[1] or 'not recorded'}"
            raise UserError(
                f"--out {root} holds results made by other code ({was}; now {now[0]},"
                f" code {now[1]}): resuming would mix their numbers with new ones; give this"
                " sweep a new --out folder, or delete that one to start over"
            )

    def _check_design(self, design: pd.DataFrame) -> None:
        root = self.path
        table = root / RUN_TABLE
        if table.is_file():
            try:
                planned = pd.read_parquet(table)[list(design.columns)]
            except Exception as exc:
                raise _corrupt(table, exc) from None
            if not planned.reset_index(drop=True).equals(design.reset_index(drop=True)):
                raise UserError(
                    f"--out {root}: the design made now differs from the stored one (another"
                    " SALib or scipy version?): give this sweep a new --out folder"
                )

    def _clean(self) -> None:
        """Remove what a killed sweep left: temporary files and orphaned series parts."""
        for sub in (RESULTS, SERIES, "."):
            folder = self.path / sub
            if folder.is_dir():
                for tmp in folder.glob(f"{io.TEMP_PREFIX}*"):
                    with contextlib.suppress(OSError):
                        tmp.unlink()
        finished = {p.name for p in _parts(self.path / RESULTS)}
        for p in _parts(self.path / SERIES):
            if p.name not in finished:
                with contextlib.suppress(OSError):
                    p.unlink()

    # ------------------------------------------------------------------ reading
    def done_ids(self) -> set[int]:
        """Return the ids of finished runs (status ok or error)."""
        df = _read_parts(_parts(self.path / RESULTS), ["run_id"])
        return set() if df is None else {int(i) for i in df["run_id"]}

    def results(self) -> pd.DataFrame | None:
        """Return every finished run, ordered by run id (``None`` if there is none)."""
        return load_results(self.path, missing_ok=True)

    def series(self) -> pd.DataFrame | None:
        """Return the kept weekly series, ordered by run and week."""
        return load_series(self.path, missing_ok=True)

    # ------------------------------------------------------------------ writing
    def write_batch(self, results: pd.DataFrame, series: pd.DataFrame | None) -> None:
        """Write one finished batch: its series first, then its results (the commit)."""
        name = part_name([int(i) for i in results["run_id"]])
        if series is not None and len(series):
            io.write_parquet(self.path / SERIES / name, series)
        io.write_parquet(self.path / RESULTS / name, results)

    def drop_errors(self) -> int:
        """Rewrite every part holding runs that raised without them; return how many."""
        n = 0
        for p in _parts(self.path / RESULTS):
            try:
                df = pd.read_parquet(p)
            except Exception as exc:
                raise _corrupt(p, exc) from None
            bad = df["status"] == ERROR
            if not bad.any():
                continue
            n += int(bad.sum())
            keep = df[~bad]
            if len(keep):
                io.write_parquet(p, keep.reset_index(drop=True))
            else:
                p.unlink()
        return n

    def finish(self, design: pd.DataFrame) -> pd.DataFrame:
        """Write the run table (every planned run with its status) and return it."""
        table = run_table(design, self.results())
        io.write_parquet(self.path / RUN_TABLE, table)
        return table


def open_store(out: str | os.PathLike[str] | None) -> MemoryStore:
    """Return a :class:`DirStore` for ``out``, or a :class:`MemoryStore` if it is ``None``.

    Raises:
        UserError: for an ``out`` of another type than ``str``, ``os.PathLike`` or
            ``None``, or an empty one.
    """
    return MemoryStore() if out is None else DirStore(out)


def _folder_path(name: str, value: Any) -> Path:
    """Return a folder argument as a Path, if it is a non-empty ``str`` or ``os.PathLike``.

    Args:
        name: the argument's name, for the message (``out``).
        value: what was given.

    Raises:
        UserError: ``out=123 has the wrong type: ...`` or ``out is empty: name a folder``.
    """
    if not isinstance(value, str | os.PathLike):
        raise UserError(
            f"{name}={reprlib.repr(value)} has the wrong type: expected a folder's path"
            " (a str or os.PathLike)"
        )
    text = os.fspath(value)
    if not isinstance(text, str):
        raise UserError(f"{name}={value!r} has the wrong type: expected a path as text, not bytes")
    if not text.strip():
        raise UserError(f"{name} is empty: name a folder, e.g. {name}='results'")
    return Path(text)


# ----------------------------------------------------------------------------- tables
def _sorted(df: pd.DataFrame, by: list[str] | None = None) -> pd.DataFrame:
    return df.sort_values(by or ["run_id"], kind="stable").reset_index(drop=True)


def run_table(design: pd.DataFrame, results: pd.DataFrame | None) -> pd.DataFrame:
    """Return every planned run with its ``status`` (ok, error, pending) and ``error``."""
    table = design.copy()
    table["status"] = PENDING
    table["error"] = ""
    if results is not None and len(results):
        res = results.set_index("run_id")
        hit = table["run_id"].isin(res.index)
        ids = table.loc[hit, "run_id"]
        table.loc[hit, "status"] = res.loc[ids, "status"].to_numpy()
        table.loc[hit, "error"] = res.loc[ids, "error"].to_numpy()
    return table


def _check_folder(out: str | os.PathLike[str]) -> Path:
    root = _folder_path("out", out)
    if not (root / MANIFEST).is_file():
        raise UserError(f"{root}: no sweep here ({MANIFEST} missing)")
    return root


def load_results(out: str | os.PathLike[str], *, missing_ok: bool = False) -> pd.DataFrame | None:
    """Read a sweep folder's finished runs, one row per run ordered by ``run_id``.

    Args:
        out: the sweep's output folder.
        missing_ok: return ``None`` instead of raising when no run has finished.

    Raises:
        UserError: for an ``out`` that is not a folder's path, a folder that holds no
            sweep, or no finished run (unless ``missing_ok``).
    """
    root = _check_folder(out)
    df = _read_parts(_parts(root / RESULTS))
    if df is None:
        if missing_ok:
            return None
        raise UserError(f"{root}: no run has finished yet")
    return _sorted(df)


def load_series(out: str | os.PathLike[str], *, missing_ok: bool = False) -> pd.DataFrame | None:
    """Read a sweep folder's weekly series (columns ``run_id``, ``week``, series...).

    Only batches whose results are written count; rows are ordered by run and week.

    Raises:
        UserError: if the folder holds no sweep or no series (unless ``missing_ok``).
    """
    root = _check_folder(out)
    finished = {p.name for p in _parts(root / RESULTS)}
    parts = [p for p in _parts(root / SERIES) if p.name in finished]
    df = _read_parts(parts)
    if df is None:
        if missing_ok:
            return None
        raise UserError(f"{root}: no weekly series kept (set [outputs] series in the spec)")
    return _sorted(df, ["run_id", "week"])


def load_run_table(out: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a sweep folder's run table, statuses brought up to date from its results."""
    root = _check_folder(out)
    design = pd.read_parquet(root / RUN_TABLE).drop(columns=["status", "error"])
    return run_table(design, load_results(root, missing_ok=True))


def read_manifest(out: str | os.PathLike[str]) -> dict[str, Any]:
    """Return a sweep folder's manifest."""
    root = _check_folder(out)
    return json.loads((root / MANIFEST).read_text())
