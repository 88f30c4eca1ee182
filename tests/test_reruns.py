"""Exact reruns: any replicate of run/compare and any sweep row, from the CLI and from Python."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import warnings

import pandas as pd
import pytest

import sim
import sim.sweeps as sw
from sim.errors import SimWarning, UserError

pytest.importorskip("pyarrow")

SPEC = {
    "name": "rerun_check",
    "scenario": "keep_slack",
    "vary": {"touchpoints": {"min": 0.1, "max": 0.6}, "coaching_hours": [0, 2]},
    "design": "lhs",
    "points": 3,
    "seeds": 2,
    "weeks": 56,
    "params": {"n_agents": 80},
    "outputs": {
        "outcomes": ["burnout_share", "annual_quit_rate"],
        "survey": ["burnout"],
        "waves": [2024],
    },
}


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim", *args], capture_output=True, text=True, check=False
    )


def _same(a: float | None, b: float | None) -> bool:
    a = math.nan if a is None else float(a)
    b = math.nan if b is None else float(b)
    return (math.isnan(a) and math.isnan(b)) or a == b


def test_run_replicate_reruns_from_cli_and_python():
    common = ["--no-posterior", "--weeks", "60", "--agents", "120", "--json"]
    first = _cli("run", "baseline", "--seeds", "3", *common)
    assert first.returncode == 0, first.stderr
    doc = json.loads(first.stdout)
    assert doc["sim_version"] == sim.__version__
    assert doc["parameters"]["n_agents"] == 120
    res = sim.run_scenario("baseline", seeds=3, weeks=60, posterior=0, n_agents=120)
    assert res.seeds == doc["seeds"]
    seed = doc["seeds"][2]
    again = _cli("run", "baseline", "--seed", str(seed), *common)
    assert again.returncode == 0, again.stderr
    one = json.loads(again.stdout)
    assert one["seeds"] == [seed]
    want = res.outcomes.iloc[2]
    for name, v in one["outcomes"].items():
        assert _same(v["mean"], float(want[name])), name
    out = sim.simulate_scenario("baseline", seed, weeks=60, n_agents=120)["outcomes"]
    for name in out:
        assert _same(float(out[name]), float(want[name])), name


def test_compare_replicate_of_a_redesign_reruns():
    cmp = sim.compare(["baseline", "keep_slack"], seeds=2, weeks=60, posterior=0, n_agents=120)
    want = cmp.runs["keep_slack"].outcomes.iloc[1]
    seed = cmp.seeds[1]
    got = sim.simulate_scenario("keep_slack", seed, weeks=60, n_agents=120)["outcomes"]
    assert all(_same(float(got[k]), float(want[k])) for k in got)
    again = sim.run_seeds("keep_slack", [seed], weeks=60, posterior=0, n_agents=120)
    pd.testing.assert_frame_equal(
        again.outcomes.reset_index(drop=True),
        cmp.runs["keep_slack"].outcomes.iloc[[1]].reset_index(drop=True),
    )
    # the model defaults are not the scenario: the trap the docstring warns of
    assert "model's defaults" in sim.simulate.__doc__


def test_sweep_row_reruns_from_folder_report_and_table(tmp_path):
    out = tmp_path / "sw"
    report = sw.execute(SPEC, "local", out=out)
    df = report.results
    assert (df["status"] == "ok").all()
    cols = ["burnout_share", "annual_quit_rate", "survey.burnout.all.2024"]
    for run_id in (0, len(df) - 1):
        want = df.loc[df["run_id"] == run_id, cols].iloc[0]
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # same version and code: no warning
            from_folder = sw.rerun(out, run_id)
        from_report = sw.rerun(report, run_id)
        from_table = sw.rerun(df, run_id, spec=SPEC)
        for got in (from_folder, from_report, from_table):
            assert all(_same(got[c], float(want[c])) for c in cols)
    full = sw.rerun(out, 3, full=True)["outcomes"]
    assert _same(float(full["burnout_share"]), float(df.loc[3, "burnout_share"]))
    inputs = sw.rerun_inputs(out, 3)
    assert inputs["params"]["n_agents"] == 80
    assert inputs["params"]["touchpoints"] == df.loc[3, "touchpoints"]
    assert inputs["seed"] == df.loc[3, "seed"]
    manifest = sw.read_manifest(out)
    assert manifest["sim_version"] == sim.__version__
    # a sweep made by other code is rerun with a warning that it may not match
    (out / "sweep.json").write_text(json.dumps({**manifest, "code": "0" * 16}), encoding="utf-8")
    with pytest.warns(SimWarning, match="code 0000000000000000.*may not match its numbers"):
        sw.rerun_inputs(out, 3)
    # and by hand: simulate with the manifest's base, not the model defaults
    params = {**manifest["spec"]["base"], "touchpoints": float(df.loc[3, "touchpoints"])}
    params["coaching_hours"] = df.loc[3, "coaching_hours"].item()
    by_hand = sim.simulate(params, int(df.loc[3, "seed"]), manifest["spec"]["weeks"])
    assert _same(float(by_hand["outcomes"]["burnout_share"]), float(df.loc[3, "burnout_share"]))


def test_sweep_row_reruns_from_the_cli(tmp_path):
    out = tmp_path / "sw"
    spec = tmp_path / "spec.toml"
    spec.write_text(
        'scenario = "baseline"\nweeks = 30\nseeds = 2\n[params]\nn_agents = 80\n'
        '[vary]\ntouchpoints = [0.1, 0.5]\n[outputs]\noutcomes = ["burnout_share"]\n'
    )
    done = _cli("sweep", str(spec), "--out", str(out), "--executor", "local", "--quiet")
    assert done.returncode == 0, done.stderr
    df = sw.load_results(out)
    row = df.iloc[3]
    # a sweep row is its base scenario with the varied values set, on the row's seed
    again = _cli(
        "run",
        "baseline",
        "--no-posterior",
        "--weeks",
        "30",
        "--agents",
        "80",
        "--set",
        f"touchpoints={float(row['touchpoints'])!r}",
        "--seed",
        str(int(row["seed"])),
        "--json",
    )
    assert again.returncode == 0, again.stderr
    got = json.loads(again.stdout)["outcomes"]["burnout_share"]["mean"]
    assert _same(got, float(row["burnout_share"]))


def test_rerun_errors_say_what_is_wrong(tmp_path):
    df = sw.sweep(SPEC | {"points": 2, "seeds": 1}, executor="local")
    with pytest.raises(UserError, match="needs its spec"):
        sw.rerun(df, 0)
    with pytest.raises(UserError, match="not in this sweep"):
        sw.rerun(df, 999, spec=SPEC | {"points": 2, "seeds": 1})
    with pytest.raises(UserError, match="not a sweep's output folder"):
        sw.rerun(tmp_path, 0)
    with pytest.raises(UserError, match="seed"):
        sim.simulate_scenario("baseline", -1)
    # a partial parameter set where a scenario is meant: say so, and what to do
    with pytest.raises(UserError, match=r"a scenario is meant here.*touchpoints"):
        sim.simulate_scenario({"touchpoints": 0.4}, 1)
    with pytest.raises(UserError, match="a scenario is meant here"):
        sim.run_seeds(sim.Params(), [1], posterior=0)
    bad = _cli("run", "--seed", "x")
    first = bad.stderr.splitlines()[0]
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "--seed" in first and "expected an integer from 0" in first


def test_compare_replicate_reruns_from_the_cli():
    cmp = sim.compare(["baseline", "keep_slack"], seeds=2, weeks=60, posterior=0, n_agents=120)
    want = cmp.runs["keep_slack"].outcomes.iloc[0]
    args = ["--no-posterior", "--weeks", "60", "--agents", "120", "--json"]
    again = _cli("run", "keep_slack", "--seed", str(cmp.seeds[0]), *args)
    assert again.returncode == 0, again.stderr
    got = json.loads(again.stdout)["outcomes"]
    assert all(_same(v["mean"], want[k]) for k, v in got.items())


def test_a_posterior_draw_replicate_reruns(tmp_path):
    from sim.calibration import FREE_PARAMETERS

    base = sim.load_scenario("baseline").params
    rows = []
    for i in range(6):
        row = {p.name: float(getattr(base, p.name)) for p in FREE_PARAMETERS}
        p = FREE_PARAMETERS[0]
        row[p.name] = p.lo + (p.hi - p.lo) * (i + 0.5) / 6
        rows.append({**row, "weight": 1 / 6, "distance": 1.0})
    post = tmp_path / "baseline_posterior.csv"
    pd.DataFrame(rows).to_csv(post, index=False)
    first = sim.run_scenario(
        "baseline", seeds=2, weeks=40, posterior=3, posterior_file=post, n_agents=60
    )
    seed = first.seeds[1]
    again = sim.run_seeds(
        "baseline", [seed], weeks=40, posterior=3, posterior_file=post, n_agents=60
    )
    assert again.draws == first.draws
    want = first.outcomes[first.outcomes["seed"] == seed].reset_index(drop=True)
    pd.testing.assert_frame_equal(again.outcomes.reset_index(drop=True), want)
