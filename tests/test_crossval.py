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
    assert "own noise" not in lines  # one root: nothing to compare


def test_markdown_shows_each_root_and_how_far_the_roots_spread():
    t = target_table()
    t = t[t["block"].isin(["roles", "training"])]
    truth = dict(zip(t["id"], t["value"], strict=True))
    exact = pd.DataFrame([truth])
    off = pd.DataFrame([{k: v + 0.10 for k, v in truth.items()}])
    blocks = ["roles", "training"]
    near = cv.crossval_table(t, {"all": exact, "roles": exact, "training": exact}, blocks)
    far = cv.crossval_table(t, {"all": exact, "roles": off, "training": exact}, blocks)
    meta = {
        "settings": {"seeds": 6, "eval_seeds": 10},
        "roots": {
            "11": cv.block_summary(near).to_dict("records"),
            "12": cv.block_summary(far).to_dict("records"),
        },
    }
    text = " ".join(cv.markdown(near, meta))
    assert "run from 2 root seeds (11, 12)" in text
    assert "| out of block, root 11 | 0.0 | 0.0 | 0.0 |" in text
    assert "| out of block, root 12 | 10.0 | 0.0 | 7.5 |" in text
    assert "root 11 8 and 8; root 12 8 and 2." in text
    assert "moves by up to 10.0 points, that of all 8 figures by 7.5" in text
    assert "standard error over the roots is 3.8 points" in text


def test_bad_settings_are_refused_with_what_is_allowed():
    with pytest.raises(UserError, match=r"unknown block 'nope'.*allowed headline"):
        cv.CrossValidation(blocks=("nope",))
    with pytest.raises(UserError, match="sigma"):
        cv.CrossValidation(sigma=0)
    with pytest.raises(UserError, match="root seeds 7, 7: give one or more distinct"):
        cv.CrossValidation(root_seeds=(7, 7))
    with pytest.raises(UserError, match=r"\(none given\)"):
        cv.CrossValidation(root_seeds=())


def test_bad_cli_input_exits_2(tmp_path, capsys):
    assert main(["calibrate", "--cross-validate", "--blocks", "roles,nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown block nope" in err.splitlines()[0] and "allowed headline" in err
    f = tmp_path / "file"
    f.write_text("x")
    assert main(["calibrate", "--cross-validate", "--workdir", str(f), "--blocks", "training"]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert main(["calibrate", "--cross-validate", "--root-seed", "7", "7"]) == 2
    assert "root seeds 7, 7: give one or more distinct" in capsys.readouterr().err
    assert main(["calibrate", "--root-seed", "7"]) == 2
    assert "an option of --cross-validate only" in capsys.readouterr().err.splitlines()[0]
    assert main(["calibrate", "--blocks", "roles", "--seeds", "3", "--budget", "300"]) == 2
    assert "--blocks, --seeds: options of --cross-validate only" in capsys.readouterr().err


def test_calibrate_run_checks_its_options_without_the_command_line():
    """``sim.cli.calibrate.run`` knows every option's default by itself, so a caller that
    builds the arguments without ``register`` gets the same refusals."""
    import argparse

    from sim.cli import calibrate

    args = argparse.Namespace(**calibrate._defaults())
    args.report, args.budget = True, 5
    with pytest.raises(UserError, match="--budget: not used by --report; leave it out"):
        calibrate.run(args)


@pytest.mark.slow
def test_cli_cross_validation_from_another_root_keeps_the_committed_table(tmp_path, capsys):
    """``--root-seed`` reaches the cross-validation; ``--no-write`` leaves the baseline's table."""
    work = tmp_path / "cv7"
    committed = cv.crossval_path(bundled_baseline()).read_bytes()
    args = ["calibrate", "--cross-validate", "--blocks", "training", "--root-seed", "7"]
    tiny = ["--agents", "100", "--seeds", "1", "--refine", "1", "--fit-seeds", "1", "-j", "1"]
    assert main([*args, *tiny, "--no-write", "--workdir", str(work), "--json"]) == 0
    assert json.loads((work / "root-7" / "settings.json").read_text())["root_seed"] == 7
    printed = json.loads(capsys.readouterr().out)
    assert printed["blocks"][0]["block"] == "training" and list(printed["roots"]) == ["7"]
    assert cv.crossval_path(bundled_baseline()).read_bytes() == committed


@pytest.mark.slow
def test_tiny_cross_validation_runs_resumes_and_refuses_other_settings(tmp_path):
    work = tmp_path / "cv"
    out = tmp_path / "baseline_crossval.csv"
    run = cv.CrossValidation(blocks=("training",), root_seeds=(7,), **TINY)
    first = cv.cross_validate(run, workdir=work, out=out, log=lambda m: None)
    assert set(first.estimates) == {7} and set(first.estimates[7]) == {"all", "training"}
    assert list(first.table["id"]) == ["top_trained", "rest_trained"]
    assert all(math.isfinite(x) for x in first.table["out_of_block"])
    root = work / "root-7"
    assert (root / "training.estimate.json").is_file() and (root / "all.cma.pkl").is_file()
    saved = pd.read_csv(out)
    assert list(saved["id"]) == ["top_trained", "rest_trained"]
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["estimates"] == {"7": first.estimates[7]}
    assert meta["settings"]["root_seeds"] == [7] and list(meta["roots"]) == ["7"]

    # a second run reuses every stored fit: the same numbers, no search
    lines: list[str] = []
    again = cv.cross_validate(run, workdir=work, log=lines.append)
    assert again.estimates == first.estimates
    pd.testing.assert_frame_equal(again.table, first.table)
    assert not any("refining" in m for m in lines)

    # an interrupted search resumes from its checkpoint
    (root / "training.estimate.json").unlink()
    (root / "training.eval.csv").unlink()
    lines.clear()
    resumed = cv.cross_validate(run, workdir=work, log=lines.append)
    assert any("resuming the search after generation 1" in m for m in lines)
    assert resumed.estimates == first.estimates

    # a second root reuses the first's fits; the table is the mean over the two
    lines.clear()
    both = cv.cross_validate(
        cv.CrossValidation(blocks=("training",), root_seeds=(7, 8), **TINY),
        workdir=work,
        log=lines.append,
    )
    assert sum("refining" in m for m in lines) == 2  # root 8's two fits only
    assert both.estimates[7] == first.estimates[7] and set(both.roots) == {7, 8}
    each = [pd.read_csv(work / f"root-{r}" / "crossval.csv") for r in (7, 8)]
    mean = (each[0]["out_of_block"] + each[1]["out_of_block"]) / 2
    assert both.table["out_of_block"].to_numpy() == pytest.approx(mean.to_numpy())

    # a folder from before several roots (one root's files directly in it) is moved, not redone
    for f in root.iterdir():
        f.rename(work / f.name)
    root.rmdir()
    lines.clear()
    moved = cv.cross_validate(run, workdir=work, log=lines.append)
    assert any("moved the stored fits of root seed 7" in m for m in lines)
    assert not any("refining" in m for m in lines) and moved.estimates == first.estimates
    assert (root / "settings.json").is_file() and not (work / "settings.json").exists()

    with pytest.raises(UserError, match="other settings"):
        cv.cross_validate(
            cv.CrossValidation(blocks=("roles",), root_seeds=(7,), **TINY), workdir=work
        )
