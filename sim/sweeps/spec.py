"""Sweep specs: which parameters to vary, how to sample them, and what to keep.

A sweep spec is a small TOML file (or the same content as a Python dict)::

    name = "levers"
    title = "The five redesign levers"
    scenario = "baseline"      # base scenario: a bundled name or a path (relative to this file)
    design = "lhs"             # grid | lhs | sobol | morris
    points = 64                # lhs: points; sobol: base samples N; morris: trajectories
    seeds = 2                  # replicates per point (the same seeds at every point)
    weeks = 104                # default: the base scenario's
    root_seed = 2025           # seeds and the design's sample both derive from it

    [params]                   # fixed changes on top of the scenario, for every run
    n_agents = 500

    [vary]                     # a range (min, max) or a list of values per parameter
    output_conversion = { min = 0.2, max = 0.9 }
    touchpoints = { min = 0.5, max = 6.0 }
    manager_training = [0.0, 0.5, 1.0]
    trust_rate = "prior"       # a calibrated rate over its prior's range

    [outputs]
    outcomes = ["burnout_share", "output"]   # true outcomes (default: all of them)
    survey = ["burnout"]                     # survey items (default: none)
    groups = ["all", "top_quartile"]         # survey groups (default: all)
    waves = [2025]                           # survey waves (default: the run's last wave)
    series = ["burnout_share"]               # weekly series (default: none; true: all)

    [sensitivity]                            # read by ``workplace-sim sensitivity``
    outputs = ["top_quartile_burnout_share", "output"]

Everything is checked when the spec is loaded, before any run: each problem
raises :class:`sim.errors.UserError` with a one-line message that starts with
the file name.

Example:
    >>> from sim.sweeps.spec import load_spec
    >>> spec = load_spec({"vary": {"touchpoints": [0.1, 0.5]}, "seeds": 2})
    >>> spec.design, spec.n_points, spec.n_runs
    ('grid', 2, 4)
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import reprlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Integral, Real
from pathlib import Path
from typing import Any

import numpy as np

from sim.calibration.priors import PRIOR_BOUNDS
from sim.errors import UserError
from sim.hints import did_you_mean
from sim.inputs import (
    ROOT_SEED_RANGE,
    check_depth,
    check_int,
    check_name,
    check_numbers,
    describe_value,
    read_toml,
)
from sim.model import OUTCOMES, SERIES
from sim.params import Params
from sim.scenarios import bundled_dir, is_path_like, load_scenario
from sim.survey import GROUPS, ITEMS, RELATIVE_RISK

__all__ = [
    "DESIGNS",
    "Factor",
    "Outputs",
    "SweepSpec",
    "bundled_specs",
    "bundled_specs_dir",
    "load_spec",
    "survey_column",
]

#: Sampling designs a spec may name.
DESIGNS = ("grid", "lhs", "sobol", "morris")
#: Most runs one sweep may plan.
MAX_RUNS = 10_000_000
#: Allowed ranges of counts in a spec.
SEEDS_RANGE = (1, 1000)
WEEKS_RANGE = (1, 1040)
POINTS_RANGE = (1, 1_000_000)
LEVELS_RANGE = (2, 1000)
BATCH_RANGE = (1, 100_000)
#: Default grid levels of a range (grid designs) and Morris levels.
DEFAULT_GRID_LEVELS = 3
DEFAULT_MORRIS_LEVELS = 4
DEFAULT_ROOT_SEED = 2025

_TOP_KEYS: dict[str, tuple[type, ...]] = {
    "name": (str,),
    "title": (str,),
    "description": (str,),
    "scenario": (str,),
    "design": (str,),
    "points": (int,),
    "levels": (int,),
    "second_order": (bool,),
    "seeds": (int,),
    "weeks": (int,),
    "root_seed": (int,),
    "batch_size": (int,),
    "params": (dict,),
    "vary": (dict,),
    "outputs": (dict,),
    "sensitivity": (dict,),
}
#: The allowed range of each integer key, given when its value has the wrong type.
_INT_RANGES: dict[str, tuple[int, int]] = {
    "points": POINTS_RANGE,
    "levels": LEVELS_RANGE,
    "seeds": SEEDS_RANGE,
    "weeks": WEEKS_RANGE,
    "root_seed": ROOT_SEED_RANGE,
    "batch_size": BATCH_RANGE,
}
_OUTPUT_KEYS = ("outcomes", "survey", "groups", "waves", "series")
_SENSITIVITY_KEYS = ("outputs", "conf_level")
_RANGE_KEYS = ("min", "max", "levels")
#: A ``[vary]`` value that takes a calibrated parameter's range from its prior.
PRIOR = "prior"
_TYPE_NAMES = {
    str: "a string",
    int: "an integer",
    bool: "true or false",
    dict: "a table",
    float: "a number",
    list: "a list",
}


def survey_column(item: str, group: str, wave: int) -> str:
    """Return the column name of a kept survey value: ``survey.ITEM.GROUP.WAVE``."""
    return f"survey.{item}.{group}.{wave}"


# ----------------------------------------------------------------------------- factors
@dataclass(frozen=True)
class Factor:
    """One varied parameter: a continuous range or a list of values.

    Attributes:
        name: the parameter's name (a :class:`~sim.params.Params` field).
        lo: lower end of a range (``None`` for a list).
        hi: upper end of a range (``None`` for a list).
        values: the values of a list (``None`` for a range).
        levels: grid levels of a range (grid designs only).
        integer: whether the parameter takes whole numbers (sampled values are rounded).
    """

    name: str
    lo: float | None = None
    hi: float | None = None
    values: tuple[int | float, ...] | None = None
    levels: int | None = None
    integer: bool = False

    @property
    def is_range(self) -> bool:
        """Whether the factor is a continuous range (else a list of values)."""
        return self.values is None

    def bounds(self) -> tuple[float, float]:
        """Return the factor's bounds in sample space (a list samples its index in [0, n))."""
        if self.is_range:
            return float(self.lo), float(self.hi)  # type: ignore[arg-type]
        return 0.0, float(len(self.values))  # type: ignore[arg-type]

    def grid(self, default_levels: int) -> list[int | float]:
        """Return the factor's values in a full-factorial grid.

        An integer parameter's levels are rounded, and a level that rounds to the
        same whole number as the one before is dropped: ``{ min = 1, max = 3,
        levels = 5 }`` gives 1, 2, 3 (not 1, 2, 2, 2, 3), so no point is run twice.
        """
        if not self.is_range:
            return list(self.values)  # type: ignore[arg-type]
        n = self.levels or default_levels
        values = [self._cast(x) for x in np.linspace(self.lo, self.hi, n)]  # type: ignore[arg-type]
        return list(dict.fromkeys(values)) if self.integer else values

    def from_sample(self, x: np.ndarray) -> list[int | float]:
        """Map raw samples (within :meth:`bounds`) to parameter values."""
        if self.is_range:
            x = np.clip(x, self.lo, self.hi)
            return [self._cast(v) for v in x]
        n = len(self.values)  # type: ignore[arg-type]
        idx = np.clip(np.floor(x).astype(np.int64), 0, n - 1)
        return [self.values[i] for i in idx]  # type: ignore[index]

    def _cast(self, v: float) -> int | float:
        return round(float(v)) if self.integer else float(v)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able description."""
        if self.is_range:
            out: dict[str, Any] = {"min": self.lo, "max": self.hi}
            if self.levels:
                out["levels"] = self.levels
            return out
        return {"values": list(self.values)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class Outputs:
    """What each run keeps.

    Attributes:
        outcomes: names of true outcomes (:data:`sim.model.OUTCOMES`).
        survey: survey items kept, for every group in ``groups`` and wave in ``waves``.
        groups: survey groups.
        waves: survey waves (2024 at week 52, 2025 at week 104).
        series: weekly series kept (:data:`sim.model.SERIES`).
    """

    outcomes: tuple[str, ...]
    survey: tuple[str, ...] = ()
    groups: tuple[str, ...] = ("all",)
    waves: tuple[int, ...] = ()
    series: tuple[str, ...] = ()

    def survey_keys(self) -> list[tuple[str, str, int]]:
        """Return every kept ``(item, group, wave)``."""
        return [(i, g, w) for w in self.waves for i in self.survey for g in self.groups]

    def columns(self) -> list[str]:
        """Return the output columns of the run table, in order."""
        return [*self.outcomes, *(survey_column(*k) for k in self.survey_keys())]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-able description."""
        return {
            "outcomes": list(self.outcomes),
            "survey": list(self.survey),
            "groups": list(self.groups),
            "waves": list(self.waves),
            "series": list(self.series),
        }


# ----------------------------------------------------------------------------- the spec
@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep spec.

    Attributes:
        name: short name (used for the default output folder).
        title: one-line title.
        description: what the sweep explores.
        scenario: the name of the base scenario.
        base: every run's parameters before the varied ones are set (scenario plus ``[params]``).
        fixed: the ``[params]`` changes on top of the scenario.
        factors: the varied parameters.
        design: ``grid``, ``lhs``, ``sobol`` or ``morris``.
        points: the design's size (see the module docs; ``None`` for a grid).
        levels: grid levels of ranges (grid) or Morris levels.
        second_order: compute second-order Sobol indices (Sobol designs).
        seeds: replicates per point.
        weeks: weeks each run simulates.
        root_seed: root of the replicate seeds and of the design's sample.
        outputs: what each run keeps.
        sensitivity_outputs: outputs analysed by ``workplace-sim sensitivity``.
        conf_level: confidence level of sensitivity intervals.
        batch_size: runs per task (``None``: chosen automatically); never changes a result.
        path: the file the spec was read from (``None`` for a dict).
    """

    name: str
    title: str
    base: Params
    factors: tuple[Factor, ...]
    outputs: Outputs
    scenario: str = "baseline"
    description: str = ""
    fixed: Mapping[str, int | float] = field(default_factory=dict)
    design: str = "grid"
    points: int | None = None
    levels: int | None = None
    second_order: bool = False
    seeds: int = 1
    weeks: int = 104
    root_seed: int = DEFAULT_ROOT_SEED
    sensitivity_outputs: tuple[str, ...] = ()
    conf_level: float = 0.95
    batch_size: int | None = None
    path: Path | None = None

    # ------------------------------------------------------------------ sizes
    @property
    def names(self) -> list[str]:
        """Names of the varied parameters."""
        return [f.name for f in self.factors]

    @property
    def n_points(self) -> int:
        """Number of parameter points the design has."""
        d = len(self.factors)
        if self.design == "grid":
            levels = self.levels or DEFAULT_GRID_LEVELS
            return math.prod(len(f.grid(levels)) for f in self.factors)
        if self.design == "lhs":
            return int(self.points)  # type: ignore[arg-type]
        if self.design == "sobol":
            return int(self.points) * (2 * d + 2 if self.second_order else d + 2)  # type: ignore[operator]
        return int(self.points) * (d + 1)  # type: ignore[operator]

    @property
    def n_runs(self) -> int:
        """Number of runs: points times seeds."""
        return self.n_points * self.seeds

    @property
    def morris_levels(self) -> int:
        """Grid levels of a Morris design."""
        return self.levels or DEFAULT_MORRIS_LEVELS

    # ------------------------------------------------------------------ identity
    def identity(self) -> dict[str, Any]:
        """Return everything that determines the runs and their kept values (JSON-able)."""
        return {
            "base": self.base.to_dict(),
            "factors": {f.name: f.to_dict() for f in self.factors},
            "design": self.design,
            "points": self.points,
            "levels": self.levels,
            "second_order": self.second_order,
            "seeds": self.seeds,
            "weeks": self.weeks,
            "root_seed": self.root_seed,
            "outputs": self.outputs.to_dict(),
        }

    def fingerprint(self) -> str:
        """Return a short hash of :meth:`identity`: equal hashes, the same runs."""
        text = json.dumps(self.identity(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        """Return the spec as a JSON-able dict (written to the output folder's manifest)."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "scenario": self.scenario,
            "fixed": dict(self.fixed),
            **self.identity(),
            "sensitivity": {
                "outputs": list(self.sensitivity_outputs),
                "conf_level": self.conf_level,
            },
            "path": str(self.path) if self.path else None,
        }

    def describe(self) -> str:
        """Return one line describing the sweep's size."""
        what = ", ".join(self.names)
        text = (
            f"sweep '{self.name}': {self.design} design over {len(self.factors)} parameter(s)"
            f" ({what}), {self.n_points:,} points x {self.seeds} seed(s) = {self.n_runs:,} runs"
            f" of {self.weeks} weeks"
        )
        if self.design == "grid":
            levels = self.levels or DEFAULT_GRID_LEVELS
            for f in self.factors:
                asked = f.levels or levels
                got = len(f.grid(levels))
                if f.is_range and f.integer and got < asked:
                    text += (
                        f"; {f.name}: {got} of {asked} levels once rounded to whole numbers"
                        " (repeats dropped)"
                    )
        return text


# ----------------------------------------------------------------------------- loading
def bundled_specs_dir() -> Path:
    """Return the folder of the bundled sweep specs (``scenarios/sweeps``)."""
    return bundled_dir() / "sweeps"


def bundled_specs() -> list[str]:
    """Return the names of the bundled sweep specs."""
    return sorted(p.stem for p in bundled_specs_dir().glob("*.toml"))


def load_spec(
    ref: SweepSpec | str | os.PathLike[str] | Mapping[str, Any],
    *,
    base_dir: str | os.PathLike[str] | None = None,
) -> SweepSpec:
    """Load and check a sweep spec.

    A dict spec built in Python may hold numpy scalars (``np.int64(2)`` seeds,
    ``np.float32`` bounds, ``np.bool_`` flags) and numpy arrays or tuples of values
    in ``[vary]``; they count as the Python numbers and lists they stand for.

    Args:
        ref: a :class:`SweepSpec` (returned as is), a path to a TOML file, the name of a
            bundled spec (``"levers"``), or a dict with the same content as a file.
        base_dir: folder that relative scenario paths in a dict spec are resolved against
            (default: the current folder).

    Returns:
        The validated spec.

    Raises:
        UserError: on any problem, with a one-line message naming it.
    """
    if isinstance(ref, SweepSpec):
        return ref
    if base_dir is not None and not isinstance(base_dir, str | os.PathLike):
        raise UserError(
            f"base_dir={reprlib.repr(base_dir)} has the wrong type: expected a folder's path"
            " (a str or os.PathLike) or None"
        )
    if isinstance(ref, Mapping):
        where = "sweep spec"
        return _build(dict(ref), where, None, Path(base_dir) if base_dir else Path.cwd())
    if not isinstance(ref, str | os.PathLike):
        raise UserError(
            f"spec={reprlib.repr(ref)} has the wrong type: expected a spec file's path, a"
            " bundled spec's name, a dict with a spec file's content or a SweepSpec"
        )
    path = _resolve_path(ref)
    data = read_toml(path, "sweep spec")
    return _build(data, str(path), path, path.parent)


def _resolve_path(ref: str | os.PathLike[str]) -> Path:
    text = os.fspath(ref)
    if not isinstance(text, str):
        raise UserError(f"spec={ref!r} has the wrong type: expected a path as text, not bytes")
    if not text.strip():
        names = ", ".join(bundled_specs())
        raise UserError(f"the sweep spec is empty: give a spec file or a bundled name ({names})")
    path = Path(text)
    if path.is_file() or (path.exists() and not path.is_dir()):
        return path  # a device or a pipe is refused when read, with its own message
    if not (text.endswith(".toml") or "/" in text or os.sep in text):
        cand = bundled_specs_dir() / f"{text}.toml"
        if cand.is_file():
            return cand
        names = bundled_specs()
        hint = did_you_mean(text, names)
        listing = f" (bundled: {', '.join(names)})" if names else ""
        raise UserError(f"unknown sweep spec '{text}'{hint}{listing}")
    if path.is_dir():
        raise UserError(f"{path}: is a directory, not a sweep spec file")
    raise UserError(f"sweep spec file not found: {path}")


def _unknown(where: str, what: str, key: str, allowed: Sequence[str]) -> UserError:
    hint = did_you_mean(key, allowed)
    return UserError(f"{where}: unknown {what} '{key}'{hint} (allowed: {', '.join(allowed)})")


def _plain(value: Any) -> Any:
    """Return a numpy scalar as the Python number it holds, an array or tuple as a list."""
    if isinstance(value, np.ndarray | tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _str_list(
    where: str, key: str, value: Any, allowed: Sequence[Any], what: str
) -> tuple[Any, ...]:
    value = _plain(value)
    if isinstance(value, str | int) and not isinstance(value, bool):
        value = [value]
    if not isinstance(value, list):
        raise UserError(
            f"{where}: '{key}' has the wrong type: expected a list, got {describe_value(value)}"
        )
    out = []
    for v in value:
        if v not in allowed or isinstance(v, bool):
            if isinstance(v, str):
                raise _unknown(where, what, v, allowed)
            raise UserError(
                f"{where}: {key} has {describe_value(v)}: allowed {', '.join(map(str, allowed))}"
            )
        if v not in out:
            out.append(v)
    return tuple(out)


def _check_types(where: str, data: dict[str, Any]) -> None:
    params = set(Params.names())
    for key, value in data.items():
        if key not in _TOP_KEYS:
            if key in params:
                raise UserError(
                    f"{where}: unknown key '{key}': it is a parameter, put it under [params]"
                    " (fixed) or [vary] (varied)"
                )
            raise _unknown(where, "key", key, list(_TOP_KEYS))
        want = _TOP_KEYS[key]
        if bool in want:
            ok = isinstance(value, bool | np.bool_)
        elif int in want:  # numpy integers too; bool is not a count
            ok = isinstance(value, Integral) and not isinstance(value, bool)
        else:
            ok = isinstance(value, want)
        if not ok:
            expected = _TYPE_NAMES[want[0]]
            if key in _INT_RANGES:
                lo, hi = _INT_RANGES[key]
                expected += f" from {lo} to {hi}"
            raise UserError(
                f"{where}: '{key}' has the wrong type: expected {expected},"
                f" got {describe_value(value)}"
            )


def _factor(where: str, name: str, value: Any) -> Factor:
    spec = Params.spec()
    if name not in spec:
        hint = did_you_mean(name, spec)
        raise UserError(f"{where}: [vary] unknown parameter '{name}'{hint}")
    s = spec[name]
    integer = s["type"] is int
    lo, hi = s["lo"], s["hi"]
    span = f"allowed {_fmt(lo)} to {_fmt(hi)} ({s['unit']})"
    label = f"{where}: [vary] {name}"

    def check(v: Any, what: str) -> int | float:
        if isinstance(v, bool | np.bool_) or not isinstance(v, Real):
            raise UserError(f"{label}: {what} {describe_value(v)} is not a number; {span}")
        v = _plain(v)
        if integer and not float(v).is_integer():
            raise UserError(f"{label}: {what} {v!r} is not a whole number; {span}")
        if not math.isfinite(v) or not lo <= v <= hi:
            raise UserError(f"{label}: {what} {v!r} is out of range: {span}")
        return int(v) if integer else float(v)

    if isinstance(value, str) and value == PRIOR:
        lo_prior, hi_prior = _prior_bounds(label, name)
        a, b = check(lo_prior, "min"), check(hi_prior, "max")
        return Factor(name, lo=float(a), hi=float(b), integer=integer)
    if isinstance(value, np.ndarray) and value.ndim != 1:
        raise UserError(
            f"{label}: an array of values must be one-dimensional, this one has shape {value.shape}"
        )
    if isinstance(value, np.ndarray | tuple):
        value = list(value)  # the values' numpy types are checked one by one
    if isinstance(value, list):
        if not value:
            raise UserError(f"{label}: the list of values is empty")
        values = tuple(check(v, "value") for v in value)
        if len(set(values)) != len(values):
            raise UserError(f"{label}: the list of values repeats a value")
        return Factor(name, values=values, integer=integer)
    if isinstance(value, dict):
        for key in value:
            if key not in _RANGE_KEYS:
                raise _unknown(label, "key", key, _RANGE_KEYS)
        if "min" not in value or "max" not in value:
            raise UserError(
                f"{label}: a range needs both min and max, e.g. {{ min = 0.1, max = 0.9 }}"
            )
        a, b = check(value["min"], "min"), check(value["max"], "max")
        if not a < b:
            raise UserError(f"{label}: min {a!r} must be below max {b!r}")
        levels = None
        if "levels" in value:
            levels = check_int("levels", value["levels"], LEVELS_RANGE, label)
        return Factor(name, lo=float(a), hi=float(b), levels=levels, integer=integer)
    raise UserError(
        f"{label}: expected a range {{ min = ..., max = ... }}, a list of values or"
        f' "{PRIOR}", got {describe_value(value)}'
    )


def _prior_bounds(label: str, name: str) -> tuple[float, float]:
    """The bounds of a calibrated parameter's prior (``name = "prior"`` in ``[vary]``)."""
    if name not in PRIOR_BOUNDS:
        raise UserError(
            f'{label}: "{PRIOR}" is allowed only for the calibrated parameters'
            f" ({', '.join(PRIOR_BOUNDS)}); give a range {{ min = ..., max = ... }} instead"
        )
    return PRIOR_BOUNDS[name]


def _fmt(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _outputs(where: str, data: dict[str, Any], weeks: int) -> Outputs:
    for key in data:
        if key not in _OUTPUT_KEYS:
            raise _unknown(f"{where}: [outputs]", "key", key, _OUTPUT_KEYS)
    w = f"{where}: [outputs]"
    outcomes = _str_list(w, "outcomes", data.get("outcomes", list(OUTCOMES)), OUTCOMES, "outcome")
    survey = _str_list(w, "survey", data.get("survey", []), ITEMS, "survey item")
    groups = _str_list(
        w, "groups", data.get("groups", ["all"]), (*GROUPS, RELATIVE_RISK), "survey group"
    )
    waves_possible = [wave for week, wave in ((52, 2024), (104, 2025)) if weeks >= week]
    series_raw = _plain(data.get("series", []))
    if series_raw is True:
        series_raw = list(SERIES)
    elif series_raw is False:
        series_raw = []
    series = _str_list(w, "series", series_raw, SERIES, "series")
    waves: tuple[int, ...] = ()
    if survey:
        if not waves_possible:
            raise UserError(
                f"{w} survey items need weeks >= 52 (the first survey wave), the sweep has {weeks}"
            )
        if "waves" in data:
            waves = _str_list(w, "waves", data["waves"], (2024, 2025), "wave")
            missing = [x for x in waves if x not in waves_possible]
            if missing:
                raise UserError(
                    f"{w} wave {missing[0]} is not reached in {weeks} weeks"
                    f" (2024 at week 52, 2025 at week 104)"
                )
        else:
            waves = (waves_possible[-1],)
        if not groups:
            raise UserError(f"{w} groups is empty: name at least one survey group")
    elif "waves" in data:
        _str_list(w, "waves", data["waves"], (2024, 2025), "wave")
    if not outcomes and not survey and not series:
        raise UserError(f"{w} keeps nothing: name outcomes, survey items or series")
    return Outputs(outcomes=outcomes, survey=survey, groups=groups, waves=waves, series=series)


def _build(data: dict[str, Any], where: str, path: Path | None, base_dir: Path) -> SweepSpec:
    check_depth(where, data)
    try:
        check_numbers("", data)
    except UserError as exc:
        raise UserError(f"{where}: {exc}") from None
    _check_types(where, data)
    name = data.get("name") or (path.stem if path else "sweep")
    check_name("sweep", name, where=where)

    # --- base scenario and fixed changes
    ref = data.get("scenario", "baseline")
    if is_path_like(ref) and not Path(ref).is_absolute():
        ref = str(base_dir / ref)
    try:
        scenario = load_scenario(ref)
    except UserError as exc:
        raise UserError(f"{where}: scenario: {str(exc).splitlines()[0]}") from None
    fixed = {key: _plain(value) for key, value in data.get("params", {}).items()}
    for key, value in fixed.items():
        if isinstance(value, dict | list):
            if key not in Params.names():
                break
            raise UserError(f"{where}: [params] {key} has the wrong type: expected a number")
    try:
        base = scenario.params.replace(**fixed) if fixed else scenario.params
    except UserError as exc:
        raise UserError(f"{where}: [params] {exc}") from None

    # --- factors
    vary = data.get("vary", {})
    if not vary:
        raise UserError(f"{where}: [vary] is missing or empty: name at least one parameter to vary")
    factors = tuple(_factor(where, k, v) for k, v in vary.items())
    both = sorted(set(fixed) & set(vary))
    if both:
        raise UserError(f"{where}: '{both[0]}' is both fixed in [params] and varied in [vary]")

    # --- design
    design = data.get("design", "grid")
    if design not in DESIGNS:
        raise _unknown(where, "design", design, DESIGNS)
    points = data.get("points")
    levels = data.get("levels")
    if levels is not None:
        levels = check_int("levels", levels, LEVELS_RANGE, where)
        if design not in ("grid", "morris"):
            raise UserError(f"{where}: 'levels' applies to grid and morris designs, not {design}")
    if design == "grid":
        if points is not None:
            raise UserError(
                f"{where}: 'points' does not apply to a grid design: the grid has one point per"
                " combination (set levels for ranges instead)"
            )
    else:
        if points is None:
            what = {
                "lhs": "the number of points",
                "sobol": "the number of base samples N, a power of 2 (runs: N x (D + 2) x seeds)",
                "morris": "the number of trajectories (runs: r x (D + 1) x seeds)",
            }[design]
            raise UserError(f"{where}: a {design} design needs 'points': {what}")
        points = check_int("points", points, POINTS_RANGE, where)
        if design == "sobol" and points & (points - 1):
            lower = 1 << (points.bit_length() - 1)
            raise UserError(
                f"{where}: points={points} must be a power of 2 for a Sobol design"
                f" (e.g. {lower} or {lower * 2})"
            )
        if design == "morris" and points < 2:
            raise UserError(f"{where}: a morris design needs at least 2 trajectories (points)")
        if design in ("sobol", "morris") and len(factors) < 2:
            raise UserError(f"{where}: a {design} design needs at least 2 varied parameters")
    second_order = bool(data.get("second_order", False))  # a bool or np.bool_
    if second_order and design != "sobol":
        raise UserError(f"{where}: 'second_order' applies to sobol designs only")
    if design != "grid" and any(f.levels for f in factors):
        bad = next(f for f in factors if f.levels)
        raise UserError(
            f"{where}: [vary] {bad.name}: 'levels' applies to grid designs only, not {design}"
        )

    # --- counts
    seeds = check_int("seeds", data.get("seeds", 1), SEEDS_RANGE, where)
    weeks = check_int("weeks", data.get("weeks", scenario.weeks), WEEKS_RANGE, where)
    root_seed = check_int(
        "root_seed", data.get("root_seed", DEFAULT_ROOT_SEED), ROOT_SEED_RANGE, where
    )
    batch_size = data.get("batch_size")
    if batch_size is not None:
        batch_size = check_int("batch_size", batch_size, BATCH_RANGE, where)

    outputs = _outputs(where, data.get("outputs", {}), weeks)

    # --- sensitivity
    sens = data.get("sensitivity", {})
    for key in sens:
        if key not in _SENSITIVITY_KEYS:
            raise _unknown(f"{where}: [sensitivity]", "key", key, _SENSITIVITY_KEYS)
    columns = outputs.columns()
    sens_outputs = _str_list(
        f"{where}: [sensitivity]", "outputs", sens.get("outputs", columns), columns, "output"
    )
    conf = _plain(sens.get("conf_level", 0.95))
    if isinstance(conf, bool) or not isinstance(conf, int | float):
        raise UserError(
            f"{where}: [sensitivity] conf_level has the wrong type: expected a number from 0.5"
            f" to below 1 (0.95: 95% intervals), got {describe_value(conf)}"
        )
    if not 0.5 <= conf < 1:
        raise UserError(
            f"{where}: [sensitivity] conf_level={conf!r} is out of range: allowed 0.5 to below 1"
        )

    spec = SweepSpec(
        name=name,
        title=data.get("title", name),
        description=" ".join(data.get("description", "").split()),
        scenario=scenario.name,
        base=base,
        fixed=fixed,
        factors=factors,
        design=design,
        points=points,
        levels=levels,
        second_order=second_order,
        seeds=seeds,
        weeks=weeks,
        root_seed=root_seed,
        outputs=outputs,
        sensitivity_outputs=tuple(sens_outputs),
        conf_level=float(conf),
        batch_size=batch_size,
        path=path,
    )
    if spec.n_runs > MAX_RUNS:
        raise UserError(
            f"{where}: the sweep plans {spec.n_runs:,} runs, more than {MAX_RUNS:,}:"
            " use fewer points, levels or seeds"
        )
    return spec
