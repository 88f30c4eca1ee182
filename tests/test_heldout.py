"""Predictions for the held-out 2024 wave: what they cover, and the same numbers every time."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.calibration import Settings, estimate_from_baseline, posterior_draws, target_table
from sim.calibration.heldout import (
    EARLY_COST_ITEMS,
    heldout_items,
    predict_heldout,
    tool_curve_shift,
)
from sim.errors import UserError
from sim.survey import ITEMS

TINY = Settings(n_agents=200, jobs=1)


def test_every_target_and_the_early_cost_items_are_predicted():
    items = heldout_items()
    assert [i for i, _, _ in items[:32]] == list(target_table()["id"])
    assert items[32:] == list(EARLY_COST_ITEMS)
    assert {item for _, item, _ in items} <= set(ITEMS)


def test_predictions_are_reproducible_and_ranges_hold_the_mean():
    draws = posterior_draws(2, seed=1)
    first = predict_heldout(estimate_from_baseline(), TINY, seeds=4, draws=draws, draw_seeds=1)
    again = predict_heldout(estimate_from_baseline(), TINY, seeds=4, draws=draws, draw_seeds=1)
    pd.testing.assert_frame_equal(first, again)
    assert list(first["id"]) == [i for i, _, _ in heldout_items()]
    shares = first[~first["ratio"]]
    assert shares["mean"].between(0, 1).all()
    ok = first[["mean", "q05", "q95"]].notna().all(axis=1)
    assert (first.loc[ok, "q05"] <= first.loc[ok, "mean"] + 1e-12).all()
    assert (first.loc[ok, "mean"] <= first.loc[ok, "q95"] + 1e-12).all()
    assert np.isfinite(first["post_q05"]).sum() >= 30
    # spring 2024 is a year earlier: smaller self-reported gains than the 2025 wave's 40%
    gain = first.set_index("id").loc["fte_productivity_gain", "mean"]
    assert gain < 0.40


def test_without_draws_the_posterior_range_is_empty():
    t = predict_heldout(estimate_from_baseline(), TINY, seeds=2)
    assert t["post_q05"].isna().all() and t["post_q95"].isna().all()


def test_tools_arriving_earlier_give_larger_gains_in_2024():
    t = tool_curve_shift(estimate_from_baseline(), TINY, weeks=26, seeds=4).set_index("id")
    assert list(t.columns) == ["q_earlier", "q_later"]
    assert len(t) == len(heldout_items())
    gain = t.loc["fte_productivity_gain"]
    assert gain["q_earlier"] > gain["q_later"]


def test_the_same_numbers_on_any_number_of_processes():
    one = predict_heldout(estimate_from_baseline(), TINY, seeds=3)
    two = predict_heldout(estimate_from_baseline(), Settings(n_agents=200, jobs=2), seeds=3)
    pd.testing.assert_frame_equal(one, two)


def test_bad_counts_are_refused_with_what_is_allowed():
    with pytest.raises(UserError, match="seeds=0 is out of range: allowed 1"):
        predict_heldout(estimate_from_baseline(), TINY, seeds=0)
    with pytest.raises(UserError, match="draw_seeds=0 is out of range"):
        predict_heldout(estimate_from_baseline(), TINY, seeds=1, draw_seeds=0)
