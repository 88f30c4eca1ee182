"""Hints for the slips people make writing a scenario or sweep file by hand.

A TOML parser says *where* a file stops making sense ("Expected newline or end of document
after a statement"), not what the writer meant. :func:`toml_hint` reads the line named in a
``FILE:LINE: malformed TOML`` message and, for the common slips, says how to write it:

* a percentage (``manager_training = 60%``, or ``min = 10%`` inside an inline table): written
  as a fraction, ``0.6``;
* a thousands separator (``n_agents = 1,000``): ``1000`` or ``1_000``;
* a number with a unit (``touchpoints = 4h``): the number alone, its unit is fixed;
* a decimal without its leading zero (``= .6``): ``0.6``;
* text without quotes (``title = Keep slack``): ``"Keep slack"``.

It sits in the foundation, beside :mod:`sim.inputs`, whose :func:`~sim.inputs.read_toml` adds
the hint to the error of every malformed scenario or sweep file, so ``sim.load_scenario`` and
``sim.sweeps.load_spec`` give it from Python as the command line does
(:mod:`sim.present.hints` re-exports it).

Example:
    >>> line_hint("manager_training = 60%")
    'percentages are written as fractions: manager_training = 0.6'
    >>> line_hint("touchpoints = { min = 10%, max = 0.5 }")
    'percentages are written as fractions: min = 0.1'
    >>> line_hint("n_agents = 1,000")
    'numbers are written without thousands separators: n_agents = 1000 (or 1_000)'
    >>> line_hint("touchpoints = 4")
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from pathlib import Path

__all__ = ["did_you_mean", "line_hint", "toml_hint"]

#: ``FILE:LINE: malformed TOML`` at the start of a message (the file may hold colons).
_WHERE = re.compile(r"(?:^|\s)(?P<path>\S+?):(?P<line>\d+): malformed TOML\b")
_KEY = r"(?P<key>[A-Za-z0-9_.\-\"']+)\s*=\s*"
_PERCENT = re.compile(r"(?:^|(?<=[{,\s]))" + _KEY + r"(?P<num>[-+]?\d+(?:\.\d*)?)\s*%")
_THOUSANDS = re.compile(_KEY + r"(?P<num>[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?)\s*(?:#.*)?$")
_UNIT = re.compile(_KEY + r"(?P<num>[-+]?\d+(?:\.\d+)?)\s*(?P<unit>[A-Za-z]+)\s*(?:#.*)?$")
_BARE_DECIMAL = re.compile(_KEY + r"(?P<sign>[-+]?)\.(?P<frac>\d+)\s*(?:#.*)?$")
_BARE_TEXT = re.compile(_KEY + r"(?P<text>[A-Za-z][^\"'\[\]{}#]*?)\s*(?:#.*)?$")
#: Words TOML reads as values, not text to quote.
_LITERALS = {"true", "false", "inf", "nan"}


def did_you_mean(name: object, names: Iterable[str]) -> str:
    """Return ``; did you mean 'x'?`` for the closest of ``names`` to ``name``, or nothing.

    The close match every "unknown ..." message offers (:func:`difflib.get_close_matches`).
    """
    near = difflib.get_close_matches(str(name), list(names), n=1)
    return f"; did you mean '{near[0]}'?" if near else ""


def line_hint(line: str) -> str | None:
    """Return how to write one malformed line of a TOML file, or ``None`` if no slip is known."""
    text = line.strip()
    if m := _PERCENT.search(text):
        value = float(m["num"]) / 100
        return f"percentages are written as fractions: {m['key']} = {value:g}"
    if m := _THOUSANDS.match(text):
        digits = m["num"].replace(",", "")
        return (
            "numbers are written without thousands separators: "
            f"{m['key']} = {digits} (or {int(float(digits)):_})"
        )
    if (m := _UNIT.match(text)) and m["unit"].lower() not in _LITERALS and m["unit"] not in "eE":
        return f"a value is the number alone, in its fixed unit: {m['key']} = {m['num']}"
    if m := _BARE_DECIMAL.match(text):
        return f"a decimal starts with a digit: {m['key']} = {m['sign']}0.{m['frac']}"
    if (m := _BARE_TEXT.match(text)) and m["text"].lower() not in _LITERALS:
        return f'text is written in quotes: {m["key"]} = "{m["text"]}"'
    return None


def toml_hint(message: str, max_bytes: int = 1 << 20) -> str | None:
    """Return a hint for a ``FILE:LINE: malformed TOML`` message, or ``None``.

    Reads the named line of the file (a file larger than ``max_bytes``, missing or
    unreadable gives no hint).
    """
    m = _WHERE.search(message.splitlines()[0] if message else "")
    if not m:
        return None
    path, number = Path(m["path"]), int(m["line"])
    try:
        if not path.is_file() or path.stat().st_size > max_bytes:
            return None
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if not 1 <= number <= len(lines):
        return None
    return line_hint(lines[number - 1])
