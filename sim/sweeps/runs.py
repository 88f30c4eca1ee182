"""One run of a sweep with the default model, computing only the outputs the spec keeps.

:func:`sim.model.simulate` returns everything a run can tell (the whole survey
table of both waves, every weekly series as a DataFrame, every outcome); a
sweep keeps a few of them. :func:`run_kept` runs the same model and the same
waves but tabulates only the kept survey cells and copies only the kept
series, so a run costs little more than the model's weeks. The numbers are
those of :func:`sim.model.simulate` (``tests/test_sweep.py`` checks every
item, group, wave, series and outcome).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from sim import survey
from sim.model import WorkplaceModel
from sim.sweeps.spec import Outputs, survey_column

__all__ = ["SweepModel", "run_kept"]


class SweepModel(WorkplaceModel):
    """The workplace model, its survey waves kept as answers and tabulated on demand.

    Each wave samples and answers exactly as :class:`~sim.model.WorkplaceModel`'s
    (same respondents, same random draws); only the tabulation waits until a
    cell is asked for (:meth:`survey_cells`) or the whole table is
    (:meth:`survey`).
    """

    def _take_wave(self, wave: int, tool_quality: float) -> survey.Responses:  # type: ignore[override]
        rng = np.random.default_rng([*self._survey_key, abs(wave)])
        ctx = survey.context(
            self.state, self.adjacency, tool_quality, self.params.visible_gain_weight
        )
        return survey.answer(self.state, ctx, wave, rng)

    def survey(self) -> pd.DataFrame:
        """Return the survey waves taken so far as tidy rows (see the base class)."""
        if self._waves:
            return pd.concat([w.table() for w in self._waves], ignore_index=True)
        # before week 52 the base class takes a wave now, with _take_wave above
        return super().survey().table()

    def survey_cells(self, keys: list[tuple[str, str, int]]) -> dict[tuple[str, str, int], float]:
        """Return the values of ``(item, group, wave)`` cells; NaN for a wave not taken."""
        waves = {w.wave: w for w in self._waves}
        out: dict[tuple[str, str, int], float] = {}
        for wave in dict.fromkeys(k[2] for k in keys):
            cells = [(item, group) for item, group, w in keys if w == wave]
            if wave in waves:
                values = waves[wave].cells(cells)
                out.update(((item, group, wave), values[item, group]) for item, group in cells)
            else:
                out.update(((item, group, wave), math.nan) for item, group in cells)
        return out


def run_kept(
    params: dict[str, Any], seed: int, weeks: int, outputs: Outputs
) -> tuple[dict[str, float], dict[str, np.ndarray] | None]:
    """Run one simulation and return what ``outputs`` keeps.

    Returns:
        ``(values, series)``: the kept outcomes and survey cells by column name
        (``survey.ITEM.GROUP.WAVE``), and the kept weekly series as float64
        arrays from week 0 (``None`` if none is kept).
    """
    model = SweepModel(params, rng=seed).run(weeks)
    row: dict[str, float] = {}
    if outputs.outcomes:
        outcomes = model.outcomes()
        for name in outputs.outcomes:
            row[name] = float(outcomes[name])
    keys = outputs.survey_keys()
    if keys:
        cells = model.survey_cells(keys)
        for key in keys:
            row[survey_column(*key)] = float(cells[key])
    series = None
    if outputs.series:
        weekly = model.datacollector.model_vars
        series = {name: np.asarray(weekly[name], dtype=np.float64) for name in outputs.series}
    return row, series
