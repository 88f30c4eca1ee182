"""One run of a sweep with the default model, computing only the outputs the spec keeps.

:func:`sim.model.simulate` returns everything a run can tell (the whole survey
table of both waves, every weekly series as a DataFrame, every outcome); a
sweep keeps a few of them. :func:`run_kept` runs the same model and the same
waves but tabulates only the kept survey cells
(:meth:`~sim.model.WorkplaceModel.survey_cells`) and copies only the kept
series, so a run costs little more than the model's weeks. The numbers are
those of :func:`sim.model.simulate` (``tests/test_sweep.py`` checks every
item, group, wave, series and outcome).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.model import WorkplaceModel
from sim.sweeps.spec import Outputs, survey_column

__all__ = ["run_kept"]


def run_kept(
    params: dict[str, Any], seed: int, weeks: int, outputs: Outputs
) -> tuple[dict[str, float], dict[str, np.ndarray] | None]:
    """Run one simulation and return what ``outputs`` keeps.

    Returns:
        ``(values, series)``: the kept outcomes and survey cells by column name
        (``survey.ITEM.GROUP.WAVE``), and the kept weekly series as float64
        arrays from week 0 (``None`` if none is kept).
    """
    model = WorkplaceModel(params, rng=seed).run(weeks)
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
