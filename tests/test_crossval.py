"""Cross-validation of the calibration: the folds, the tables, and a real tiny run that
is interrupted and resumes."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest

from sim import crossval as cv
from sim.calibration import FREE_PARAMETERS, bundled_baseline, target_table
from sim.cli import main
from sim.errors import UserError
from sim.targets import BLOCKS, load_targets

TINY = {"n_agents": 100, "seeds": 1, "generations": 1, "eval_seeds": 1, "jobs": 1}


def test_every_target_is_held_out_in_exactly_one_fold():
    t = load_targets()
    f = cv.folds(t)
    assert list(f) == list(BLOCKS)
    held = [i for ids in f.values() for i in ids]
    assert sorted(held) == sorted(t["id"])
    assert len(held) == len(set(held)) == 32


def test_folds_of_some_blocks_hold_only_those_blocks():
    t = load_targets()
    f = cv.folds(t, ["roles", "training"])
    assert f["training"] == ["top_trained", "rest_trained"]
    assert set(t.loc[t["id"].isin(f["roles"]), "group"]) == {"manager", "ic"}


def test_prior_centre_is_inside_every_prior():
    c = cv.prior_centre()
    assert set(c) == {p.name for p in FREE_PARAMETERS}
    for p in FREE_PARAMETERS:
        assert p.lo <= c[p.name] <= p.hi
        assert p.unit(c[p.name]) == pytest.approx(0.5)


def test_crossval_table_reads_in_sample_from_all_and_out_of_block_from_its_fold():
    t = target_table()
    t = t[t["block"].isin(["roles", "training"])]
    truth = dict(zip(t["id"], t["value"], strict=True))
    exact = pd.DataFrame([truth, truth])
    # the fold without 'roles' misses every role target by 10 points, 'training' is exact
    off = pd.DataFrame(
        [{k: v + (0.10 if k.startswith(("manager", "ic")) else 0) for k, v in truth.items()}] * 2
    )
    table = cv.crossval_table(
        t, {"all": exact, "roles": off, "training": exact}, ["roles", "training"]
    )
    roles = table[table["block"] == "roles"]
    assert (roles["in_points"] == 0).all() and roles["in_within"].all()
    assert roles["out_points"].to_numpy() == pytest.approx([10.0] * 6)
    assert not roles["out_within"].any()
    summary = cv.block_summary(table).set_index("block")
    assert summary.loc["roles", "out_points"] == pytest.approx(10.0)
    assert summary.loc["training", "out_points"] == pytest.approx(0.0)
    assert summary.loc["all", "targets"] == 8
    assert summary.loc["all", "out_points"] == pytest.approx(10.0 * 6 / 8)
    lines = "\n".join(cv.markdown(table))
    assert "| roles | 6 |" in lines and "`rest_trained`" in lines


def test_bad_settings_are_refused_with_what_is_allowed():
    with pytest.raises(UserError, match=r"unknown block 'nope'.*allowed headline"):
        cv.CrossValidation(blocks=("nope",))
    with pytest.raises(UserError, match="sigma"):
        cv.CrossValidation(sigma=0)


def test_bad_cli_input_exits_2(tmp_path, capsys):
    assert main(["calibrate", "--cross-validate", "--blocks", "roles,nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown block nope" in err.splitlines()[0] and "allowed headline" in err
    f = tmp_path / "file"
    f.write_text("x")
    assert main(["calibrate", "--cross-validate", "--workdir", str(f), "--blocks", "training"]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert main(["calibrate", "--root-seed", "7"]) == 2
    assert "an option of --cross-validate only" in capsys.readouterr().err.splitlines()[0]
    assert main(["calibrate", "--blocks", "roles", "--seeds", "3", "--budget", "300"]) == 2
    assert "--blocks, --seeds: options of --cross-validate only" in capsys.readouterr().err


@pytest.mark.slow
def test_cli_cross_validation_from_another_root_keeps_the_committed_table(tmp_path, capsys):
    """``--root-seed`` reaches the cross-validation; ``--no-write`` leaves the baseline's table."""
    work = tmp_path / "cv7"
    committed = cv.crossval_path(bundled_baseline()).read_bytes()
    args = ["calibrate", "--cross-validate", "--blocks", "training", "--root-seed", "7"]
    tiny = ["--agents", "100", "--seeds", "1", "--refine", "1", "--fit-seeds", "1", "-j", "1"]
    assert main([*args, *tiny, "--no-write", "--workdir", str(work), "--json"]) == 0
    assert json.loads((work / "settings.json").read_text())["root_seed"] == 7
    assert json.loads(capsys.readouterr().out)["blocks"][0]["block"] == "training"
    assert cv.crossval_path(bundled_baseline()).read_bytes() == committed


@pytest.mark.slow
def test_tiny_cross_validation_runs_resumes_and_refuses_other_settings(tmp_path):
    work = tmp_path / "cv"
    out = tmp_path / "baseline_crossval.csv"
    run = cv.CrossValidation(blocks=("training",), **TINY)
    first = cv.cross_validate(run, workdir=work, out=out, log=lambda m: None)
    assert set(first.estimates) == {"all", "training"}
    assert list(first.table["id"]) == ["top_trained", "rest_trained"]
    assert all(math.isfinite(x) for x in first.table["out_of_block"])
    assert (work / "training.estimate.json").is_file() and (work / "all.cma.pkl").is_file()
    saved = pd.read_csv(out)
    assert list(saved["id"]) == ["top_trained", "rest_trained"]
    assert json.loads(out.with_suffix(".json").read_text())["estimates"] == first.estimates

    # a second run reuses every stored fit: the same numbers, no search
    lines: list[str] = []
    again = cv.cross_validate(run, workdir=work, log=lines.append)
    assert again.estimates == first.estimates
    pd.testing.assert_frame_equal(again.table, first.table)
    assert not any("refining" in m for m in lines)

    # an interrupted search resumes from its checkpoint
    (work / "training.estimate.json").unlink()
    (work / "training.eval.csv").unlink()
    lines.clear()
    resumed = cv.cross_validate(run, workdir=work, log=lines.append)
    assert any("resuming the search after generation 1" in m for m in lines)
    assert resumed.estimates == first.estimates

    with pytest.raises(UserError, match="other settings"):
        cv.cross_validate(cv.CrossValidation(blocks=("roles",), **TINY), workdir=work)
