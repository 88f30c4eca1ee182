"""One run of a sweep with the default model, computing only the outputs the spec keeps.

:func:`run_kept` hands the spec's outputs to :func:`sim.experiment.run.run_once`,
which tabulates only the kept survey cells and copies only the kept series, so
a run costs little more than the model's weeks. The numbers are those of
:func:`sim.model.simulate` (``tests/test_sweep.py`` checks every item, group,
wave, series and outcome).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.experiment.run import Outputs, run_once
from sim.sweeps.spec import Outputs as KeptOutputs
from sim.sweeps.spec import survey_column

__all__ = ["run_kept"]


def run_kept(
    params: dict[str, Any], seed: int, weeks: int, outputs: KeptOutputs
) -> tuple[dict[str, float], dict[str, np.ndarray] | None]:
    """Run one simulation and return what ``outputs`` keeps.

    Returns:
        ``(values, series)``: the kept outcomes and survey cells by column name
        (``survey.ITEM.GROUP.WAVE``), and the kept weekly series as float64
        arrays from week 0 (``None`` if none is kept).
    """
    keys = outputs.survey_keys()
    kept = Outputs(
        outcomes=tuple(outputs.outcomes), survey=tuple(keys), series=tuple(outputs.series)
    )
    out = run_once(params, seed, weeks, kept)
    row = {name: float(value) for name, value in out.get("outcomes", {}).items()}
    cells = out.get("survey", {})
    for key in keys:
        row[survey_column(*key)] = float(cells[key])
    return row, out.get("series")
