"""Plain words for what the simulation shows a person: see :mod:`sim.vocabulary`.

The definitions live in :mod:`sim.vocabulary`, low in the layers so that the experiment
layer and the studies read the same words as the presentation (docs/ARCHITECTURE.md); this
module re-exports them for ``from sim.present.vocabulary import ...``.

Example:
    >>> from sim.present.vocabulary import OUTCOMES, label
    >>> OUTCOMES["burnout_share"].label
    'burnt out'
    >>> label("top_quartile", "groups")
    'top quarter by self-reported gain'
"""

from sim.vocabulary import (
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
