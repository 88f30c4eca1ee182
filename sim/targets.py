"""The calibration targets: the report's 2025 figures, read from ``sim/data/targets.toml``."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

import pandas as pd

#: The survey wave the targets belong to (week 104 of a run).
TARGET_WAVE = 2025

COLUMNS = ["id", "value", "item", "group", "block", "wave", "n", "se", "source"]


@cache
def _read() -> tuple[dict, ...]:
    text = resources.files("sim").joinpath("data/targets.toml").read_text(encoding="utf-8")
    return tuple(tomllib.loads(text)["target"])


#: Blocks of targets that share a mechanism (cross-validation folds), in report order.
BLOCKS = (
    "headline",
    "drivers",
    "relations",
    "anthropomorphism",
    "freelancers",
    "roles",
    "training",
)


def load_targets() -> pd.DataFrame:
    """Return every calibration target as a DataFrame.

    Columns: ``id``, ``value``, ``item`` and ``group`` (the survey row it maps
    to), ``block`` (the mechanism it belongs to, the unit of cross-validation),
    ``wave`` (2025), ``n`` (respondents), ``se`` (survey standard error)
    and ``source`` (what was asked).
    """
    rows = [{**t, "wave": t.get("wave", TARGET_WAVE)} for t in _read()]
    return pd.DataFrame(rows, columns=COLUMNS)
