"""Plain words for what the simulation shows a person: see :mod:`sim.present.vocabulary`.

Kept so that ``from sim.vocabulary import ...`` goes on working; the definitions live in
:mod:`sim.present.vocabulary`, the one source the terminal, ``report.html`` and the dashboard
share.

Example:
    >>> from sim.vocabulary import OUTCOMES, label
    >>> OUTCOMES["burnout_share"].label
    'burnt out'
    >>> label("top_quartile", "groups")
    'top quarter by self-reported gain'
"""

from sim.present.vocabulary import (
    GROUPS,
    LEVERS,
    METRICS,
    OUTCOMES,
    OUTPUT_VS_GAIN,
    PARAMETERS,
    SERIES,
    SURVEY_ITEMS,
    Term,
    code_names,
    column_label,
    column_term,
    glossary,
    label,
    term,
)

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
