"""The patterns file: each pattern's statistic, band from the literature, and source."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.errors import UserError
from sim.inputs import check_id, read_toml
from sim.validation.measures import STATISTICS

__all__ = ["PATTERNS_FILE", "PATTERN_KEYS", "REQUIRED_KEYS", "Pattern", "load_patterns"]

#: The bundled patterns file.
PATTERNS_FILE = Path(__file__).resolve().parent.parent / "data" / "patterns.toml"

#: Keys a pattern may and must have.
PATTERN_KEYS = {
    "id": "short identifier",
    "title": "what the pattern says, in a few words",
    "statistic": "the statistic computed (see sim.validation.STATISTICS)",
    "band": "acceptance band [lo, hi] from the literature",
    "source": "full citation(s)",
    "rationale": "one line: why the band",
    "group": "letter of the pattern in issue 11 (optional)",
    "unit": "unit of the statistic (optional)",
    "failure": "what a failure means (optional)",
}
REQUIRED_KEYS = ("id", "title", "statistic", "band", "source", "rationale")


@dataclass(frozen=True)
class Pattern:
    """One pattern: a statistic of the model and the band the literature gives it."""

    id: str
    title: str
    statistic: str
    band: tuple[float, float]
    source: str
    rationale: str
    group: str = ""
    unit: str = ""
    failure: str = ""

    def holds(self, value: float) -> bool:
        """Whether ``value`` lies in the band (inclusive)."""
        lo, hi = self.band
        return math.isfinite(value) and lo <= value <= hi


def load_patterns(path: str | os.PathLike[str] | None = None) -> list[Pattern]:
    """Read and validate a patterns file (default: the bundled ``sim/data/patterns.toml``).

    The file holds an array of tables ``[[pattern]]`` with the keys of
    :data:`PATTERN_KEYS`; ``statistic`` is one of :data:`STATISTICS`; ``band`` is
    ``[lo, hi]`` with ``lo <= hi`` (``inf`` allowed, as in TOML).

    The file is read as every user's TOML file is (:func:`sim.inputs.read_toml`): a
    missing file, a folder, a pipe or device, an unreadable file, one over 1 MB and
    malformed TOML are refused with a one-line message.

    Raises:
        UserError: one line naming the file, the pattern and the key at fault.
    """
    if path is not None and not os.fspath(path).strip():
        raise UserError(
            "the patterns file's path is empty: name a .toml file (None: the bundled one)"
        )
    p = Path(path) if path is not None else PATTERNS_FILE
    name = str(p)
    doc = read_toml(p, "patterns file")
    extra = sorted(set(doc) - {"pattern"})
    if extra:
        raise UserError(f"{name}: unknown top-level key '{extra[0]}' (allowed: [[pattern]] tables)")
    entries = doc.get("pattern")
    if not isinstance(entries, list) or not entries:
        raise UserError(f"{name}: no patterns: expected one or more [[pattern]] tables")
    out: list[Pattern] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        out.append(_pattern(name, i, entry, seen))
    return out


def _pattern(name: str, i: int, entry: Any, seen: set[str]) -> Pattern:
    if not isinstance(entry, dict):
        raise UserError(f"{name}: pattern #{i} is not a table")
    pid = entry.get("id")
    label = f"pattern '{pid}'" if isinstance(pid, str) and pid else f"pattern #{i}"
    where = f"{name}: {label}"
    for key in entry:
        if key not in PATTERN_KEYS:
            raise UserError(f"{where}: unknown key '{key}' (allowed: {', '.join(PATTERN_KEYS)})")
    for key in REQUIRED_KEYS:
        if key not in entry:
            raise UserError(f"{where}: missing key '{key}' ({PATTERN_KEYS[key]})")
    for key in PATTERN_KEYS:
        if key != "band" and key in entry and not isinstance(entry[key], str):
            raise UserError(f"{where}: key '{key}' must be a string, not {entry[key]!r}")
    check_id("id", pid, where)
    if pid in seen:
        raise UserError(f"{where}: key 'id' repeats an earlier pattern's id")
    seen.add(pid)
    if entry["statistic"] not in STATISTICS:
        raise UserError(
            f"{where}: key 'statistic': unknown statistic '{entry['statistic']}' "
            f"(allowed: {', '.join(STATISTICS)})"
        )
    band = entry["band"]
    if (
        not isinstance(band, list)
        or len(band) != 2
        or any(isinstance(b, bool) or not isinstance(b, int | float) for b in band)
        or any(math.isnan(b) for b in band)
    ):
        raise UserError(f"{where}: key 'band' must be two numbers [lo, hi], not {band!r}")
    lo, hi = float(band[0]), float(band[1])
    if lo > hi:
        raise UserError(f"{where}: key 'band': lo {lo:g} is above hi {hi:g}")
    return Pattern(**{**entry, "band": (lo, hi)})
