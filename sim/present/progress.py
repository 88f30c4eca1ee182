"""A one-line progress bar on stderr, for long runs of the command line and the library."""

from __future__ import annotations

import math
import sys
import time
from typing import TextIO


class ProgressBar:
    """A one-line progress bar on stderr, redrawn at most ten times a second.

    On a terminal it redraws in place; elsewhere (a log file, CI) it redraws at
    most once every few seconds so logs stay short. Call it as ``bar(done, total)``
    and :meth:`close` it at the end (also usable as a context manager).
    """

    def __init__(self, label: str, stream: TextIO | None = None, width: int = 28) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.start = time.monotonic()
        self._last = -math.inf
        self._drawn = False
        try:
            self._tty = self.stream.isatty()
        except (AttributeError, ValueError):
            self._tty = False
        self._interval = 0.1 if self._tty else 5.0
        self._state = (0, 0)
        self._shown = (-1, -1)
        self._closed = False

    def __call__(self, done: int, total: int) -> None:
        """Record progress and redraw when due."""
        self._state = (done, total)
        now = time.monotonic()
        if done >= total or now - self._last >= self._interval:
            self._last = now
            self._draw(done, total)

    def _draw(self, done: int, total: int) -> None:
        frac = done / total if total else 1.0
        filled = round(frac * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        elapsed = time.monotonic() - self.start
        eta = ""
        if 0 < done < total:
            eta = f", about {elapsed / done * (total - done):.0f}s left"
        line = f"{self.label} [{bar}] {done}/{total} simulations {frac:4.0%} ({elapsed:.1f}s{eta})"
        if self._tty:
            self.stream.write("\r" + line.ljust(79))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self._drawn = True
        self._shown = (done, total)

    def close(self) -> None:
        """Draw the final state (if not yet shown) and end the line."""
        if self._closed:
            return
        self._closed = True
        if self._state[1] and self._shown != self._state:
            self._draw(*self._state)
        if self._tty and self._drawn:
            self.stream.write("\n")
        self.stream.flush()

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
