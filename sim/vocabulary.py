"""Plain words for everything the simulation shows a person: one definition each.

Every outcome, weekly series, compared metric, survey item, respondent group and parameter has
a :class:`Term`: a label a workshop audience understands, its unit, the period it covers and,
where it helps, one longer sentence. The terminal tables (``run``, ``compare``, ``scenarios
--details``, ``sweep``, ``sensitivity``, ``check``), ``report.html`` and the dashboard all take
their words from here. Code names (``burnout_share``, ``driver_employer_training``) stay in
machine outputs (JSON, Parquet, CSV) and in the appendix of ``report.html`` that maps labels to
them (:func:`glossary`).

The words sit low in the layers (they read only :class:`~sim.params.Params`), so that the
experiment layer (the comparison's sentences), the studies (sweep figures, validation
statistics) and the presentation all read the same ones (docs/ARCHITECTURE.md);
:mod:`sim.present.vocabulary` re-exports them.

The tables:

* :data:`OUTCOMES`: the true outcomes of ``m.outcomes()``, read at the end of a run.
* :data:`SERIES`: the weekly columns of ``m.series()`` (and the dashboard's derived ones).
* :data:`METRICS`: what ``compare`` compares (``sim.runner.METRICS``), with its summary heading
  and the noun its sentences use.
* :data:`SURVEY_ITEMS` and :data:`GROUPS`: the synthetic survey's questions and respondents.
* :data:`PARAMETERS`: every :class:`~sim.params.Params` field (unit and meaning from its
  metadata, a short label from here); :data:`LEVERS` is the redesign levers and the dashboard's
  other settings.

Example:
    >>> from sim.vocabulary import OUTCOMES, label, column_label
    >>> OUTCOMES["top_quartile_burnout_share"].label
    'burnt out, top quarter'
    >>> label("fte", "groups")
    'employees'
    >>> column_label("survey.burnout.fte.2025")
    'say they are burnt out (employees, 2025 survey)'
    >>> OUTCOMES["quits"].heading
    'quits (people, over the whole run)'
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from sim.params import Params

__all__ = [
    "GROUPS",
    "LEVERS",
    "METRICS",
    "OUTCOMES",
    "OUTPUT_VS_GAIN",
    "PARAMETERS",
    "SERIES",
    "SURVEY_ITEMS",
    "Term",
    "code_names",
    "column_label",
    "column_term",
    "glossary",
    "label",
    "term",
]


@dataclass(frozen=True)
class Term:
    """What a person reads for one code name.

    Attributes:
        label: short plain label (lower case, fits a legend or a table cell).
        unit: what the number counts ("share of employees", "people", "score 0 to 1").
        period: the time the number covers ("this week", "over the whole run").
        long: one plain sentence for tooltips, notes and docs (defaults to the label).
        style: how its numbers are written (:func:`sim.present.format.number`): ``share``,
            ``gain`` and ``per year`` as percentages, ``ratio`` as ``2.0x``, ``count`` with
            one decimal, ``hours`` with two, ``""`` with three significant places.
        short: a column heading for narrow tables (defaults to the label).
        noun: the name in a sentence, "X gives lower *burnout* than Y" (defaults to the label).
    """

    label: str
    unit: str = ""
    period: str = ""
    long: str = ""
    style: str = ""
    short: str = ""
    noun: str = ""

    @property
    def sentence(self) -> str:
        """The long form, or the label when there is none."""
        return self.long or self.label

    @property
    def heading(self) -> str:
        """``label (unit, period)``: what a table row or a chart axis says."""
        extra = ", ".join(x for x in (self.unit, self.period) if x)
        return f"{self.label} ({extra})" if extra else self.label

    @property
    def units(self) -> str:
        """``unit, period`` (what the number is and when), or ``""``."""
        return ", ".join(x for x in (self.unit, self.period) if x)

    @property
    def column(self) -> str:
        """The short heading of a narrow table."""
        return self.short or self.label

    @property
    def phrase(self) -> str:
        """The name in a sentence (``burnout`` in "X gives lower burnout than Y")."""
        return self.noun or self.label


# ----------------------------------------------------------------------------- periods
END = "at the end of the run"
LAST_YEAR = "over the run's last year"
WHOLE_RUN = "over the whole run"
ONE_YEAR = "one year after the redesign starts"
WEEK = "this week"
WAVE = "at the survey"

#: How a positive true gain fits with output below pre-AI: said wherever both are shown.
OUTPUT_VS_GAIN = (
    "The true productivity gain is how much more a person gets done in the same hours with AI, "
    "net of the time spent learning and checking its work. Output counts what the organisation "
    "actually delivers against what it delivered before AI: time AI saves adds to it only as far "
    "as it is turned into more assigned work, the hours given to touchpoints and coaching come "
    "off it, and exhausted people deliver less of what they are given; effective output also "
    "counts a vacant position as nothing and a new hire at part speed while they learn the job. "
    "So a gain of several percent per hour can sit beside output below its pre-AI level."
)

# ----------------------------------------------------------------------------- outcomes
#: True outcomes of ``m.outcomes()`` (what no survey sees), read at the end of a run.
OUTCOMES: dict[str, Term] = {
    "true_productivity_gain": Term(
        "true productivity gain",
        "extra output per hour over pre-AI",
        END,
        "how much more an employee gets done in the same hours with AI, net of the time spent "
        "learning and checking it",
        "gain",
    ),
    "self_reported_gain": Term(
        "self-reported productivity gain",
        "extra output per hour over pre-AI",
        END,
        "the gain AI users would say AI gives them",
        "gain",
    ),
    "adoption": Term("AI use", "share of work done with AI", END, style="share"),
    "burnout_share": Term(
        "burnt out",
        "share of employees",
        END,
        "employees whose exhaustion is past one half",
        "share",
    ),
    "top_quartile_burnout_share": Term(
        "burnt out, top quarter",
        "share of the top quarter",
        END,
        "burnt-out share among the quarter of employees who report the largest gain from AI",
        "share",
    ),
    "quit_intention": Term("intention to quit", "score 0 to 1", END, "mean intention to quit"),
    "considering_quitting": Term(
        "considering quitting",
        "share of employees",
        END,
        "employees whose intention to quit is above one half",
        "share",
    ),
    "annual_quit_rate": Term(
        "quit rate", "share of employees per year", LAST_YEAR, style="per year"
    ),
    "trust_ai": Term("trust in AI", "score 0 to 1", END),
    "trust_coworkers": Term("trust in coworkers", "score 0 to 1", END),
    "trust_gap": Term(
        "trust in AI over coworkers", "score -1 to 1", END, "trust in AI minus trust in coworkers"
    ),
    "mean_tie_strength": Term(
        "strength of working relationships", "score 0 to 1", END, "mean strength of ties"
    ),
    "alignment": Term(
        "see how AI use ties to goals", "score 0 to 1", END, "alignment of AI use with strategy"
    ),
    "workload": Term("workload", "times pre-AI workload", END),
    "output": Term(
        "output per person",
        "times pre-AI output",
        LAST_YEAR,
        "what each person present delivers against what they delivered before AI",
    ),
    "effective_output": Term(
        "effective output",
        "times pre-AI output",
        LAST_YEAR,
        "what the organisation delivers per position against before AI, with vacancies counting "
        "nothing and new hires at part speed",
    ),
    "quits": Term("quits", "people", WHOLE_RUN, style="count"),
    "hires": Term("hires", "people", WHOLE_RUN, style="count"),
    "vacancies": Term("open positions", "positions", END, style="count"),
    "headcount_ic": Term("individual contributors", "people", END, style="count"),
    "headcount_manager": Term("managers", "people", END, style="count"),
    "headcount_executive": Term("executives", "people", END, style="count"),
    "headcount_freelancer": Term("freelancers", "people", END, style="count"),
    "lever_hours": Term(
        "hours given to the levers",
        "hours a week per employee",
        END,
        "touchpoints, coaching received and coaching given, per employee",
        "hours",
    ),
    "managers_per_100": Term("managers per 100 employees", "managers", END, style="count"),
    "released_per_100": Term(
        "employees released by the redesign",
        "per 100 positions",
        END,
        "employees let go when the redesign gave their positions to freelancers (last in, "
        "first out), once, when it starts",
        "count",
    ),
    "burnout_share_1y": Term(
        "burnt out after a year", "share of employees", ONE_YEAR, style="share"
    ),
    "annual_quit_rate_1y": Term(
        "quit rate in the first year",
        "share of employees per year",
        "in the redesign's first year",
        style="per year",
    ),
    "effective_output_1y": Term(
        "effective output in the first year", "times pre-AI output", "in the redesign's first year"
    ),
}

#: Weekly columns of ``m.series()`` and the dashboard's derived columns.
SERIES: dict[str, Term] = {
    "burnout_share": Term(
        "burnt out",
        "share of employees",
        WEEK,
        "employees whose exhaustion is past one half",
        "share",
    ),
    "burnout": Term("mean exhaustion", "score 0 to 1", WEEK),
    "true_gain": Term(
        "true productivity gain",
        "extra output per hour",
        WEEK,
        "measured extra output from AI",
        "gain",
    ),
    "reported_gain": Term(
        "self-reported gain",
        "extra output per hour",
        WEEK,
        "the gain people say AI gave them",
        "gain",
    ),
    "adoption": Term("AI use", "share of work done with AI", WEEK, style="share"),
    "proficiency": Term("AI skill", "score 0 to 1", WEEK),
    "tool_quality": Term("AI tool quality", "score 0 to 1", WEEK),
    "workload": Term("workload", "times pre-AI workload", WEEK),
    "trust_ai": Term("trust in AI", "score 0 to 1", WEEK),
    "trust_coworkers": Term("trust in coworkers", "score 0 to 1", WEEK),
    "trust_gap": Term(
        "trust in AI over coworkers", "score -1 to 1", WEEK, "trust in AI minus trust in coworkers"
    ),
    "mean_tie_strength": Term("strength of working relationships", "score 0 to 1", WEEK),
    "alignment": Term("see how AI use ties to goals", "score 0 to 1", WEEK),
    "quit_intention": Term("intention to quit", "score 0 to 1", WEEK),
    "annual_quit_rate": Term("quit rate", "share of employees", "per year", style="per year"),
    "quits": Term("quits", "people", WEEK, style="count"),
    "quits_8wk": Term("quits", "people per week", "8-week average", style="count"),
    "quits_cumulative": Term("quits so far", "people", "since week 0", style="count"),
    "hires": Term("hires", "people", WEEK, style="count"),
    "vacancies": Term("vacancies", "open positions", WEEK, style="count"),
    "headcount_ic": Term("individual contributors", "people", WEEK, style="count"),
    "headcount_manager": Term("managers", "people", WEEK, style="count"),
    "headcount_executive": Term("executives", "people", WEEK, style="count"),
    "headcount_freelancer": Term("freelancers", "people", WEEK, style="count"),
    "headcount_employees": Term("employees", "people", WEEK, style="count"),
    "output": Term("output per person", "times pre-AI output", WEEK),
    "effective_output": Term("effective output", "times pre-AI output", WEEK),
}

#: The outcomes ``compare`` sets side by side (keys of ``sim.runner.METRICS``): ``short`` is
#: the heading of the summary table, ``noun`` the name in "X gives lower burnout than Y".
METRICS: dict[str, Term] = {
    "burnout_top_quartile": replace(
        OUTCOMES["top_quartile_burnout_share"],
        short="burnt out (top 25%)",
        noun="burnout in the top quarter",
    ),
    "burnout": replace(OUTCOMES["burnout_share"], short="burnt out", noun="burnout"),
    "considering_quitting": replace(
        OUTCOMES["considering_quitting"], noun="share considering quitting"
    ),
    "annual_quit_rate": replace(OUTCOMES["annual_quit_rate"], short="quit rate"),
    "true_productivity_gain": replace(OUTCOMES["true_productivity_gain"], short="true gain"),
    "reported_productivity_gain": OUTCOMES["self_reported_gain"],
    "trust_ai_vs_coworkers": OUTCOMES["trust_gap"],
    "mean_tie_strength": replace(OUTCOMES["mean_tie_strength"], short="relationships"),
    "effective_output": replace(OUTCOMES["effective_output"], short="eff. output"),
    "burnout_1y": replace(OUTCOMES["burnout_share_1y"], noun="burnout after a year"),
    "annual_quit_rate_1y": OUTCOMES["annual_quit_rate_1y"],
    "effective_output_1y": OUTCOMES["effective_output_1y"],
    "lever_hours": replace(
        OUTCOMES["lever_hours"], short="lever hours", noun="time given to the levers"
    ),
    "managers_per_100": replace(
        OUTCOMES["managers_per_100"], noun="number of managers per 100 employees"
    ),
    "released_per_100": replace(
        OUTCOMES["released_per_100"], noun="share of employees released by the redesign"
    ),
}


# ----------------------------------------------------------------------------- survey
def _item(text: str, unit: str = "share of respondents", style: str = "share") -> Term:
    return Term(text, unit, WAVE, style=style)


#: Survey items of ``sim.survey`` as the question a respondent answered, in plain words.
SURVEY_ITEMS: dict[str, Term] = {
    "productivity_gain": _item(
        "average productivity boost they report from AI", "mean extra output", "gain"
    ),
    "observed_gains": _item("saw AI productivity gains in their organisation"),
    "driver_experimentation": _item("gains came mainly from time to experiment"),
    "driver_tool_improvement": _item("gains came mainly from better tools"),
    "driver_self_upskilling": _item("gains came mainly from learning on their own"),
    "driver_employer_training": _item("gains came mainly from employer training"),
    "burnout": _item("say they are burnt out"),
    "considering_quitting": _item("thinking of quitting"),
    "misaligned": _item("can't see how their AI use ties to company goals"),
    "trust_ai_more": _item("trust AI more than their coworkers"),
    "better_relationship_ai": _item("get on better with AI than with coworkers"),
    "more_polite_to_ai": _item("are more polite to AI than to people"),
    "ai_more_polite": _item("find AI more polite than people"),
    "ai_more_empathetic": _item("find AI more empathetic than colleagues"),
    "ai_as_coworker": _item("see AI as a coworker, not a tool"),
    "please_thank_you": _item("say please and thank you to AI every time"),
    "humanlike_phrasing": _item("talk to AI as to a person, at least sometimes"),
    "prefers_ai_over_people": _item("would rather work with AI than with people"),
    "employer_asks_too_much": _item("say their employer asks too much of them on AI"),
    "new_projects": _item("took on new projects thanks to AI"),
    "extra_edge_strong": _item("strongly agree AI gives them an edge"),
    "positive_impact": _item("say AI helped their career"),
    "learn_faster": _item("learn new skills faster with AI"),
    "specialize": _item("specialised in a niche thanks to AI"),
    "trained": _item("were trained in AI by their employer"),
    "ai_added_workload": _item("say AI added to their workload"),
    "dont_know_how_to_gain": _item("don't know how to get the gains expected of them"),
}

#: Respondent groups of the survey (``sim.survey.GROUPS`` and the relative-risk row).
GROUPS: dict[str, Term] = {
    "all": Term("everyone", "people"),
    "workers": Term("all workers", "people", long="employees and freelancers, not executives"),
    "fte": Term("employees", "people", long="full-time employees: staff and middle managers"),
    "ic": Term("staff", "people", long="individual contributors"),
    "manager": Term("managers", "people"),
    "executive": Term("executives", "people"),
    "freelancer": Term("freelancers", "people"),
    "top_quartile": Term(
        "top quarter by self-reported gain",
        "people",
        long="the quarter of employees reporting the largest productivity gain from AI",
    ),
    "rest": Term("other three quarters", "people"),
    "top_vs_rest": Term(
        "top quarter against the rest",
        "times as likely",
        long="how many times as likely the top quarter is as the other three quarters",
        style="ratio",
    ),
}

# ----------------------------------------------------------------------------- parameters
#: Short labels of every parameter (its unit and meaning come from ``Params`` metadata).
_PARAMETER_LABELS: dict[str, str] = {
    "n_agents": "organisation size",
    "freelancer_share": "freelancers' share of positions",
    "exec_share": "executives' share of employees",
    "span_of_control": "reports per manager",
    "cross_team_ties": "ties across teams",
    "employer_training": "employer AI training",
    "output_conversion": "saved time turned into more work",
    "touchpoints": "human touchpoints",
    "coaching_hours": "coaching time",
    "psych_safety": "psychological safety",
    "strategy_clarity": "clear AI strategy",
    "manager_training": "manager coaching skill",
    "freelancer_embedding": "freelancers in the team",
    "self_report_optimism": "optimism of self-reported gains",
    "proficiency_rate": "speed of becoming proficient with AI",
    "peer_influence": "pull of colleagues' AI use",
    "demand_sensitivity": "weight of job demands in exhaustion",
    "skill_rate": "speed of skill growth with AI",
    "recovery_rate": "speed of recovery from exhaustion",
    "substitution_rate": "speed at which AI replaces coworker contact",
    "trust_rate": "speed at which trust in AI follows its reliability",
    "alignment_erosion": "speed at which alignment erodes",
    "quit_intention_slope": "how strongly strain drives intention to quit",
    "anthropomorphism_rate": "speed of treating AI as a person",
    "innovation_rate": "uptake of AI regardless of colleagues",
    "true_gain_max": "largest true gain from AI",
    "learning_overhead": "time lost learning and checking AI",
    "tool_quality_start": "AI tool quality at arrival",
    "tool_quality_midpoint": "weeks until tools are halfway to their best",
    "tool_quality_width": "pace of tool improvement",
    "generative_ai": "generative AI arrives",
    "burn_in_weeks": "weeks without AI before it arrives",
    "manager_own_work": "managers' own individual work",
    "executive_own_work": "executives' own individual work",
    "output_noise": "noise in measured output",
    "base_load_spread": "spread of workloads before AI",
    "labour_market": "outside demand for AI skills",
    "self_upskilling": "share who learn AI on their own",
    "burnout_contagion": "spread of exhaustion between teammates",
    "manager_training_odds": "managers' odds of employer AI training",
    "executive_training_odds": "executives' odds of employer AI training",
    "fte_autonomy": "employees' autonomy",
    "freelancer_autonomy": "freelancers' autonomy",
    "quit_rate_min": "quit rate of a content employee",
    "quit_rate_max": "quit rate of an employee set on leaving",
    "vacancy_weeks": "weeks to fill a position",
    "ramp_up_weeks": "weeks for a new hire to reach full output",
    "engagement_weeks": "length of a freelance engagement",
    "renewal_rate": "freelance engagements renewed",
    "report_time": "management time per report",
    "steer_time": "time per report to steer the team's AI use",
    "coach_full": "coaching time that counts as full coaching",
    "training_load_relief": "management load a trained manager saves",
    "untrained_coaching_quality": "value of an untrained manager's coaching",
    "executive_support": "support executives get from peers",
    "safety_coaching_weight": "effect of coaching on psychological safety",
    "safety_touch_weight": "effect of touchpoints on psychological safety",
    "safety_rate": "speed at which team climate settles",
    "touch_hours_full": "touchpoint hours that count as full contact",
    "safety_ties_weight": "effect of relationships on psychological safety",
    "experiment_full": "free time that counts as full experimentation",
    "manager_ai_fit": "how well AI fits a manager's tasks",
    "demand_ai_fit": "how much better AI fits more demanding jobs",
    "executive_ai_fit": "how well AI fits an executive's tasks",
    "habit_rate": "speed of picking up freelancers' AI habits",
    "freelancer_exposure_full": "ties to freelancers that count as full exposure",
    "novice_gain": "a novice's gain from AI",
    "credit_half_life": "memory of what caused one's gains",
    "planning_rate": "speed at which work is re-planned",
    "vacancy_cover": "vacant teammates' work the team absorbs",
    "burnout_steepness": "steepness of exhaustion's response to demands",
    "burnout_trait_spread": "spread of proneness to exhaustion",
    "job_demand_spread": "spread of jobs' demands beyond their hours",
    "freelance_demand_shift": "freelance work's demands beyond its hours",
    "manager_demand_shift": "managers' demands beyond their hours",
    "executive_demand_shift": "executives' demands beyond their hours",
    "burnout_threshold": "demand excess at which exhaustion is half way",
    "burnout_rise": "speed at which exhaustion builds",
    "ambiguity_weight": "weight of role ambiguity in demands",
    "burnout_effort_loss": "effort lost at full exhaustion",
    "reliability_base": "a novice's AI reliability",
    "reliability_skill": "reliability that skill adds",
    "failure_salience": "chance of meeting a striking AI failure",
    "trust_asymmetry": "how much faster trust falls than it builds",
    "daily_contact": "everyday contact with coworkers",
    "coaching_contact": "contact that coaching brings",
    "peer_contact": "contact that connected colleagues bring",
    "tie_build": "speed at which contact builds relationships",
    "tie_decay": "speed at which relationships fade",
    "anthro_fade": "fading of treating AI as a person",
    "align_rate": "speed at which alignment builds",
    "alignment_drift": "drift of alignment as priorities change",
    "intention_rate": "speed at which intentions follow strain",
    "quit_weight_burnout": "weight of burnout in wanting to leave",
    "quit_strain_midpoint": "strain at which half intend to leave",
    "quit_weight_ties": "weight of weak relationships in wanting to leave",
    "quit_weight_alignment": "weight of misalignment in wanting to leave",
    "quit_weight_outside": "weight of outside options in wanting to leave",
    "quit_weight_other": "weight of other reasons to leave (pay, career, life)",
    "freelancer_quit_weight_burnout": "weight of burnout in freelancers leaving",
    "freelancer_quit_weight_autonomy": "weight of missing autonomy in freelancers leaving",
    "freelancer_gap": "weeks a freelance position stays open",
}

#: Units of ``Params`` metadata that use code words, in plain words.
_UNIT_WORDS = {
    "agents": "positions",
    "share of FTEs": "share of employees",
    "ties per FTE": "ties per employee",
    "x trust_rate": "times the speed trust builds",
    "x true gross gain": "times the gross gain",
    "switch": "1 yes, 0 no",
}
#: Levers in the units a strategist acts on (from the metadata, said more plainly).
_LEVER_LONG = {
    "employer_training": (
        "share of individual contributors given employer AI training, tools and incentives "
        "(managers and executives at higher odds)"
    ),
    "output_conversion": "share of the time AI saves that is turned into more assigned work",
    "touchpoints": "hours a week of mentoring, team reflection and open feedback",
    "coaching_hours": "hours a week a manager sets aside to coach each report",
    "psych_safety": "how safe teams feel to speak up",
    "strategy_clarity": "clarity of AI goals, norms and governance",
    "manager_training": "managers' coaching and AI-steering skill (training)",
    "freelancer_embedding": "how embedded freelancers are: their habits pass to teammates",
}
_PERCENT_UNITS = ("share", "share of")


def _parameter(name: str, spec: dict) -> Term:
    unit = _UNIT_WORDS.get(spec["unit"], spec["unit"])
    style = "share" if unit.startswith(_PERCENT_UNITS) and spec["hi"] <= 1 else ""
    if unit in ("positions", "reports per manager", "weeks") and spec.get("type") is int:
        style = "count"
    return Term(_PARAMETER_LABELS[name], unit, long=_LEVER_LONG.get(name, spec["doc"]), style=style)


#: Every parameter of :class:`~sim.params.Params`: a short label here, unit and meaning from
#: its metadata (a setting holds for the whole run; a lever from the redesign's start).
PARAMETERS: dict[str, Term] = {n: _parameter(n, s) for n, s in Params.spec().items()}

#: The redesign levers and the other settings the dashboard offers.
LEVERS: dict[str, Term] = {
    **{n: PARAMETERS[n] for n in (*Params.names("lever"), "psych_safety")},
    "n_agents": PARAMETERS["n_agents"],
    "seed": Term("random seed", long="the chance draw: same seed, same run"),
}

# ----------------------------------------------------------------------------- look-ups
Kind = Literal["outcomes", "series", "metrics", "items", "groups", "parameters", "levers"]
_TABLES: dict[str, dict[str, Term]] = {
    "outcomes": OUTCOMES,
    "series": SERIES,
    "metrics": METRICS,
    "items": SURVEY_ITEMS,
    "groups": GROUPS,
    "parameters": PARAMETERS,
    "levers": LEVERS,
}


def term(name: str, kind: Kind) -> Term:
    """Return the :class:`Term` of a code name (a made-up plain one if it is not listed).

    Args:
        name: the code name (``burnout_share``).
        kind: which table to look in: ``outcomes``, ``series``, ``metrics``, ``items``,
            ``groups``, ``parameters`` or ``levers``.
    """
    found = _TABLES[kind].get(name)
    return found if found is not None else Term(name.replace("_", " "))


def label(name: str, kind: Kind) -> str:
    """Return the plain label of a code name (its words, underscores gone, if it is not listed)."""
    return term(name, kind).label


def column_term(column: str) -> Term:
    """Return the :class:`Term` of a sweep's result column (outcome, survey cell or parameter).

    Survey cells are named ``survey.ITEM.GROUP.WAVE`` (:func:`sim.sweeps.spec.survey_column`).
    """
    if column.startswith("survey."):
        parts = column.split(".")
        if len(parts) == 4:
            _, item, group, wave = parts
            t = term(item, "items")
            g = term(group, "groups")
            style = "ratio" if group == "top_vs_rest" else t.style
            return replace(t, label=f"{t.label} ({g.label}, {wave} survey)", style=style)
    for kind in ("outcomes", "parameters", "series"):
        if column in _TABLES[kind]:
            return _TABLES[kind][column]
    return Term(column.replace("_", " ").replace(".", " "))


def column_label(column: str) -> str:
    """Return the plain label of a sweep's result column (see :func:`column_term`)."""
    return column_term(column).label


def glossary(kinds: tuple[Kind, ...] = ("metrics", "outcomes", "items", "groups", "parameters")):
    """Yield ``(kind, code name, term)`` for every listed name: the appendix that maps labels.

    Args:
        kinds: the tables, in order.
    """
    for kind in kinds:
        for name, t in _TABLES[kind].items():
            yield kind, name, t


def code_names() -> set[str]:
    """Return every code name that has a plain label (what a person must never be shown)."""
    return {name for table in _TABLES.values() for name in table}
