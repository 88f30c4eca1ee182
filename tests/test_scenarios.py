"""Scenario files: the bundled set, inheritance, and strict validation (Python API)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import numpy as np
import pytest

import sim
from sim.errors import UserError
from sim.params import Params
from sim.scenarios import (
    DEFAULT_SEEDS,
    DEFAULT_WEEKS,
    Scenario,
    bundled_dir,
    bundled_names,
    bundled_scenarios,
    load_scenario,
    load_scenarios,
)

#: The report's five levers, and the parameters each bundled scenario must move.
LEVERS = {
    "touchpoints": {"touchpoints"},
    "blended_talent": {"freelancer_share", "freelancer_embedding"},
    "ai_strategy": {"strategy_clarity"},
    "manager_coaching": {"span_of_control", "manager_training", "coaching_hours"},
    "keep_slack": {"output_conversion"},
}


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- bundled
def test_bundled_set_is_baseline_five_levers_and_combined():
    names = bundled_names()
    assert names[0] == "baseline"
    assert names[-1] == "combined"
    assert set(names) == {"baseline", "combined", *LEVERS}


@pytest.mark.parametrize("sc", bundled_scenarios(), ids=lambda sc: sc.name)
def test_bundled_file_is_complete_and_named_after_its_file(sc: Scenario):
    raw = tomllib.loads(sc.path.read_text(encoding="utf-8"))
    assert sc.path.parent == bundled_dir()
    assert sc.name == sc.path.stem == raw["name"]
    assert raw["title"] and raw["description"].strip() and raw["recommendation"]
    assert sc.title == raw["title"]
    assert len(sc.title) <= 60
    assert sc.weeks >= 104, "both survey waves (weeks 52 and 104) must be in a default run"


@pytest.mark.parametrize("name", sorted(LEVERS))
def test_each_lever_scenario_changes_only_its_lever(name: str):
    sc = load_scenario(name)
    base = load_scenario("baseline")
    assert sc.parent == "baseline"
    assert set(sc.changes) == LEVERS[name]
    changed = {k for k, v in sc.params.to_dict().items() if v != base.params.to_dict()[k]}
    assert changed == LEVERS[name]


def test_levers_move_in_the_redesign_direction():
    base = load_scenario("baseline").params
    assert load_scenario("touchpoints").params.touchpoints > base.touchpoints
    assert load_scenario("touchpoints").params.psych_safety == base.psych_safety  # grown, not set
    assert load_scenario("blended_talent").params.freelancer_share > base.freelancer_share
    assert load_scenario("blended_talent").params.freelancer_embedding > base.freelancer_embedding
    assert load_scenario("ai_strategy").params.strategy_clarity > base.strategy_clarity
    assert load_scenario("manager_coaching").params.span_of_control < base.span_of_control
    assert load_scenario("manager_coaching").params.manager_training > base.manager_training
    assert load_scenario("manager_coaching").params.coaching_hours > base.coaching_hours
    assert load_scenario("keep_slack").params.output_conversion < base.output_conversion


def test_combined_is_the_union_of_the_levers():
    combined = load_scenario("combined")
    union = set().union(*LEVERS.values())
    assert set(combined.changes) == union
    for name in LEVERS:
        for key, value in load_scenario(name).changes.items():
            assert combined.changes[key] == value


def test_baseline_starts_from_the_model_defaults():
    base = load_scenario("baseline")
    assert base.parent is None
    assert base.params == Params(**base.changes)


# ----------------------------------------------------------------------------- user files
def test_user_file_anywhere_inherits_baseline_by_default(tmp_path: Path):
    f = write(tmp_path / "mine.toml", 'title = "Mine"\n[params]\noutput_conversion = 0.5\n')
    sc = load_scenario(f)
    assert sc.name == "mine" and sc.title == "Mine" and sc.parent == "baseline"
    assert sc.params == load_scenario("baseline").params.replace(output_conversion=0.5)
    assert sc.weeks == load_scenario("baseline").weeks
    assert load_scenario(str(f)) == sc


def test_chain_of_inheritance_with_weeks_and_seeds(tmp_path: Path):
    write(
        tmp_path / "a.toml",
        'inherits = "touchpoints"\nweeks = 156\nseeds = 3\n[params]\nstrategy_clarity = 0.9\n',
    )
    write(tmp_path / "b.toml", 'name = "bee"\ninherits = "a"\n[params]\ntouchpoints = 0.9\n')
    sc = load_scenario(tmp_path / "b.toml")
    assert sc.name == "bee" and sc.parent == "a"
    assert (sc.weeks, sc.seeds) == (156, 3)
    assert sc.params.touchpoints == 0.9
    assert sc.params.strategy_clarity == 0.9
    assert sc.params.psych_safety == load_scenario("touchpoints").params.psych_safety
    assert sc.changes == {"touchpoints": 0.9}


def test_inherits_a_relative_path_and_a_local_file_before_a_bundled_one(tmp_path: Path):
    (tmp_path / "sub").mkdir()
    write(tmp_path / "keep_slack.toml", "[params]\noutput_conversion = 0.05\n")
    write(tmp_path / "sub" / "c.toml", 'inherits = "../keep_slack.toml"\n')
    write(tmp_path / "d.toml", 'inherits = "keep_slack"\n')
    assert load_scenario(tmp_path / "sub" / "c.toml").params.output_conversion == 0.05
    assert load_scenario(tmp_path / "d.toml").params.output_conversion == 0.05


def test_inherits_defaults_ignores_the_baseline(tmp_path: Path):
    f = write(tmp_path / "raw.toml", 'inherits = "defaults"\n[params]\ntouchpoints = 0.3\n')
    sc = load_scenario(f)
    assert sc.parent is None
    assert sc.params == Params(touchpoints=0.3)
    assert (sc.weeks, sc.seeds) == (DEFAULT_WEEKS, DEFAULT_SEEDS)


def test_with_overrides_validates_and_keeps_the_name():
    sc = load_scenario("keep_slack").with_overrides(n_agents=200, weeks=60, seeds=2)
    assert (sc.name, sc.params.n_agents, sc.weeks, sc.seeds) == ("keep_slack", 200, 60, 2)
    assert sc.changes["n_agents"] == 200
    with pytest.raises(UserError, match="out of range: allowed 0 to 1"):
        sc.with_overrides(output_conversion=3.0)
    with pytest.raises(UserError, match="did you mean 'touchpoints'"):
        sc.with_overrides(touchpoint=0.2)
    with pytest.raises(UserError, match="weeks=0 is out of range"):
        sc.with_overrides(weeks=0)


def test_load_scenarios_refuses_two_different_scenarios_with_one_name(tmp_path: Path):
    f = write(tmp_path / "x.toml", 'name = "keep_slack"\n')
    with pytest.raises(UserError, match="duplicate scenario name 'keep_slack'"):
        load_scenarios(["keep_slack", f])
    assert [s.name for s in load_scenarios(["keep_slack", "keep_slack"])] == ["keep_slack"]


def test_describe_names_the_changes():
    text = load_scenario("keep_slack").describe()
    assert text.startswith("keep_slack: ") and "output_conversion=0.3" in text


# ----------------------------------------------------------------------------- errors
BAD_FILES = [
    ("titel = 'x'\n", "unknown key 'titel'; did you mean 'title'?"),
    ("touchpoints = 0.4\n", "unknown key 'touchpoints': it is a parameter, put it under [params]"),
    ("[params]\ntouchpoint = 0.4\n", "unknown parameter 'touchpoint'; did you mean 'touchpoints'?"),
    ("[params]\ntouchpoints = 21.5\n", "touchpoints=21.5 is out of range: allowed 0 to 20"),
    ("[params]\ntouchpoints = '0.4'\n", "touchpoints='0.4' has the wrong type"),
    ("[params]\ntouchpoints = true\n", "touchpoints=True has the wrong type"),
    ("[params]\nspan_of_control = 6.5\n", "expected an integer from 2 to 40"),
    ("[params]\n[params.touchpoints]\nx = 1\n", "touchpoints has the wrong type"),
    ("weeks = '104'\n", "'weeks' has the wrong type: expected an integer from 1 to 1040"),
    ("seeds = 0\n", "seeds=0 is out of range: allowed 1 to 1000"),
    ("weeks = 5000\n", "weeks=5000 is out of range: allowed 1 to 1040"),
    ("params = 3\n", "'params' has the wrong type: expected a table"),
    ("title = 3\n", "'title' has the wrong type: expected a string, got integer 3"),
    ("inherits = 'basline'\n", "unknown parent scenario 'basline' in inherits; did you mean"),
    ("inherits = ''\n", "'inherits' is empty"),
    ("inherits = 'nowhere/x.toml'\n", "inherits scenario file not found"),
    ("name = 'a b'\n", "name 'a b' is not allowed"),
    ("name = 'defaults'\n", "name 'defaults' is reserved"),
    ("title = 'x'\nweeks = = 3\n", ":2: malformed TOML"),
    ("title = 'unterminated\n", ":1: malformed TOML"),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES, ids=[m for _, m in BAD_FILES])
def test_bad_file_raises_user_error_naming_the_file_and_problem(tmp_path, text, message):
    f = write(tmp_path / "bad.toml", text)
    with pytest.raises(UserError) as err:
        load_scenario(f)
    first = str(err.value).splitlines()[0]
    assert first.startswith(str(f)), first
    assert message in first


def test_malformed_toml_gets_its_hint_from_python_too(tmp_path: Path):
    """The hint for a common slip is part of the error, not only of the command line's."""
    f = write(tmp_path / "mine.toml", 'inherits = "baseline"\n[params]\nmanager_training = 60%\n')
    with pytest.raises(UserError) as err:
        sim.load_scenario(f)
    first, hint = str(err.value).splitlines()
    assert first.startswith(f"{f}:3: malformed TOML: ") and "(column " in first
    assert hint == "hint: percentages are written as fractions: manager_training = 0.6"
    # no slip known: no hint line
    write(tmp_path / "plain.toml", "title = 'x'\nweeks = = 3\n")
    with pytest.raises(UserError) as err:
        load_scenario(tmp_path / "plain.toml")
    assert "\n" not in str(err.value)


def test_inheritance_cycle_is_named(tmp_path: Path):
    write(tmp_path / "a.toml", 'inherits = "b"\n')
    write(tmp_path / "b.toml", 'inherits = "a"\n')
    write(tmp_path / "c.toml", 'inherits = "c"\n')
    with pytest.raises(UserError, match=r"inheritance cycle: a -> b -> a"):
        load_scenario(tmp_path / "a.toml")
    with pytest.raises(UserError, match=r"c.toml: inheritance cycle: c -> c"):
        load_scenario(tmp_path / "c.toml")


def test_errors_in_a_parent_name_the_parent_file(tmp_path: Path):
    write(tmp_path / "parent.toml", "[params]\ntouchpoints = 29\n")
    write(tmp_path / "child.toml", 'inherits = "parent"\n')
    with pytest.raises(UserError, match=r"parent.toml: \[params\] touchpoints=29 is out of range"):
        load_scenario(tmp_path / "child.toml")


def test_unknown_name_lists_the_available_scenarios():
    with pytest.raises(UserError) as err:
        load_scenario("keep_slak")
    msg = str(err.value)
    assert msg.startswith("unknown scenario 'keep_slak'; did you mean 'keep_slack'?")
    for name in bundled_names():
        assert name in msg


def test_missing_file_directory_and_non_utf8(tmp_path: Path):
    with pytest.raises(UserError, match="scenario file not found"):
        load_scenario(tmp_path / "nope.toml")
    (tmp_path / "dir.toml").mkdir()
    with pytest.raises(UserError, match="is a directory"):
        load_scenario(tmp_path / "dir.toml")
    (tmp_path / "latin.toml").write_bytes(b'title = "caf\xe9"\n')
    with pytest.raises(UserError, match=r"latin.toml:1: malformed TOML: not UTF-8"):
        load_scenario(tmp_path / "latin.toml")


def test_installed_wheel_layout_finds_bundled_files(tmp_path: Path):
    """In a wheel the files sit in sim/_scenarios/; the loader finds them there."""
    import os
    import shutil
    import subprocess
    import sys

    src = Path(__file__).parents[1]
    pkg = tmp_path / "site" / "sim"
    shutil.copytree(src / "sim", pkg, ignore=shutil.ignore_patterns("__pycache__", "_scenarios"))
    shutil.copytree(src / "scenarios", pkg / "_scenarios")
    code = (
        "from sim.scenarios import bundled_dir, bundled_names\n"
        "print(bundled_dir())\nprint(bundled_names())"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(pkg.parent)},
    )
    where, names = r.stdout.splitlines()
    assert Path(where) == pkg / "_scenarios"
    assert names == str(bundled_names())


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize(
    ("ref", "got"),
    [
        (None, "got None"),
        (123, "got int 123"),
        (["baseline"], "got list ['baseline']"),
        ({"touchpoints": 1}, "got dict {'touchpoints': 1}; for parameter values start from"),
        (Params(), "got a Params (parameter values); for parameter values start from"),
        (b"baseline", "got bytes b'baseline'; decode bytes to str"),
    ],
)
def test_a_reference_of_the_wrong_type_says_how_a_scenario_is_named(ref, got):
    with pytest.raises(UserError) as err:
        load_scenario(ref)
    msg = str(err.value)
    assert msg.startswith("a scenario is named by a bundled name (str), a path to a .toml file")
    assert got in msg
    with pytest.raises(UserError, match="a scenario is named by"):
        load_scenarios(["baseline", ref])


def test_load_scenarios_takes_a_lone_reference_as_a_list_of_one(tmp_path: Path):
    base = load_scenario("baseline")
    assert [sc.name for sc in load_scenarios("baseline")] == ["baseline"]
    assert load_scenarios(base) == [base]
    f = write(tmp_path / "mine.toml", 'title = "t"\n[params]\ntouchpoints = 1\n')
    assert [sc.name for sc in load_scenarios(f)] == ["mine"]
    for bad in (None, 42, {"baseline": 1}, Params()):
        with pytest.raises(UserError, match="scenarios must be a list of bundled names"):
            load_scenarios(bad)


def test_a_scenario_built_in_code_is_checked_like_a_file():
    sc = Scenario(
        name="mine",
        title="t",
        params=Params(n_agents=np.int64(50)),
        changes={"n_agents": np.int64(50), "touchpoints": 1},
        weeks=np.int64(10),
        seeds=np.int32(2),
        path="x/mine.toml",
    )
    assert (sc.weeks, sc.seeds) == (10, 2) and type(sc.weeks) is int and type(sc.seeds) is int
    assert sc.changes == {"n_agents": 50, "touchpoints": 1} and type(sc.changes["n_agents"]) is int
    assert sc.path == Path("x/mine.toml")
    assert "n_agents=50" in sc.describe()
    assert sc.with_overrides(touchpoints=np.float32(0.5)).changes["touchpoints"] == 0.5


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"params": {"n_agents": 40}}, "'params' has the wrong type: expected a Params, got dict"),
        ({"params": "baseline"}, "'params' has the wrong type: expected a Params, got str"),
        ({"name": "café x"}, "name 'café x' is not allowed: use letters, digits"),
        ({"title": None}, "'title' has the wrong type: expected a string, got None"),
        ({"weeks": -5}, "weeks=-5 is out of range: allowed 1 to 1040"),
        ({"weeks": 2.5}, "'weeks' has the wrong type: expected an integer from 1 to 1040"),
        ({"seeds": 0}, "seeds=0 is out of range: allowed 1 to 1000"),
        ({"changes": {"a": 1}}, "changes: unknown parameter 'a'"),
        ({"changes": {"touchpoints": "1"}}, "touchpoints='1' has the wrong type: expected a"),
        ({"changes": {"n_agents": 5}}, "n_agents=5 is out of range"),
        ({"changes": [1]}, "'changes' has the wrong type: expected a mapping"),
        ({"path": 3}, "'path' has the wrong type"),
        ({"order": True}, "'order' has the wrong type: expected an integer"),
    ],
)
def test_a_bad_scenario_built_in_code_is_refused(fields, fragment):
    with pytest.raises(UserError) as err:
        Scenario(**{"name": "x", "title": "t", "params": Params(), **fields})
    assert str(err.value).startswith("Scenario: ")
    assert fragment in str(err.value)
    if "params" in fields and isinstance(fields["params"], dict):
        assert "load_scenario('baseline').with_overrides(**values)" in str(err.value)


def test_two_scenarios_with_one_name_built_in_code_are_told_how_to_rename():
    import dataclasses

    sc = load_scenario("baseline")
    changed = sc.with_overrides(touchpoints=2)
    with pytest.raises(UserError, match=r"one changed in code.*dataclasses\.replace"):
        load_scenarios([sc, changed])
    renamed = dataclasses.replace(changed, name="baseline_2")
    assert [s.name for s in load_scenarios([sc, renamed])] == ["baseline", "baseline_2"]
