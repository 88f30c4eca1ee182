"""The pattern suite: stylised facts from field research that no survey figure pins.

A calibration fits the model to the report's figures; a *pattern* is a fact
from elsewhere (labour statistics, meta-analyses, field experiments, surveys of
AI use) that the model must also reproduce without having been fitted to it.
Each pattern in ``sim/data/patterns.toml`` names a statistic (one of
:data:`STATISTICS`), an acceptance band taken from the literature and its
source. :func:`check` runs the calibrated baseline (and the variants a pattern
needs) on common seeds, computes every statistic seed by seed, and gives each
pattern its mean, a 95% interval over the seeds and a verdict: ``PASS`` when the
mean lies in the band, ``FAIL`` when it does not.

* :mod:`sim.validation.stats`: the statistics, pure functions of arrays
  (relative risk, ICC(1), drift, fastest-growth week, point-biserial correlation).
* :mod:`sim.validation.patterns`: the patterns file and its checks.
* :mod:`sim.validation.suite`: the model runs and the verdicts; :func:`without_ai`.
* :mod:`sim.validation.report`: ``docs/validation.md`` and its figures.

Example:
    >>> import numpy as np
    >>> from sim.validation import icc1, relative_risk
    >>> left = np.array([1, 1, 0, 1, 0, 0], dtype=bool)     # left within the year
    >>> burnt = np.array([1, 1, 1, 0, 0, 0], dtype=bool)    # burnt out at the start
    >>> relative_risk(left, burnt)                          # 2/3 against 1/3
    2.0
    >>> round(icc1(np.array([0.0, 0.0, 1.0, 1.0]), np.array([0, 0, 1, 1])), 3)
    1.0
"""

from sim.validation.patterns import PATTERNS_FILE, Pattern, load_patterns
from sim.validation.stats import (
    drift,
    fastest_growth_week,
    icc1,
    point_biserial,
    relative_risk,
)
from sim.validation.suite import (
    DEFAULT_AGENTS,
    DEFAULT_SEEDS,
    FAIL,
    NOT_MEASURABLE,
    PASS,
    QUICK_AGENTS,
    QUICK_SEEDS,
    STATISTICS,
    CheckResult,
    PatternResult,
    check,
    knife_edge_variants,
    select,
    without_ai,
)

__all__ = [
    "DEFAULT_AGENTS",
    "DEFAULT_SEEDS",
    "FAIL",
    "NOT_MEASURABLE",
    "PASS",
    "PATTERNS_FILE",
    "QUICK_AGENTS",
    "QUICK_SEEDS",
    "STATISTICS",
    "CheckResult",
    "Pattern",
    "PatternResult",
    "check",
    "drift",
    "fastest_growth_week",
    "icc1",
    "knife_edge_variants",
    "load_patterns",
    "point_biserial",
    "relative_risk",
    "select",
    "without_ai",
]
