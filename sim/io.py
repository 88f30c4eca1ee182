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
(plus :func:`figure_bytes`, a figure rendered in memory).
"""

from __future__ import annotations

import contextlib
import io as _io
import json
import os
import secrets
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from sim.errors import UserError

__all__ = [
    "TEMP_PREFIX",
    "atomic_write",
    "figure_bytes",
    "parquet_available",
    "parquet_or_note",
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
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
    tmp = target.parent / f"{TEMP_PREFIX}{target.name}.{os.getpid()}.{secrets.token_hex(4)}"
    # Everything from the temporary file's creation on is inside the try, so an
    # interrupt at any point (even right after the file is created) removes it.
    try:
        try:
            fh = open(tmp, "xb")  # noqa: SIM115 - closed below; mode 0666 less umask
        except OSError as exc:
            raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
        with fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


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
    import matplotlib

    # A fixed salt makes SVG element ids, and so the bytes, the same from run to run.
    with matplotlib.rc_context({"svg.hashsalt": "workplace-sim"}):
        fig.savefig(buf, format=fmt, metadata=metadata or None, **kwargs)
    return buf.getvalue()
