"""The model's parameters: one typed, documented set with units, ranges and sources.

Every parameter has a default, a unit, an allowed range, a one-line meaning, a
kind and a source. The kinds are:

* ``structure``: the organisation being simulated (size, spans, ties).
* ``lever``: a redesign lever from the report (what a strategist changes).
* ``behaviour``: a behavioural rate or weight without direct evidence: a candidate for
  calibration (the calibration frees only ``sim.calibration.FREE_PARAMETERS``).
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
import math
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass
from numbers import Integral, Real
from typing import Any, get_args

from sim.errors import UserError
from sim.hints import did_you_mean
from sim.inputs import check_number
from sim.model_params import RULE_CONSTANTS as RULE_CONSTANTS  # re-exported: its home before
from sim.model_params import Kind, ModelParams
from sim.model_params import param as _p


class ParameterError(UserError, ValueError):
    """An invalid parameter name or value; the message names the parameter and what is allowed."""


@dataclass(frozen=True)
class Params(ModelParams):
    """All parameters of the workplace model, validated on construction.

    Construct with keyword arguments; anything not given takes its default.
    ``Params.describe()`` lists every parameter as a table. The fields of the
    structure, the levers, behaviour and evidence are declared in
    :class:`sim.model_params.ModelParams`; the rules' constants below.
    """

    # --- rule constants: managers' time and coaching (sim.rules.manage) ----------
    report_time: float = _p(
        0.03,
        0.0,
        0.2,
        "working weeks per report",
        "evidence",
        "weekly management time per direct report (about 1.2 hours)",
        "Gallup 2026a (10.9 reports per manager on average in 2024, a median of five to six); "
        "Gittell 2001",
    )
    steer_time: float = _p(
        0.03,
        0.0,
        0.2,
        "working weeks per report",
        "behaviour",
        "extra weekly time per report for steering the team's AI integration, at full adoption",
        "the report (middle managers steer AI integration under corporate policy)",
    )
    coach_full: float = _p(
        0.02,
        0.001,
        0.2,
        "working weeks per report",
        "structure",
        "coaching time per report per week that counts as full coaching (about 50 minutes)",
        "assumption: a weekly one-to-one of about 50 minutes is full coaching",
    )
    training_load_relief: float = _p(
        0.3,
        0.0,
        1.0,
        "share of management load",
        "behaviour",
        "share of management load a fully trained manager saves",
        "assumption; Gittell 2001 (manager skill and span)",
    )
    untrained_coaching_quality: float = _p(
        0.5,
        0.0,
        1.0,
        "share of full coaching",
        "behaviour",
        "value of an untrained manager's coaching time; training adds the rest",
        "assumption; Frazier et al. 2017 (leader behaviour and safety)",
    )
    executive_support: float = _p(
        0.25,
        0.0,
        1.0,
        "share of full coaching",
        "behaviour",
        "peer support executives get without manager training (training adds as for coaching)",
        "assumption",
    )
    safety_coaching_weight: float = _p(
        0.25,
        0.0,
        1.0,
        "climate per unit",
        "behaviour",
        "how much coaching above 0.5 raises a team's psychological safety",
        "Edmondson 1999; Frazier et al. 2017 (leader coaching shapes safety)",
    )
    safety_touch_weight: float = _p(
        0.25,
        0.0,
        1.0,
        "climate per unit",
        "behaviour",
        "how much full touchpoints (touch_hours_full) raise a team's psychological safety",
        "Edmondson 1999 (team reflection and open feedback build safety)",
    )
    safety_rate: float = _p(
        0.05,
        0.001,
        1.0,
        "per week",
        "behaviour",
        "weekly share of the gap to the climate leaders and members sustain that a team closes",
        "climates change over months (Schneider, Ehrhart & Macey 2013)",
    )
    touch_hours_full: float = _p(
        10.0,
        0.5,
        40.0,
        "hours per week",
        "structure",
        "touchpoint hours a week that count as full contact with coworkers",
        "assumption: about two hours a working day",
    )
    safety_ties_weight: float = _p(
        0.25,
        0.0,
        1.0,
        "climate per unit",
        "behaviour",
        "how much a team's mean connection above 0.5 raises its psychological safety",
        "Edmondson 1999 (team climate); Frazier et al. 2017",
    )

    # --- rule constants: adoption, learning and productivity ----------------------
    experiment_full: float = _p(
        0.1,
        0.001,
        1.0,
        "working weeks",
        "behaviour",
        "free time per week that counts as a full learning input for experimentation (4 hours)",
        "calibrated (sim.calibration.FREE_PARAMETERS): no study measures how much time to "
        "experiment makes a full learning input; the report names time to experiment as a "
        "driver of gains",
    )
    manager_ai_fit: float = _p(
        1.70,
        0.2,
        5.0,
        "times an individual contributor's",
        "evidence",
        "how much better AI fits a middle manager's tasks (writing, planning, analysing, "
        "coordinating) than an individual contributor's: multiplies the pull to adopt",
        "set so that managers' odds of using AI at work are 1.8 times the individual "
        "contributors', as in Gallup's workforce survey of 30 October to 13 November 2025 "
        "(22,368 employed adults: 55% against 40% at least a few times a year; "
        "scripts/anchor_role_fit.py)",
    )
    executive_ai_fit: float = _p(
        1.61,
        0.2,
        5.0,
        "times an individual contributor's",
        "evidence",
        "how much better AI fits an executive's tasks than an individual contributor's: "
        "multiplies the pull to adopt",
        "set so that leaders' odds of using AI at work are 3.3 times the individual "
        "contributors', as in Gallup's workforce survey of 30 October to 13 November 2025 "
        "(69% against 40% at least a few times a year; scripts/anchor_role_fit.py)",
    )
    demand_ai_fit: float = _p(
        0.5,
        0.0,
        1.5,
        "log fit per SD of job demands",
        "behaviour",
        "how much better AI fits a job the more demanding it is beyond its hours: the job's "
        "AI fit is exp(demand_ai_fit j - demand_ai_fit^2 / 2) (mean 1), with j its demands; it "
        "multiplies both the pull to adopt and the gain per hour",
        "direction from the task-exposure studies (generative AI's exposure is highest in "
        "cognitively demanding, well-paid knowledge work: Eloundou et al. 2024; Felten, Raj & "
        "Seamans 2021), the jobs whose cognitive load also weighs on exhaustion (Karasek 1979); "
        "the size is calibrated",
    )
    habit_rate: float = _p(
        0.2,
        0.0,
        1.0,
        "per week",
        "behaviour",
        "rate at which teammates pick up embedded freelancers' AI habits",
        "Bandura 1977 (social learning)",
    )
    freelancer_exposure_full: float = _p(
        0.25,
        0.01,
        1.0,
        "share of tie weight",
        "structure",
        "share of one's ties going to freelancers at which exposure to their habits is full",
        "assumption",
    )
    novice_gain: float = _p(
        0.3,
        0.0,
        1.0,
        "share of a proficient user's gain",
        "evidence",
        "gain a novice gets from AI relative to a proficient user",
        "Dell'Acqua et al. 2023 (skill and AI complementarity); Brynjolfsson, Li & Raymond 2025",
    )
    credit_half_life: float = _p(
        26.0,
        1.0,
        520.0,
        "weeks",
        "behaviour",
        "half-life of what one remembers of the causes of one's gains",
        "Hogarth & Einhorn 1992 (recency in belief updating); assumption of half a year",
    )

    # --- rule constants: planning of work -----------------------------------------
    planning_rate: float = _p(
        0.1,
        0.001,
        1.0,
        "per week",
        "behaviour",
        "share of the gap to the target workload closed each week as work is re-planned",
        "assumption: quarterly planning closes most of the gap within a quarter",
    )
    vacancy_cover: float = _p(
        0.5,
        0.0,
        1.0,
        "share of a position's work",
        "behaviour",
        "share of a vacant teammate's work that the rest of the team absorbs",
        "assumption",
    )

    # --- rule constants: exhaustion and its cost ----------------------------------
    burnout_steepness: float = _p(
        2.5,
        0.5,
        30.0,
        "logit per unit",
        "evidence",
        "steepness of the exhaustion level set by demands against resources",
        "a moderate slope: workload then correlates about 0.17 with exhaustion across "
        "employees without AI, within the mostly weak associations of longitudinal studies "
        "(Shoman et al. 2022; cross-sectional self-reports, about 0.4 in Alarcon 2011, are "
        "inflated by common method); threshold and spreads then match Gallup 2018 (7,500 US "
        "full-time employees: 23% burnt out very often or always, exhaustion above 0.5; 67% "
        "at least sometimes, above 0.25); Bakker & Demerouti 2007 (JD-R)",
    )
    burnout_trait_spread: float = _p(
        1.29,
        0.0,
        3.0,
        "logit",
        "evidence",
        "spread of individual proneness to exhaustion, at equal demands and resources",
        "personality carries about a third of the variance of exhaustion (Swider & "
        "Zimmerman 2010: multiple correlation 0.57; Alarcon, Eschleman & Bowling 2009); "
        "set with job_demand_spread and burnout_threshold from Gallup 2018 (see "
        "burnout_steepness) and that correlation",
    )
    job_demand_spread: float = _p(
        1.41,
        0.0,
        3.0,
        "logit",
        "evidence",
        "spread of the demands of positions' jobs beyond their hours (emotional and "
        "cognitive load, role conflict), at equal workload and resources",
        "set with burnout_trait_spread so that the proneness trait correlates 0.57 with "
        "exhaustion, personality's multiple correlation with exhaustion in meta-analysis "
        "(Swider & Zimmerman 2010; a heritable share near a third in twins, Blom et al. "
        "2012); the rest of the spread is the job's (Karasek 1979; Lee & Ashforth 1996)",
    )
    freelance_demand_shift: float = _p(
        -0.89,
        -3.0,
        3.0,
        "standard deviations of jobs' demands",
        "evidence",
        "demands of freelance work beyond its hours, relative to employees' jobs (no "
        "employer's hierarchy, politics or role conflict), in exhaustion only",
        "set so that freelancers before AI are burnt out very often 0.57 times as often as "
        "employees: the self-employed report burnout complaints 8 to 9% against 15% of "
        "employees (TNO and CBS, Dutch surveys of the self-employed 2015 and 2017 and of "
        "employees), one in nine against one in five in 2023 (CBS); lower stress for "
        "more job control (Hessels, Rietveld & van der Zwan 2017)",
    )
    manager_demand_shift: float = _p(
        0.28,
        -3.0,
        3.0,
        "standard deviations of jobs' demands",
        "evidence",
        "demands of middle managers' work beyond its hours, relative to individual "
        "contributors' jobs (caught between the levels above and below, people problems, "
        "role conflict), in exhaustion only",
        "set so that managers before AI are burnt out very often or always 1.16 times as "
        "often as individual contributors, the mean of three surveys from before "
        "generative AI: Gallup 2021 (US) 35% of people managers against about 27% of "
        "individual contributors, Future Forum August 2022 43% against 40%, Microsoft Work "
        "Trend Index pulse July-August 2022 53% against 48%",
    )
    executive_demand_shift: float = _p(
        0.30,
        -3.0,
        3.0,
        "standard deviations of jobs' demands",
        "evidence",
        "demands of executives' work beyond its hours, relative to individual "
        "contributors' jobs (responsibility for the whole, with more control over how "
        "to meet it), in exhaustion only",
        "set so that executives before AI are burnt out very often or always 0.80 times "
        "as often as individual contributors: Future Forum, August 2022 (10,766 desk "
        "workers in six countries), 32% of executives against 40% of individual "
        "contributors (37% of senior managers, 43% of middle managers)",
    )
    burnout_threshold: float = _p(
        0.616,
        0.0,
        2.0,
        "demand units",
        "evidence",
        "excess of demands over resources at which the exhaustion target is one half",
        "set with the two spreads from Gallup 2018's prevalence before AI (see burnout_steepness)",
    )
    burnout_rise: float = _p(
        0.1,
        0.001,
        1.0,
        "per week",
        "behaviour",
        "weekly rate at which exhaustion rises towards the level demands set (months to build)",
        "Maslach & Leiter 2016 (exhaustion builds over months)",
    )
    ambiguity_weight: float = _p(
        0.3,
        0.0,
        2.0,
        "weight",
        "behaviour",
        "weight of role ambiguity (AI use without alignment) among the demands",
        "Rizzo, House & Lirtzman 1970 (role ambiguity)",
    )
    burnout_effort_loss: float = _p(
        0.3,
        0.0,
        1.0,
        "share of output",
        "evidence",
        "share of full effort lost at full exhaustion",
        "Taris 2006 (exhaustion and performance)",
    )

    # --- rule constants: trust in AI ------------------------------------------------
    reliability_base: float = _p(
        0.6,
        0.0,
        1.0,
        "share",
        "evidence",
        "reliability of a novice's AI output relative to tool quality",
        "Lee & See 2004; Dell'Acqua et al. 2023 (the jagged frontier)",
    )
    reliability_skill: float = _p(
        0.4,
        0.0,
        1.0,
        "share",
        "evidence",
        "reliability that full proficiency adds relative to tool quality",
        "Lee & See 2004; Dell'Acqua et al. 2023",
    )
    failure_salience: float = _p(
        0.5,
        0.0,
        1.0,
        "per week per unit unreliability",
        "behaviour",
        "chance per week that a full user meets a salient AI failure, per unit unreliability",
        "Dietvorst, Simmons & Massey 2015 (algorithm aversion after seeing errors)",
    )
    trust_asymmetry: float = _p(
        3.0,
        1.0,
        20.0,
        "x trust_rate",
        "evidence",
        "how many times faster trust falls after a failure than it builds",
        "Yang et al. 2017; Slovic 1993 (trust asymmetry)",
    )

    # --- rule constants: ties and anthropomorphism ----------------------------------
    daily_contact: float = _p(
        0.2,
        0.0,
        1.0,
        "contact intensity",
        "behaviour",
        "everyday work contact that keeps ties alive without any programme",
        "assumption",
    )
    coaching_contact: float = _p(
        0.3,
        0.0,
        1.0,
        "contact per unit",
        "behaviour",
        "contact that coaching brings, per unit of coaching",
        "assumption",
    )
    peer_contact: float = _p(
        0.3,
        0.0,
        1.0,
        "contact per unit",
        "behaviour",
        "contact that connected neighbours bring, per unit of their mean connection",
        "assumption; Burt 2000",
    )
    tie_build: float = _p(
        0.05,
        0.0,
        0.5,
        "per week per unit contact",
        "behaviour",
        "weekly tie building per unit of contact",
        "Burt 2000 (ties need upkeep)",
    )
    tie_decay: float = _p(
        0.01,
        0.0,
        0.5,
        "per week",
        "evidence",
        "weekly decay of ties without upkeep",
        "Burt 2000 (decay of network ties)",
    )
    anthro_fade: float = _p(
        0.02,
        0.0,
        0.5,
        "per week",
        "behaviour",
        "weekly fading of anthropomorphism when AI is not used",
        "assumption",
    )

    # --- rule constants: alignment and intention to quit ----------------------------
    align_rate: float = _p(
        0.107,
        0.0,
        1.0,
        "per week",
        "behaviour",
        "weekly rate at which clarity and managers' communication build alignment",
        "Locke & Latham 2002; Likert 1961; set with alignment_drift so that, before AI, "
        "about 45% of employees are unclear on how their work ties to strategy (Sull, "
        "Homkes & Sull 2015: 55% of middle managers could name one of their company's top "
        "five priorities)",
    )
    alignment_drift: float = _p(
        1 / 52,
        0.0,
        1.0,
        "per week",
        "evidence",
        "weekly drift of alignment as priorities change: what one understood of the "
        "strategy goes out of date and must be rebuilt",
        "priorities are reset about once a year in the annual planning cycle (Mankins & "
        "Steele 2006, 'Stop making plans; start making decisions', HBR), so one year's "
        "understanding fades with a time constant of about a year; before AI it leaves "
        "many employees unclear on strategy, as Sull, Homkes & Sull 2015 found (only 55% "
        "of middle managers could name one of their company's top five priorities)",
    )
    intention_rate: float = _p(
        0.2,
        0.001,
        1.0,
        "per week",
        "behaviour",
        "weekly share of the gap to the strain-implied intention closed (intentions are sticky)",
        "assumption; Mobley 1977",
    )
    quit_weight_burnout: float = _p(
        0.5,
        0.0,
        1.0,
        "weight",
        "evidence",
        "weight of burnout in an employee's strain towards quitting",
        "Griffeth, Hom & Gaertner 2000 (burnout among the strongest predictors)",
    )
    quit_strain_midpoint: float = _p(
        0.228,
        0.0,
        1.0,
        "strain units",
        "evidence",
        "strain at which an employee's intention to quit reaches one half",
        "set with quit_intention_slope so that, in the steady state without AI, 30% of "
        "employees consider leaving and burnt-out employees quit twice as often as the rest: "
        "Gallup 2017, State of the American Workplace (51% searching for or watching for a new "
        "job, about half of them actively); Griffeth, Hom & Gaertner 2000",
    )
    quit_weight_ties: float = _p(
        0.2,
        0.0,
        1.0,
        "weight",
        "evidence",
        "weight of missing ties to coworkers in an employee's strain",
        "Mitchell et al. 2001 (job embeddedness)",
    )
    quit_weight_alignment: float = _p(
        0.1,
        0.0,
        1.0,
        "weight",
        "behaviour",
        "weight of misalignment in an employee's strain",
        "Griffeth, Hom & Gaertner 2000 (commitment)",
    )
    quit_weight_outside: float = _p(
        0.2,
        0.0,
        1.0,
        "weight",
        "behaviour",
        "weight of outside options (AI skills the labour market values) in strain",
        "March & Simon 1958; Trevor 2001 (ease of movement)",
    )
    quit_weight_other: float = _p(
        0.197,
        0.0,
        1.0,
        "weight per standard deviation",
        "evidence",
        "weight in strain of one's other reasons to leave (pay, career, life outside work), "
        "a persistent personal push",
        "set with the other constants before AI so that exhaustion and intention to quit "
        "correlate as in the field, about 0.44 (Lee & Ashforth 1996, meta-analysis); turnover "
        "has many antecedents besides burnout (Griffeth, Hom & Gaertner 2000)",
    )
    freelancer_quit_weight_burnout: float = _p(
        0.7,
        0.0,
        1.0,
        "weight",
        "behaviour",
        "weight of burnout in a freelancer's strain",
        "assumption",
    )
    freelancer_quit_weight_autonomy: float = _p(
        0.3,
        0.0,
        1.0,
        "weight",
        "behaviour",
        "weight of missing autonomy in a freelancer's strain",
        "assumption; Karasek 1979",
    )

    # --- rule constants: freelance engagements ------------------------------------
    freelancer_gap: int = _p(
        2,
        0,
        52,
        "weeks",
        "evidence",
        "weeks a freelance position stays open between engagements",
        "assumption (Upwork freelance surveys: short gaps between engagements)",
    )

    def __new__(cls, *args: Any, **kwargs: Any) -> Params:
        """Name an unknown keyword, with a did-you-mean (``__init__`` would raise TypeError)."""
        _check_names(kwargs)
        return super().__new__(cls)

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            object.__setattr__(self, f.name, _check_value(f, getattr(self, f.name)))

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
        """Build from a mapping (or None) plus keyword overrides, naming any unknown key.

        Raises:
            ParameterError: for ``values`` not a mapping (:func:`check_mapping`), an
                unknown name or a bad value.
        """
        check_mapping("params", values)
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
        """Return parameter names, optionally only those of one kind.

        Raises:
            ParameterError: for a ``kind`` other than None and the four kinds.
        """
        if kind is not None and kind not in get_args(Kind):
            raise ParameterError(
                f"unknown kind of parameter {kind!r} (allowed: {', '.join(get_args(Kind))})"
            )
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


#: The fields of :class:`Params` by name.
_FIELDS: dict[str, dataclasses.Field] = {f.name: f for f in dataclasses.fields(Params)}


def _type_of(f: dataclasses.Field) -> type:
    return {"int": int, "float": float}[f.type if isinstance(f.type, str) else f.type.__name__]


def _fmt(x: float) -> str:
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _check_names(values: Mapping[str, Any]) -> None:
    for key in values:
        if key not in _FIELDS:
            hint = did_you_mean(str(key).lower(), sorted(_FIELDS)) or (
                " (Params.describe() or `workplace-sim scenarios --details` lists them)"
            )
            raise ParameterError(f"unknown parameter '{key}'{hint}")


def check_mapping(what: str, values: Any, *, params_ok: bool = False) -> None:
    """Refuse all but None or a mapping of parameter values (or a Params, if ``params_ok``).

    Raises:
        ParameterError: naming ``what`` and what it got, with a hint for a scenario's name,
            a Scenario or a Params.
    """
    if values is None or isinstance(values, Mapping) or (params_ok and isinstance(values, Params)):
        return
    if isinstance(values, str):
        got = f"string {values!r}; for a scenario's parameters use load_scenario({values!r}).params"
    elif isinstance(values, Params):
        got = "a Params; pass it as is (params.replace(...) changes values)"
    elif isinstance(getattr(values, "params", None), Params):
        got = f"a {type(values).__name__}; use its parameters: scenario.params"
    else:
        got = f"{type(values).__name__} {reprlib.repr(values)}"
    expected = "a Params or a mapping" if params_ok else "a mapping"
    raise ParameterError(
        f"{what} has the wrong type: expected {expected} of parameter values such as"
        f" {{'n_agents': 500}}, got {got}"
    )


def coerce(name: str, value: Any) -> int | float:
    """Convert ``value`` (a number or a string such as ``"0.3"``) to the type of ``name``.

    The type is checked as :class:`Params` checks it (numpy scalars are numbers, booleans
    and None are not) and the value must be finite; the range is left to :class:`Params`.

    Raises:
        ParameterError: if ``name`` is unknown or ``value`` is not a number of the right type.
    """
    _check_names({name: value})
    f = _FIELDS[name]
    if isinstance(value, str):
        try:
            value = int(value) if _type_of(f) is int else float(value)
        except ValueError:
            kind = "an integer" if _type_of(f) is int else "a number"
            raise ParameterError(
                f"{name}={value!r} is not {kind}: expected {_expected(f)}"
            ) from None
    return _check_value(f, value, check_range=False)


def _expected(f: dataclasses.Field) -> str:
    """Say what ``f`` takes: ``an integer from 10 to 10,000,000 (agents)``."""
    kind = "an integer" if _type_of(f) is int else "a number"
    lo, hi = _fmt(f.metadata["lo"]), _fmt(f.metadata["hi"])
    return f"{kind} from {lo} to {hi} ({f.metadata['unit']})"


def _check_value(f: dataclasses.Field, value: Any, *, check_range: bool = True) -> int | float:
    """Return ``value`` as ``f``'s type if it is a number of that type within ``f``'s range.

    Any real number fits a float parameter (numpy scalars too; ``bool`` is no number here,
    and ``np.bool_`` no ``Real``); an integer parameter takes a whole one (``100``, ``100.0``).

    Raises:
        ParameterError: naming the parameter, its range and its unit.
    """
    typ, lo, hi, unit = _type_of(f), f.metadata["lo"], f.metadata["hi"], f.metadata["unit"]
    whole = isinstance(value, Integral) or (isinstance(value, Real) and float(value).is_integer())
    if isinstance(value, bool) or not isinstance(value, Real) or (typ is int and not whole):
        raise ParameterError(f"{f.name}={value!r} has the wrong type: expected {_expected(f)}")
    if isinstance(value, Integral):
        try:
            check_number(f.name, int(value))  # too long for any range, or for a float
        except UserError as exc:
            raise ParameterError(str(exc)) from None
    if math.isfinite(value) and (not check_range or lo <= value <= hi):
        return typ(value)
    shown = value if type(value) in (int, float) else typ(value)  # np.int64(5) shows as 5
    raise ParameterError(
        f"{f.name}={shown} is out of range: allowed {_fmt(lo)} to {_fmt(hi)} ({unit})"
    )
