"""Atomic file writers: a file is either written whole or not at all.

Every writer puts its bytes into a hidden temporary file in the target's own
directory, flushes and syncs it, then moves it over the target with
:func:`os.replace` (atomic on POSIX and Windows). If anything goes wrong on the
way, an exception or a ``KeyboardInterrupt`` (Ctrl-C), the temporary file is
removed and the target keeps its old content, or stays absent. A reader never
sees half a file.

Example:
    >>> import pandas as pd, tempfile, pathlib
    >>> from sim import io
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> io.write_text(d / "hello.txt", "hi").read_text()
    'hi'
    >>> io.write_csv(d / "t.csv", pd.DataFrame({"a": [1, 2]})).read_text().split()
    ['a', '1', '2']

The public API: :func:`atomic_write` (a context manager yielding a binary file),
:func:`write_bytes`, :func:`write_text`, :func:`write_json`, :func:`write_csv`,
:func:`write_parquet` and :func:`write_figure`
(plus :func:`figure_bytes`, a figure rendered in memory); for result folders as
units, :func:`prepare_out` (checked before a run) and :func:`output_folder`
(the files of one run and the ``manifest.json`` listing them, written last;
removed again if any write fails).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import importlib.util
import io as _io
import json
import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sim import __version__
from sim.errors import UserError

__all__ = [
    "MANIFEST",
    "TEMP_PREFIX",
    "atomic_write",
    "figure_bytes",
    "output_folder",
    "parquet_available",
    "parquet_or_note",
    "prepare_out",
    "read_json",
    "read_manifest",
    "writable_folder",
    "write_bytes",
    "write_csv",
    "write_figure",
    "write_json",
    "write_parquet",
    "write_text",
]

#: Temporary files start with this prefix (and are hidden on POSIX).
TEMP_PREFIX = ".tmp-"


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[IO[bytes]]:
    """Open a temporary binary file that replaces ``path`` when the block ends without error.

    The parent directory is created if needed. On any exception, including
    ``KeyboardInterrupt``, the temporary file is deleted and ``path`` is left as it was.

    Args:
        path: the file to write.

    Yields:
        A binary file object to write into.

    Raises:
        UserError: if the directory cannot be created or written to.
    """
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot write {target}: {_why(exc)}") from None
    tmp = target.parent / f"{TEMP_PREFIX}{target.name}.{os.getpid()}.{secrets.token_hex(4)}"
    # Everything from the temporary file's creation on is inside the try, so an
    # interrupt at any point (even right after the file is created) removes it.
    # An OSError anywhere (open, a write in the block, flush, sync, close, the
    # final replace: a full disk, a folder where the file should go) becomes a
    # UserError naming the file, and the target keeps its old content.
    try:
        try:
            fh = open(tmp, "xb")  # noqa: SIM115 - closed below; mode 0666 less umask
        except OSError as exc:
            raise UserError(f"cannot write {target}: {_why(exc)}") from None
        try:
            with fh:
                try:
                    yield fh
                except OSError as exc:
                    raise UserError(f"cannot write {target}: {_why(exc)}") from None
                fh.flush()
                os.fsync(fh.fileno())
            if target.is_dir():
                raise UserError(f"cannot write {target}: a folder of that name is in the way")
            os.replace(tmp, target)
        except OSError as exc:
            raise UserError(f"cannot write {target}: {_why(exc)}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _why(exc: OSError) -> str:
    """Return an OSError's reason in words (``No space left on device`` ...)."""
    return exc.strerror or str(exc) or type(exc).__name__


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path."""
    with atomic_write(path) as fh:
        fh.write(data)
    return Path(path)


def write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``path`` atomically and return the path."""
    return write_bytes(path, text.encode(encoding))


def write_json(path: str | os.PathLike[str], obj: Any, *, indent: int | None = 2) -> Path:
    """Write ``obj`` as JSON (NaN is not allowed: pass ``None``) atomically and return the path."""
    return write_text(path, json.dumps(obj, indent=indent, allow_nan=False) + "\n")


def write_csv(path: str | os.PathLike[str], df: Any, *, index: bool = False, **kwargs: Any) -> Path:
    """Write a pandas DataFrame as CSV atomically and return the path.

    Args:
        path: the file to write.
        df: the DataFrame.
        index: whether to write the index as a column.
        **kwargs: passed on to :meth:`pandas.DataFrame.to_csv`.
    """
    text = df.to_csv(index=index, lineterminator="\n", **kwargs)
    return write_text(path, text)


def parquet_available() -> bool:
    """Return whether a Parquet engine (pyarrow) is installed."""
    return importlib.util.find_spec("pyarrow") is not None


def parquet_or_note() -> bool:
    """Return whether Parquet can be written; if not, say so on stderr in one line.

    For outputs whose CSV copy stands in: the tables are still written as CSV,
    and the note names the install that adds the Parquet files.
    """
    if parquet_available():
        return True
    print(
        "note: Parquet files skipped (CSV written): pip install 'workplace-sim[results]'",
        file=sys.stderr,
    )
    return False


def write_parquet(path: str | os.PathLike[str], df: Any, *, index: bool = False) -> Path:
    """Write a pandas DataFrame as Parquet atomically and return the path.

    Raises:
        UserError: if no Parquet engine is installed (``pip install 'workplace-sim[results]'``).
    """
    if not parquet_available():
        raise UserError(
            f"cannot write {path}: Parquet needs pyarrow; pip install 'workplace-sim[results]'"
        )
    buf = _io.BytesIO()
    df.to_parquet(buf, index=index, engine="pyarrow")
    return write_bytes(path, buf.getvalue())


def write_figure(path: str | os.PathLike[str], fig: Any, **kwargs: Any) -> Path:
    """Save a matplotlib figure atomically; the format follows the file's suffix.

    Metadata that changes from run to run (creation date) is left out, so the
    same figure gives the same bytes.

    Args:
        path: the file to write, ending in ``.png``, ``.svg``, ``.pdf`` ...
        fig: a :class:`matplotlib.figure.Figure`.
        **kwargs: passed on to :meth:`~matplotlib.figure.Figure.savefig`.
    """
    fmt = Path(path).suffix.lstrip(".").lower() or "png"
    return write_bytes(path, figure_bytes(fig, fmt, **kwargs))


def figure_bytes(fig: Any, fmt: str = "png", **kwargs: Any) -> bytes:
    """Return a matplotlib figure rendered as ``fmt`` (png, svg, ...), without a date stamp."""
    metadata = {"svg": {"Date": None}, "pdf": {"CreationDate": None}}.get(fmt, {})
    kwargs.setdefault("dpi", 110)
    kwargs.setdefault("bbox_inches", "tight")
    buf = _io.BytesIO()
    # Imported here: matplotlib takes about 0.3 s to import, and every command writes files
    # through this module; only those that draw pay for it (and have imported it already).
    import matplotlib

    # A fixed salt makes SVG element ids, and so the bytes, the same from run to run.
    with matplotlib.rc_context({"svg.hashsalt": "workplace-sim"}):
        fig.savefig(buf, format=fmt, metadata=metadata or None, **kwargs)
    return buf.getvalue()


# ----------------------------------------------------------------------------- result folders
#: The manifest every result folder of ``run`` and ``compare`` gets, written last.
MANIFEST = "manifest.json"
#: Manifests of other kinds of result folder (a sweep's), which ``--force`` never replaces.
_OTHER_MANIFESTS = ("sweep.json",)


def read_json(path: str | os.PathLike[str]) -> Any:
    """Return the JSON document in ``path``, ``None`` if it is missing or unreadable.

    Stored runs keep their settings in a JSON file; a damaged one reads as ``None``,
    which never equals the settings of a run, so the caller treats it as other settings.
    """
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_manifest(folder: str | os.PathLike[str]) -> dict[str, Any] | None:
    """Return the manifest of a result folder, ``None`` if it has none.

    An unreadable manifest is returned as ``{}`` (a folder of some earlier run).
    """
    path = Path(folder) / MANIFEST
    if not path.is_file():
        return None
    data = read_json(path)
    return data if isinstance(data, dict) else {}


def prepare_out(out: str | os.PathLike[str], *, force: bool = False, flag: str = "--out") -> Path:
    """Check, before anything runs, that results can go into the folder ``out``.

    A result folder is a unit: it holds one run's files and the manifest listing
    them. A folder that holds another run (its manifest) or any other files is
    refused unless ``force``; with ``force`` the earlier run's files are removed
    when the new ones are written (:func:`output_folder`), never before.

    Args:
        out: the folder (created if missing).
        force: allow a folder holding another run or other files.
        flag: the option's name, for messages.

    Returns:
        The folder.

    Raises:
        UserError: for an empty path, a file in the way, a sweep's folder, a folder
            holding another run or other files (without ``force``), or a folder that
            cannot be created or written.
    """
    text = os.fspath(out)
    if not text.strip():
        raise UserError(f"{flag} is empty: name a folder, e.g. {flag} results")
    root = Path(text)
    if root.exists() and not root.is_dir():
        raise UserError(f"{flag} {root}: exists and is not a folder")
    if root.is_dir():
        other = next((m for m in _OTHER_MANIFESTS if (root / m).exists()), None)
        if other:
            raise UserError(
                f"{flag} {root}: the folder holds a sweep ({other}): choose another folder"
            )
        manifest = read_manifest(root)
        try:
            entries = [p.name for p in root.iterdir() if not p.name.startswith(TEMP_PREFIX)]
        except OSError as exc:
            raise UserError(f"{flag} {root}: cannot read the folder: {_why(exc)}") from None
        if manifest is not None and not force:
            made = manifest.get("command") or "an earlier run"
            when = f" on {manifest['created']}" if manifest.get("created") else ""
            raise UserError(
                f"{flag} {root}: the folder holds another run ({made}{when}): add --force"
                " to replace it, or choose a new folder"
            )
        if manifest is None and entries and not force:
            raise UserError(
                f"{flag} {root}: the folder is not empty and holds no run ({MANIFEST} missing):"
                " choose a new or empty folder, or add --force to write beside those files"
            )
    return writable_folder(root, flag)


def writable_folder(root: Path, flag: str = "--out") -> Path:
    """Create the folder ``root`` if missing and check that this process can write into it.

    Raises:
        UserError: ``--out DIR: cannot create the folder: ...`` or ``... is not writable``.
    """
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"{flag} {root}: cannot create the folder: {_why(exc)}") from None
    if not os.access(root, os.W_OK | os.X_OK):
        raise UserError(f"{flag} {root}: the folder is not writable")
    return root


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Return every file under ``root`` (relative path) with its inode and mtime."""
    out: dict[str, tuple[int, int]] = {}
    for dirpath, _, files in os.walk(root):
        for name in files:
            p = Path(dirpath) / name
            with contextlib.suppress(OSError):
                st = p.stat()
                out[p.relative_to(root).as_posix()] = (st.st_ino, st.st_mtime_ns)
    return out


def _dirs(root: Path) -> set[str]:
    return {Path(d).relative_to(root).as_posix() for d, _, _ in os.walk(root) if Path(d) != root}


def _remove_empty_dirs(root: Path, dirs: set[str]) -> None:
    """Remove those of ``dirs`` (relative to ``root``) that are empty, deepest first."""
    for rel in sorted(dirs, key=len, reverse=True):
        with contextlib.suppress(OSError):
            os.rmdir(root / rel)  # only succeeds when empty


@contextlib.contextmanager
def output_folder(
    out: str | os.PathLike[str],
    *,
    kind: str,
    command: str = "",
    force: bool = False,
    flag: str = "--out",
) -> Iterator[Path]:
    """Write one run's files into ``out`` as a unit; its manifest is written last.

    On entry the folder is checked again (:func:`prepare_out`); with ``force`` the
    files the earlier run's manifest lists are removed (its manifest first). If
    the block raises (a full disk, a folder in the way, Ctrl-C), every file it
    wrote is removed again and no manifest is written: nothing partial is left.
    On success ``manifest.json`` lists every file written, with the command,
    the time and the version.

    Args:
        out: the folder.
        kind: what the folder holds (``run``, ``compare``).
        command: the command line that made it.
        force: replace an earlier run in the folder.
        flag: the option's name, for messages.

    Yields:
        The folder.
    """
    root = prepare_out(out, force=force, flag=flag)
    old = read_manifest(root)
    if old is not None and force:
        listed = old.get("files") if isinstance(old.get("files"), list) else []
        with contextlib.suppress(OSError):
            (root / MANIFEST).unlink()
        parents: set[str] = set()
        for rel in listed:
            p = (root / str(rel)).resolve()
            if p.is_file() and root.resolve() in p.parents:  # never outside the folder
                with contextlib.suppress(OSError):
                    p.unlink()
                parents.update(q.as_posix() for q in Path(str(rel)).parents if str(q) != ".")
        _remove_empty_dirs(root, parents)
    before, dirs_before = _snapshot(root), _dirs(root)
    try:
        yield root
        after = _snapshot(root)
        files = sorted(k for k, v in after.items() if before.get(k) != v and k != MANIFEST)
        write_json(
            root / MANIFEST,
            {
                "format": 1,
                "kind": kind,
                "command": command,
                "created": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
                "sim_version": __version__,
                "files": files,
            },
        )
    except BaseException:
        after = _snapshot(root)
        for rel, sig in after.items():
            if before.get(rel) != sig:
                with contextlib.suppress(OSError):
                    (root / rel).unlink()
        _remove_empty_dirs(root, _dirs(root) - dirs_before)
        raise
