"""The workplace model as an EMA Workbench function model.

The `EMA Workbench <https://emaworkbench.readthedocs.io>`_ explores deep
uncertainty: it samples *uncertainties* (what nobody controls) and *levers*
(what a strategist chooses), runs the model for each combination, and finds
the conditions under which a policy works (scenario discovery with PRIM or
CART) or the levers that work best (many-objective optimisation).
:func:`workplace_model` hands it this model::

    from ema_workbench import MultiprocessingEvaluator, perform_experiments
    from ema_workbench.analysis import prim
    from sim.ema import workplace_model

    model = workplace_model(replications=4, constants={"n_agents": 500})
    experiments, outcomes = perform_experiments(model, scenarios=50, policies=8)
    # or, on all cores:
    with MultiprocessingEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=50, policies=8)

* **uncertainties**: behavioural rates (default :data:`DEFAULT_UNCERTAINTIES`),
  each a range ``(lo, hi)``, a list of values, or an EMA parameter;
* **levers**: the report's redesign levers (default: every ``lever``-kind
  parameter over its documented range);
* **outcomes**: true outcomes (:data:`sim.model.OUTCOMES`) and survey values as
  ``(item, group, wave)`` triples, named ``survey_ITEM_GROUP_WAVE``;
* **replications**: a :class:`ema_workbench.ReplicatorModel` runs every
  experiment on the same replicate seeds (spawned from ``root_seed`` as in
  ``workplace-sim run``) and, by default, reports each outcome's mean over them
  (``aggregate=None`` keeps every replication, as outcomes named ``NAME_reps``).

The function EMA calls is :func:`run_workplace`; its numbers are those of
:func:`sim.model.simulate` for the same parameters and seed, so a result found
with the Workbench can be rerun with ``workplace-sim run`` or a sweep.
"""

from __future__ import annotations

import difflib
import functools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from sim.calibration.priors import PRIOR_BOUNDS
from sim.errors import UserError
from sim.experiment.run import Outputs, run_once
from sim.experiment.seeds import spawn_seeds
from sim.extras import require
from sim.inputs import check_int
from sim.model import OUTCOMES
from sim.params import Params
from sim.scenarios import load_scenario
from sim.sweeps.spec import load_spec

__all__ = [
    "DEFAULT_OUTCOMES",
    "DEFAULT_UNCERTAINTIES",
    "from_spec",
    "run_workplace",
    "survey_outcome_name",
    "workplace_model",
]

#: Outcomes reported when none are named.
DEFAULT_OUTCOMES = (
    "top_quartile_burnout_share",
    "burnout_share",
    "annual_quit_rate",
    "true_productivity_gain",
    "effective_output",
)

#: Behavioural rates treated as deep uncertainties by default: the calibrated parameters
#: over their priors (``sim.calibration.FREE_PARAMETERS``, the one source of these ranges).
DEFAULT_UNCERTAINTIES: dict[str, tuple[float, float]] = dict(PRIOR_BOUNDS)

Space = Mapping[str, Any] | Sequence[Any] | None


def _ema(module: str = "") -> Any:
    """The EMA Workbench (or one of its modules), or the message saying how to install it."""
    name = f"ema_workbench.{module}" if module else "ema_workbench"
    return require(name, "ema", "the EMA Workbench adapter")


def survey_outcome_name(item: str, group: str, wave: int) -> str:
    """Return the EMA outcome name of a survey value: ``survey_ITEM_GROUP_WAVE``."""
    return f"survey_{item}_{group}_{wave}"


@functools.lru_cache(maxsize=32)
def _base_params(scenario: str | None) -> Params:
    if scenario is None:
        return Params()
    return load_scenario(scenario).params


def run_workplace(
    seed: int = 2025, base_scenario: str | None = "baseline", weeks: int = 104, **params: Any
) -> dict[str, float]:
    """Run the model once; the function an EMA Workbench model calls.

    Args:
        seed: the run's seed (EMA passes each replication's).
        base_scenario: the scenario the parameters start from (a bundled name or a
            path), ``None`` for the model's defaults.
        weeks: weeks to simulate.
        **params: parameter values (uncertainties, levers, constants) on top of the scenario.

    Returns:
        Every true outcome by name and every survey value as
        ``survey.ITEM.GROUP.WAVE`` (EMA keeps the ones it asks for).
    """
    clean = {k: (v.item() if hasattr(v, "item") else v) for k, v in params.items()}
    for name, value in clean.items():
        if Params.spec().get(name, {}).get("type") is int and isinstance(value, float):
            clean[name] = round(value)
    p = _base_params(base_scenario).replace(**clean)
    out = run_once(p, int(seed), int(weeks), Outputs(outcomes=True, survey=True))
    result = {k: float(v) for k, v in out["outcomes"].items()}
    sv = out["survey"]
    for wave, item, group, value in zip(
        sv["wave"], sv["item"], sv["group"], sv["value"], strict=True
    ):
        result[f"survey.{item}.{group}.{int(wave)}"] = float(value)
    return result


def _parameters(space: Space, kind: str) -> list[Any]:
    """Turn ``{name: (lo, hi) | [values] | EMA parameter}`` into EMA parameters."""
    ema = _ema()
    parameter_class = _ema("em_framework.parameters").Parameter
    if space is None:
        return []
    if not isinstance(space, Mapping):
        items = [(getattr(p, "name", None), p) for p in space]
    else:
        items = list(space.items())
    spec = Params.spec()
    out = []
    for name, value in items:
        if isinstance(value, parameter_class):
            if value.name not in spec:
                raise UserError(f"{kind} '{value.name}' is not a model parameter")
            out.append(value)
            continue
        if name not in spec:
            near = difflib.get_close_matches(str(name), list(spec), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            raise UserError(f"{kind} '{name}' is not a model parameter{hint}")
        s = spec[name]
        if isinstance(value, list):
            for v in value:
                Params(**{name: v})  # range check with the parameter's own message
            out.append(ema.CategoricalParameter(name, value))
            continue
        try:
            lo, hi = value
        except (TypeError, ValueError):
            raise UserError(
                f"{kind} '{name}': expected (lo, hi), a list of values or an EMA parameter"
            ) from None
        Params(**{name: lo})
        Params(**{name: hi})
        if not lo < hi:
            raise UserError(f"{kind} '{name}': lo {lo!r} must be below hi {hi!r}")
        if s["type"] is int:
            out.append(ema.IntegerParameter(name, int(lo), int(hi)))
        else:
            out.append(ema.RealParameter(name, float(lo), float(hi)))
    return out


def _outcomes(
    outcomes: Sequence[str] | None,
    survey: Sequence[tuple[str, str, int]] | None,
    aggregate: Callable[..., Any] | None,
) -> list[Any]:
    ema = _ema()
    names = list(DEFAULT_OUTCOMES if outcomes is None else outcomes)
    for name in names:
        if name not in OUTCOMES:
            raise UserError(f"unknown outcome '{name}': choose from {', '.join(OUTCOMES)}")
    variables = [(n, n) for n in names]
    for item, group, wave in survey or ():
        variables.append((survey_outcome_name(item, group, wave), f"survey.{item}.{group}.{wave}"))

    def make(name: str, variable: str) -> Any:
        if aggregate is None:  # EMA keeps one outcome class per name: a name of its own
            return ema.ArrayOutcome(f"{name}_reps", variable_name=variable, function=_as_array)
        return ema.ScalarOutcome(name, variable_name=variable, function=aggregate)

    return [make(n, v) for n, v in variables]


def _as_array(values: Sequence[float]) -> np.ndarray:
    return np.asarray(values, dtype=float)


def _mean(values: Sequence[float]) -> float:
    vals = [v for v in values if v is not None and not math.isnan(v)]
    return float(np.mean(vals)) if vals else math.nan


def workplace_model(
    name: str = "workplace",
    *,
    scenario: str | None = "baseline",
    uncertainties: Space = None,
    levers: Space = None,
    outcomes: Sequence[str] | None = None,
    survey: Sequence[tuple[str, str, int]] | None = None,
    constants: Mapping[str, Any] | None = None,
    replications: int = 3,
    weeks: int = 104,
    root_seed: int = 2025,
    aggregate: Callable[..., Any] | None = _mean,
) -> Any:
    """Return the workplace model as an EMA Workbench ``ReplicatorModel``.

    Args:
        name: the model's name (a Python identifier).
        scenario: base scenario (bundled name or path); ``None`` for the model's defaults.
        uncertainties: ``{parameter: (lo, hi) | [values] | EMA parameter}``
            (default: :data:`DEFAULT_UNCERTAINTIES`; ``{}`` for none).
        levers: the same for levers (default: every lever over its documented range).
        outcomes: true outcomes to report (default: :data:`DEFAULT_OUTCOMES`).
        survey: survey values to report as ``(item, group, wave)`` triples.
        constants: parameters fixed for every experiment (``{"n_agents": 500}``).
        replications: replicate seeds per experiment.
        weeks: weeks per run.
        root_seed: the replicate seeds are ``sim.runner.spawn_seeds(root_seed, replications)``.
        aggregate: reduces an outcome's replications to one number (default: the
            mean); ``None`` keeps them all (an array per experiment, outcome ``NAME_reps``).

    Returns:
        A :class:`ema_workbench.ReplicatorModel` ready for ``perform_experiments``.

    Raises:
        UserError: for an unknown parameter or outcome, a bad range or count, or a
            missing ``ema_workbench`` (``pip install 'workplace-sim[ema]'``).
    """
    ema = _ema()
    check_int("replications", replications, (1, None))
    if uncertainties is None:
        uncertainties = DEFAULT_UNCERTAINTIES
    if levers is None:
        spec = Params.spec()
        levers = {n: (spec[n]["lo"], spec[n]["hi"]) for n in Params.names("lever")}
    unc = _parameters(uncertainties, "uncertainty")
    lev = _parameters(levers, "lever")
    both = {p.name for p in unc} & {p.name for p in lev}
    if both:
        raise UserError(f"'{sorted(both)[0]}' is both an uncertainty and a lever")
    fixed = dict(constants or {})
    if fixed:
        Params.from_mapping(fixed)  # names and ranges
    clash = set(fixed) & ({p.name for p in unc} | {p.name for p in lev})
    if clash:
        raise UserError(f"'{sorted(clash)[0]}' is both a constant and varied")
    _base_params(scenario)  # fail now on a bad scenario
    model = ema.ReplicatorModel(name, function=run_workplace)
    model.uncertainties = unc
    model.levers = lev
    model.outcomes = _outcomes(outcomes, survey, aggregate)
    model.constants = [
        ema.Constant("base_scenario", scenario),
        ema.Constant("weeks", int(weeks)),
        *(ema.Constant(k, v) for k, v in fixed.items()),
    ]
    model.replications = [{"seed": s} for s in spawn_seeds(root_seed, replications)]
    return model


def from_spec(spec: Any, name: str | None = None, **kwargs: Any) -> Any:
    """Return an EMA model whose uncertainties are a sweep spec's varied parameters.

    The spec's base parameters (scenario plus ``[params]``) become constants, its
    seeds the replications (same seeds as the sweep), its weeks and true outcomes
    the model's; no levers unless given in ``kwargs``.

    Args:
        spec: a sweep spec (file, bundled name, dict or :class:`~sim.sweeps.SweepSpec`).
        name: the model's name (default: the spec's, made a Python identifier).
        **kwargs: passed on to :func:`workplace_model` (``levers=``, ``aggregate=`` ...).
    """
    s = load_spec(spec)
    defaults = Params().to_dict()
    varied = set(s.names) | set(kwargs.get("levers") or {})
    constants = {k: v for k, v in s.base.to_dict().items() if v != defaults[k] and k not in varied}
    space = {f.name: (list(f.values) if not f.is_range else (f.lo, f.hi)) for f in s.factors}
    survey = [(i, g, w) for i, g, w in s.outputs.survey_keys()]
    ident = name or "".join(c if c.isalnum() else "_" for c in s.name)
    if not ident.isidentifier():
        ident = f"sweep_{ident}"
    options = {
        "scenario": None,
        "uncertainties": space,
        "levers": {},
        "outcomes": list(s.outputs.outcomes),
        "survey": survey,
        "constants": constants,
        "replications": s.seeds,
        "weeks": s.weeks,
        "root_seed": s.root_seed,
    }
    options.update(kwargs)
    return workplace_model(ident, **options)
