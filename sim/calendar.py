"""The model's calendar: weeks as dates, when AI arrives, when the survey waves were fielded.

A run's week numbers are anchored on the report's fieldwork: week 104 is the
middle of the 2025 wave's fieldwork (24 March to 9 April 2025), so the
earlier wave, a year before, falls at week 52, and week 0 is early April 2023.
Generative AI arrives at :data:`AI_ARRIVAL` (ChatGPT's public release, 30
November 2022), :data:`ARRIVAL_WEEK` = -18. Before that the organisation runs
without AI for ``burn_in_weeks`` weeks, so that it starts from the steady
state of work before AI; the model spins through those weeks (and the first
months of AI) when it is built, and its series start at week 0.

A redesign starts just after the 2025 wave (:data:`REDESIGN_START`, week
106) and its effects are read one and two years later (:data:`HORIZONS`).

Example:
    >>> from sim.calendar import date_of, week_of, WAVE_WEEKS
    >>> date_of(104).isoformat()
    '2025-04-01'
    >>> week_of(AI_ARRIVAL)
    -18
    >>> WAVE_WEEKS
    {52: 2024, 104: 2025}
"""

from __future__ import annotations

from datetime import date, timedelta

#: Public release of ChatGPT: generative AI reaches every office worker.
AI_ARRIVAL = date(2022, 11, 30)
#: Fieldwork of the survey waves. The 2025 wave's is the report's; the earlier wave was
#: fielded in spring 2024 with the same design, taken here as the same window a year before.
FIELDWORK = {
    2024: (date(2024, 3, 24), date(2024, 4, 9)),
    2025: (date(2025, 3, 24), date(2025, 4, 9)),
}
#: The week a run's week 104 stands for: the middle of the 2025 wave's fieldwork.
WAVE_2025 = FIELDWORK[2025][0] + (FIELDWORK[2025][1] - FIELDWORK[2025][0]) / 2
#: The date of week 0.
WEEK0 = WAVE_2025 - timedelta(weeks=104)


def week_of(day: date) -> int:
    """The run's week (rounded) that ``day`` falls in; negative before week 0."""
    return round((day - WEEK0).days / 7)


def date_of(week: int) -> date:
    """The date of a run's ``week`` (its first day)."""
    return WEEK0 + timedelta(weeks=int(week))


#: The week generative AI arrives (negative: before the series start).
ARRIVAL_WEEK = week_of(AI_ARRIVAL)
#: Weeks at which the survey waves are taken, and the report year each stands for.
WAVE_WEEKS = {week_of(a + (b - a) / 2): year for year, (a, b) in FIELDWORK.items()}
#: A redesign starts the Monday after the 2025 wave's fieldwork ends: in week 106, whose first
#: day (:func:`date_of`, as the outputs give it) is 15 April 2025.
REDESIGN_START = date(2025, 4, 14)
#: Its week.
REDESIGN_WEEK = week_of(REDESIGN_START)
#: Weeks after the redesign starts at which its effects are read (one and two years).
HORIZONS = (52, 104)
#: Weeks a run takes to read the redesign's effects at every horizon.
DEFAULT_WEEKS = REDESIGN_WEEK + max(HORIZONS)


def weeks_since_ai(week: int) -> int:
    """Weeks since generative AI arrived (negative before it does)."""
    return int(week) - ARRIVAL_WEEK
