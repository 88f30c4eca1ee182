"""Sensitivity analysis: known rankings on test functions, then the model end to end."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import sim.sweeps as sw
from sim.errors import UserError
from sim.sweeps.design import raw_sample
from sim.sweeps.indices import analyse_arrays, sensitivity_figure
from sim.sweeps.spec import Factor

pytest.importorskip("SALib")


def ishigami(x, a=7.0, b=0.1):
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


PI = float(np.pi)
ISHIGAMI = [Factor(f"x{i}", lo=-PI, hi=PI) for i in (1, 2, 3)]


def test_sobol_recovers_the_ishigami_indices():
    # analytic values: S1 = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244)
    x = raw_sample(ISHIGAMI, "sobol", 1024, seed=7)
    assert x.shape == (1024 * 5, 3)
    t = analyse_arrays("sobol", ISHIGAMI, x, ishigami(x), seed=7).set_index("parameter")
    assert t.sort_values("ST", ascending=False).index.tolist() == ["x1", "x2", "x3"]
    assert t.sort_values("S1", ascending=False).index.tolist() == ["x2", "x1", "x3"]
    np.testing.assert_allclose(t["S1"], [0.314, 0.442, 0.0], atol=0.05)
    np.testing.assert_allclose(t["ST"], [0.558, 0.442, 0.244], atol=0.05)
    # the intervals cover the analytic values
    for name, s1, st in [("x1", 0.314, 0.558), ("x2", 0.442, 0.442), ("x3", 0.0, 0.244)]:
        assert abs(t.loc[name, "S1"] - s1) <= 2 * t.loc[name, "S1_conf"] + 0.02
        assert abs(t.loc[name, "ST"] - st) <= 2 * t.loc[name, "ST_conf"] + 0.02


def test_sobol_second_order_finds_the_x1_x3_interaction():
    x = raw_sample(ISHIGAMI, "sobol", 1024, second_order=True, seed=3)
    t = analyse_arrays("sobol", ISHIGAMI, x, ishigami(x), second_order=True, seed=3)
    s2 = t.dropna(subset=["S2"]).set_index("parameter")["S2"]
    assert s2.idxmax() == "x1:x3" and s2["x1:x3"] > 0.15


def test_morris_ranks_a_linear_function_and_flags_the_inert_input():
    fs = [Factor(n, lo=0.0, hi=1.0) for n in ("strong", "weak", "inert", "middle")]
    x = raw_sample(fs, "morris", 20, levels=4, seed=5)
    y = 10 * x[:, 0] + 1 * x[:, 1] + 0 * x[:, 2] + 4 * x[:, 3]
    t = analyse_arrays("morris", fs, x, y, levels=4, seed=5).set_index("parameter")
    assert t.sort_values("mu_star", ascending=False).index.tolist() == [
        "strong",
        "middle",
        "weak",
        "inert",
    ]
    np.testing.assert_allclose(t["mu_star"], [10, 1, 0, 4], atol=1e-9)
    np.testing.assert_allclose(t["sigma"], 0, atol=1e-9)  # linear: no interactions


def test_constant_output_gives_nan_not_a_crash():
    x = raw_sample(ISHIGAMI, "sobol", 8, seed=1)
    t = analyse_arrays("sobol", ISHIGAMI, x, np.zeros(len(x)))
    assert t["ST"].isna().all()


SOBOL_SPEC = {
    "name": "tiny_sobol",
    "design": "sobol",
    "points": 8,
    "seeds": 2,
    "weeks": 30,
    "params": {"n_agents": 100},
    "vary": {
        "output_conversion": {"min": 0.1, "max": 0.9},
        "touchpoints": {"min": 0.05, "max": 0.6},
        "psych_safety": [0.2, 0.5, 0.8],
    },
    "outputs": {"outcomes": ["burnout_share", "output", "mean_tie_strength"]},
    "sensitivity": {"outputs": ["output", "mean_tie_strength"]},
}


def test_sensitivity_api_runs_the_model_and_writes_table_and_figure(tmp_path):
    table = sw.sensitivity(SOBOL_SPEC, executor="local", out=tmp_path)
    assert list(table.columns) == [
        "output",
        "method",
        "parameter",
        "S1",
        "S1_conf",
        "ST",
        "ST_conf",
    ]
    assert len(table) == 2 * 3 and set(table["output"]) == {"output", "mean_tie_strength"}
    assert table[["S1", "ST"]].notna().all().all()
    assert (table["ST_conf"] >= 0).all()
    for name in ("sensitivity.csv", "sensitivity.parquet", "sensitivity.png", "sensitivity.svg"):
        assert (tmp_path / name).stat().st_size > 0
    # the analysis of a stored sweep gives the same table
    again = sw.analyse(SOBOL_SPEC, sw.load_results(tmp_path))
    pd.testing.assert_frame_equal(table, again)


def test_morris_on_the_model_and_its_figure():
    spec = {
        **SOBOL_SPEC,
        "name": "tiny_morris",
        "design": "morris",
        "points": 4,
        "levels": 4,
        "seeds": 1,
    }
    table = sw.sensitivity(spec, executor="local")
    assert {"mu", "mu_star", "mu_star_conf", "sigma"} <= set(table.columns)
    assert (table["mu_star"] >= 0).all()
    fig = sensitivity_figure(table, title="morris")
    assert len([a for a in fig.axes if a.get_visible()]) == 2


def test_sensitivity_figure_speaks_plain_words_from_python():
    """Outputs and parameters are named as the vocabulary names them, not by code names."""
    from sim.sweeps.indices import labelled, plain_name
    from sim.vocabulary import OUTCOMES, PARAMETERS

    table = pd.DataFrame(
        {
            "output": "burnout_share",
            "method": "sobol",
            "parameter": ["output_conversion", "touchpoints", "output_conversion:touchpoints"],
            "S1": [0.5, 0.2, np.nan],
            "S1_conf": 0.05,
            "ST": [0.6, 0.3, 0.1],
            "ST_conf": 0.05,
        }
    )
    fig = sensitivity_figure(table)
    ax = fig.axes[0]
    assert ax.get_title() == OUTCOMES["burnout_share"].label
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == [PARAMETERS["output_conversion"].label, PARAMETERS["touchpoints"].label]
    assert sensitivity_figure(table, plain=False).axes[0].get_title() == "burnout_share"
    assert plain_name("output_conversion:touchpoints") == (
        "saved time turned into more work & human touchpoints"
    )
    assert labelled(table)["parameter"].tolist()[0] == "saved time turned into more work"
    assert table["parameter"].iloc[0] == "output_conversion"  # the table keeps its names


def test_sensitivity_refuses_other_designs_and_unfinished_sweeps():
    with pytest.raises(UserError, match="needs design = 'sobol' or 'morris'"):
        sw.sensitivity({**SOBOL_SPEC, "design": "lhs"}, executor="local")
    results = sw.sweep(SOBOL_SPEC, executor="local")
    with pytest.raises(UserError, match="points have no value"):
        sw.analyse(SOBOL_SPEC, results[results["point"] != 3])
    with pytest.raises(UserError, match="unknown output 'quits'"):
        sw.analyse(SOBOL_SPEC, results, ["quits"])


# ----------------------------------------------------------------------------- noise, rankings
def _points_by_seeds(signal: float, noise: float, points: int = 40, seeds: int = 3):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    x = rng.uniform(0, 1, points)
    rows = []
    for p in range(points):
        for r in range(seeds):
            y = signal * x[p] + 0.5 * r + noise * rng.normal()
            rows.append(
                {"point": p, "replicate": r, "status": "ok", "a": x[p], "b": rng.uniform(), "y": y}
            )
    return pd.DataFrame(rows)


def test_seed_noise_splits_signal_from_noise():
    from sim.sweeps.indices import NOISE_SHARE, seed_noise

    quiet = seed_noise(_points_by_seeds(1.0, 0.01), "y")
    assert quiet["noise_share"] < 0.01 and quiet["seeds_needed"] <= 3
    # the shared seed effect (0.5 r) is not noise between points
    assert quiet["noise_var"] < 0.001
    loud = seed_noise(_points_by_seeds(0.1, 0.3), "y")
    assert loud["noise_share"] > NOISE_SHARE
    assert loud["seeds_needed"] > 3
    # the formula: R* = ceil(s2_e (1 - f) / (f (s2_b - s2_e / R)))
    s2e, s2b, r = loud["noise_var"], loud["between_var"], loud["seeds"]
    if s2b > s2e / r:
        f = NOISE_SHARE
        assert loud["seeds_needed"] == math.ceil(s2e * (1 - f) / (f * (s2b - s2e / r)))
    one = seed_noise(_points_by_seeds(1.0, 0.1, seeds=1), "y")
    assert math.isnan(one["noise_share"])


def test_noise_check_flags_noisy_sobol_indices():
    import pandas as pd

    from sim.sweeps.indices import noise_check, noise_warnings

    table = pd.DataFrame(
        {
            "output": ["y", "y"],
            "method": ["sobol", "sobol"],
            "parameter": ["a", "b"],
            "S1": [-0.3, 0.1],
            "S1_conf": [0.1, 0.5],
            "ST": [1.5, 1.4],
            "ST_conf": [0.2, 0.2],
        }
    )
    check = noise_check(table, _points_by_seeds(0.05, 0.5))
    assert bool(check["warn"].iloc[0])
    flags = check["flags"].iloc[0]
    assert "negative beyond" in flags and "ST sums to 2.90" in flags and "wider than" in flags
    (line,) = noise_warnings(check)
    assert line.startswith("warning: y: indices may be seed noise")
    assert "seeds per point" in line or "does not stand above" in line


def test_rank_parameters_orders_by_strength():
    from sim.sweeps.indices import rank_parameters, ranking_lines

    ranks = rank_parameters(_points_by_seeds(1.0, 0.05), ["a", "b"], ["y"])
    assert ranks["parameter"].tolist() == ["a", "b"]
    assert ranks["rho"].iloc[0] > 0.4 > abs(ranks["rho"].iloc[1])
    (line,) = ranking_lines(ranks)
    assert line.strip().startswith("y: a (rho +")


def test_morris_figure_labels_only_the_strongest():
    from sim.sweeps.indices import MORRIS_LABELS

    names = [f"p{i}" for i in range(9)]
    table = pd.DataFrame(
        {
            "output": "y",
            "method": "morris",
            "parameter": names,
            "mu": np.linspace(0, 1, 9),
            "mu_star": [1.0, 0.9, 0.8, 0.7, 0.6, 0.01, 0.011, 0.012, 0.013],
            "mu_star_conf": 0.01,
            "sigma": 0.01,
        }
    )
    fig = sensitivity_figure(table)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.texts]
    assert [x for x in labels if x in names] == names[:MORRIS_LABELS]
    assert any("all in the table" in x for x in labels)


def test_sensitivity_api_warns_of_seed_noise():
    spec = {**SOBOL_SPEC, "name": "tiny_noise", "seeds": 1}
    with pytest.warns(sw.indices.SeedNoiseWarning, match="one seed per point"):
        sw.sensitivity(spec, executor="local")


def test_noise_note_says_how_many_seeds():
    from sim.sweeps.indices import noise_note

    assert noise_note(_points_by_seeds(1.0, 0.01), "y") == ""
    note = noise_note(_points_by_seeds(1.0, 0.5), "y")
    assert note.startswith("seed noise ") and "seeds per point for 10%" in note


# ----------------------------------------------------------------------------- bad input
#: The smallest Morris sweep: the tests below are about arguments, not indices.
TINY_MORRIS = {
    "design": "morris",
    "points": 2,
    "vary": {"touchpoints": {"min": 0.1, "max": 1.0}, "coaching_hours": {"min": 0.0, "max": 1.0}},
    "weeks": 3,
    "params": {"n_agents": 40},
    "outputs": {"outcomes": ["burnout_share", "adoption"]},
}


@pytest.mark.parametrize(
    "num_resamples,message",
    [
        (0, "num_resamples=0 is out of range: allowed 1 or more"),
        (-5, "num_resamples=-5 is out of range"),
        (2.5, r"num_resamples=2\.5 has the wrong type: expected an integer 1 or more"),
        ("100", "num_resamples='100' has the wrong type"),
        (True, "num_resamples=True has the wrong type"),
    ],
)
def test_num_resamples_is_checked_before_the_sweep_runs(tmp_path, num_resamples, message):
    out = tmp_path / "s"
    calls = []
    with pytest.raises(UserError, match=f"^{message}"):
        sw.sensitivity(
            TINY_MORRIS,
            executor="local",
            out=out,
            num_resamples=num_resamples,
            progress=lambda done, total: calls.append(done),
        )
    assert calls == [] and not out.exists()  # nothing ran, nothing was written
    results = pd.DataFrame({"point": [0], "status": ["ok"], "burnout_share": [0.1]})
    with pytest.raises(UserError, match=f"^{message}"):
        sw.analyse(TINY_MORRIS, results, "burnout_share", num_resamples=num_resamples)


def test_one_output_name_is_one_output():
    import warnings

    from sim.sweeps.indices import SeedNoiseWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SeedNoiseWarning)
        one = sw.sensitivity(
            TINY_MORRIS, executor="local", outputs="adoption", num_resamples=np.int64(10)
        )
        listed = sw.sensitivity(
            TINY_MORRIS, executor="local", outputs=["adoption"], num_resamples=10
        )
    pd.testing.assert_frame_equal(one, listed)
    assert set(one["output"]) == {"adoption"}
    results = sw.sweep(TINY_MORRIS, executor="local")
    again = sw.analyse(TINY_MORRIS, results, "adoption", num_resamples=10)
    pd.testing.assert_frame_equal(again, listed)


def test_bad_outputs_and_results_are_refused_before_anything_runs(tmp_path):
    out = tmp_path / "s"
    for outputs, message in [
        ([], "outputs is empty: name one or more outputs, or give None"),
        (3, "outputs=3 has the wrong type: expected a list of output names or one name"),
        ([1, 2], r"outputs=\[1, 2\] has the wrong type"),
        ("burnout", "unknown output 'burnout' for sensitivity: the sweep keeps"),
    ]:
        with pytest.raises(UserError, match=f"^{message}"):
            sw.sensitivity(TINY_MORRIS, executor="local", out=out, outputs=outputs)
        assert not out.exists()
    with pytest.raises(UserError, match=r"^results='x' has the wrong type: expected the sweep's"):
        sw.analyse(TINY_MORRIS, "x")
    results = pd.DataFrame({"point": [0], "status": ["ok"], "burnout_share": [0.1]})
    with pytest.raises(UserError, match=r"^the results have no column adoption"):
        sw.analyse(TINY_MORRIS, results)


def _morris_table(**changes) -> pd.DataFrame:
    """A small Morris table as analyse returns it (code names)."""
    table = pd.DataFrame(
        {
            "output": "burnout_share",
            "method": "morris",
            "parameter": ["touchpoints", "coaching_hours"],
            "mu": [0.1, 0.2],
            "mu_star": [0.3, 0.2],
            "mu_star_conf": [0.01, 0.02],
            "sigma": [0.05, 0.04],
        }
    )
    return table.assign(**changes)


@pytest.mark.parametrize(
    "table,kwargs,message",
    [
        ("x", {}, r"^table='x' has the wrong type: expected the indices from sim\.sweeps\.analyse"),
        (None, {}, r"^table=None has the wrong type"),
        (
            pd.DataFrame({"run_id": [0], "status": ["ok"], "burnout_share": [0.1]}),
            {},
            r"^the table has no column output, method, parameter: .* not a sweep's results",
        ),
        (_morris_table().iloc[0:0], {}, r"^the table is empty: nothing to draw"),
        (
            pd.concat([_morris_table(), _morris_table(method="sobol")]),
            {},
            r"^the table's method is 'morris', 'sobol': one figure draws one method",
        ),
        (_morris_table(method="lhs"), {}, r"^the table's method is 'lhs'"),
        (
            _morris_table().drop(columns="sigma"),
            {},
            r"^the morris table has no column sigma: give the indices",
        ),
        (_morris_table(), {"plain": "yes"}, r"^plain='yes' has the wrong type: expected True"),
        (_morris_table(), {"title": 3}, r"^title=3 has the wrong type: expected text"),
    ],
)
def test_sensitivity_figure_refuses_what_is_not_an_indices_table(table, kwargs, message):
    with pytest.raises(UserError, match=message):
        sensitivity_figure(table, **kwargs)


def test_sensitivity_figure_takes_numpy_flags_and_draws_one_panel_per_output():
    fig = sensitivity_figure(_morris_table(), plain=np.bool_(False), title="t")
    assert fig.axes[0].get_title() == "burnout_share"
