r"""The input layer's limits: every file, number and size a user gives is checked here first.

Everything a user can hand the tool goes through these checks before any
parsing library or model sees it, so a hostile or mistaken input ends with a
one-line :class:`sim.errors.UserError` (exit status 2 on the command line)
instead of a traceback, a hang or a machine running out of memory:

* :func:`read_input_file`: a scenario or sweep spec file is read up to
  :data:`MAX_FILE_BYTES` (a symlink to ``/dev/zero`` stops there), must be
  UTF-8 text and is refused if it is a folder or not a regular file.
* :func:`parse_toml`: TOML nested deeper than :data:`MAX_DEPTH` levels is refused
  (Python's parser would otherwise recurse until ``RecursionError``);
  :func:`read_toml` reads and parses a file, and words malformed TOML as
  ``FILE:LINE: malformed TOML: ...`` with a hint for the common slips (:mod:`sim.hints`).
* :func:`check_number`: integers longer than :data:`MAX_DIGITS` digits are refused
  before anything converts them to a float (``OverflowError``) or a string (the
  4,300-digit limit); :func:`number_text` does the same for text such as ``--set``.
* :data:`MAX_INHERITS`: the longest ``inherits`` chain of scenario files.
* :func:`check_memory`: the memory a set of concurrent runs needs is estimated
  (:func:`run_bytes`) and refused, with the estimate and the machine's memory,
  when it exceeds what the machine has available.
* :func:`safe_text`: control characters in text shown on a terminal are escaped.

One vocabulary for names and counts, the same for scenarios, sweeps,
calibration, the runner and the command line:

* :func:`check_name`: a scenario's or a sweep's name is ASCII letters, digits,
  ``_``, ``-`` and ``.``, starting with a letter or digit (:data:`NAME_RE`), so
  ``café`` is refused everywhere alike; :func:`check_id` does the same for the
  ids inside a file (letters, digits and ``_``, :data:`ID_RE`).
* :func:`check_int`: a whole number within bounds (``bool`` is not one), with
  the message ``seeds=0 is out of range: allowed 1 to 1000`` or ``seeds='x' has
  the wrong type: expected an integer from 1 to 1000`` (a key read from a file
  is quoted: ``spec.toml: 'seeds' has the wrong type: ..., got string 'x'``).

Example:
    >>> from sim.inputs import check_number, safe_text
    >>> check_number("seeds", 8)
    8
    >>> check_number("seeds", 10**40)
    Traceback (most recent call last):
    ...
    sim.errors.UserError: seeds: a number of 41 digits is too long: allowed at most 19 digits
    >>> safe_text("a\x1b[2Jb")
    'a\\x1b[2Jb'
    >>> check_int("seeds", 0, (1, 1000))
    Traceback (most recent call last):
    ...
    sim.errors.UserError: seeds=0 is out of range: allowed 1 to 1000
    >>> check_name("sweep", "café")
    Traceback (most recent call last):
    ...
    sim.errors.UserError: name 'café' is not allowed: use letters, digits, '_', '-' or '.'
"""

from __future__ import annotations

import math
import os
import re
import reprlib
import stat
import tomllib
from numbers import Integral
from pathlib import Path
from typing import Any

from sim.errors import UserError
from sim.hints import line_hint

__all__ = [
    "ID_RE",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_FILE_BYTES",
    "MAX_INHERITS",
    "MAX_NUMBER_TEXT",
    "NAME_RE",
    "ROOT_SEED_RANGE",
    "available_memory",
    "check_callable",
    "check_depth",
    "check_id",
    "check_int",
    "check_memory",
    "check_name",
    "check_number",
    "check_numbers",
    "describe_value",
    "format_bytes",
    "malformed_toml",
    "number_text",
    "parse_toml",
    "read_input_file",
    "read_toml",
    "run_bytes",
    "safe_text",
]

#: Largest scenario or sweep spec file read (bytes); real ones are a few kB.
MAX_FILE_BYTES = 1_000_000
#: Deepest nesting of tables and lists in a TOML file (real ones use 3).
MAX_DEPTH = 8
#: Longest integer, in digits (a signed 64-bit integer has 19; every count and seed fits).
MAX_DIGITS = 19
#: Allowed root and replicate seeds: any whole number a signed 64-bit integer holds, 0 or
#: more (the runner's, the calibration's, a sweep spec's and ``--root-seed``'s).
ROOT_SEED_RANGE = (0, 2**63 - 1)
#: Longest number written as text (``--set key=VALUE``, a flag's value).
MAX_NUMBER_TEXT = 40
#: Longest chain of scenario files inheriting from one another.
MAX_INHERITS = 32
#: Memory of one run per agent (bytes), measured: 1M agents x 104 weeks peak at 0.94 GB.
BYTES_PER_AGENT = 1_000
#: Memory of a worker process before its run (Python, numpy, the model's modules).
BYTES_PER_PROCESS = 200_000_000
#: Share of the available memory a command may plan to use.
MEMORY_SHARE = 0.9

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: A name a user gives a scenario or a sweep (it may become a file or folder name).
NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
#: An id inside a file (a pattern's id): letters, digits and underscores.
ID_RE = re.compile(r"[A-Za-z0-9_]+")


# ----------------------------------------------------------------------------- text
def safe_text(text: str, keep: str = "\n\t") -> str:
    r"""Return ``text`` with control characters escaped (``\x1b`` shows as ``\\x1b``).

    Args:
        text: text that may have come from a user's file or argument.
        keep: control characters left as they are (newline and tab by default).
    """
    return _CONTROL.sub(lambda m: m.group() if m.group() in keep else repr(m.group())[1:-1], text)


# ----------------------------------------------------------------------------- numbers
def check_callable(name: str, value: Any, called: str) -> Any:
    """Return ``value`` if it is None or callable (a progress callback, a model function).

    Args:
        name: the argument's name.
        value: what was given.
        called: how the function is called, for the message (``progress(done, total)``).

    Raises:
        UserError: ``progress='x' is not callable: give None or a function called as ...``.
    """
    if value is not None and not callable(value):
        raise UserError(
            f"{name}={reprlib.repr(value)} is not callable: give None or a function called"
            f" as {called}"
        )
    return value


def check_number(where: str, value: Any) -> Any:
    """Return ``value`` unchanged unless it is an integer too long to be a sane input.

    Floats need no check (TOML and Python already bound them); booleans pass.

    Raises:
        UserError: for an integer of more than :data:`MAX_DIGITS` digits.
    """
    # A comparison never converts the number to text, whatever its size.
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_DIGITS:
        digits = _digits(value)
        raise UserError(
            f"{where}: a number of {digits} digits is too long: allowed at most {MAX_DIGITS} digits"
        )
    return value


def describe_value(value: Any) -> str:
    """Name a value's type and show it, for a message: ``string 'x'``, ``boolean true``."""
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    kind = {str: "string", int: "integer", float: "number"}.get(type(value), type(value).__name__)
    return f"{kind} {value!r}"


def check_int(what: str, value: Any, bounds: tuple[int, int | None], where: str = "") -> int:
    """Return ``value`` as an ``int`` if it is a whole number within ``bounds``.

    The messages follow one rule: an argument is shown as ``name=value``
    (``seeds=0 is out of range: allowed 1 to 1000``, ``weeks=2.5 has the wrong
    type: expected an integer from 1 to 1040``); a key read from a file (given
    ``where``) is quoted and its value described, as every file message does
    (``spec.toml: 'weeks' has the wrong type: expected an integer from 1 to
    1040, got string '104'``).

    Args:
        what: the name of the count (``"seeds"``).
        value: what was given.
        bounds: ``(lo, hi)``, both allowed; ``hi`` None for no upper bound.
        where: the file or spec the value was read from, if any; the message
            starts with it.

    Raises:
        UserError: for a value that is not an integer (``bool`` is not one) or
            is out of range.
    """
    lo, hi = bounds
    allowed = f"{lo} or more" if hi is None else f"{lo} to {hi}"
    at = f"{where}: " if where else ""
    if isinstance(value, bool) or not isinstance(value, Integral):
        expected = f"an integer {'' if hi is None else 'from '}{allowed}"
        if where:
            raise UserError(
                f"{at}'{what}' has the wrong type: expected {expected}, got {describe_value(value)}"
            )
        raise UserError(f"{what}={value!r} has the wrong type: expected {expected}")
    if value < lo or (hi is not None and value > hi):
        raise UserError(f"{at}{what}={value} is out of range: allowed {allowed}")
    return int(value)


def check_name(what: str, name: Any, where: str = "") -> str:
    """Return ``name`` if it is a valid name (:data:`NAME_RE`) for a scenario or sweep.

    Args:
        what: what is named (``"scenario"``, ``"sweep"``), for the message's context.
        name: the name given.
        where: what the message starts with (a file, a spec), if anything.

    Raises:
        UserError: ``name 'café' is not allowed: use letters, digits, '_', '-' or '.'``.
    """
    at = f"{where}: " if where else ""
    if not isinstance(name, str) or not NAME_RE.fullmatch(name):
        raise UserError(f"{at}name {name!r} is not allowed: use letters, digits, '_', '-' or '.'")
    return name


def check_id(what: str, value: Any, where: str = "") -> str:
    """Return ``value`` if it is a valid id inside a file (:data:`ID_RE`).

    Raises:
        UserError: ``key 'id' must be letters, digits and underscores``.
    """
    at = f"{where}: " if where else ""
    if not isinstance(value, str) or not ID_RE.fullmatch(value):
        raise UserError(f"{at}key '{what}' must be letters, digits and underscores")
    return value


def _digits(value: int) -> str:
    bits = abs(value).bit_length()
    if bits < 14_000:  # within Python's int-to-str limit
        return f"{len(str(abs(value))):,}"
    return f"about {int(bits * math.log10(2)) + 1:,}"


def check_numbers(where: str, data: Any, depth: int = 0) -> None:
    """Check every number in parsed TOML data (tables and lists, at any depth)."""
    if isinstance(data, dict):
        for key, value in data.items():
            check_numbers(f"{where}{'.' if where else ''}{key}", value, depth + 1)
    elif isinstance(data, list):
        for value in data:
            check_numbers(where, value, depth + 1)
    else:
        check_number(where, data)


def number_text(where: str, text: str) -> str:
    """Return ``text`` unless it is too long to be a number a user means.

    Raises:
        UserError: for text longer than :data:`MAX_NUMBER_TEXT` characters.
    """
    if len(text) > MAX_NUMBER_TEXT:
        raise UserError(
            f"{where}: a value of {len(text):,} characters is too long for a number:"
            f" allowed at most {MAX_NUMBER_TEXT}"
        )
    return text


# ----------------------------------------------------------------------------- files
def read_input_file(path: str | os.PathLike[str], what: str = "file") -> str:
    """Read a small text input file (a scenario, a sweep spec) with limits.

    Args:
        path: the file.
        what: what the file is, for messages ("scenario file", "sweep spec" ...).

    Returns:
        The file's text.

    Raises:
        UserError: if it is missing, a folder, not a regular file (a device, a pipe),
            larger than :data:`MAX_FILE_BYTES`, unreadable or not UTF-8.
    """
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise UserError(f"{what} not found: {p}") from None
    except OSError as exc:
        raise UserError(f"cannot read {p}: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise UserError(f"{p}: is a directory, not a {what}")
    if not stat.S_ISREG(st.st_mode):
        raise UserError(f"{p}: is not a regular file (a device or a pipe?): give a {what}")
    if st.st_size > MAX_FILE_BYTES:
        raise UserError(
            f"{p}: the file has {format_bytes(st.st_size)}: a {what} may have at most"
            f" {format_bytes(MAX_FILE_BYTES)}"
        )
    try:
        with open(p, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)  # a file that grows meanwhile stops here too
    except OSError as exc:
        raise UserError(f"cannot read {p}: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise UserError(f"{p}: a {what} may have at most {format_bytes(MAX_FILE_BYTES)}")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise UserError(f"{p}:{line}: malformed TOML: not UTF-8 text") from None


def _text_depth(text: str) -> int:
    """Return the deepest nesting of ``[`` and ``{`` outside strings and comments (a bound)."""
    depth = deepest = 0
    quote = ""
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if quote:
            if c == "\\" and quote in ('"', '"""'):
                i += 2
                continue
            if text.startswith(quote, i):
                i += len(quote)
                quote = ""
                continue
            if c == "\n" and len(quote) == 1:
                quote = ""  # an unterminated string: the parser reports it
        elif c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            i += len(quote)
            continue
        elif c in "[{":
            # A table header ([name] or [[name]]) at a line's start is not nesting.
            if not (line_start and depth == 0):
                depth += 1
                deepest = max(deepest, depth)
            else:
                j = text.find("\n", i)
                i = n if j < 0 else j
                continue
        elif c in "]}":
            depth = max(0, depth - 1)
        if c == "\n":
            line_start = True
        elif not c.isspace():
            line_start = False
        i += 1
    return deepest


def check_depth(where: str, data: Any, limit: int = MAX_DEPTH) -> None:
    """Refuse parsed data nested deeper than ``limit`` (tables and lists; no recursion)."""
    stack = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            raise UserError(
                f"{where}: tables or lists are nested more than {limit} levels deep:"
                f" allowed at most {limit}"
            )
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)


def parse_toml(text: str, where: str) -> dict[str, Any]:
    """Parse TOML text with a nesting limit, then check its numbers and depth.

    Raises:
        UserError: for nesting deeper than :data:`MAX_DEPTH` or a too-long integer;
            :class:`tomllib.TOMLDecodeError` propagates for malformed TOML (the caller
            words it with the line).
    """
    if _text_depth(text) > MAX_DEPTH:
        raise UserError(
            f"{where}: lists or inline tables are nested more than {MAX_DEPTH} levels deep:"
            f" allowed at most {MAX_DEPTH}"
        )
    try:
        data = tomllib.loads(text)
    except RecursionError:
        raise UserError(f"{where}: nested too deeply: allowed at most {MAX_DEPTH} levels") from None
    except ValueError as exc:
        if isinstance(exc, tomllib.TOMLDecodeError):
            raise
        # An integer beyond Python's 4,300-digit conversion limit.
        raise UserError(
            f"{where}: a number is too long: allowed at most {MAX_DIGITS} digits"
        ) from None
    check_depth(where, data)
    try:
        check_numbers("", data)
    except UserError as exc:
        raise UserError(f"{where}: {exc}") from None
    return data


# ----------------------------------------------------------------------------- memory
def format_bytes(n: float) -> str:
    """Return a size in B, kB, MB, GB or TB (decimal units)."""
    for unit in ("B", "kB", "MB", "GB"):
        if abs(n) < 1000:
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} TB"


def available_memory() -> int | None:
    """Return the memory this machine has available now (bytes), or ``None`` if unknown.

    Reads ``MemAvailable`` from ``/proc/meminfo`` (Linux); else the physical memory.
    """
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return None


def run_bytes(n_agents: int) -> int:
    """Return the estimated peak memory of one run of ``n_agents`` agents in its process.

    Measured: a run of 1M agents over 104 weeks peaks at 0.94 GB (``benchmarks/README.md``);
    the weekly series add a few kB per week, which the per-agent figure covers.
    """
    return BYTES_PER_PROCESS + BYTES_PER_AGENT * int(n_agents)


def check_memory(n_agents: int, concurrent: int, what: str, available: int | None = None) -> int:
    """Refuse to start ``concurrent`` runs of ``n_agents`` agents that cannot fit in memory.

    Args:
        n_agents: agents in the largest run.
        concurrent: runs held in memory at once (worker processes).
        what: the options that set these, for the message (``--agents 10000000 --jobs 8``).
        available: bytes available (default: :func:`available_memory`).

    Returns:
        The estimate in bytes.

    Raises:
        UserError: with the estimate and the machine's memory, if it does not fit.
    """
    need = run_bytes(n_agents) * max(1, int(concurrent))
    have = available_memory() if available is None else available
    if have is not None and need > MEMORY_SHARE * have:
        per = format_bytes(run_bytes(n_agents))
        raise UserError(
            f"{what}: {concurrent} run(s) of {n_agents:,} agents at once need about"
            f" {format_bytes(need)} ({per} each), but this machine has {format_bytes(have)}"
            " available: use fewer agents or fewer jobs/workers"
        )
    return need


_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)")


def read_toml(path: str | Path, what: str) -> dict[str, Any]:
    """Read and parse a user's TOML file (:func:`read_input_file`, then :func:`parse_toml`).

    Args:
        path: the file.
        what: what the file is, for messages (``"scenario file"``, ``"sweep spec"``).

    Raises:
        UserError: as :func:`read_input_file` and :func:`parse_toml` do; malformed TOML as
            ``FILE:LINE: malformed TOML: ... (column C)``, with a second line
            ``hint: ...`` when the line holds a common slip (:func:`sim.hints.line_hint`:
            ``manager_training = 60%`` gets ``percentages are written as fractions:
            manager_training = 0.6``).
    """
    text = read_input_file(path, what)
    try:
        return parse_toml(text, str(path))
    except tomllib.TOMLDecodeError as exc:
        raise malformed_toml(path, text, exc) from None


def malformed_toml(path: str | Path, text: str, exc: tomllib.TOMLDecodeError) -> UserError:
    """Return the error for malformed TOML: file, line, what is wrong and a hint if one is known."""
    msg = str(exc)
    lines = text.splitlines() or [""]
    if m := _AT.search(msg):
        number = int(m.group(1))
        msg = _AT.sub("", msg).strip() + f" (column {m.group(2)})"
    else:
        number = len(lines)
        msg = msg.replace("(at end of document)", "at the end of the file").strip()
    hint = line_hint(lines[number - 1]) if 1 <= number <= len(lines) else None
    return UserError(
        f"{path}:{number}: malformed TOML: {msg}" + (f"\nhint: {hint}" if hint else "")
    )
