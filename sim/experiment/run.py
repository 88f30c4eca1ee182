"""The one way to run a simulation and take what is kept from it: :func:`run_once`.

Every part of the library that runs the model (the runner's replicates, the
calibration's statistics, a sweep's runs, the EMA adapter) calls
:func:`run_once` with the outputs it keeps. The numbers depend only on the
parameters, the seed, the weeks and the status quo, and are those of
:func:`sim.model.simulate`: a run that keeps a few survey cells tabulates only
those (:meth:`~sim.model.WorkplaceModel.survey_cells`), with the same values as
the whole table.

Example:
    >>> from sim.experiment.run import Outputs, run_once
    >>> kept = Outputs(outcomes=("burnout_share",), survey=(("burnout", "all", 2024),))
    >>> out = run_once({"n_agents": 60}, seed=1, weeks=8, outputs=kept)
    >>> sorted(out), list(out["outcomes"])
    (['outcomes', 'survey'], ['burnout_share'])
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.model import WorkplaceModel
from sim.params import Params

__all__ = ["EVERYTHING", "Cell", "Outputs", "run_once"]

#: A survey cell: ``(item, group, wave)``.
Cell = tuple[str, str, int]


@dataclass(frozen=True)
class Outputs:
    """What a run returns; a part not asked for is not computed.

    Attributes:
        outcomes: ``True`` for every true outcome, a tuple of names for those, ``()``
            for none. Returned as ``{name: value}`` under ``"outcomes"``.
        survey: ``True`` for the whole survey table (a DataFrame), a tuple of cells
            ``(item, group, wave)`` for those only (``{cell: value}``, NaN where the
            table has no row), ``()`` for none. Returned under ``"survey"``.
        series: ``True`` for the weekly series (a DataFrame with the date), a tuple
            of names for those only (``{name: float64 array from week 0}``), ``()``
            for none. Returned under ``"series"``.
    """

    outcomes: bool | tuple[str, ...] = True
    survey: bool | tuple[Cell, ...] = ()
    series: bool | tuple[str, ...] = ()


#: Everything a run can tell: every outcome, the whole survey table, the weekly series.
EVERYTHING = Outputs(outcomes=True, survey=True, series=True)


def run_once(
    params: Params | Mapping[str, Any] | None,
    seed: int,
    weeks: int,
    outputs: Outputs = EVERYTHING,
    status_quo: Params | Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Run the model once and return the outputs asked for.

    Args:
        params: every parameter (missing ones take the model's defaults).
        seed: the run's seed.
        weeks: weeks to simulate.
        outputs: what to return (default :data:`EVERYTHING`).
        status_quo: the levers before the redesign starts (``None``: none).

    Returns:
        A dict with ``"outcomes"``, ``"survey"`` and ``"series"``, each present
        only when asked for (see :class:`Outputs`).
    """
    model = WorkplaceModel(params, rng=int(seed), status_quo=status_quo).run(int(weeks))
    out: dict[str, Any] = {}
    if outputs.outcomes:
        outcomes = model.outcomes()
        if outputs.outcomes is True:
            out["outcomes"] = dict(outcomes)
        else:
            out["outcomes"] = {name: outcomes[name] for name in outputs.outcomes}
    if outputs.survey is True:
        out["survey"] = model.survey()
    elif outputs.survey:
        out["survey"] = model.survey_cells(list(outputs.survey))
    if outputs.series is True:
        out["series"] = model.series()
    elif outputs.series:
        weekly = model.datacollector.model_vars
        out["series"] = {n: np.asarray(weekly[n], dtype=np.float64) for n in outputs.series}
    return out
