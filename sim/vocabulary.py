"""Plain words for what the simulation shows a person: outcomes, survey items, groups, levers.

One definition each: a :class:`Term` with a label a workshop audience understands, its unit and
the period it covers. Code names (``burnout_share``, ``driver_employer_training``) stay in
machine outputs (JSON, Parquet); anything read by a person goes through :func:`label`.

Example:
    >>> from sim.vocabulary import OUTCOMES, label
    >>> OUTCOMES["burnout_share"].label
    'burnt out'
    >>> label("top_quartile", "groups")
    'top quarter by self-reported gain'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Term:
    """What a person reads for one code name.

    Attributes:
        label: short plain label (lower case, fits a legend or a table cell).
        unit: what the number counts ("share of employees", "people", "score 0 to 1").
        period: the time the number covers ("this week", "since week 0", "at the survey").
        long: one plain sentence for tooltips and docs (defaults to the label).
    """

    label: str
    unit: str = ""
    period: str = ""
    long: str = ""

    @property
    def sentence(self) -> str:
        """The long form, or the label when there is none."""
        return self.long or self.label


#: Weekly outcomes of ``m.series()`` and ``m.outcomes()`` (and the dashboard's derived columns).
OUTCOMES: dict[str, Term] = {
    "burnout_share": Term(
        "burnt out", "share of employees", "this week", "employees whose exhaustion is past 0.5"
    ),
    "top_quartile_burnout_share": Term(
        "burnt out in the top quarter",
        "share of the top quarter",
        "at the end",
        "burnt-out share among the quarter of employees with the largest self-reported gain",
    ),
    "burnout": Term("mean exhaustion", "score 0 to 1", "this week"),
    "true_gain": Term(
        "true productivity gain", "extra output", "this week", "measured extra output from AI"
    ),
    "true_productivity_gain": Term("true productivity gain", "extra output", "at the end"),
    "reported_gain": Term(
        "self-reported gain", "extra output", "this week", "the gain people say AI gave them"
    ),
    "self_reported_gain": Term("self-reported gain", "extra output", "at the end"),
    "adoption": Term("AI use", "share of work", "this week"),
    "proficiency": Term("AI skill", "score 0 to 1", "this week"),
    "tool_quality": Term("AI tool quality", "score 0 to 1", "this week"),
    "workload": Term("workload", "multiple of pre-AI load", "this week"),
    "trust_ai": Term("trust in AI", "score 0 to 1", "this week"),
    "trust_coworkers": Term("trust in coworkers", "score 0 to 1", "this week"),
    "trust_gap": Term("trust in AI minus trust in coworkers", "score", "this week"),
    "mean_tie_strength": Term("strength of working relationships", "score 0 to 1", "this week"),
    "alignment": Term("understand how AI use ties to goals", "score 0 to 1", "this week"),
    "quit_intention": Term("thinking of quitting", "score 0 to 1", "this week"),
    "annual_quit_rate": Term("quit rate", "share of employees", "per year"),
    "quits": Term("quits", "people", "this week"),
    "quits_cumulative": Term("quits so far", "people", "since week 0"),
    "hires": Term("hires", "people", "this week"),
    "vacancies": Term("vacancies", "open positions", "this week"),
    "headcount_ic": Term("individual contributors", "people", "this week"),
    "headcount_manager": Term("managers", "people", "this week"),
    "headcount_executive": Term("executives", "people", "this week"),
    "headcount_freelancer": Term("freelancers", "people", "this week"),
    "headcount_employees": Term("employees", "people", "this week"),
    "output": Term("output", "multiple of pre-AI output", "this week"),
    "effective_output": Term("useful output", "multiple of pre-AI output", "this week"),
}


def _item(label: str, unit: str = "share of respondents") -> Term:
    return Term(label, unit, "at the survey wave")


#: Survey items of ``sim.survey`` as the question a respondent answered, in plain words.
SURVEY_ITEMS: dict[str, Term] = {
    "productivity_gain": _item(
        "average productivity boost they report from AI", "mean extra output"
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
    ),
}

#: The redesign levers and the other settings the dashboard offers.
LEVERS: dict[str, Term] = {
    "employer_training": Term(
        "employer AI training",
        "share of employees",
        long="share of employees given employer AI training, tools and incentives",
    ),
    "output_conversion": Term(
        "saved time turned into more work",
        "share of saved time",
        long="share of the time AI saves that is turned into more assigned work",
    ),
    "touchpoints": Term(
        "human touchpoints",
        "hours per person per week",
        long="hours a week of mentoring, team reflection and open feedback",
    ),
    "coaching_hours": Term(
        "coaching time",
        "hours per report per week",
        long="hours a week a manager sets aside to coach each report",
    ),
    "psych_safety": Term(
        "psychological safety", "climate score", long="how safe teams feel to speak up"
    ),
    "strategy_clarity": Term(
        "clear AI strategy", "clarity score", long="clarity of AI goals, norms and governance"
    ),
    "manager_training": Term(
        "manager coaching skill",
        "skill score",
        long="managers' coaching and AI-steering skill (training)",
    ),
    "freelancer_embedding": Term(
        "freelancers in the team",
        "share of ties",
        long="how embedded freelancers are: their habits pass to teammates",
    ),
    "n_agents": Term("organisation size", "positions"),
    "seed": Term("random seed", long="the chance draw: same seed, same run"),
}

Kind = Literal["outcomes", "items", "groups", "levers"]
_TABLES: dict[str, dict[str, Term]] = {
    "outcomes": OUTCOMES,
    "items": SURVEY_ITEMS,
    "groups": GROUPS,
    "levers": LEVERS,
}


def term(name: str, kind: Kind) -> Term:
    """Return the :class:`Term` of a code name (a made-up plain one if it is not listed).

    Args:
        name: the code name (``burnout_share``).
        kind: which table to look in: ``outcomes``, ``items``, ``groups`` or ``levers``.
    """
    found = _TABLES[kind].get(name)
    return found if found is not None else Term(name.replace("_", " "))


def label(name: str, kind: Kind) -> str:
    """Return the plain label of a code name (its words, underscores gone, if it is not listed)."""
    return term(name, kind).label


def code_names() -> set[str]:
    """Return every code name that has a plain label (what a person must never be shown)."""
    return {name for table in _TABLES.values() for name in table}
