"""The statistics a pattern may name: how each is computed from the model runs.

:data:`STATISTICS` maps a statistic's name (the ``statistic`` key of a pattern
in ``sim/data/patterns.toml``) to what it says and how its per-seed values are
computed from :class:`Runs`, what :func:`sim.validation.suite.check` ran.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from sim.calendar import week_of
from sim.validation.stats import GROWTH_WINDOW, drift, fastest_growth_week

__all__ = ["COMBINED", "KNIFE_STEP", "LEVERS", "STATISTICS", "STATUS_QUO", "Runs", "Statistic"]

#: The bundled single-lever scenarios and the combined one (pattern g).
LEVERS = ("touchpoints", "blended_talent", "ai_strategy", "manager_coaching", "keep_slack")
COMBINED = "combined"
#: The status quo run as long as the redesigns, the reference of their effects.
STATUS_QUO = "status quo"
#: Relative step of the one-at-a-time knife-edge test (pattern h).
KNIFE_STEP = 0.10
#: The week Freelance Forward 2023 is read at: 1 October 2023 (published 12 December 2023,
#: asking about the past three months; its fieldwork dates are not published).
FREELANCE_FORWARD_WEEK = week_of(date(2023, 10, 1))


@dataclass
class Runs:
    """What the model runs gave, by variant, seed by seed (lists in seed order)."""

    seeds: list[int]
    probe: list[dict[str, Any]] = field(default_factory=list)
    no_ai: list[dict[str, Any]] = field(default_factory=list)
    variants: dict[str, list[float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Statistic:
    """How one statistic is computed from the runs.

    Attributes:
        what: one line, for tables and docs.
        needs: the runs it needs (``probe``, ``no_ai``, ``levers``, ``knife``).
        per_seed: ``f(runs) -> (values per seed, detail)``.
    """

    what: str
    needs: tuple[str, ...]
    per_seed: Callable[[Runs], tuple[list[float], str]]


def _probe_key(key: str) -> Callable[[Runs], tuple[list[float], str]]:
    return lambda r: ([float(x.get(key, math.nan)) for x in r.probe], "")


def _no_ai(key: str, relative: bool = False) -> Callable[[Runs], tuple[list[float], str]]:
    def f(r: Runs) -> tuple[list[float], str]:
        vals = [drift(x[key], 52, relative) for x in r.no_ai]
        if not r.no_ai:
            return vals, ""
        # How far the first year settles from week 0's state (weeks 1-4 to weeks 49-52).
        settle = float(np.mean([drift(x[key][:52], 4, relative) for x in r.no_ai]))
        return vals, f"in the first year it settles by {settle:+.3f} (weeks 1-4 to 49-52)"

    return f


def _no_ai_level(key: str) -> Callable[[Runs], tuple[list[float], str]]:
    return lambda r: ([float(np.mean(x[key][:52])) for x in r.no_ai], "")


def _ratio(r: Runs) -> tuple[list[float], str]:
    vals = []
    for x in r.probe:
        t, rep = x["true_gain_users"], x["reported_gain_users"]
        vals.append(rep / t if t > 0 else math.nan)
    bad = sum(not math.isfinite(v) for v in vals)
    return vals, f"true gain <= 0 in {bad} of {len(vals)} runs" if bad else ""


def _adoption_at(week: int) -> Callable[[Runs], tuple[list[float], str]]:
    def f(r: Runs) -> tuple[list[float], str]:
        return [
            float(x["adoption_share"][week]) if len(x["adoption_share"]) > week else math.nan
            for x in r.probe
        ], ""

    return f


def _freelancer_ratio_at(week: int) -> Callable[[Runs], tuple[list[float], str]]:
    def f(r: Runs) -> tuple[list[float], str]:
        vals = []
        for x in r.probe:
            emp, fl = x["adoption_share"], x["freelancer_adoption_share"]
            ok = len(emp) > week and emp[week] > 0
            vals.append(float(fl[week] / emp[week]) if ok else math.nan)
        return vals, ""

    return f


def _growth(r: Runs) -> tuple[list[float], str]:
    return [fastest_growth_week(x["adoption_share"]) for x in r.probe], ""


def _effects(r: Runs, names: Iterable[str]) -> dict[str, list[float]]:
    """Each variant's change of the employees' burnout share from its reference, seed by seed.

    Redesigns are read two years after they start, against the status quo run as
    long; the other variants (knife-edge changes) against the baseline probe.
    """
    probe = [x["burnout_share"] for x in r.probe]
    out = {}
    for n in names:
        if n not in r.variants or n == STATUS_QUO:
            continue
        redesign = n in (*LEVERS, COMBINED)
        if redesign and STATUS_QUO not in r.variants:
            continue
        ref = r.variants[STATUS_QUO] if redesign else probe[: len(r.variants[n])]
        out[n] = [v - b for v, b in zip(r.variants[n], ref, strict=True)]
    return out


def _worst(effects: dict[str, list[float]], what: str) -> tuple[list[float], str]:
    if not effects:
        return [], ""
    name = max(effects, key=lambda n: abs(float(np.mean(effects[n]))))
    vals = [abs(v) for v in effects[name]]  # seed by seed, the worst variant's size
    mean = float(np.mean(effects[name]))
    return vals, f"{what}{name} ({mean * 100:+.1f} points)"


def _single(r: Runs) -> tuple[list[float], str]:
    return _worst(_effects(r, LEVERS), "largest: ")


def _combined(r: Runs) -> tuple[list[float], str]:
    return _worst(_effects(r, [COMBINED]), "")


def _knife(r: Runs) -> tuple[list[float], str]:
    names = [n for n in r.variants if n not in LEVERS and n != COMBINED]
    effects = _effects(r, names)
    vals, detail = _worst(effects, "worst: ")
    over = sum(abs(float(np.mean(v))) > 0.10 for v in effects.values())
    return vals, f"{detail}; {over} of {len(effects)} changes move it by over 10 points"


#: The statistics a pattern may name.
STATISTICS: dict[str, Statistic] = {
    "no_ai_burnout_level": Statistic(
        "without AI: share of employees whose exhaustion is past one half (burnt out very "
        "often or always), first year",
        ("no_ai",),
        _no_ai_level("burnout_share"),
    ),
    "no_ai_drift_burnout_share": Statistic(
        "without AI: share of employees burnt out, year 5 minus year 1",
        ("no_ai",),
        _no_ai("burnout_share"),
    ),
    "no_ai_drift_quit_rate": Statistic(
        "without AI: yearly quit rate, year 5 minus year 1", ("no_ai",), _no_ai("quit_rate")
    ),
    "no_ai_drift_tie_strength": Statistic(
        "without AI: mean strength of working relationships, year 5 minus year 1",
        ("no_ai",),
        _no_ai("tie_strength"),
    ),
    "no_ai_drift_headcount": Statistic(
        "without AI: number of employees, relative change year 1 to 5",
        ("no_ai",),
        _no_ai("headcount", relative=True),
    ),
    "burnout_leaving_relative_risk": Statistic(
        "how many times as likely those burnt out at week 52 are to leave within a year as the "
        "rest (relative risk)",
        ("probe",),
        _probe_key("burnout_rr"),
    ),
    "intention_conversion_rate": Statistic(
        "share of those intending to quit at week 52 who leave within a year",
        ("probe",),
        _probe_key("intent_conversion"),
    ),
    "intention_turnover_correlation": Statistic(
        "correlation of intention to quit at week 52 with leaving within a year",
        ("probe",),
        _probe_key("intent_corr"),
    ),
    "annual_quit_rate": Statistic(
        "yearly quit rate of employees (last 52 weeks)", ("probe",), _probe_key("annual_quit_rate")
    ),
    "true_gain_users": Statistic(
        "true productivity gain of AI users at week 104", ("probe",), _probe_key("true_gain_users")
    ),
    "self_report_ratio": Statistic(
        "self-reported over true gain of AI users at week 104", ("probe",), _ratio
    ),
    "adoption_fastest_growth_week": Statistic(
        f"week of fastest growth of the AI-user share ({GROWTH_WINDOW}-week windows)",
        ("probe",),
        _growth,
    ),
    "adoption_share_2024": Statistic(
        "share of employees using AI at week 52 (spring 2024)", ("probe",), _adoption_at(52)
    ),
    "adoption_share_2025": Statistic(
        "share of employees using AI at week 104 (spring 2025)", ("probe",), _adoption_at(104)
    ),
    "freelancer_use_ratio_2023": Statistic(
        f"share of freelancers using AI over that of employees at week {FREELANCE_FORWARD_WEEK} "
        "(autumn 2023)",
        ("probe",),
        _freelancer_ratio_at(FREELANCE_FORWARD_WEEK),
    ),
    "exhaustion_icc1": Statistic(
        "how much exhaustion clusters within teams at week 104 (ICC(1): the share of its "
        "variance that lies between teams)",
        ("probe",),
        _probe_key("exhaustion_icc1"),
    ),
    "single_lever_max_effect": Statistic(
        "largest change, up or down, of the share of employees burnt out by one redesign",
        ("probe", "levers"),
        _single,
    ),
    "combined_effect": Statistic(
        "change, up or down, of the share of employees burnt out by all redesigns combined",
        ("probe", "levers"),
        _combined,
    ),
    "knife_edge_max_effect": Statistic(
        f"largest change, up or down, of the share of employees burnt out when one setting "
        f"moves by {KNIFE_STEP:.0%} either way",
        ("probe", "knife"),
        _knife,
    ),
}


# ============================================================================ running the check
