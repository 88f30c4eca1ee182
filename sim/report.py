"""Tidy result files and the self-contained ``report.html`` of runs and comparisons.

:func:`write_run_outputs` and :func:`write_compare_outputs` write everything to a
folder; every file is written atomically (:mod:`sim.io`), ``report.html`` last,
with its figures (:mod:`sim.present.figures`, re-exported here) embedded as data URIs
so it opens anywhere without a network.

Every word a person reads on the page comes from :mod:`sim.vocabulary`;
the page is a Jinja2 template (``sim/present/templates/report.html.j2``), autoescaped.
Code names appear only in its appendix, which maps them to the labels, and in the
data files.
"""

from __future__ import annotations

import base64
import datetime as _dt
import math
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import jinja2
import pandas as pd
from matplotlib.figure import Figure

from sim import __version__, io
from sim.errors import UserError
from sim.params import Params
from sim.present.describe import (
    interval_cells,
    relabel,
    same_scenario,
    scenario_label,
    scenario_labels,
    setting_changes,
    span_words,
)
from sim.present.figures import (
    PANELS,
    differences_figure,
    network_figure,
    replicates_text,
    survey_figure,
    trajectories_figure,
    uncertainty_sentence,
)
from sim.present.format import json_ready
from sim.runner import METRICS, CompareResult, RunResult, direction_text, share_text, verdict
from sim.scenarios import Scenario, load_scenario
from sim.vocabulary import METRICS as METRICS_WORDS
from sim.vocabulary import (
    OUTCOMES,
    OUTPUT_VS_GAIN,
    PARAMETERS,
    Term,
    glossary,
)

__all__ = [
    "PANELS",
    "check_out_dir",
    "differences_figure",
    "html_report",
    "network_figure",
    "survey_figure",
    "trajectories_figure",
    "write_compare_outputs",
    "write_run_outputs",
]


# ----------------------------------------------------------------------------- helpers
def check_out_dir(path: str | os.PathLike[str]) -> Path:
    """Check that ``path`` can be used as an output folder (before any run starts).

    Raises:
        UserError: if it exists and is not a folder, or cannot be created or written.
    """
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise UserError(f"--out {out}: exists and is not a folder")
    return io.writable_folder(out)


# ----------------------------------------------------------------------------- HTML
#: The page template: autoescaped, so a scenario's title or a command line is shown as text.
_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "present" / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
#: The figures the page can show, by name.
_FIGURES = ("differences", "trajectories", "survey_vs_report", "network")
_VERDICT_CLASS = {"better": "better", "worse": "worse", "no clear change": "nc"}


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def _ordered(result: CompareResult) -> list[str]:
    """The scenario names of a comparison, the baseline first."""
    return [result.baseline, *(n for n in result.runs if n != result.baseline)]


def _compare_rows(result: CompareResult, labels: dict[str, str]) -> dict[str, Any]:
    """The difference table: one row per compared outcome, the baseline's level first."""
    t = result.table()
    names = _ordered(result)
    rows = []
    for key, block in t.groupby("metric", sort=False):
        b = block.set_index("scenario")
        words = METRICS_WORDS[str(key)]
        better = str(block["better"].iloc[0])
        cells = []
        for n in names:
            r = b.loc[n]
            if n == result.baseline:
                value, ci = interval_cells(r["mean"], r["ci_low"], r["ci_high"], words.style)
                cells.append({"value": value, "ci": ci, "cls": "", "verdict": "", "beats": ""})
                continue
            v = verdict(r["diff"], r["diff_low"], r["diff_high"], better)
            value, ci = interval_cells(r["diff"], r["diff_low"], r["diff_high"], words.style, True)
            beats = (
                f"better in {share_text(float(r['beats_baseline']))} of {result.matched}"
                if better
                else ""
            )
            cells.append(
                {
                    "value": value,
                    "ci": ci,
                    "cls": _VERDICT_CLASS.get(v, ""),
                    "verdict": v,
                    "beats": beats,
                }
            )
        rows.append(
            {
                "label": words.label[:1].upper() + words.label[1:],
                "units": words.units,
                "direction": direction_text(better),
                "cells": cells,
            }
        )
    return {"baseline": labels[result.baseline], "head": [labels[n] for n in names], "rows": rows}


def _pairwise(result: CompareResult, labels: dict[str, str]) -> dict[str, Any] | None:
    """Sentences for the clearest pairs, then a row-beats-column matrix per outcome."""
    sup = result.superiority()
    if not len(sup):
        return None
    names = _ordered(result)
    matrices = []
    for m in METRICS:
        if not m.sign:
            continue
        block = sup[sup["metric"] == m.key].set_index(["scenario", "other"])["share"]
        rows = []
        for a in names:
            cells = []
            for b in names:
                x = math.nan if a == b else float(block.get((a, b), math.nan))
                cls = "nc" if a == b else "better" if x >= 0.9 else "worse" if x <= 0.1 else ""
                cells.append({"cls": cls, "text": "-" if a == b else share_text(x)})
            rows.append({"name": labels[a], "cells": cells})
        words = METRICS_WORDS[m.key]
        matrices.append(
            {
                "title": f"{words.label[:1].upper()}{words.label[1:]} ({direction_text(m.better)})",
                "head": [labels[n] for n in names],
                "rows": rows,
            }
        )
    return {
        "runs": len(result.seeds) * max(result.posterior, 1),
        "unit": result.matched,
        "what": "same posterior draw and seed" if result.draws else "same seed",
        "sentences": [relabel(t, labels) for t in result.sentences()],
        "matrices": matrices,
    }


def _scenario_rows(
    runs: Sequence[RunResult], labels: dict[str, str], reference: Scenario | None
) -> list[dict[str, Any]]:
    """Each scenario in words, with the settings it changes against the reference."""
    out = []
    for r in runs:
        sc = r.scenario
        is_ref = reference is None or same_scenario(sc, reference)
        if is_ref:  # its calibrated settings, against the model's defaults
            changes = [c.said("model default") for c in setting_changes(sc.params, Params())]
            none = "none: the model's defaults"
        else:
            changes = [c.text for c in setting_changes(sc.params, reference.params)]
            none = "none"
        out.append(
            {
                "label": labels[sc.name],
                "title": sc.title,
                "description": sc.description,
                "recommendation": sc.recommendation,
                "changes": changes,
                "none": none,
            }
        )
    return out


def _outcome_rows(runs: Sequence[RunResult], labels: dict[str, str]) -> dict[str, Any]:
    """The true outcomes: one row per outcome, a mean and 95% interval per scenario."""
    frames = {r.name: r.outcome_summary().set_index("outcome") for r in runs}
    outcomes = list(dict.fromkeys(o for f in frames.values() for o in f.index))
    rows = []
    for o in outcomes:
        words = OUTCOMES[o] if o in OUTCOMES else Term(o.replace("_", " "))
        cells = []
        for f in frames.values():
            if o not in f.index:
                cells.append({"value": "n/a", "ci": ""})
                continue
            r = f.loc[o]
            value, ci = interval_cells(r["mean"], r["ci_low"], r["ci_high"], words.style)
            cells.append({"value": value, "ci": ci})
        rows.append(
            {
                "label": words.label[:1].upper() + words.label[1:],
                "units": words.units,
                "cells": cells,
            }
        )
    return {"head": [labels[n] for n in frames], "rows": rows}


def _appendix(
    runs: Sequence[RunResult], labels: dict[str, str], comparison: bool, files: Sequence[str]
) -> dict[str, Any]:
    """Labels against code names: scenarios, outcomes, survey items, groups, settings shown."""
    changed = {c.name for r in runs for c in setting_changes(r.scenario.params, Params(), skip=())}
    groups = [
        ("Scenarios", [(labels[r.name], r.name, r.scenario.title) for r in runs]),
    ]
    kinds = (("metrics", "Compared outcomes"),) if comparison else ()
    kinds += (("outcomes", "True outcomes"), ("items", "Survey items"), ("groups", "Survey groups"))
    for kind, title in kinds:
        groups.append((title, [(t.label, n, t.units) for k, n, t in glossary((kind,))]))
    groups.append(
        (
            "Settings changed",
            [(PARAMETERS[n].label, n, PARAMETERS[n].unit) for n in Params.names() if n in changed],
        )
    )
    return {
        "terms": [
            {"title": title, "rows": [{"label": a, "code": b, "units": c} for a, b, c in rows]}
            for title, rows in groups
            if rows
        ],
        "files": list(files),
    }


def html_report(
    *,
    title: str,
    runs: Sequence[RunResult],
    figures: dict[str, bytes],
    comparison: CompareResult | None = None,
    command: str | None = None,
    files: Sequence[str] = (),
    reference: Scenario | None = None,
) -> str:
    """Return a self-contained HTML report (figures as data URIs, no external resources).

    Every label comes from :mod:`sim.vocabulary`; code names appear only in the
    appendix that maps them to labels (and in the data files).

    Args:
        title: the page's title.
        runs: the runs reported on.
        figures: PNG bytes by figure name (``differences``, ``trajectories`` ...).
        comparison: the comparison, when there is one (adds the difference table).
        command: the command line that made it.
        files: names of the other files written beside the report.
        reference: the status quo the scenarios' settings are read against (default: the
            comparison's baseline, else the bundled ``baseline``).
    """
    first = runs[0]
    labels = scenario_labels(r.scenario for r in runs)
    if reference is None:
        reference = comparison.runs[comparison.baseline].scenario if comparison else _status_quo()
    page = _TEMPLATES.get_template("report.html.j2").render(
        title=title,
        version=__version__,
        when=_dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        scenarios=_scenario_rows(runs, labels, reference),
        replicates=replicates_text(first),
        root_seed=first.root_seed,
        span=span_words(first.weeks),
        positions=int(first.scenario.params.n_agents),
        command=command,
        uncertainty=uncertainty_sentence(comparison or first),
        posterior=bool(first.draws),
        comparison=_compare_rows(comparison, labels) if comparison is not None else None,
        pairwise=_pairwise(comparison, labels) if comparison is not None else None,
        output_vs_gain=OUTPUT_VS_GAIN,
        reference=f"“{scenario_label(reference)}”" if reference is not None else "the defaults",
        figures={k: _data_uri(figures[k]) if k in figures else "" for k in _FIGURES},
        survey_scenario=labels[first.name],
        outcomes=_outcome_rows(runs, labels),
        appendix=_appendix(runs, labels, comparison is not None, files),
    )
    return page.rstrip("\n") + "\n"


def _status_quo() -> Scenario | None:
    """The bundled status quo, the reference a run's settings are read against."""
    try:
        return load_scenario("baseline")
    except UserError:  # pragma: no cover - the core ships it
        return None


# ----------------------------------------------------------------------------- writing
def _write_table(
    out: Path, stem: str, df: pd.DataFrame, written: list[Path], parquet: bool
) -> None:
    if parquet:
        written.append(io.write_parquet(out / f"{stem}.parquet", df))
    written.append(io.write_csv(out / f"{stem}.csv", df))


def _write_figure(
    out: Path, stem: str, fig: Figure, written: list[Path], pngs: dict[str, bytes]
) -> None:
    png = io.figure_bytes(fig, "png")
    written.append(io.write_bytes(out / "figures" / f"{stem}.png", png))
    written.append(io.write_figure(out / "figures" / f"{stem}.svg", fig))
    pngs[stem] = png


def _tidy(runs: Sequence[RunResult], attr: str) -> pd.DataFrame:
    frames = [getattr(r, attr).assign(scenario=r.name) for r in runs]
    df = pd.concat(frames, ignore_index=True)
    return df[["scenario", *[c for c in df.columns if c != "scenario"]]]


def _summaries(runs: Sequence[RunResult]) -> dict[str, pd.DataFrame]:
    out = {}
    for name, fn in (("survey_summary", "survey_summary"), ("outcomes_summary", "outcome_summary")):
        frames = [getattr(r, fn)().assign(scenario=r.name) for r in runs]
        df = pd.concat(frames, ignore_index=True)
        out[name] = df[["scenario", *[c for c in df.columns if c != "scenario"]]]
    return out


def _write_common(
    out: Path, runs: Sequence[RunResult], written: list[Path], pngs: dict[str, bytes], parquet: bool
) -> None:
    for stem in ("survey", "series", "outcomes"):
        _write_table(out, stem, _tidy(runs, stem), written, parquet)
    for stem, df in _summaries(runs).items():
        _write_table(out, stem, df, written, parquet)
    _write_figure(out, "trajectories", trajectories_figure(runs), written, pngs)
    base = runs[0]
    _write_figure(out, "survey_vs_report", survey_figure(base), written, pngs)


def _network(
    out: Path, runs: Sequence[RunResult], written: list[Path], pngs: dict[str, bytes]
) -> None:
    picks = [runs[0].scenario] + ([runs[-1].scenario] if len(runs) > 1 else [])
    fig = network_figure(picks, seed=runs[0].seeds[0], weeks=runs[0].weeks)
    _write_figure(out, "network", fig, written, pngs)


def write_run_outputs(
    out_dir: str | os.PathLike[str],
    runs: Sequence[RunResult],
    *,
    command: str | None = None,
    network: bool = True,
) -> list[Path]:
    """Write the tidy results, figures and ``report.html`` of one or more runs.

    Files (each written atomically; ``report.html`` last): ``survey``, ``series``,
    ``outcomes``, ``survey_summary`` and ``outcomes_summary`` as Parquet (when
    pyarrow is installed) and CSV; ``run.json``; ``figures/*.png`` and ``*.svg``.

    Returns:
        The paths written, ``report.html`` last.
    """
    out = check_out_dir(out_dir)
    written: list[Path] = []
    pngs: dict[str, bytes] = {}
    parquet = io.parquet_or_note()
    _write_common(out, runs, written, pngs, parquet)
    if network:
        _network(out, runs, written, pngs)
    docs = [{**r.to_dict(), "sim_version": __version__} for r in runs]
    written.append(
        io.write_json(out / "run.json", _jsonable(docs[0] if len(docs) == 1 else {"runs": docs}))
    )
    names = ", ".join(scenario_labels(r.scenario for r in runs).values())
    page = html_report(
        title=f"workplace-sim: {names}",
        runs=runs,
        figures=pngs,
        command=command,
        files=[_rel(p, out) for p in written],
    )
    written.append(io.write_text(out / "report.html", page))
    return written


def write_compare_outputs(
    out_dir: str | os.PathLike[str],
    result: CompareResult,
    *,
    command: str | None = None,
    network: bool = True,
) -> list[Path]:
    """Write the tidy results, figures and ``report.html`` of a comparison.

    On top of :func:`write_run_outputs`' files: ``comparison`` (one row per
    scenario and outcome, with the difference from the baseline and its interval)
    and ``metrics`` (one row per scenario and seed), and ``figures/differences``.

    Returns:
        The paths written, ``report.html`` last.
    """
    out = check_out_dir(out_dir)
    runs = list(result.runs.values())
    written: list[Path] = []
    pngs: dict[str, bytes] = {}
    parquet = io.parquet_or_note()
    _write_table(out, "comparison", result.table(), written, parquet)
    _write_table(out, "metrics", result.metrics, written, parquet)
    _write_common(out, runs, written, pngs, parquet)
    _write_figure(out, "differences", differences_figure(result), written, pngs)
    if network:
        _network(out, runs, written, pngs)
    doc = {**result.to_dict(), "sim_version": __version__}
    written.append(io.write_json(out / "comparison.json", _jsonable(doc)))
    page = html_report(
        title="workplace-sim: redesigns compared with the baseline",
        runs=runs,
        figures=pngs,
        comparison=result,
        command=command,
        files=[_rel(p, out) for p in written],
    )
    written.append(io.write_text(out / "report.html", page))
    return written


def _rel(p: Path, root: Path) -> str:
    try:
        return str(p.relative_to(root))
    except ValueError:
        return str(p)


def _jsonable(obj: Any) -> Any:
    return json_ready(obj)
