"""Sweeps: specs, designs, determinism across executors and batch sizes, resume, failures.

Everything here is real: real model runs (small organisations, few weeks), real
worker processes and real Parquet files in temporary folders.
"""

from __future__ import annotations

import itertools
import json
import math
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.dataset as ds
import pytest

import sim.sweeps as sw
from sim.errors import UserError
from sim.sweeps.design import build_design
from sim.sweeps.spec import load_spec

SMALL = {
    "name": "small",
    "scenario": "baseline",
    "design": "lhs",
    "points": 6,
    "seeds": 2,
    "weeks": 56,
    "params": {"n_agents": 120},
    "vary": {
        "output_conversion": {"min": 0.2, "max": 0.9},
        "touchpoints": [0.1, 0.4],
        "span_of_control": {"min": 4, "max": 12},
    },
    "outputs": {
        "outcomes": ["burnout_share", "output", "annual_quit_rate"],
        "survey": ["burnout", "considering_quitting"],
        "groups": ["all", "top_quartile"],
        "series": ["burnout_share", "output"],
    },
}


def spec_with(**changes):
    return {**SMALL, **changes}


def raises_on_high_touchpoints(params, seed, weeks):
    """A model function that fails for some points (to test error recording)."""
    if params["touchpoints"] > 0.3:
        raise RuntimeError("touchpoints too high for this test model")
    from sim.model import simulate

    return simulate(params, seed, weeks)


def _marker(folder: str | Path, seed: int) -> Path:
    return Path(folder) / f"kill-{seed}.marker"


def kills_its_worker_once(params, seed, weeks, *, markers):
    """A model function whose worker process dies the first time it meets one run.

    ``markers`` is the test's own folder (bound with functools.partial, so it
    reaches workers however they start: fork, forkserver or spawn).
    """
    marker = _marker(markers, seed)
    if params["touchpoints"] > 0.3 and params["output_conversion"] > 0.5 and not marker.exists():
        marker.write_text("died once")
        os._exit(1)  # the worker process dies: the pool breaks
    from sim.model import simulate

    return simulate(params, seed, weeks)


@pytest.fixture(scope="module")
def reference():
    """The SMALL sweep run in this process, kept in memory."""
    return sw.sweep(SMALL, executor="local", with_series=True)


# ----------------------------------------------------------------------------- specs
def test_spec_sizes_and_design_are_deterministic():
    spec = load_spec(SMALL)
    assert spec.n_points == 6 and spec.n_runs == 12
    runs1, x1 = build_design(spec)
    runs2, x2 = build_design(spec)
    pd.testing.assert_frame_equal(runs1, runs2)
    np.testing.assert_array_equal(x1, x2)
    assert runs1["run_id"].tolist() == list(range(12))
    # every point shares the same seeds (common random numbers)
    assert runs1.groupby("replicate")["seed"].nunique().eq(1).all()
    assert set(runs1["touchpoints"]) <= {0.1, 0.4}
    assert runs1["span_of_control"].dtype == np.int64
    assert runs1["output_conversion"].between(0.2, 0.9).all()


def test_grid_design_is_full_factorial():
    spec = load_spec(
        {
            "vary": {"touchpoints": [0.1, 0.2, 0.3], "psych_safety": {"min": 0, "max": 1}},
            "levels": 5,
        }
    )
    runs, _ = build_design(spec)
    assert len(runs) == 15
    assert len(runs.drop_duplicates(["touchpoints", "psych_safety"])) == 15
    assert sorted(runs["psych_safety"].unique()) == [0.0, 0.25, 0.5, 0.75, 1.0]


@pytest.mark.parametrize("design,points,n", [("sobol", 8, 8 * 4), ("morris", 3, 3 * 3)])
def test_salib_designs_have_saltelli_and_morris_sizes(design, points, n):
    spec = load_spec(
        {
            "design": design,
            "points": points,
            "vary": {"touchpoints": {"min": 0, "max": 1}, "psych_safety": {"min": 0, "max": 1}},
        }
    )
    runs, x = build_design(spec)
    assert spec.n_points == n == len(runs) == len(x)


def test_bundled_specs_load():
    names = sw.bundled_specs()
    assert "levers" in names
    for name in names:
        spec = load_spec(name)
        assert spec.n_runs > 0


def test_levers_spec_is_about_a_minute_of_work():
    spec = load_spec("levers")
    # ~0.15 s per default run on one core: a minute on 2 cores leaves room for 200-ish runs
    assert spec.base.n_agents == 1000 and spec.weeks == 104
    assert 100 <= spec.n_runs <= 300


BAD_SPECS = [
    ({"vary": {}}, "[vary] is missing or empty"),
    ({"vary": {"touchpoint": [0.1]}}, "unknown parameter 'touchpoint'; did you mean 'touchpoints'"),
    ({"vary": {"touchpoints": {"min": 0.1, "max": 21.5}}}, "max 21.5 is out of range"),
    ({"vary": {"touchpoints": {"min": 0.5, "max": 0.1}}}, "min 0.5 must be below max 0.1"),
    ({"vary": {"touchpoints": {"min": 0.1}}}, "needs both min and max"),
    ({"vary": {"touchpoints": {"min": 0.1, "max": 0.2, "step": 1}}}, "unknown key 'step'"),
    ({"vary": {"touchpoints": []}}, "list of values is empty"),
    ({"vary": {"touchpoints": [0.1, 0.1]}}, "repeats a value"),
    ({"vary": {"touchpoints": ["high"]}}, "is not a number"),
    ({"vary": {"touchpoints": 0.3}}, "expected a range"),
    ({"vary": {"touchpoints": "prior"}}, '"prior" is allowed only for the calibrated parameters'),
    ({"vary": {"trust_rate": "priors"}}, 'a list of values or "prior", got'),
    ({"vary": {"span_of_control": [2.5]}}, "not a whole number"),
    ({"design": "latin"}, "unknown design 'latin'"),
    ({"design": "lhs"}, "needs 'points'"),
    ({"design": "sobol", "points": 10}, "must be a power of 2"),
    ({"design": "grid", "points": 10}, "'points' does not apply to a grid"),
    ({"points": "ten", "design": "lhs"}, "'points' has the wrong type"),
    ({"seeds": 0}, "seeds=0 is out of range"),
    ({"weeks": 5000}, "weeks=5000 is out of range"),
    ({"weeks": True}, "'weeks' has the wrong type"),
    ({"scenario": "baselin"}, "scenario: unknown scenario 'baselin'"),
    ({"params": {"n_agents": 5}}, "[params] n_agents=5 is out of range"),
    ({"params": {"touchpoints": 0.2}}, "both fixed in [params] and varied"),
    ({"touchpoints": 0.2}, "it is a parameter, put it under [params]"),
    ({"desing": "lhs"}, "unknown key 'desing'; did you mean 'design'"),
    ({"outputs": {"outcomes": ["burnout"]}}, "unknown outcome 'burnout'"),
    ({"outputs": {"survey": ["burnot"]}}, "unknown survey item 'burnot'"),
    ({"outputs": {"survey": ["burnout"], "groups": ["everyone"]}}, "unknown survey group"),
    ({"outputs": {"survey": ["burnout"], "waves": [2026]}}, "allowed 2024, 2025"),
    ({"outputs": {"survey": ["burnout"]}, "weeks": 20}, "need weeks >= 52"),
    (
        {"outputs": {"survey": ["burnout"], "waves": [2025]}, "weeks": 60},
        "wave 2025 is not reached",
    ),
    ({"outputs": {"series": ["burn"]}}, "unknown series 'burn'"),
    ({"outputs": {"outcomes": [], "series": []}}, "keeps nothing"),
    ({"outputs": {"extra": 1}}, "[outputs]: unknown key 'extra'"),
    ({"sensitivity": {"outputs": ["quits"]}}, "unknown output 'quits'"),
    ({"levels": 3, "design": "lhs", "points": 4}, "'levels' applies to grid and morris"),
    ({"second_order": True}, "'second_order' applies to sobol designs only"),
    ({"design": "morris", "points": 1}, "at least 2 trajectories"),
]


@pytest.mark.parametrize("changes,message", BAD_SPECS, ids=[m for _, m in BAD_SPECS])
def test_bad_specs_raise_one_line_user_errors(changes, message):
    base = {
        "vary": {"touchpoints": [0.1, 0.3]},
        "outputs": {"outcomes": ["burnout_share"]},
    }
    data = {**base, **changes}
    with pytest.raises(UserError) as info:
        load_spec(data)
    text = str(info.value)
    assert message in text
    assert "\n" not in text


def test_spec_file_errors_name_the_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\n[vary]\ntouchpoints = [0.1,, 0.2]\nseeds = 2\n')
    with pytest.raises(UserError, match=r"bad\.toml:\d+: malformed TOML"):
        load_spec(bad)
    # a common slip gets its hint from Python too, as from the command line
    bad.write_text('name = "x"\nseeds = 2\n[vary]\ntouchpoints = { min = 10%, max = 0.5 }\n')
    with pytest.raises(UserError) as err:
        load_spec(bad)
    first, hint = str(err.value).splitlines()
    assert first.startswith(f"{bad}:4: malformed TOML")
    assert hint.startswith("hint: percentages are written as fractions")
    with pytest.raises(UserError, match="sweep spec file not found"):
        load_spec(tmp_path / "missing.toml")
    with pytest.raises(UserError, match="unknown sweep spec 'lever'; did you mean 'levers'"):
        load_spec("lever")


def test_scenario_path_is_relative_to_the_spec(tmp_path):
    (tmp_path / "mine.toml").write_text('name = "mine"\n[params]\ntouchpoints = 0.45\n')
    spec_file = tmp_path / "s.toml"
    spec_file.write_text(
        'scenario = "mine.toml"\n[vary]\npsych_safety = [0.2, 0.6]\n'
        '[outputs]\noutcomes = ["burnout_share"]\n'
    )
    spec = load_spec(spec_file)
    assert spec.scenario == "mine" and spec.base.touchpoints == 0.45
    assert spec.name == "s"


# ----------------------------------------------------------------------------- results
def test_results_have_one_row_per_run_with_kept_outputs(reference):
    df, series = reference
    assert df["run_id"].tolist() == list(range(12))
    assert (df["status"] == "ok").all() and (df["error"] == "").all()
    expected = [
        "run_id",
        "point",
        "replicate",
        "seed",
        "output_conversion",
        "touchpoints",
        "span_of_control",
        "status",
        "error",
        "burnout_share",
        "output",
        "annual_quit_rate",
        "survey.burnout.all.2024",
        "survey.burnout.top_quartile.2024",
        "survey.considering_quitting.all.2024",
        "survey.considering_quitting.top_quartile.2024",
    ]
    assert list(df.columns) == expected
    assert np.isfinite(df[expected[9:]].to_numpy()).all()
    assert list(series.columns) == ["run_id", "week", "burnout_share", "output"]
    assert len(series) == 12 * 57  # weeks 0..56


def test_a_run_equals_simulate_with_its_parameters_and_seed(reference):
    from sim.model import simulate
    from sim.params import Params

    df, _ = reference
    row = df.iloc[7]
    spec = load_spec(SMALL)
    params = spec.base.replace(
        output_conversion=float(row.output_conversion),
        touchpoints=float(row.touchpoints),
        span_of_control=int(row.span_of_control),
    )
    assert isinstance(params, Params)
    out = simulate(params, int(row.seed), 56)
    assert out["outcomes"]["burnout_share"] == row.burnout_share
    assert out["outcomes"]["output"] == row.output


def test_processes_and_batch_sizes_give_identical_numbers(reference, tmp_path):
    ref, ref_series = reference
    got, series = sw.sweep(
        SMALL, executor="processes", workers=2, out=tmp_path / "p", with_series=True
    )
    pd.testing.assert_frame_equal(ref, got, check_exact=True)
    pd.testing.assert_frame_equal(ref_series, series, check_exact=True)
    for size in (1, 5):
        other = sw.sweep(SMALL, executor="local", batch_size=size)
        pd.testing.assert_frame_equal(ref, other, check_exact=True)


def test_folder_holds_a_parquet_dataset_and_run_table(reference, tmp_path):
    out = tmp_path / "s"
    sw.sweep(SMALL, executor="local", out=out, batch_size=4)
    parts = sorted((out / "results").glob("part-*.parquet"))
    assert len(parts) == 3  # 12 runs in batches of 4, one file per batch
    assert len(sorted((out / "series").glob("part-*.parquet"))) == 3
    table = ds.dataset(out / "results", format="parquet").to_table().to_pandas()
    assert sorted(table["run_id"]) == list(range(12))
    pd.testing.assert_frame_equal(
        sw.load_results(out), reference[0], check_exact=True, check_dtype=False
    )
    runs = pd.read_parquet(out / "runs.parquet")
    assert (runs["status"] == "ok").all() and len(runs) == 12
    assert {"run_id", "seed", "output_conversion", "status", "error"} <= set(runs.columns)
    manifest = json.loads((out / "sweep.json").read_text())
    assert manifest["fingerprint"] == load_spec(SMALL).fingerprint()
    assert not list(out.rglob(".tmp-*"))


def test_rerun_resumes_without_duplicates(reference, tmp_path):
    out = tmp_path / "r"

    def stop_after_two_batches(done, total):
        if done >= 4:  # two batches of 2 written: interrupt as Ctrl-C would
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sw.execute(SMALL, executor="local", out=out, batch_size=2, progress=stop_after_two_batches)
    stopped = sw.load_run_table(out)
    assert (stopped["status"] == "ok").sum() == 4 and (stopped["status"] == "pending").sum() == 8
    again = sw.execute(SMALL, executor="processes", workers=2, out=out)
    assert again.skipped == 4 and again.ran == 8 and again.complete
    raw = ds.dataset(out / "results", format="parquet").to_table().to_pandas()
    assert raw["run_id"].is_unique and len(raw) == 12
    pd.testing.assert_frame_equal(again.results, reference[0], check_exact=True)
    third = sw.execute(SMALL, executor="local", out=out)
    assert third.ran == 0 and third.skipped == 12


def test_resume_after_losing_a_batch_file(reference, tmp_path):
    out = tmp_path / "lost"
    sw.sweep(SMALL, executor="local", out=out, batch_size=5)
    parts = sorted((out / "results").glob("part-*.parquet"))
    parts[1].unlink()  # as if that batch had been in flight when the sweep was killed
    (out / "results" / ".tmp-part-x.parquet.abc").write_bytes(b"half a file")
    report = sw.execute(SMALL, executor="processes", workers=2, out=out)
    assert report.ran == 5 and report.skipped == 7 and report.complete
    assert not list(out.rglob(".tmp-*"))
    raw = ds.dataset(out / "results", format="parquet").to_table().to_pandas()
    assert raw["run_id"].is_unique and len(raw) == 12
    pd.testing.assert_frame_equal(report.results, reference[0], check_exact=True)
    series = sw.load_series(out)
    pd.testing.assert_frame_equal(series, reference[1], check_exact=True)


def test_a_different_spec_in_the_same_folder_is_refused(tmp_path):
    out = tmp_path / "d"
    small = spec_with(points=2, seeds=1)
    sw.sweep(small, executor="local", out=out)
    with pytest.raises(UserError, match=r"holds a different sweep .* differs in points") as info:
        sw.sweep(spec_with(points=3, seeds=1), executor="local", out=out)
    assert "\n" not in str(info.value)
    # cosmetic changes (title, description, batch size) are the same sweep
    sw.sweep({**small, "title": "renamed", "batch_size": 1}, executor="local", out=out)


def test_a_folder_with_other_files_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(UserError, match="not empty and holds no sweep"):
        sw.sweep(spec_with(points=2, seeds=1), executor="local", out=tmp_path)


def test_a_run_that_raises_is_recorded_and_the_sweep_goes_on(tmp_path):
    out = tmp_path / "e"
    report = sw.execute(
        SMALL, executor="processes", workers=2, out=out, model=raises_on_high_touchpoints
    )
    table = report.table
    bad = table["touchpoints"] > 0.3
    assert bad.any() and (~bad).any()
    assert (table.loc[bad, "status"] == "error").all()
    assert (table.loc[~bad, "status"] == "ok").all()
    err = table.loc[bad, "error"].iloc[0]
    assert err.startswith("RuntimeError: touchpoints too high") and "test_sweep.py" in err
    res = report.results
    assert res.loc[res.status == "error", "burnout_share"].isna().all()
    assert report.complete
    # a plain re-run keeps the errors; --retry-errors runs them again
    assert sw.execute(SMALL, executor="local", out=out).ran == 0
    retry = sw.execute(SMALL, executor="local", out=out, retry_errors=True)
    assert retry.ran == int(bad.sum())
    assert (retry.table["status"] == "ok").all()
    raw = ds.dataset(out / "results", format="parquet").to_table().to_pandas()
    assert raw["run_id"].is_unique and len(raw) == 12


def test_memory_sweep_progress_counts_runs():
    seen = []
    sw.sweep(
        spec_with(points=2, seeds=2, weeks=10, outputs={"outcomes": ["output"]}),
        executor="local",
        progress=lambda d, t: seen.append((d, t)),
    )
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert all(b[0] >= a[0] for a, b in itertools.pairwise(seen))


def test_series_and_survey_values_match_the_model(reference):
    from sim.model import simulate

    df, series = reference
    row = df.iloc[0]
    spec = load_spec(SMALL)
    params = spec.base.replace(
        output_conversion=float(row.output_conversion),
        touchpoints=float(row.touchpoints),
        span_of_control=int(row.span_of_control),
    )
    out = simulate(params, int(row.seed), 56)
    sv = out["survey"].set_index(["wave", "item", "group"])["value"]
    assert row["survey.burnout.top_quartile.2024"] == sv[(2024, "burnout", "top_quartile")]
    mine = series[series.run_id == 0]["burnout_share"].to_numpy()
    np.testing.assert_array_equal(mine, out["series"]["burnout_share"].to_numpy())
    assert not math.isnan(row["survey.considering_quitting.all.2024"])


def test_a_dead_worker_process_breaks_the_pool_and_the_sweep_recovers(reference, tmp_path):
    import functools

    runs, _ = build_design(load_spec(SMALL))
    markers = tmp_path / "markers"
    markers.mkdir()
    report = sw.execute(
        SMALL,
        executor="processes",
        workers=2,
        out=tmp_path / "broken",
        model=functools.partial(kills_its_worker_once, markers=str(markers)),
    )
    assert any(_marker(markers, int(s)).exists() for s in runs["seed"].unique()), "no death"
    assert report.complete and not report.lost
    assert (report.table["status"] == "ok").all()
    pd.testing.assert_frame_equal(report.results, reference[0], check_exact=True)


def test_two_sweeps_cannot_write_to_one_folder_at_once(tmp_path):
    from sim.sweeps.store import DirStore

    spec = spec_with(points=2, seeds=1)
    holder = DirStore(tmp_path / "busy")
    holder.check(load_spec(spec))  # another sweep holds the folder's lock
    try:
        with pytest.raises(UserError, match="another sweep is writing to this folder"):
            sw.sweep(spec, executor="local", out=tmp_path / "busy")
    finally:
        holder.close()
    assert sw.sweep(spec, executor="local", out=tmp_path / "busy")["status"].eq("ok").all()


@pytest.mark.parametrize(
    ("weeks", "n_agents", "waves"),
    [(104, 150, [2024, 2025]), (60, 90, [2024]), (30, 60, None), (0, 40, None)],
)
def test_kept_outputs_are_those_of_simulate(weeks, n_agents, waves):
    """The sweep's run (only the kept outputs) gives simulate's numbers for every output."""
    from sim.model import OUTCOMES, SERIES, simulate
    from sim.survey import GROUPS, ITEMS, RELATIVE_RISK
    from sim.sweeps.engine import _extract, _series, _series_frame
    from sim.sweeps.runs import run_kept
    from sim.sweeps.spec import Outputs

    outputs = Outputs(
        outcomes=OUTCOMES,
        survey=ITEMS if waves else (),
        groups=(*GROUPS, RELATIVE_RISK),
        waves=tuple(waves or ()),
        series=SERIES,
    )
    params = load_spec(SMALL).base.replace(n_agents=n_agents)
    full = simulate(params, 77, weeks)
    row, weekly = run_kept(params, 77, weeks, outputs)
    expected = _extract(full, outputs)
    assert list(row) == list(expected) == outputs.columns()
    np.testing.assert_equal(row, expected)
    series = _series_frame([(5, weekly)], outputs)
    pd.testing.assert_frame_equal(series, _series(full, outputs, 5), check_exact=True)
    assert run_kept(params, 77, weeks, Outputs(outcomes=("output",))) == (
        {"output": expected["output"]},
        None,
    )


def test_a_resume_under_other_code_is_refused(tmp_path):
    out = tmp_path / "code"
    small = spec_with(points=2, seeds=1)
    sw.sweep(small, executor="local", out=out)
    manifest = json.loads((out / "sweep.json").read_text())
    from sim.provenance import code_fingerprint

    assert manifest["code"] == code_fingerprint() and manifest["sim_version"]
    for key, value in (("code", "0" * 16), ("sim_version", "0.0.1")):
        changed = {**manifest, key: value}
        (out / "sweep.json").write_text(json.dumps(changed))
        with pytest.raises(UserError, match="holds results made by other code"):
            sw.sweep(small, executor="local", out=out)
    (out / "sweep.json").write_text(json.dumps(manifest))
    assert sw.execute(small, executor="local", out=out).skipped == 2


def test_a_damaged_part_is_named_with_the_command_that_discards_it(reference, tmp_path):
    import shlex

    out = tmp_path / "damaged"
    sw.sweep(SMALL, executor="local", out=out, batch_size=5)
    part = sorted((out / "results").glob("part-*.parquet"))[1]
    part.write_bytes(part.read_bytes()[:200])  # truncated, as by a full disk or a bad copy
    with pytest.raises(UserError) as info:
        sw.execute(SMALL, executor="local", out=out)
    message = str(info.value)
    assert str(part) in message and "discard it with: rm " in message
    command = message.split("discard it with: ")[1].split("  (")[0]
    for name in shlex.split(command)[1:]:  # what the user is told to run
        Path(name).unlink()
    report = sw.execute(SMALL, executor="local", out=out)
    assert report.ran == 5 and report.complete
    pd.testing.assert_frame_equal(report.results, reference[0], check_exact=True)
    pd.testing.assert_frame_equal(sw.load_series(out), reference[1], check_exact=True)
    # a damaged run table: named too, and rebuilt once removed
    (out / "runs.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(UserError, match=r"runs.parquet: the file is damaged .* rm .*runs.parquet"):
        sw.execute(SMALL, executor="local", out=out)
    (out / "runs.parquet").unlink()
    again = sw.execute(SMALL, executor="local", out=out)
    assert again.ran == 0 and again.complete and (out / "runs.parquet").is_file()


def test_bundled_uncertainty_ranges_are_the_calibration_priors():
    """One source of truth: the Morris screening and the EMA adapter use the priors."""
    from sim.calibration import FREE_PARAMETERS
    from sim.ema import DEFAULT_UNCERTAINTIES
    from sim.sweeps import load_spec

    priors = {p.name: (p.lo, p.hi) for p in FREE_PARAMETERS}
    assert priors == DEFAULT_UNCERTAINTIES
    spec = load_spec("morris_screening")
    assert {f.name: (f.lo, f.hi) for f in spec.factors} == priors
    # "prior" is the same range written out, so the sweep's identity does not change
    written = {p.name: {"min": p.lo, "max": p.hi} for p in FREE_PARAMETERS}
    by_name = load_spec({"vary": {name: "prior" for name in priors}})
    assert by_name.fingerprint() == load_spec({"vary": written}).fingerprint()


# ----------------------------------------------------------------------------- bad input
#: A sweep of two tiny runs: the tests below are about arguments, not numbers.
TINY = {
    "vary": {"touchpoints": [0.1, 0.5]},
    "weeks": 3,
    "params": {"n_agents": 40},
    "outputs": {"outcomes": ["burnout_share"]},
}


def _never_called(params, seed, weeks):  # pragma: no cover - must not run
    raise AssertionError("a run started before the inputs were checked")


def test_numpy_scalars_and_arrays_in_a_dict_spec_are_python_numbers():
    plain = load_spec(
        {
            **TINY,
            "seeds": 2,
            "vary": {"span_of_control": [5, 8], "touchpoints": {"min": 0.25, "max": 0.5}},
        }
    )
    numpy = load_spec(
        {
            **TINY,
            "seeds": np.int64(2),
            "weeks": np.int32(3),
            "params": {"n_agents": np.int64(40)},
            "vary": {
                "span_of_control": np.array([5, 8]),
                "touchpoints": {"min": np.float32(0.25), "max": np.float64(0.5)},
            },
        }
    )
    assert numpy.fingerprint() == plain.fingerprint()
    assert type(numpy.seeds) is int and type(numpy.weeks) is int
    assert all(type(v) is int for v in numpy.factors[0].values)
    json.dumps(numpy.to_dict())  # plain Python numbers all through
    listed = load_spec({**TINY, "vary": {"span_of_control": [np.int64(5), np.int64(8)]}})
    assert listed.factors[0].values == (5, 8)
    assert (
        load_spec({**TINY, "vary": {"touchpoints": (0.1, 0.5)}}).factors == load_spec(TINY).factors
    )
    sobol = {
        **TINY,
        "design": "sobol",
        "points": 2,
        "vary": {"touchpoints": {"min": 0.1, "max": 0.5}, "coaching_hours": {"min": 0, "max": 1}},
    }
    assert load_spec({**sobol, "second_order": np.bool_(True)}).second_order is True
    waves = {"survey": ["burnout"], "waves": [np.int64(2025)]}
    spec = load_spec({**TINY, "weeks": 104, "outputs": waves})
    assert spec.outputs.waves == (2025,) and type(spec.outputs.waves[0]) is int


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"vary": {"touchpoints": np.array([[0.1, 0.5]])}}, "must be one-dimensional"),
        ({"vary": {"touchpoints": [np.bool_(True)]}}, "is not a number"),
        ({"vary": {"touchpoints": np.array(["a", "b"])}}, "is not a number"),
        ({"seeds": np.float64(2.0)}, "'seeds' has the wrong type: expected an integer from 1"),
        ({"second_order": 1}, "'second_order' has the wrong type: expected true or false"),
    ],
)
def test_numpy_values_that_are_not_numbers_are_refused(changes, message):
    with pytest.raises(UserError, match=message):
        load_spec({**TINY, **changes})


@pytest.mark.parametrize("ref", [None, 123, ["levers"], b"levers"])
def test_a_spec_of_the_wrong_type_says_what_a_spec_is(ref):
    with pytest.raises(UserError, match=r"^spec=.* has the wrong type: expected a spec file's"):
        load_spec(ref)
    with pytest.raises(UserError, match=r"^spec=.* has the wrong type"):
        sw.sweep(ref, executor="local")


def test_an_empty_spec_name_and_a_bad_base_dir_are_refused():
    with pytest.raises(UserError, match="the sweep spec is empty: give a spec file or a bundled"):
        load_spec("")
    with pytest.raises(UserError, match="base_dir=123 has the wrong type: expected a folder"):
        load_spec(TINY, base_dir=123)


def test_out_must_be_a_named_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UserError, match=r"^out is empty: name a folder"):
        sw.sweep(TINY, executor="local", out="", model=_never_called)
    assert list(tmp_path.iterdir()) == []  # nothing written in the current folder
    with pytest.raises(UserError, match=r"^out=123 has the wrong type: expected a folder's path"):
        sw.sweep(TINY, executor="local", out=123, model=_never_called)
    for bad in (None, 123):
        with pytest.raises(UserError, match=rf"^out={bad} has the wrong type"):
            sw.load_results(bad)
    with pytest.raises(UserError, match=r"^out is empty"):
        sw.load_series("")
    from sim.sweeps.engine import preflight

    with pytest.raises(UserError, match=r"^out is empty"):
        preflight(TINY, "")


@pytest.mark.parametrize(
    "changes,message",
    [
        ({"progress": "x"}, r"^progress='x' is not callable: give None or a function"),
        ({"model": "simulate"}, r"^model='simulate' is not callable: give None or a function"),
        ({"retry_errors": "no"}, r"^retry_errors='no' has the wrong type: expected True or False"),
        ({"retry_errors": 0}, r"^retry_errors=0 has the wrong type"),
        ({"with_series": "no"}, r"^with_series='no' has the wrong type: expected True or False"),
    ],
)
def test_sweep_arguments_are_checked_before_anything_runs(tmp_path, changes, message):
    out = tmp_path / "o"
    kwargs = {"model": _never_called, **changes}
    with pytest.raises(UserError, match=message):
        sw.sweep(TINY, executor="local", out=out, **kwargs)
    assert not out.exists()


def test_numpy_flags_are_bools():
    results, series = sw.sweep(
        TINY, executor="local", retry_errors=np.bool_(True), with_series=np.bool_(True)
    )
    assert len(results) == 2 and series is None
    full = sw.rerun(results, 1, spec=TINY, full=np.bool_(True))
    assert {"survey", "series", "outcomes"} <= set(full)
    with pytest.raises(UserError, match=r"^full='yes' has the wrong type: expected True or False"):
        sw.rerun(results, 1, spec=TINY, full="yes")


def test_rerun_refuses_tables_that_do_not_fit(tmp_path):
    df = sw.sweep(TINY, executor="local")
    with pytest.raises(UserError, match=r"^the sweep table is empty"):
        sw.rerun(df.iloc[0:0], 1, spec=TINY)
    with pytest.raises(UserError, match=r"^the table has no 'run_id' column"):
        sw.rerun(df.drop(columns="run_id"), 1, spec=TINY)
    with pytest.raises(UserError, match=r"^the table has no 'seed' column"):
        sw.rerun_inputs(df.drop(columns="seed"), 1, spec=TINY)
    other = {**TINY, "vary": {"span_of_control": [4, 8]}}
    with pytest.raises(UserError, match=r"varied parameter\(s\) span_of_control: give the spec"):
        sw.rerun(df, 1, spec=other)
    for bad in (None, 123, df.to_dict()):
        with pytest.raises(UserError, match=r"^source=.* has the wrong type: expected a sweep's"):
            sw.rerun(bad, 1, spec=TINY)
    with pytest.raises(UserError, match=r"^source is empty: name a sweep's output folder"):
        sw.rerun("", 1)
    assert sw.rerun(df, np.int64(1), spec=TINY)["burnout_share"] == df.loc[1, "burnout_share"]


def test_executor_helpers_check_their_arguments():
    """Worker counts and addresses are checked with the project's messages, numpy ints taken."""
    from sim.executors import ProcessExecutor, check_address, run_tasks

    with pytest.raises(UserError, match="workers=-1 is out of range: allowed 1 or more"):
        ProcessExecutor(-1)
    with pytest.raises(UserError, match="workers='1' has the wrong type"):
        run_tasks(abs, [1, -2], workers="1")
    with pytest.raises(UserError, match="--address is 123, not text"):
        check_address(123)
    assert run_tasks(abs, [1, -2], workers=np.int64(1)) == [1, 2]


def test_a_status_that_runs_cannot_have_is_refused():
    report = sw.execute(TINY, "local")
    assert report.count("ok") == 2
    with pytest.raises(UserError, match="'okk' is not a run's status: allowed ok, error, pending"):
        report.count("okk")


@pytest.mark.parametrize(
    ("conf", "message"),
    [("0.9", "conf_level has the wrong type: expected a number from 0.5"), (0.9995, None)],
)
def test_conf_level_is_a_number_from_one_half_to_below_one(conf, message):
    spec = {
        **TINY,
        "design": "sobol",
        "points": 2,
        "vary": {
            "output_conversion": {"min": 0.2, "max": 0.8},
            "touchpoints": {"min": 0, "max": 1},
        },
        "sensitivity": {"conf_level": conf},
    }
    if message is None:
        assert load_spec(spec).conf_level == conf
    else:
        with pytest.raises(UserError, match=message):
            load_spec(spec)
