"""Scenario files: the status quo and the report's redesign levers, as small TOML files.

A scenario is a named set of parameter changes on top of another scenario. The
bundled ones live in the project's ``scenarios/`` folder; a user's own file,
anywhere on disk, works the same way. A file looks like this::

    name = "touchpoints"
    title = "Human touchpoints and psychological safety"
    description = "Mentoring, team reflection and open feedback are built into the week."
    recommendation = "Lever 1: design work for humans and AI"
    inherits = "baseline"     # optional: the default is baseline
    weeks = 104               # optional defaults for a run
    seeds = 8

    [params]                  # only what this scenario changes
    touchpoints = 0.5
    psych_safety = 0.7

Rules:

* ``inherits`` names a scenario (a ``NAME.toml`` beside the file first, then a
  bundled one) or a path to a file (relative to this file). Without it a file
  inherits ``baseline``; ``baseline`` itself, and any file saying
  ``inherits = "defaults"``, starts from the model's documented defaults.
* ``weeks`` and ``seeds`` are inherited too when a file does not set them.
* Everything is checked before any run: unknown keys (with a did-you-mean),
  wrong types, values out of range (with the range), unknown parents,
  inheritance cycles, malformed TOML (file and line) and missing files all raise
  :class:`sim.errors.UserError` with the problem on the first line.

Example:
    >>> from sim.scenarios import load_scenario
    >>> sc = load_scenario("touchpoints")
    >>> sc.parent, sc.params.touchpoints > load_scenario("baseline").params.touchpoints
    ('baseline', True)
"""

from __future__ import annotations

import dataclasses
import os
import reprlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from numbers import Integral
from pathlib import Path
from typing import Any

from sim import calendar
from sim.errors import UserError
from sim.hints import did_you_mean
from sim.inputs import (
    MAX_INHERITS,
    NAME_RE,
    check_int,
    check_name,
    describe_value,
    read_toml,
)
from sim.params import ParameterError, Params

__all__ = [
    "DEFAULTS",
    "DEFAULT_SEEDS",
    "DEFAULT_WEEKS",
    "SEEDS_RANGE",
    "WEEKS_RANGE",
    "Scenario",
    "bundled_dir",
    "bundled_names",
    "bundled_scenarios",
    "is_path_like",
    "load_scenario",
    "load_scenarios",
]

#: Weeks simulated when no scenario in the chain says otherwise (two survey waves).
DEFAULT_WEEKS = calendar.DEFAULT_WEEKS  # two years after the redesign starts
#: Replicates (seeds) when no scenario in the chain says otherwise.
DEFAULT_SEEDS = 8
#: Allowed ranges of the ``weeks`` and ``seeds`` keys.
WEEKS_RANGE = (1, 1040)
SEEDS_RANGE = (1, 1000)
#: The reserved parent name meaning "the model's documented defaults".
DEFAULTS = "defaults"
#: The scenario every file inherits from unless it says otherwise.
BASELINE = "baseline"

#: Keys a scenario file may have, with their type.
_KEYS: dict[str, type] = {
    "name": str,
    "title": str,
    "description": str,
    "recommendation": str,
    "inherits": str,
    "weeks": int,
    "seeds": int,
    "order": int,
    "params": dict,
}
_TYPE_NAMES = {str: "a string", int: "an integer", dict: "a table", float: "a number"}


@dataclass(frozen=True)
class Scenario:
    """One validated scenario: its parameters and run defaults, with where they came from.

    Attributes:
        name: short identifier (``baseline``, ``touchpoints`` ...).
        title: one-line human title.
        description: what the scenario represents.
        recommendation: which of the report's recommendations it tests.
        params: the full, validated parameter set (inherited values included).
        changes: the parameters this scenario's own file sets (its diff from its parent).
        weeks: default number of weeks to simulate.
        seeds: default number of replicates.
        path: the file it was read from (``None`` for scenarios built in code).
        parent: the name of the scenario it inherits from (``None`` for a root).
        order: position in listings (bundled scenarios: baseline first, combined last).

    A Scenario built in code is checked as a file is: the name as a file's
    ``name``, ``weeks`` and ``seeds`` within their ranges, ``params`` a
    :class:`~sim.params.Params` (a mapping is refused: it would start from the
    model's defaults, not the calibrated baseline) and ``changes`` valid
    parameter values by name (numpy scalars stored as plain ints and floats).

    Raises:
        UserError: for any field of the wrong type or out of range.
    """

    name: str
    title: str
    params: Params
    description: str = ""
    recommendation: str = ""
    changes: Mapping[str, int | float] = field(default_factory=dict)
    weeks: int = DEFAULT_WEEKS
    seeds: int = DEFAULT_SEEDS
    path: Path | None = None
    parent: str | None = None
    order: int = 100

    def __post_init__(self) -> None:
        at = "Scenario"
        check_name("scenario", self.name, where=at)
        for key in ("title", "description", "recommendation"):
            _check_str(at, key, getattr(self, key))
        if self.parent is not None:
            _check_str(at, "parent", self.parent)
        if not isinstance(self.params, Params):
            hint = (
                "; build one with Params(**values), or start from a scenario:"
                " load_scenario('baseline').with_overrides(**values)"
                if isinstance(self.params, Mapping)
                else ""
            )
            raise UserError(
                f"{at}: 'params' has the wrong type: expected a Params,"
                f" got {_describe(self.params)}{hint}"
            )
        if not isinstance(self.changes, Mapping):
            raise UserError(
                f"{at}: 'changes' has the wrong type: expected a mapping of parameter values,"
                f" got {_describe(self.changes)}"
            )
        try:  # names, types and ranges as for any parameter values
            checked = Params.from_mapping(self.changes)
        except ParameterError as exc:
            raise UserError(f"{at}: changes: {exc}") from None
        changes = {  # as given, but numpy scalars as the parameter's int or float
            key: value if type(value) in (int, float) else getattr(checked, key)
            for key, value in self.changes.items()
        }
        if self.path is not None and not isinstance(self.path, str | os.PathLike):
            raise UserError(
                f"{at}: 'path' has the wrong type: expected a path or None,"
                f" got {_describe(self.path)}"
            )
        if isinstance(self.order, bool) or not isinstance(self.order, Integral):
            raise UserError(
                f"{at}: 'order' has the wrong type: expected an integer,"
                f" got {_describe(self.order)}"
            )
        # Frozen: normalise as Params does, to plain types (np.int64 -> int, str -> Path).
        normal = {
            "weeks": check_int("weeks", self.weeks, WEEKS_RANGE, where=at),
            "seeds": check_int("seeds", self.seeds, SEEDS_RANGE, where=at),
            "changes": changes,
            "path": None if self.path is None else Path(self.path),
            "order": int(self.order),
        }
        for key, value in normal.items():
            object.__setattr__(self, key, value)

    def with_overrides(
        self, *, weeks: int | None = None, seeds: int | None = None, **params: Any
    ) -> Scenario:
        """Return a copy with parameters (and optionally weeks or seeds) overridden.

        Args:
            weeks: new default number of weeks.
            seeds: new default number of replicates.
            **params: parameter values, validated like :class:`~sim.params.Params`.

        Raises:
            UserError: for an unknown parameter, a wrong type or a value out of range.
        """
        new_weeks = self.weeks if weeks is None else check_int("weeks", weeks, WEEKS_RANGE)
        new_seeds = self.seeds if seeds is None else check_int("seeds", seeds, SEEDS_RANGE)
        new_params = self.params.replace(**params) if params else self.params
        return dataclasses.replace(
            self,
            params=new_params,
            changes={**self.changes, **params},
            weeks=new_weeks,
            seeds=new_seeds,
        )

    def describe(self) -> str:
        """Return a few lines describing the scenario and what it changes."""
        lines = [f"{self.name}: {self.title}"]
        if self.recommendation:
            lines.append(f"  tests: {self.recommendation}")
        lines.append(f"  inherits: {self.parent or DEFAULTS}")
        if self.changes:
            lines.append("  changes: " + ", ".join(f"{k}={v:g}" for k, v in self.changes.items()))
        return "\n".join(lines)


# ----------------------------------------------------------------------------- locations
def bundled_dir() -> Path:
    """Return the folder holding the bundled scenario files.

    In a source checkout (or an editable install) that is the project's
    ``scenarios/`` folder; a wheel ships the same files as ``sim/_scenarios/``.
    """
    here = Path(__file__).resolve().parent
    candidates = (here.parent / "scenarios", here / "_scenarios")
    for cand in candidates:
        if (cand / f"{BASELINE}.toml").is_file():
            return cand
    return candidates[0]


def bundled_names() -> list[str]:
    """Return the names of the bundled scenarios in listing order (baseline first)."""
    return [sc.name for sc in bundled_scenarios()]


def bundled_scenarios() -> list[Scenario]:
    """Load every bundled scenario, in listing order (baseline first, combined last)."""
    loader = _Loader()
    found = [loader.load_path(p) for p in sorted(bundled_dir().glob("*.toml"))]
    return sorted(found, key=lambda sc: (sc.order, sc.name))


def _bundled_stems() -> list[str]:
    return sorted(p.stem for p in bundled_dir().glob("*.toml"))


def is_path_like(ref: str | os.PathLike[str]) -> bool:
    """Return whether a scenario reference is a file path rather than a bundled name."""
    if isinstance(ref, os.PathLike):
        return True
    return ref.endswith(".toml") or "/" in ref or os.sep in ref


# ----------------------------------------------------------------------------- loading
def load_scenario(ref: str | os.PathLike[str] | Scenario) -> Scenario:
    """Load a scenario by bundled name (``"baseline"``) or by path (``"my/file.toml"``).

    Args:
        ref: a bundled scenario's name, a path to a TOML file, or a Scenario (returned as is).

    Returns:
        The validated scenario, with everything it inherits resolved.

    Raises:
        UserError: on any problem (a reference of another type included); the first
            line of the message names it.
    """
    if isinstance(ref, Scenario):
        return ref
    return _Loader().load_ref(ref, base_dir=None, referrer=None)


def load_scenarios(
    refs: Iterable[str | os.PathLike[str] | Scenario] | str | os.PathLike[str] | Scenario,
) -> list[Scenario]:
    """Load several scenarios, refusing two with the same name.

    Args:
        refs: scenario references as :func:`load_scenario` takes them (bundled
            names, paths, Scenarios). A single reference is a list of one:
            ``load_scenarios("baseline")`` loads the baseline (not the scenarios
            ``b``, ``a``, ...). The same scenario named twice is loaded once.

    Returns:
        The scenarios, in the order given.

    Raises:
        UserError: on any problem with any of them, ``refs`` that is not a list of
            references, or a duplicate name.
    """
    if isinstance(refs, str | os.PathLike | Scenario):
        refs = [refs]
    elif isinstance(refs, bytes | Mapping | Params) or not isinstance(refs, Iterable):
        raise UserError(
            "scenarios must be a list of bundled names, paths to .toml files or Scenarios;"
            f" got {_describe(refs)}"
        )
    out: list[Scenario] = []
    seen: dict[str, Scenario] = {}
    loader = _Loader()
    for ref in refs:
        sc = ref if isinstance(ref, Scenario) else loader.load_ref(ref, None, None)
        if sc.name in seen:
            if seen[sc.name].path == sc.path and seen[sc.name].params == sc.params:
                continue  # the same scenario named twice: run it once
            first, again = seen[sc.name], sc
            if first.path is not None and again.path is not None and first.path != again.path:
                raise UserError(
                    f"duplicate scenario name '{sc.name}' ({first.path}, {again.path});"
                    " give each file its own name ="
                )
            raise UserError(
                f"duplicate scenario name '{sc.name}': two different scenarios have it (one"
                " changed in code, e.g. by with_overrides); give each its own name, e.g."
                f" dataclasses.replace(scenario, name='{sc.name}_2')"
            )
        seen[sc.name] = sc
        out.append(sc)
    return out


class _Loader:
    """Resolves references and inheritance, with a cache and a stack for cycle detection."""

    def __init__(self) -> None:
        self._cache: dict[Path, Scenario] = {}
        self._stack: list[tuple[Path, Path, str]] = []

    def load_ref(
        self, ref: str | os.PathLike[str], base_dir: Path | None, referrer: Path | None
    ) -> Scenario:
        if not isinstance(ref, str | os.PathLike):
            hint = ""
            if isinstance(ref, Mapping | Params):
                hint = (
                    "; for parameter values start from a scenario:"
                    " load_scenario('baseline').with_overrides(**values)"
                )
            elif isinstance(ref, bytes):
                hint = "; decode bytes to str"
            raise UserError(
                "a scenario is named by a bundled name (str), a path to a .toml file,"
                f" or a Scenario; got {_describe(ref)}{hint}"
            )
        return self.load_path(self._resolve(ref, base_dir, referrer))

    def _resolve(
        self, ref: str | os.PathLike[str], base_dir: Path | None, referrer: Path | None
    ) -> Path:
        if is_path_like(ref):
            path = Path(ref).expanduser()
            if base_dir is not None and not path.is_absolute():
                path = base_dir / path
            if not path.exists():
                where = f"{referrer}: inherits " if referrer else ""
                raise UserError(f"{where}scenario file not found: {path}")
            return path
        ref = str(ref)
        if base_dir is not None and (base_dir / f"{ref}.toml").is_file():
            return base_dir / f"{ref}.toml"
        bundled = bundled_dir() / f"{ref}.toml"
        if NAME_RE.fullmatch(ref) and bundled.is_file():
            return bundled
        available = _bundled_stems()
        if base_dir is not None:
            local = sorted(p.stem for p in base_dir.glob("*.toml"))
            available = sorted(set(available) | set(local))
        hint = did_you_mean(ref, available)
        listing = f"\navailable: {', '.join(available)}"
        if referrer is not None:
            raise UserError(
                f"{referrer}: unknown parent scenario '{ref}' in inherits{hint}{listing}"
            )
        if not ref.strip():
            raise UserError(
                f"the scenario name is empty: give a bundled name or a file's path{listing}"
            )
        path_hint = (
            f"; to read the file of that name, write it as a path: ./{ref}"
            if Path(ref).is_file()
            else ""
        )
        raise UserError(f"unknown scenario '{ref}'{hint}{path_hint}{listing}")

    def load_path(self, path: Path) -> Scenario:
        key = path.resolve()
        if key in self._cache:
            return self._cache[key]
        if any(k == key for k, _, _ in self._stack):
            chain = [name for _, _, name in self._stack]
            start = next(i for i, (k, _, _) in enumerate(self._stack) if k == key)
            cycle = " -> ".join([*chain[start:], chain[start]])
            raise UserError(f"{self._stack[-1][1]}: inheritance cycle: {cycle}")
        if len(self._stack) >= MAX_INHERITS:
            raise UserError(
                f"{self._stack[0][1]}: the inherits chain is longer than {MAX_INHERITS} files:"
                f" allowed at most {MAX_INHERITS}"
            )
        data = read_toml(path, "scenario file")
        name = _validate_top(path, data)
        self._stack.append((key, path, name))
        try:
            sc = self._build(path, name, data)
        finally:
            self._stack.pop()
        self._cache[key] = sc
        return sc

    def _build(self, path: Path, name: str, data: dict[str, Any]) -> Scenario:
        inherits = data.get("inherits")
        if inherits is None:
            inherits = DEFAULTS if name == BASELINE or path.stem == BASELINE else BASELINE
        if inherits == DEFAULTS:
            parent = None
            base = Scenario(name=DEFAULTS, title="Model defaults", params=Params())
        else:
            parent = self.load_ref(inherits, base_dir=path.parent, referrer=path)
            base = parent
        changes = dict(data.get("params", {}))
        try:
            params = base.params.replace(**changes) if changes else base.params
        except ParameterError as exc:
            raise UserError(f"{path}: [params] {exc}") from None
        return Scenario(
            name=name,
            title=data.get("title", name),
            description=" ".join(data.get("description", "").split()),
            recommendation=data.get("recommendation", ""),
            params=params,
            changes=changes,
            weeks=data.get("weeks", base.weeks),
            seeds=data.get("seeds", base.seeds),
            path=path,
            parent=parent.name if parent else None,
            order=data.get("order", 100),
        )


def _validate_top(path: Path, data: dict[str, Any]) -> str:
    """Check the top-level keys of a parsed file; return the scenario's name."""
    params = set(Params.names())
    for key, value in data.items():
        if key not in _KEYS:
            if key in params:
                raise UserError(
                    f"{path}: unknown key '{key}': it is a parameter, put it under [params]"
                )
            hint = did_you_mean(key, _KEYS)
            raise UserError(f"{path}: unknown key '{key}'{hint} (allowed: {', '.join(_KEYS)})")
        want = _KEYS[key]
        if isinstance(value, bool) or not isinstance(value, want):
            extra = ""
            if key == "weeks":
                extra = f" from {WEEKS_RANGE[0]} to {WEEKS_RANGE[1]}"
            elif key == "seeds":
                extra = f" from {SEEDS_RANGE[0]} to {SEEDS_RANGE[1]}"
            elif key == "params":
                extra = " ([params] followed by name = value lines)"
            raise UserError(
                f"{path}: '{key}' has the wrong type: expected {_TYPE_NAMES[want]}{extra},"
                f" got {describe_value(value)}"
            )
    try:
        if "weeks" in data:
            check_int("weeks", data["weeks"], WEEKS_RANGE)
        if "seeds" in data:
            check_int("seeds", data["seeds"], SEEDS_RANGE)
    except UserError as exc:
        raise UserError(f"{path}: {exc}") from None
    name = data.get("name", path.stem)
    check_name("scenario", name, where=str(path))
    if name == DEFAULTS:
        raise UserError(f"{path}: name '{DEFAULTS}' is reserved for the model's defaults")
    inherits = data.get("inherits")
    if inherits is not None and not inherits.strip():
        raise UserError(f"{path}: 'inherits' is empty: name a scenario, a file or 'defaults'")
    for key, value in data.get("params", {}).items():
        if isinstance(value, dict | list):
            # The Params check names unknown keys first; catch nested tables here.
            if key not in params:
                break
            raise UserError(
                f"{path}: [params] {key} has the wrong type: expected a number,"
                f" got {describe_value(value)}"
            )
    return name


def _check_str(at: str, key: str, value: Any) -> None:
    """Refuse a field that should be a string, in the words of the file checks."""
    if not isinstance(value, str):
        raise UserError(
            f"{at}: '{key}' has the wrong type: expected a string, got {_describe(value)}"
        )


def _describe(value: Any) -> str:
    """Name a value's type and show it briefly: ``dict {'touchpoints': 1}``, ``None``."""
    if value is None:
        return "None"
    if isinstance(value, Params):
        return "a Params (parameter values)"
    return f"{type(value).__name__} {reprlib.repr(value)}"
