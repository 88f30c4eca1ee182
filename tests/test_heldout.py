"""Predictions for the held-out 2024 wave: what they cover, and the same numbers every time."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from sim.calibration import Settings, estimate_from_baseline, posterior_draws, target_table
from sim.calibration.heldout import (
    EARLY_COST_ITEMS,
    heldout_items,
    predict_heldout,
    read_figures,
    score_heldout,
    tool_curve_shift,
)
from sim.cli import main
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


# Made-up figures for the tests only: the held-out wave's own figures are never used here.
FIGURES = (
    "id,value,se\nfte_productivity_gain,0.20,0.012\ntop_quit_ratio,1.0,0.2\nic_burnout,0.30,0.02\n"
)


def test_scoring_applies_the_fits_acceptance_rule(tmp_path):
    f = tmp_path / "wave.csv"
    f.write_text(FIGURES)
    predictions = pd.DataFrame(
        {
            "id": ["fte_productivity_gain", "top_quit_ratio", "ic_burnout"],
            "mean": [0.22, 1.5, 0.70],
            "ratio": [False, True, False],
        }
    )
    t = score_heldout(read_figures(f), predictions).set_index("id")
    # 2 points off a 2.4-point tolerance; a ratio 0.5 off is 10 points of share
    assert t.loc["fte_productivity_gain", "within"]
    assert t.loc["fte_productivity_gain", "off_points"] == pytest.approx(2.0)
    assert t.loc["top_quit_ratio", "off_points"] == pytest.approx(10.0)
    assert not t.loc["top_quit_ratio", "within"] and not t.loc["top_quit_ratio", "beyond_cap"]
    assert t.loc["ic_burnout", "beyond_cap"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id,value\nic_burnout,0.3\n", "no column se"),
        ("id,value,se\nnope,0.3,0.02\n", "unknown id 'nope'"),
        ("id,value,se\nic_burnout,0.3,0.02\nic_burnout,0.3,0.02\n", "more than once"),
        ("id,value,se\nic_burnout,30,0.02\n", "value '30' of 'ic_burnout' is not allowed"),
        ("id,value,se\nic_burnout,0.3,-1\n", "se '-1' of 'ic_burnout' is not allowed"),
    ],
)
def test_bad_figure_files_are_refused_with_what_is_allowed(tmp_path, text, message):
    f = tmp_path / "wave.csv"
    f.write_text(text)
    with pytest.raises(UserError, match=message):
        read_figures(f)


def test_cli_scores_the_recorded_predictions(tmp_path, capsys):
    f = tmp_path / "wave.csv"
    f.write_text(FIGURES)
    assert main(["calibrate", "--score-heldout", str(f), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["scored"] == 3 and out["predictions"].endswith("calibration_heldout_2024.csv")
    assert main(["calibrate", "--score-heldout", str(tmp_path / "none.csv")]) == 2
    assert "no such file" in capsys.readouterr().err.splitlines()[0]
    assert main(["calibrate", "--score-heldout", str(f), "--docs", str(tmp_path)]) == 2
    assert "run 'workplace-sim calibrate --report' first" in capsys.readouterr().err
    assert main(["calibrate", "--report", "--score-heldout", str(f)]) == 2
    assert "--report and --score-heldout: choose one" in capsys.readouterr().err
