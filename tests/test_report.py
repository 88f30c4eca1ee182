"""Atomic writers, result files, figures and the self-contained HTML report."""

from __future__ import annotations

import html
import json
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from sim import io, report
from sim.errors import UserError
from sim.present.describe import relabel, scenario_labels
from sim.runner import METRICS, compare, run_scenario

SMALL = {"n_agents": 120}


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(io.TEMP_PREFIX)]


# ----------------------------------------------------------------------------- sim.io
def test_writers_write_whole_files(tmp_path):
    df = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    assert io.write_text(tmp_path / "t.txt", "héllo").read_text(encoding="utf-8") == "héllo"
    assert io.write_bytes(tmp_path / "deep" / "b.bin", b"\x00\x01").read_bytes() == b"\x00\x01"
    assert json.loads(io.write_json(tmp_path / "j.json", {"k": [1, None]}).read_text()) == {
        "k": [1, None]
    }
    pd.testing.assert_frame_equal(pd.read_csv(io.write_csv(tmp_path / "d.csv", df)), df)
    pd.testing.assert_frame_equal(
        pd.read_parquet(io.write_parquet(tmp_path / "d.parquet", df)), df, check_dtype=False
    )
    fig = Figure()
    fig.subplots().plot([0, 1], [1, 0])
    assert io.write_figure(tmp_path / "f.png", fig).read_bytes().startswith(b"\x89PNG")
    svg = io.write_figure(tmp_path / "f.svg", fig).read_text()
    assert svg.rstrip().endswith("</svg>")
    assert io.figure_bytes(fig, "svg") == io.figure_bytes(fig, "svg"), "no date stamp"
    assert oct((tmp_path / "t.txt").stat().st_mode & 0o777) != oct(0o600)
    assert temp_files(tmp_path) == []


def test_an_error_while_writing_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    target = io.write_text(tmp_path / "keep.txt", "old content")
    with pytest.raises(RuntimeError), io.atomic_write(target) as fh:
        fh.write(b"new half")
        raise RuntimeError("boom")
    assert target.read_text() == "old content"
    with pytest.raises(KeyboardInterrupt), io.atomic_write(tmp_path / "new.txt") as fh:
        fh.write(b"half")
        raise KeyboardInterrupt
    assert not (tmp_path / "new.txt").exists()
    assert temp_files(tmp_path) == []


def test_unwritable_place_is_a_user_error(tmp_path):
    blocker = io.write_text(tmp_path / "file", "x")
    with pytest.raises(UserError, match="cannot write"):
        io.write_text(blocker / "sub" / "x.txt", "y")


WRITER = textwrap.dedent(
    """
    import sys, time
    from sim import io
    with io.atomic_write(sys.argv[1]) as fh:
        fh.write(b"first half of a large file\\n" * 1000)
        fh.flush()
        print("writing", flush=True)
        time.sleep(60)
        fh.write(b"second half\\n")
    """
)


@pytest.mark.parametrize("existing", [False, True], ids=["new file", "overwrite"])
def test_interrupt_in_the_middle_of_a_write_leaves_no_partial_file(tmp_path, existing):
    target = tmp_path / "data.csv"
    if existing:
        target.write_text("complete old file\n")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout.readline().strip() == "writing"
        assert len(temp_files(tmp_path)) == 1, "the bytes go to a temporary file first"
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode != 0
    assert "KeyboardInterrupt" in proc.stderr.read()
    assert temp_files(tmp_path) == []
    if existing:
        assert target.read_text() == "complete old file\n"
    else:
        assert not target.exists()


def _complete(path: Path) -> None:
    """Assert that a result file is whole (parses, or ends the way its format ends)."""
    data = path.read_bytes()
    suffix = path.suffix
    if suffix == ".csv":
        pd.read_csv(path)
    elif suffix == ".parquet":
        pd.read_parquet(path)
    elif suffix == ".json":
        json.loads(data)
    elif suffix == ".png":
        assert data.startswith(b"\x89PNG") and data.endswith(b"IEND\xaeB`\x82"), path
    elif suffix == ".svg":
        assert data.rstrip().endswith(b"</svg>"), path
    elif suffix == ".html":
        assert data.rstrip().endswith(b"</html>"), path


@pytest.mark.parametrize("delay", [0.02, 0.6])
def test_interrupted_cli_leaves_only_whole_files(tmp_path, delay):
    """Ctrl-C while `run --out` writes: every file there is whole, no temporary file is left."""
    out = tmp_path / "res"
    cmd = [
        sys.executable,
        "-m",
        "sim",
        "run",
        "--agents",
        "120",
        "--weeks",
        "60",
        "--seeds",
        "2",
        "--out",
        str(out),
        "--quiet",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if out.is_dir() and any(out.iterdir()):
                break
            time.sleep(0.005)
        time.sleep(delay)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    finally:
        proc.kill()
    stderr = proc.stderr.read()
    assert "Traceback" not in stderr
    if proc.returncode != 0:  # interrupted in the middle (the usual case)
        assert proc.returncode == 130 and "interrupted" in stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    assert temp_files(out) == []
    for f in files:
        _complete(f)


# ----------------------------------------------------------------------------- outputs
@pytest.fixture(scope="module")
def small_compare():
    # parameter uncertainty is on by default; 3 draws keep the test fast
    return compare(["keep_slack", "touchpoints"], seeds=2, weeks=60, posterior=3, **SMALL)


def test_write_compare_outputs(tmp_path, small_compare):
    files = report.write_compare_outputs(tmp_path, small_compare, command="workplace-sim compare")
    names = {str(p.relative_to(tmp_path)) for p in files}
    for stem in (
        "comparison",
        "metrics",
        "survey",
        "series",
        "outcomes",
        "survey_summary",
        "outcomes_summary",
    ):
        assert {f"{stem}.csv", f"{stem}.parquet"} <= names, stem
    for fig in ("trajectories", "differences", "survey_vs_report", "network"):
        assert {f"figures/{fig}.png", f"figures/{fig}.svg"} <= names, fig
    assert files[-1] == tmp_path / "report.html"
    for f in files:
        _complete(f)
    assert temp_files(tmp_path) == []
    table = pd.read_parquet(tmp_path / "comparison.parquet")
    pd.testing.assert_frame_equal(table, small_compare.table(), check_dtype=False)
    series = pd.read_csv(tmp_path / "series.csv")
    assert list(series.columns[:4]) == ["scenario", "seed", "draw", "week"]
    assert set(series["scenario"]) == {"baseline", "keep_slack", "touchpoints"}


def test_report_html_is_self_contained(tmp_path, small_compare):
    report.write_compare_outputs(tmp_path, small_compare, command="workplace-sim compare")
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', page)) == 4
    # Nothing is fetched: no external scripts, styles, images or fonts.
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', page)
    assert "<script" not in page and "@import" not in page and "url(" not in page
    labels = scenario_labels(small_compare.scenarios)
    for name in small_compare.runs:
        assert labels[name] in page  # its plain label on the page
        assert f"<code>{name}</code>" in page  # its name in the appendix
    assert "Redesigns against “Status quo”" in page and "Trust in AI over coworkers" in page
    # The intervals name their sources; every difference says how often it beats the baseline.
    assert (
        "<b>95% intervals over 2 seeds x 3 posterior draws: seed noise and parameter "
        "uncertainty.</b>" in page
    )
    assert page.count("of draws</span>") == 2 * len([m for m in METRICS if m.better])
    # The pairwise section: the clearest sentences and a matrix per outcome with a direction.
    assert "<h2>Which scenario beats which</h2>" in page and "6 matched draws" in page
    for sentence in small_compare.sentences():
        assert f"<li>{html.escape(relabel(sentence, labels))}</li>" in page
    assert page.count('<th class="l">row beats column</th>') == len(
        [m for m in METRICS if m.better]
    )
    assert "Self-reported productivity gain (" not in page  # no better direction: no matrix


def test_report_without_posterior_says_seed_noise_only(tmp_path):
    res = compare(["keep_slack"], seeds=2, weeks=20, posterior=0, n_agents=60)
    report.write_compare_outputs(tmp_path, res, network=False)
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "95% intervals over 2 seeds: seed noise only" in page
    assert "leave out parameter uncertainty" in page
    assert "2 matched seeds (same seed)" in page and "of seeds</span>" in page


def test_write_run_outputs_and_out_dir_checks(tmp_path):
    res = run_scenario("baseline", seeds=2, weeks=60, posterior=2, **SMALL)
    files = report.write_run_outputs(tmp_path / "run", [res], network=False)
    assert files[-1].name == "report.html"
    doc = json.loads((tmp_path / "run" / "run.json").read_text())
    assert doc["scenario"] == "baseline"
    assert doc["intervals"] == res.uncertainty and "parameter uncertainty" in doc["intervals"]
    page = (tmp_path / "run" / "report.html").read_text(encoding="utf-8")
    assert f"<b>{res.uncertainty[0].upper()}{res.uncertainty[1:]}.</b>" in page
    assert not (tmp_path / "run" / "figures" / "network.png").exists()
    blocker = io.write_text(tmp_path / "blocker", "x")
    with pytest.raises(UserError, match="exists and is not a folder"):
        report.check_out_dir(blocker)


def test_figures_build(small_compare):
    runs = list(small_compare.runs.values())
    for fig in (
        report.trajectories_figure(runs),
        report.differences_figure(small_compare),
        report.survey_figure(runs[0]),
    ):
        assert isinstance(fig, Figure) and fig.axes
    net = report.network_figure([runs[0].scenario], seed=1, weeks=10)
    assert net.axes and any(ax.collections for ax in net.axes)


def test_network_figure_samples_a_large_organisation():
    sc = run_scenario("baseline", seeds=1, weeks=2, posterior=0, n_agents=3000).scenario
    fig = report.network_figure([sc], seed=3, weeks=2, max_nodes=400)
    ax = fig.axes[0]
    drawn = sum(len(c.get_offsets()) for c in ax.collections[1:])
    assert 0 < drawn <= 400


def test_svg_figures_are_reproducible(small_compare):
    runs = list(small_compare.runs.values())
    a = io.figure_bytes(report.trajectories_figure(runs), "svg")
    b = io.figure_bytes(report.trajectories_figure(runs), "svg")
    assert a == b
