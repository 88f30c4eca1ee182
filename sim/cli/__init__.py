"""The ``workplace-sim`` command line.

Each subcommand lives in its own module of this package and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to a function
taking the parsed arguments and returning an exit status. Bad input anywhere
raises :class:`sim.errors.UserError`; :func:`main` prints its message on stderr
(first line: what is wrong) and exits with status 2, without a traceback.

While a command runs, stdout and stderr go through :class:`_Terminal`:
control characters that came from a user's file (a title with an escape
sequence) are shown escaped, characters the terminal's encoding lacks (an
ASCII-only terminal) are replaced, and a reader that closes the pipe early
(``workplace-sim scenarios | head -c 1``) ends the output quietly while the
command finishes its work (its files are still written).
"""

from __future__ import annotations

import _thread
import argparse
import contextlib
import difflib
import importlib
import os
import shlex
import signal
import sys
import threading
import warnings
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from sim.errors import SimWarning, UserError
from sim.inputs import safe_text

#: Subcommand modules, in the order ``--help`` lists them.
COMMANDS = (
    "run",
    "compare",
    "scenarios",
    "validate",
    "check",
    "calibrate",
    "sweep",
    "sensitivity",
    "dashboard",
)


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose errors put the problem on the first line, then a usage hint."""

    def error(self, message: str):  # noqa: D102
        raise UserError(f"{message}\n{self.format_usage().strip()}")

    def unrecognised(self, extra: Sequence[str]) -> None:
        """Refuse arguments this (sub)command does not take, naming a close option if any."""
        options = [s for a in self._actions for s in a.option_strings if s.startswith("--")]
        near = [
            m
            for arg in extra
            if arg.startswith("-")
            for m in difflib.get_close_matches(arg.split("=", 1)[0], options, n=1, cutoff=0.75)
        ]
        hint = f" (did you mean {', '.join(near)}?)" if near else ""
        self.error(f"unrecognized arguments: {' '.join(extra)}{hint}")


def build_parser() -> ArgumentParser:
    """Return the full ``workplace-sim`` parser with every available subcommand."""
    parser = ArgumentParser(
        prog="workplace-sim",
        description="Agent-based simulation of how AI adoption reshapes work.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    for name in COMMANDS:
        importlib.import_module(f"sim.cli.{name}").register(sub)
    parser.set_defaults(_commands=sub.choices)
    return parser


def parse_args(parser: ArgumentParser, given: Sequence[str]) -> argparse.Namespace:
    """Parse ``given``; arguments a subcommand does not take are refused with its own usage."""
    args, extra = parser.parse_known_args(given)
    if extra:
        command = getattr(args, "command", None)
        parser_of = getattr(args, "_commands", {}).get(command, parser)
        parser_of.unrecognised(extra)
    return args


#: Longest error message printed (lines, characters a line): a message quoting a
#: hostile input stays a few lines.
_MAX_LINES, _MAX_LINE = 25, 500


class _Terminal:
    r"""A text stream wrapper: escapes control characters, survives a closed pipe.

    Args:
        stream: the stream wrapped (``sys.stdout`` or ``sys.stderr``).
        keep: control characters written as they are (``\r`` for a progress bar).
    """

    def __init__(self, stream: TextIO, keep: str) -> None:
        self._stream = stream
        self._keep = keep
        self.closed_pipe = False
        enc = getattr(stream, "encoding", None) or "utf-8"
        self._encoding = enc

    def write(self, text: str) -> int:
        if self.closed_pipe:
            return len(text)
        shown = safe_text(text, self._keep)
        try:
            shown.encode(self._encoding)
        except (UnicodeEncodeError, LookupError):
            shown = shown.encode(self._encoding, "replace").decode(self._encoding, "replace")
        try:
            self._stream.write(shown)
        except (BrokenPipeError, ValueError):  # ValueError: the stream was closed
            self._lost()
        except OSError as exc:
            if exc.errno in (32, 22):  # EPIPE, EINVAL on a closed pipe
                self._lost()
            else:
                raise
        return len(text)

    def flush(self) -> None:
        if self.closed_pipe:
            return
        try:
            self._stream.flush()
        except (BrokenPipeError, ValueError):
            self._lost()

    def _lost(self) -> None:
        """The reader is gone: write nothing more, and let nothing fail at exit."""
        self.closed_pipe = True
        with contextlib.suppress(OSError, ValueError, AttributeError):
            fd = self._stream.fileno()
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, fd)  # Python's own flush at exit then succeeds
            os.close(devnull)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextlib.contextmanager
def _terminal() -> Iterator[tuple[_Terminal, _Terminal]]:
    out, err = sys.stdout, sys.stderr
    guarded = _Terminal(out, "\n\t"), _Terminal(err, "\n\t\r")
    sys.stdout, sys.stderr = guarded  # type: ignore[assignment]
    try:
        yield guarded
    finally:
        sys.stdout, sys.stderr = out, err


def _fold(line: str) -> list[str]:
    """Split a long line at its commas into lines of at most ``_MAX_LINE`` characters.

    A long list of allowed values stays whole on a few lines; a piece still too long (a
    hostile input quoted whole) is cut.
    """
    if len(line) <= _MAX_LINE:
        return [line]
    out = [""]
    for piece in line.split(", "):
        joined = f"{out[-1]}, {piece}" if out[-1] else piece
        if not out[-1] or len(joined) <= _MAX_LINE:
            out[-1] = joined
        else:
            out.append(f"  {piece}")
    return [ln if len(ln) <= _MAX_LINE else ln[: _MAX_LINE - 3] + "..." for ln in out if ln]


def error_text(exc: BaseException) -> str:
    """Return an error message cut to a few lines of bounded length."""
    lines = str(exc).splitlines() or [""]
    cut = [part for ln in lines for part in _fold(ln)]
    if len(cut) > _MAX_LINES:
        cut = [*cut[: _MAX_LINES - 1], f"... ({len(cut) - _MAX_LINES + 1} more lines)"]
    return "\n".join(cut)


#: Set when Ctrl-C reaches the command (see :func:`_interrupts_kept`).
_INTERRUPTED = threading.Event()


def _on_interrupt(signum: int, frame: Any) -> None:
    """SIGINT handler: remember the interrupt, then raise it as Python's own handler does."""
    _INTERRUPTED.set()
    raise KeyboardInterrupt


@contextlib.contextmanager
def _interrupts_kept() -> Iterator[None]:
    """Let Ctrl-C stop the command even when it lands inside a finaliser or a C extension.

    Python cannot raise from a finaliser or a weak-reference callback (matplotlib
    runs many), so a KeyboardInterrupt arriving there is printed as "Exception
    ignored in ..." with a traceback, and the command runs on. While the command
    runs, such an interrupt is delivered again to the main thread a moment later
    (from a timer thread, so that it lands after the hook has returned), where
    ``main`` turns it into "interrupted"; any other unraisable exception goes to
    the hook that was there before.

    An interrupt that lands while a compiled extension converts its arguments
    (matplotlib's transforms, through pybind11) comes out as another error, a
    ``TypeError`` ("incompatible function arguments"). So the SIGINT handler also
    records that Ctrl-C arrived, and ``main`` reads any error after it as the
    interrupt it is.
    """
    previous = sys.unraisablehook
    _INTERRUPTED.clear()

    def hook(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, KeyboardInterrupt):
            threading.Timer(0.01, _thread.interrupt_main).start()
        else:
            previous(unraisable)

    sys.unraisablehook = hook
    in_main = threading.current_thread() is threading.main_thread()
    previous_sigint = signal.getsignal(signal.SIGINT) if in_main else None
    if previous_sigint is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_interrupt)
    try:
        yield
    finally:
        sys.unraisablehook = previous
        if previous_sigint is signal.default_int_handler:
            signal.signal(signal.SIGINT, previous_sigint)


@contextlib.contextmanager
def _warnings_said() -> Iterator[None]:
    """Print the package's warnings (:class:`~sim.errors.SimWarning`) as one line each.

    ``workplace-sim: warning: <message>`` on stderr, as errors are printed; other warnings
    keep Python's form. The usual filters still decide whether a warning is shown.
    """
    shown = warnings.showwarning

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        if issubclass(category, SimWarning):
            print(f"workplace-sim: warning: {message}", file=sys.stderr)
        else:
            shown(message, category, filename, lineno, file, line)

    warnings.showwarning = show
    try:
        yield
    finally:
        warnings.showwarning = shown


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return (and exit with) its status."""
    with _terminal() as (out, _), _interrupts_kept(), _warnings_said():
        parser = build_parser()
        try:
            given = list(sys.argv[1:] if argv is None else argv)
            args = parse_args(parser, given)
            # The command as typed, for the files that record how they were made.
            args.command_line = "workplace-sim " + shlex.join(given)
            if not getattr(args, "func", None):
                parser.print_help(sys.stderr)
                return 2
            status = args.func(args)
            sys.stdout.flush()
        except UserError as exc:
            # A malformed file's hint is in the message already (sim.inputs.read_toml).
            print(f"workplace-sim: error: {error_text(exc)}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print("workplace-sim: interrupted", file=sys.stderr)
            return 130
        except BrokenPipeError:  # a write that did not go through the guard
            out._lost()
            return 0
        except Exception:
            if _INTERRUPTED.is_set():  # Ctrl-C, turned into another error by an extension
                print("workplace-sim: interrupted", file=sys.stderr)
                return 130
            raise
        return int(status or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
