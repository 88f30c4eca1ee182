"""Cross-validation of the calibration: moved to :mod:`sim.calibration.crossval`.

This module re-exports it so that ``from sim import crossval`` keeps working.
"""

from sim.calibration.crossval import (
    ALL,
    DEFAULT_ROOTS,
    DEFAULT_WORKDIR,
    CrossValidation,
    CrossValResult,
    block_summary,
    cross_validate,
    crossval_path,
    crossval_table,
    folds,
    load_crossval,
    markdown,
    pool,
    prior_centre,
)

__all__ = [
    "ALL",
    "DEFAULT_ROOTS",
    "DEFAULT_WORKDIR",
    "CrossValResult",
    "CrossValidation",
    "block_summary",
    "cross_validate",
    "crossval_path",
    "crossval_table",
    "folds",
    "load_crossval",
    "markdown",
    "pool",
    "prior_centre",
]
