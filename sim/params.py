"""The model's parameters: one typed, documented set with units, ranges and sources.

Every parameter has a default, a unit, an allowed range, a one-line meaning, a
kind and a source. The kinds are:

* ``structure``: the organisation being simulated (size, spans, ties).
* ``lever``: a redesign lever from the report (what a strategist changes).
* ``behaviour``: a behavioural rate the calibration may move.
* ``evidence``: fixed from outside evidence (labour statistics, field studies).

Example:
    >>> from sim.params import Params
    >>> p = Params(n_agents=500, output_conversion=0.3)
    >>> p.n_agents
    500
    >>> Params(output_conversion=2.0)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    sim.params.ParameterError: output_conversion=2.0 is out of range: allowed 0 to 1 ...
"""

from __future__ import annotations

import dataclasses
import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from sim.errors import UserError

Kind = Literal["structure", "lever", "behaviour", "evidence"]


class ParameterError(UserError, ValueError):
    """An invalid parameter name or value; the message names the parameter and what is allowed."""


def _p(
    default: float | int,
    lo: float,
    hi: float,
    unit: str,
    kind: Kind,
    doc: str,
    source: str = "",
) -> Any:
    return field(
        default=default,
        metadata={"lo": lo, "hi": hi, "unit": unit, "kind": kind, "doc": doc, "source": source},
    )


@dataclass(frozen=True)
class Params:
    """All parameters of the workplace model, validated on construction.

    Construct with keyword arguments; anything not given takes its default.
    ``Params.describe()`` lists every parameter as a table.
    """

    # --- structure -------------------------------------------------------------
    n_agents: int = _p(
        1000,
        10,
        10_000_000,
        "agents",
        "structure",
        "total headcount positions: employees plus freelancers",
    )
    freelancer_share: float = _p(
        0.10,
        0.0,
        0.9,
        "share of positions",
        "structure",
        "share of positions filled by freelancers",
    )
    exec_share: float = _p(
        0.02,
        0.0,
        0.2,
        "share of FTEs",
        "structure",
        "share of full-time positions that are executives (at least one)",
    )
    span_of_control: int = _p(
        10,
        2,
        40,
        "reports per manager",
        "structure",
        "direct reports per manager",
        "related coverage of the report: about twice five years ago",
    )
    cross_team_ties: float = _p(
        2.0,
        0.0,
        20.0,
        "ties per FTE",
        "structure",
        "mean number of ties each FTE has to people in other teams",
    )

    # --- levers (the report's five redesigns) -----------------------------------
    employer_training: float = _p(
        0.39,
        0.0,
        1.0,
        "share of FTEs",
        "lever",
        "share of FTEs given employer AI training, tools and incentives",
        "Microsoft & LinkedIn 2024 Work Trend Index: 39% of AI users trained by their company",
    )
    output_conversion: float = _p(
        0.80,
        0.0,
        1.0,
        "share of saved time",
        "lever",
        "share of the time AI saves that is turned into more assigned work",
    )
    touchpoints: float = _p(
        0.10,
        0.0,
        1.0,
        "intensity",
        "lever",
        "intentional human touchpoints: mentoring, team reflection, feedback",
    )
    psych_safety: float = _p(
        0.40, 0.0, 1.0, "climate score", "lever", "baseline psychological-safety climate of teams"
    )
    strategy_clarity: float = _p(
        0.20, 0.0, 1.0, "clarity score", "lever", "clarity of AI goals, norms and governance"
    )
    manager_training: float = _p(
        0.20,
        0.0,
        1.0,
        "skill score",
        "lever",
        "managers' coaching and AI-steering skill (training)",
    )
    freelancer_embedding: float = _p(
        0.20,
        0.0,
        1.0,
        "share of ties",
        "lever",
        "how embedded freelancers are: their habits pass to teammates",
    )

    # --- behaviour (calibration candidates) -------------------------------------
    self_report_optimism: float = _p(
        1.5,
        0.0,
        5.0,
        "x true gross gain",
        "behaviour",
        "extra self-reported gain per unit of gross gain",
        "Humlum & Vestergaard 2025; METR 2025: self-reports exceed measures",
    )
    proficiency_rate: float = _p(
        0.04,
        0.001,
        0.5,
        "per week",
        "behaviour",
        "speed at which AI use turns into proficiency",
        "learning curves, Wright 1936; Brynjolfsson et al. 2025",
    )
    peer_influence: float = _p(
        0.0073,
        0.0,
        1.0,
        "per week",
        "evidence",
        "adoption pull from adopting neighbours (Bass imitation on a graph)",
        "Bass 1969; Valente 1996; Sultan, Farley & Lehmann 1990 (meta-analysis: mean "
        "imitation q = 0.38 a year, 0.0073 a week)",
    )
    demand_sensitivity: float = _p(
        1.0,
        0.2,
        3.0,
        "weight",
        "behaviour",
        "weight of job demands against resources in exhaustion",
        "Bakker & Demerouti 2007 (job demands-resources)",
    )
    skill_rate: float = _p(
        0.03,
        0.001,
        0.5,
        "per week",
        "behaviour",
        "skill and specialisation growth of a full learning-partner AI user with top tools",
        "Dell'Acqua et al. 2023; Brynjolfsson, Li & Raymond 2025 (AI speeds learning)",
    )
    recovery_rate: float = _p(
        0.05,
        0.005,
        1.0,
        "per week",
        "behaviour",
        "how fast exhaustion recovers once demands fall below resources",
        "Sonnentag & Fritz 2015 (recovery)",
    )
    substitution_rate: float = _p(
        0.03,
        0.0,
        0.5,
        "per week",
        "behaviour",
        "how fast ties to coworkers fade as AI replaces interaction",
        "the report; Tang et al. 2023 (AI use and loneliness)",
    )
    trust_rate: float = _p(
        0.06,
        0.0,
        1.0,
        "per week",
        "behaviour",
        "how fast trust in AI follows experienced AI reliability",
        "Lee & See 2004; Hoff & Bashir 2015",
    )
    alignment_erosion: float = _p(
        0.02,
        0.0,
        1.0,
        "per week",
        "behaviour",
        "how fast alignment erodes when AI use outruns strategy",
        "the report (misalignment of heavy users)",
    )
    quit_intention_slope: float = _p(
        5.0,
        0.0,
        20.0,
        "logit per unit",
        "behaviour",
        "how strongly strain drives intention to quit",
        "Mobley 1977; Griffeth et al. 2000",
    )
    visible_gain_weight: float = _p(
        0.7,
        0.0,
        1.0,
        "share",
        "behaviour",
        "weight on reported (not true) gains when work is assigned",
        "the report: output-optimised work systems",
    )
    anthropomorphism_rate: float = _p(
        0.02,
        0.0,
        1.0,
        "per week",
        "behaviour",
        "how fast regular AI users come to treat AI as a social partner",
        "Epley, Waytz & Cacioppo 2007; Nass & Moon 2000",
    )

    # --- fixed from outside evidence --------------------------------------------
    innovation_rate: float = _p(
        0.01,
        0.0,
        0.5,
        "per week",
        "evidence",
        "adoption pull independent of peers (Bass innovation)",
        "Bass 1969; Bick, Blandin & Deming 2024 (fast genAI uptake)",
    )
    true_gain_max: float = _p(
        0.30,
        0.0,
        2.0,
        "share of output",
        "evidence",
        "true gain at full adoption, proficiency and tool quality",
        "Noy & Zhang 2023; Dell'Acqua et al. 2023; Brynjolfsson et al. 2025",
    )
    learning_overhead: float = _p(
        0.30,
        0.0,
        1.0,
        "share of hours",
        "evidence",
        "time cost of learning and checking AI at zero proficiency",
        "Brynjolfsson, Rock & Syverson 2021 (productivity J-curve)",
    )
    tool_quality_start: float = _p(
        0.35,
        0.0,
        1.0,
        "score",
        "evidence",
        "AI tool quality at week 0 (early 2023)",
        "benchmark progress of frontier models 2023-2025",
    )
    tool_quality_midpoint: float = _p(
        60.0,
        0.0,
        520.0,
        "weeks",
        "evidence",
        "week at which tool quality is halfway to its ceiling",
    )
    tool_quality_width: float = _p(
        25.0, 1.0, 260.0, "weeks", "evidence", "width of the logistic tool-quality curve"
    )
    self_upskilling: float = _p(
        0.5,
        0.0,
        1.0,
        "drive score",
        "evidence",
        "mean drive to upskill on one's own initiative (FTEs)",
        "the report's driver shares",
    )
    burnout_contagion: float = _p(
        0.05,
        0.0,
        1.0,
        "per week",
        "evidence",
        "pull of a teammate's exhaustion on one's own",
        "Bakker, Le Blanc & Schaufeli 2005 (burnout contagion)",
    )
    fte_autonomy: float = _p(
        0.45,
        0.0,
        1.0,
        "score",
        "evidence",
        "job autonomy of full-time employees",
        "Karasek 1979; JD-R resources",
    )
    freelancer_autonomy: float = _p(
        0.85,
        0.0,
        1.0,
        "score",
        "evidence",
        "job autonomy of freelancers (self-set load)",
        "the report; Upwork freelance surveys",
    )
    quit_rate_min: float = _p(
        0.04,
        0.0,
        1.0,
        "per year",
        "evidence",
        "yearly quit rate of a content employee",
        "BLS JOLTS, professional and business services",
    )
    quit_rate_max: float = _p(
        0.30,
        0.0,
        1.0,
        "per year",
        "evidence",
        "yearly quit rate of an employee fully intent on leaving",
        "BLS JOLTS; Griffeth et al. 2000 (intention-turnover link)",
    )
    vacancy_weeks: int = _p(
        6,
        0,
        52,
        "weeks",
        "evidence",
        "weeks from a quit to the new hire's start",
        "SHRM benchmarks: about 6 weeks to fill",
    )
    ramp_up_weeks: int = _p(
        12,
        0,
        104,
        "weeks",
        "evidence",
        "weeks until a new hire reaches full output",
        "onboarding studies: 3 to 6 months",
    )
    engagement_weeks: float = _p(
        26.0, 1.0, 260.0, "weeks", "evidence", "mean length of a freelance engagement"
    )
    renewal_rate: float = _p(
        0.6, 0.0, 1.0, "share", "evidence", "share of ending freelance engagements that are renewed"
    )

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            _check_value(f, value)
            object.__setattr__(self, f.name, _type_of(f)(value))

    # ------------------------------------------------------------------ helpers
    def replace(self, **changes: Any) -> Params:
        """Return a copy with ``changes`` applied, validated like the constructor."""
        _check_names(changes)
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """Return the parameters as a plain ``{name: value}`` dictionary."""
        return dataclasses.asdict(self)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any] | None = None, **overrides: Any) -> Params:
        """Build from a mapping plus keyword overrides, naming any unknown key."""
        merged = {**(values or {}), **overrides}
        _check_names(merged)
        return cls(**merged)

    @classmethod
    def spec(cls) -> dict[str, dict[str, Any]]:
        """Return ``{name: {default, type, lo, hi, unit, kind, doc, source}}`` per parameter."""
        out = {}
        for f in dataclasses.fields(cls):
            out[f.name] = {"default": f.default, "type": _type_of(f), **f.metadata}
        return out

    @classmethod
    def names(cls, kind: Kind | None = None) -> list[str]:
        """Return parameter names, optionally only those of one kind."""
        return [n for n, s in cls.spec().items() if kind is None or s["kind"] == kind]

    @classmethod
    def describe(cls) -> str:
        """Return a Markdown table of every parameter (used in docs/ODD.md)."""
        rows = [
            "| name | kind | default | range | unit | meaning | source |",
            "|---|---|---|---|---|---|---|",
        ]
        for name, s in cls.spec().items():
            rows.append(
                f"| `{name}` | {s['kind']} | {s['default']} | {_fmt(s['lo'])} to {_fmt(s['hi'])}"
                f" | {s['unit']} | {s['doc']} | {s['source']} |"
            )
        return "\n".join(rows)


def _type_of(f: dataclasses.Field) -> type:
    return {"int": int, "float": float}[f.type if isinstance(f.type, str) else f.type.__name__]


def _fmt(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _check_names(values: Mapping[str, Any]) -> None:
    known = {f.name for f in dataclasses.fields(Params)}
    for key in values:
        if key not in known:
            near = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            raise ParameterError(f"unknown parameter '{key}'{hint}")


def coerce(name: str, value: Any) -> int | float:
    """Convert ``value`` (a number or a string such as ``"0.3"``) to the type of ``name``.

    Raises:
        ParameterError: if ``name`` is unknown or ``value`` is not a number of the right type.
    """
    _check_names({name: value})
    spec = Params.spec()[name]
    typ = spec["type"]
    if isinstance(value, str):
        try:
            value = int(value) if typ is int else float(value)
        except ValueError:
            raise ParameterError(
                f"{name}={value!r} is not a{'n integer' if typ is int else ' number'}"
            ) from None
    return value


def _check_value(f: dataclasses.Field, value: Any) -> None:
    typ = _type_of(f)
    lo, hi, unit = f.metadata["lo"], f.metadata["hi"], f.metadata["unit"]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParameterError(
            f"{f.name}={value!r} has the wrong type: expected "
            f"{'an integer' if typ is int else 'a number'} from {_fmt(lo)} to {_fmt(hi)} ({unit})"
        )
    if typ is int and not float(value).is_integer():
        raise ParameterError(
            f"{f.name}={value!r} has the wrong type: expected an integer "
            f"from {_fmt(lo)} to {_fmt(hi)} ({unit})"
        )
    if not math.isfinite(value) or not lo <= value <= hi:
        raise ParameterError(
            f"{f.name}={value!r} is out of range: allowed {_fmt(lo)} to {_fmt(hi)} ({unit})"
        )
