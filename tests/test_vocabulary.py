"""Plain words: what a person reads (terminal tables, report.html) shows no code name.

Real runs, kept small: a compare of two scenarios writes ``report.html``; ``run``,
``scenarios --details``, ``sweep``, ``sensitivity`` and ``check`` print their tables. The
walker (``tests/codenames.py``) reads the text a person sees and fails on any name of a
parameter, outcome, series, compared metric, survey item, group or target. Code names are
allowed only where they are the point: the appendix of report.html, the key line under a
sweep's tables, and the "in a scenario file" column of ``scenarios --details``.
"""

from __future__ import annotations

import json
import re

import pytest
from codenames import code_names, find_code_names, visible_html_text

import sim
from sim import model, survey
from sim.cli import main
from sim.params import Params
from sim.present import vocabulary
from sim.present.hints import line_hint, toml_hint
from sim.runner import METRICS

SMALL = ["--agents", "150", "--seeds", "2", "--no-posterior", "--quiet"]

SWEEP = """
name = "words_sweep"
design = "lhs"
points = 4
seeds = 2
weeks = 53

[params]
n_agents = 60

[vary]
output_conversion = { min = 0.2, max = 0.9 }
touchpoints = [0.1, 0.4]

[outputs]
outcomes = ["top_quartile_burnout_share", "effective_output"]
survey = ["burnout"]
groups = ["fte"]
"""

SOBOL = """
name = "words_sobol"
design = "sobol"
points = 4
seeds = 1
weeks = 8

[params]
n_agents = 60

[vary]
output_conversion = { min = 0.2, max = 0.9 }
self_report_optimism = { min = 1.0, max = 4.0 }

[outputs]
outcomes = ["burnout_share", "annual_quit_rate"]
"""


@pytest.fixture(scope="module")
def names() -> set[str]:
    return code_names()


@pytest.fixture(scope="module")
def compared(tmp_path_factory):
    """One small real compare: its terminal output and its report.html."""
    out = tmp_path_factory.mktemp("compare") / "results"
    return out


def _run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


# ----------------------------------------------------------------------------- the vocabulary
def test_every_name_has_a_plain_label_unit_and_period():
    assert set(Params.names()) <= set(vocabulary.PARAMETERS)
    assert set(model.OUTCOMES) <= set(vocabulary.OUTCOMES)
    assert set(model.SERIES) <= set(vocabulary.SERIES)
    assert {m.key for m in METRICS} <= set(vocabulary.METRICS)
    assert set(survey.ITEMS) <= set(vocabulary.SURVEY_ITEMS)
    assert {*survey.GROUPS, survey.RELATIVE_RISK} <= set(vocabulary.GROUPS)
    for kind, name, term in vocabulary.glossary(
        ("metrics", "outcomes", "series", "items", "groups", "parameters")
    ):
        assert term.label and "_" not in term.label, (kind, name)
        assert term.unit and "_" not in term.unit, (kind, name, term.unit)
        if kind in ("metrics", "outcomes", "series", "items"):
            assert term.period, (kind, name)
    # the cases: a unit and a period for quits and hires, plain words for the rest
    assert vocabulary.OUTCOMES["quits"].heading == "quits (people, over the whole run)"
    assert vocabulary.OUTCOMES["top_quartile_burnout_share"].label == "burnt out, top quarter"
    assert vocabulary.column_label("survey.driver_employer_training.fte.2025") == (
        "gains came mainly from employer training (employees, 2025 survey)"
    )


def test_labels_tell_the_compared_outcomes_apart():
    labels = [vocabulary.METRICS[m.key].label for m in METRICS]
    assert len(set(labels)) == len(labels)


def test_compared_metrics_take_their_words_from_the_vocabulary():
    """One source: a Metric's label, unit, heading and noun are the vocabulary's."""
    from sim.experiment.metrics import _sentence

    for m in METRICS:
        words = vocabulary.METRICS[m.key]
        assert m.words is words and m.label == words.label and m.unit == words.units
        assert m.short == (words.column if m.summary else "")
        assert m.phrase and "_" not in m.phrase, m.key
    top = next(m for m in METRICS if m.key == "burnout_top_quartile")
    assert _sentence("a", "b", top, 0.92, "draws") == (
        "a gives lower burnout in the top quarter than b in 92% of draws"
    )


# ----------------------------------------------------------------------------- the walker
def test_the_walker_finds_a_code_name_and_skips_the_appendix(names):
    page = (
        "<html><head><style>.burnout_share{}</style></head><body><p>burnt out</p>"
        '<img alt="x" title="top_quartile_burnout_share">'
        '<section id="appendix"><table><tr><td>burnout_share</td></tr><br></table></section>'
        "<p>driver_employer_training (fte)</p></body></html>"
    )
    text = visible_html_text(page)
    assert find_code_names(text, names) == [
        "top_quartile_burnout_share",
        "driver_employer_training",
        "fte",
    ]
    assert find_code_names("survey.burnout.fte.2025 and keep_slack", names) == [
        "survey.burnout.fte.2025"
    ]


# ----------------------------------------------------------------------------- what is read
def test_compare_terminal_and_report_show_no_code_name(compared, names, capsys):
    text = _run(capsys, "compare", "baseline", "keep_slack", *SMALL, "--out", str(compared))
    assert find_code_names(text, names) == []
    assert "Burnt out, top quarter" in text and "true gain: how much more" in text
    page = (compared / "report.html").read_text(encoding="utf-8")
    seen = visible_html_text(page)
    assert find_code_names(seen, names) == []
    # the complaints, one by one
    assert "top_quartile_burnout_share" not in seen and "Burnt out, top quarter" in seen
    assert "Quits" in seen and "people, over the whole run" in seen
    assert "self_report_optimism" not in seen and "optimism of self-reported gains" in seen
    assert "Gain per hour and output." in seen
    # the appendix maps every label shown to its code name
    appendix = page[page.index('<section id="appendix">') :]
    for code in ("top_quartile_burnout_share", "self_report_optimism", "burnout_top_quartile"):
        assert f"<code>{code}</code>" in appendix
    # machine outputs keep the code names
    doc = json.loads((compared / "comparison.json").read_text())
    assert "burnout_top_quartile" in {row["metric"] for row in doc["table"]}
    # and record what reruns it: every parameter, the seeds and the version
    assert doc["sim_version"] == sim.__version__ and doc["seeds"]
    assert set(doc["scenarios"][0]["parameters"]) == set(Params.names())


def test_run_terminal_and_report_show_no_code_name(tmp_path, names, capsys):
    out = tmp_path / "run"
    argv = ["run", "keep_slack", *SMALL, "--weeks", "110", "--set", "coaching_hours=0.5"]
    text = _run(capsys, *argv, "--out", str(out))
    assert find_code_names(text, names) == []
    assert "saved time turned into more work 30% ('baseline' 80%)" in text
    assert "coaching time 0.5 ('baseline' 0.25)" in text
    assert "gains came mainly from employer training" in text
    page = (out / "report.html").read_text(encoding="utf-8")
    assert find_code_names(visible_html_text(page), names) == []
    # the command, with its code names, is in the appendix: what reruns the report
    appendix = page[page.index('<section id="appendix">') :]
    assert "--set coaching_hours=0.5" in appendix


def test_scenarios_details_show_labels_and_file_lines(names, capsys):
    text = _run(capsys, "scenarios", "--details")
    # the last column is the line of a scenario file: the one place for code names
    shown = re.sub(r"\b[a-z_]+ = \S+\s*$", "", text, flags=re.M)
    assert find_code_names(shown, names) == []
    assert re.search(r"manager coaching skill +0\.6 +0\.2 .*manager_training = 0\.6", text)


def test_sweep_and_sensitivity_show_labels_and_a_key(tmp_path, names, capsys):
    spec = tmp_path / "words_sweep.toml"
    spec.write_text(SWEEP)
    text = _run(capsys, "sweep", str(spec), "--out", str(tmp_path / "s"), "-e", "local", "-q")
    key = [ln for ln in text.splitlines() if ln.startswith("Names in the results files:")]
    assert len(key) == 1 and "survey.burnout.fte.2024" in key[0]
    body = "\n".join(
        ln
        for ln in text.splitlines()
        if not ln.startswith(("Names in the results files:", "Results:", "Read them"))
    )
    assert find_code_names(body, names) == []
    assert "say they are burnt out (employees, 2024 survey)" in body
    sobol = tmp_path / "words_sobol.toml"
    sobol.write_text(SOBOL)
    assert main(["sensitivity", str(sobol), "--out", str(tmp_path / "o"), "-e", "local", "-q"]) == 0
    captured = capsys.readouterr()
    body = "\n".join(
        ln for ln in captured.out.splitlines() if not ln.startswith("Names in the results files:")
    )
    assert find_code_names(body + captured.err, names) == []
    assert "optimism of self-reported gains" in body


def test_check_shows_no_code_name(names, capsys):
    argv = ["check", "--quick", "--only", "quit_rate_jolts,single_lever_effect", "--jobs", "1"]
    text = _run(capsys, *argv, "-q")
    # pattern ids are what --only takes (like scenario names); the rest is in words
    shown = text.replace("quit_rate_jolts", "").replace("single_lever_effect", "")
    assert find_code_names(shown, names) == []
    assert "(measured: " in text and "FTE" not in text


def test_check_names_every_knife_edge_change_in_words(names):
    """The knife-edge pattern's detail names a parameter; every one it can name is in words.

    The pattern itself runs over 300 simulations (the validation suite's own test runs
    it), so the table is formatted here from its real variant labels, all of them.
    """
    from sim.cli.check import format_table
    from sim.params import Params
    from sim.validation import CheckResult, PatternResult, knife_edge_variants, load_patterns

    pattern = next(p for p in load_patterns() if p.id == "no_knife_edge")
    results = [
        PatternResult(pattern, 0.06, 0.0, 0.17, [0.06], "PASS", f"worst: {label} (-6.0 points)")
        for label, _ in knife_edge_variants(Params())
    ]
    text = format_table(CheckResult(results, seeds=1, agents=100, root_seed=0, runs=None))
    assert find_code_names(text.replace("no_knife_edge", ""), names) == []
    assert "worst: steepness of exhaustion's response to demands +10% (-6.0 points)" in text


def test_validation_statistics_are_described_in_plain_words(names):
    """What ``check`` says it measured, for every statistic, not only the ones run above."""
    from sim.validation.measures import STATISTICS

    for key, stat in STATISTICS.items():
        assert find_code_names(stat.what, names) == [], key
        assert "FTE" not in stat.what and "fte" not in stat.what.split(), key


# ----------------------------------------------------------------------------- hints
@pytest.mark.parametrize(
    ("line", "hint"),
    [
        ("manager_training = 60%", "percentages are written as fractions: manager_training = 0.6"),
        ("n_agents = 2,000", "without thousands separators: n_agents = 2000 (or 2_000)"),
        ("touchpoints = 4h", "the number alone, in its fixed unit: touchpoints = 4"),
        ("strategy_clarity = .7", "a decimal starts with a digit: strategy_clarity = 0.7"),
        ("title = Keep slack", 'text is written in quotes: title = "Keep slack"'),
        ("touchpoints = 4", None),
        ("flag = true", None),
    ],
)
def test_line_hints(line, hint):
    got = line_hint(line)
    assert (got is None) if hint is None else (hint in got)


def test_a_percentage_in_a_scenario_file_gets_a_hint(tmp_path, capsys):
    f = tmp_path / "mine.toml"
    f.write_text('name = "mine"\ninherits = "baseline"\n[params]\nmanager_training = 60%\n')
    assert main(["validate", str(f)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"workplace-sim: error: {f}:4: malformed TOML")
    assert err[1] == "hint: percentages are written as fractions: manager_training = 0.6"
    assert toml_hint(f"{tmp_path / 'gone.toml'}:1: malformed TOML: x") is None
