"""Sentences and cells a person reads about a run: scenario labels, settings, time span, intervals.

Shared by the command line and ``report.html`` so that both say the same thing in the same
words (:mod:`sim.vocabulary`).

Example:
    >>> from sim.params import Params
    >>> setting_value("output_conversion", 0.3), setting_value("touchpoints", 4)
    ('30%', '4')
    >>> [c.text for c in setting_changes(Params(output_conversion=0.3), Params())]
    ['saved time turned into more work 30% (against 80%)']
    >>> uncertainty_words(4, 0)
    '95% intervals over 4 seeds: seed noise only (parameters at their calibrated values)'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sim import calendar
from sim.experiment.uncertainty import uncertainty_text
from sim.params import Params
from sim.present.format import fmt_diff, fmt_interval, fmt_value
from sim.vocabulary import PARAMETERS, Term, label

__all__ = [
    "Change",
    "interval_cells",
    "relabel",
    "same_scenario",
    "scenario_label",
    "scenario_labels",
    "setting_changes",
    "setting_value",
    "span_words",
    "uncertainty_of",
    "uncertainty_words",
    "value_text",
]


def scenario_label(scenario: Any) -> str:
    """Return a scenario's plain label: its title up to a colon, else its name in words.

    Example:
        >>> from types import SimpleNamespace as S
        >>> scenario_label(S(name="baseline", title="Status quo: an output-optimised organisation"))
        'Status quo'
        >>> scenario_label(S(name="my_plan", title="my_plan"))
        'my plan'
    """
    title = (getattr(scenario, "title", "") or "").strip()
    name = str(scenario.name)
    if not title or title == name:
        return name.replace("_", " ")
    return title.split(":")[0].strip() or name.replace("_", " ")


def scenario_labels(scenarios: Iterable[Any]) -> dict[str, str]:
    """Return ``{name: label}``, each label unique (a repeated one gets its name in words)."""
    scenarios = list(scenarios)
    labels = {sc.name: scenario_label(sc) for sc in scenarios}
    seen: dict[str, int] = {}
    for text in labels.values():
        seen[text] = seen.get(text, 0) + 1
    return {
        name: text if seen[text] == 1 else f"{text} ({name.replace('_', ' ')})"
        for name, text in labels.items()
    }


def same_scenario(a: Any, b: Any) -> bool:
    """Whether two scenarios are one file (the same name and path), whatever their overrides."""
    return a is not None and b is not None and (a.name, a.path) == (b.name, b.path)


def relabel(text: str, labels: Mapping[str, str]) -> str:
    """Replace whole-word scenario names in ``text`` by their labels (longest names first)."""
    names = sorted(labels, key=len, reverse=True)
    if not names:
        return text
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")
    return pattern.sub(lambda m: labels[m.group(1)], text)


def setting_value(name: str, value: Any) -> str:
    """Return a parameter's value as a person reads it: shares as percentages, else short."""
    t = PARAMETERS.get(name)
    if t is not None and t.style == "share":
        return f"{100 * float(value):.4g}%"
    if isinstance(value, int | bool):
        return f"{int(value):,}"
    return f"{float(value):.4g}"


@dataclass(frozen=True)
class Change:
    """One parameter that differs from a reference.

    Attributes:
        name: the code name (for appendices and files only).
        term: its plain words.
        new: its value here, as text.
        old: the reference's value, as text.
    """

    name: str
    term: Term
    new: str
    old: str

    @property
    def text(self) -> str:
        """``label new (against old)``."""
        return self.said("against")

    def said(self, against: str) -> str:
        """``label new (AGAINST old)``, e.g. ``against`` or ``model default``."""
        return f"{self.term.label} {self.new} ({against} {self.old})"


def setting_changes(
    params: Params | Mapping[str, Any],
    reference: Params | Mapping[str, Any],
    skip: Sequence[str] = ("n_agents",),
) -> list[Change]:
    """Return the parameters whose value differs from ``reference``, in ``Params`` order.

    Args:
        params: the scenario's parameters.
        reference: what they are read against (the status quo, or the model defaults).
        skip: names left out (the organisation's size is said elsewhere).
    """
    new = params.to_dict() if isinstance(params, Params) else dict(params)
    old = reference.to_dict() if isinstance(reference, Params) else dict(reference)
    out = []
    for name in Params.names():
        if name in skip or name not in new or new[name] == old.get(name):
            continue
        out.append(
            Change(
                name,
                PARAMETERS[name],
                setting_value(name, new[name]),
                setting_value(name, old[name]),
            )
        )
    return out


def span_words(weeks: int) -> str:
    """Say what a run of ``weeks`` covers, in dates.

    Example:
        >>> span_words(210)
        '210 weeks (4 April 2023 to 13 April 2027; redesigns start in week 106, 15 April 2025)'
    """

    def day(week: int) -> str:
        d = calendar.date_of(week)
        return f"{d.day} {d:%B %Y}"

    text = f"{weeks} weeks ({day(0)} to {day(weeks)}"
    if weeks > calendar.REDESIGN_WEEK:
        text += f"; redesigns start in week {calendar.REDESIGN_WEEK}, {day(calendar.REDESIGN_WEEK)}"
    return text + ")"


def uncertainty_words(n_seeds: int, posterior: int, held: Sequence[str] = ()) -> str:
    """Say what 95% intervals are over and which sources of uncertainty they hold, in words.

    As :func:`sim.experiment.uncertainty.uncertainty_text`, with a held parameter by its label.
    """
    return uncertainty_text(n_seeds, posterior, [label(h, "parameters") for h in held])


def interval_cells(
    mean: float, lo: float, hi: float, style: str, diff: bool = False
) -> tuple[str, str]:
    """Return ``(value, "[lo, hi]")`` of a level or a difference, written by ``style``."""
    text = fmt_diff(mean, lo, hi, style) if diff else fmt_interval(mean, lo, hi, style)
    if not text:
        return "n/a", ""
    main, sep, rest = text.partition(" [")
    return main, (f"[{rest}" if sep else "")


def uncertainty_of(result: Any) -> str:
    """:func:`uncertainty_words` of a run or comparison result (``seeds``, ``draws``, ``held``)."""
    return uncertainty_words(len(result.seeds), len(result.draws), getattr(result, "held", ()))


def value_text(x: float, style: str) -> str:
    """A single value written by ``style`` (:func:`sim.present.format.fmt_value`)."""
    return fmt_value(x, style)
