"""``docs/validation.md`` and one figure per pattern, written from a check's results."""

from __future__ import annotations

import datetime as _dt
import math
import os
from collections.abc import Iterable
from pathlib import Path
from stat import S_ISDIR, S_ISREG

import numpy as np
from matplotlib.figure import Figure

from sim import io
from sim.calendar import HORIZONS, REDESIGN_WEEK
from sim.errors import UserError
from sim.experiment.summary import interval
from sim.validation.suite import (
    COMBINED,
    FAIL,
    FOLLOW_FROM,
    KNIFE_SEEDS,
    LEVERS,
    NO_AI_WEEKS,
    PASS,
    STATISTICS,
    CheckResult,
    PatternResult,
)

__all__ = ["IMG_DIR", "REPORT_FILE", "check_docs", "write_report"]

#: Folder of the figures, relative to the docs folder.
IMG_DIR = Path("img") / "validation"
#: The report's Markdown file, in the docs folder.
REPORT_FILE = "validation.md"
#: Series of the no-AI run drawn for each stationarity pattern.
_NO_AI_SERIES = {
    "no_ai_drift_burnout_share": ("burnout_share", "share of employees burnt out"),
    "no_ai_drift_quit_rate": ("quit_rate", "yearly quit rate (weekly quits x 52 / employees)"),
    "no_ai_drift_tie_strength": ("tie_strength", "mean strength of working relationships"),
    "no_ai_drift_headcount": ("headcount", "number of employees"),
}


def _fmt(x: float, unit: str) -> str:
    if not math.isfinite(x):
        return "n/a" if math.isnan(x) else ("inf" if x > 0 else "-inf")
    if unit in ("share", "per year"):
        return f"{100 * x:.1f}%"
    if unit == "ratio":
        return f"{x:.2f}x"
    if unit == "week":
        return f"{x:.0f}"
    return f"{x:.3f}"


def _figure(r: PatternResult, result: CheckResult) -> bytes:
    """Draw one pattern: its seed values against the band (and its curve, where it has one).

    Returns:
        The figure as PNG bytes.
    """
    p, runs = r.pattern, result.runs
    stat = p.statistic
    series = None
    if stat in _NO_AI_SERIES and runs.no_ai:
        key, label = _NO_AI_SERIES[stat]
        series = (np.array([x[key] for x in runs.no_ai]), label, "week (no AI)")
    elif stat.startswith("adoption_") and runs.probe:
        series = (
            np.array([x["adoption_share"] for x in runs.probe]),
            "share of employees using AI",
            "week",
        )
    ncols = 2 if series is not None else 1
    fig = Figure(figsize=(4.2 * ncols + 1, 3.2))
    axes = fig.subplots(1, ncols, squeeze=False)
    ax = axes[0][0]
    lo, hi = p.band
    finite = [v for v in r.values if math.isfinite(v)]
    top = max([*finite, lo if math.isfinite(lo) else 0.0, hi if math.isfinite(hi) else 0.0])
    bottom = min([*finite, lo if math.isfinite(lo) else 0.0, hi if math.isfinite(hi) else 0.0])
    pad = 0.1 * (top - bottom or 1.0)
    ax.axhspan(
        lo if math.isfinite(lo) else bottom - pad,
        hi if math.isfinite(hi) else top + pad,
        color="tab:green",
        alpha=0.15,
        label="band (literature)",
    )
    xs = np.linspace(-0.15, 0.15, len(finite)) if finite else []
    ax.scatter(xs, finite, s=14, color="0.4", label="seeds")
    color = "tab:green" if r.verdict == PASS else "tab:red"
    if math.isfinite(r.value):
        err = (
            [[r.value - r.low], [r.high - r.value]]
            if math.isfinite(r.low) and math.isfinite(r.high)
            else None
        )
        ax.errorbar([0.4], [r.value], yerr=err, fmt="o", color=color, capsize=4, label="mean, 95%")
    ax.set_xlim(-0.5, 0.8)
    ax.set_xticks([])
    ax.set_ylim(bottom - pad, top + pad)
    ax.set_title(f"{p.id}: {r.verdict}", fontsize=9, color=color)
    ax.set_ylabel(p.unit or "value", fontsize=8)
    ax.legend(fontsize=7, loc="best")
    if series is not None:
        data, label, xlabel = series
        ax2 = axes[0][1]
        weeks = np.arange(data.shape[1]) + (1 if stat in _NO_AI_SERIES else 0)
        for row in data:
            ax2.plot(weeks, row, color="0.75", lw=0.6)
        ax2.plot(weeks, data.mean(axis=0), color=color, lw=1.6)
        if stat in _NO_AI_SERIES:
            for a, b in ((0, 52), (NO_AI_WEEKS - 52, NO_AI_WEEKS)):
                ax2.axvspan(a, b, color="0.9", zorder=0)
        elif stat == "adoption_share_2024":
            ax2.axhspan(lo, hi, xmin=0.45, xmax=0.55, color="tab:green", alpha=0.3)
            ax2.axvline(FOLLOW_FROM, color="0.5", lw=0.8)
        elif stat == "adoption_share_2025":
            ax2.axhspan(lo, hi, xmin=0.9, xmax=1.0, color="tab:green", alpha=0.3)
        ax2.set_xlabel(xlabel, fontsize=8)
        ax2.set_ylabel(label, fontsize=8)
    for a in axes[0]:
        a.tick_params(labelsize=7)
    fig.tight_layout()
    return io.figure_bytes(fig, "png", dpi=110, bbox_inches=None)


def _effects_table(result: CheckResult, top: int = 10) -> list[str]:
    """Markdown: each redesign's change of FTE burnout, and the largest knife-edge changes."""
    runs = result.runs
    if not runs.variants or not runs.probe:
        return []
    base = np.array([x["burnout_share"] for x in runs.probe])
    rows = []
    for name, vals in runs.variants.items():
        mean, lo, hi = interval(np.asarray(vals) - base[: len(vals)])
        rows.append((name, mean, lo, hi))
    levers = [r for r in rows if r[0] in (*LEVERS, COMBINED)]
    knife = sorted((r for r in rows if r not in levers), key=lambda r: -abs(r[1]))[:top]
    out = []
    for title, chosen in (
        ("Redesigns behind (g): change of FTE burnout share from the baseline", levers),
        (f"The {top} largest knife-edge changes behind (h)", knife),
    ):
        if not chosen:
            continue
        out += [f"### {title}", "", "| variant | change, points [95% over seeds] |", "|---|---|"]
        for n, m, a, b in chosen:
            out.append(f"| {n} | {100 * m:+.1f} [{100 * a:+.1f}, {100 * b:+.1f}] |")
        out.append("")
    return out


def _kind(path: Path, where: str) -> str:
    """Return what ``path`` is: ``"missing"``, ``"folder"``, ``"file"`` or ``"other"``.

    Raises:
        UserError: starting with ``where``, when it cannot be looked at (a symlink
            loop, a file on the way).
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        raise UserError(
            f"{where}: cannot use {path}: {exc.strerror or exc}: name another folder"
        ) from None
    if S_ISDIR(mode):
        return "folder"
    return "file" if S_ISREG(mode) else "other"


def check_docs(docs: str | os.PathLike[str], ids: Iterable[str] = (), flag: str = "--docs") -> Path:
    """Check, before a check runs, that its report can be written into the folder ``docs``.

    The folder must exist (the report goes into an existing one, such as the
    project's ``docs``) and be writable; ``img/validation/`` in it is created when
    missing (now, so that a folder refusing it fails before the check runs), so
    whatever part of it exists must be a writable folder; and neither
    the Markdown file nor a figure (one per id in ``ids``) may be a folder.

    Args:
        docs: the folder.
        ids: the ids of the patterns whose figures will be written.
        flag: the option's name, for messages.

    Returns:
        The folder.

    Raises:
        UserError: naming the path and what to do.
    """
    text = os.fspath(docs)
    if not text.strip():
        raise UserError(f"{flag} is empty: name a folder, e.g. {flag} docs")
    root = Path(text)
    where = f"{flag} {root}"
    kind = _kind(root, flag)
    if kind == "missing":
        raise UserError(f"{where}: no such folder (the report goes into an existing one)")
    if kind == "file":
        raise UserError(f"{where}: is a file, not a folder: name the folder the report goes into")
    if kind != "folder":
        raise UserError(f"{where}: is not a folder: name the folder the report goes into")
    if not os.access(root, os.W_OK | os.X_OK):
        raise UserError(f"{where}: the folder is not writable")
    for sub in (root / IMG_DIR.parent, root / IMG_DIR):
        kind = _kind(sub, where)
        if kind == "missing":
            break  # created by the report, in a folder that is writable
        if kind != "folder":
            raise UserError(
                f"{where}: {sub} is in the way: the figures go into the folder"
                f" {root / IMG_DIR}; move it or name another folder"
            )
        if not os.access(sub, os.W_OK | os.X_OK):
            raise UserError(f"{where}: {sub}: the folder is not writable")
    for target in (root / REPORT_FILE, *(root / IMG_DIR / f"{i}.png" for i in ids)):
        if _kind(target, where) == "folder":
            raise UserError(
                f"{where}: {target} is a folder where the report writes a file;"
                " move it or name another folder"
            )
    io.writable_folder(root / IMG_DIR, f"{where}:")  # now: a folder refusing it fails here
    return root


def write_report(result: CheckResult, docs: str | Path = "docs", command: str = "") -> Path:
    """Write ``docs/validation.md`` and one PNG per pattern into ``docs/img/validation/``.

    Every figure is drawn before anything is written; the files are written
    atomically (:mod:`sim.io`), the figures first and the Markdown file that shows
    them last. :func:`check_docs` checks the folder before the check runs.

    Returns:
        The path of the Markdown file.

    Raises:
        UserError: if a file cannot be written (a full disk, a folder in the way).
    """
    docs = Path(docs)
    img = docs / IMG_DIR
    figures: dict[Path, bytes] = {}
    rs = result.results
    n_pass = sum(r.verdict == PASS for r in rs)
    n_fail = sum(r.verdict == FAIL for r in rs)
    today = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d")
    lines = [
        "# Validation: the pattern suite",
        "",
        "<!-- Generated by `workplace-sim check --report`; edit sim/data/patterns.toml or",
        "     sim/validation/report.py, not this file. -->",
        "",
        "The calibration fits the model to the report's figures. These patterns are facts",
        "from elsewhere (labour statistics, meta-analyses, field experiments, surveys of",
        "AI use at work) that no survey figure pins and that the model was never fitted to.",
        "Each band is taken from the literature, never from the model. The model's value",
        "is the mean over seeds of the calibrated baseline (`scenarios/baseline.toml`), with",
        "its 95% interval over seeds; a pattern passes when the mean lies in the band.",
        "Every variant runs on the same seeds (common random numbers).",
        "",
        f"**{n_pass} of {len(rs)} patterns pass, {n_fail} fail** "
        f"({result.seeds} seeds x {result.agents:,} agents, root seed {result.root_seed}, "
        f"{today}).",
        "",
        "```bash",
        command or "workplace-sim check --report",
        "```",
        "",
        "`workplace-sim check` prints the same table on the terminal (`--json` for",
        "machines) and exits 0 whether or not patterns pass: a failing pattern is a",
        "finding about the model, to be fixed in its mechanisms (issue 12), not an error.",
        "",
        "| | pattern | band | model [95% over seeds] | verdict |",
        "|---|---|---|---|---|",
    ]
    for r in rs:
        p = r.pattern
        value = _fmt(r.value, p.unit)
        if math.isfinite(r.low) and math.isfinite(r.high):
            value += f" [{_fmt(r.low, p.unit)}, {_fmt(r.high, p.unit)}]"
        verdict = f"**{r.verdict}**" if r.verdict != PASS else r.verdict
        lines.append(
            f"| {p.group} | [{p.title}](#{p.id}) | "
            f"{_fmt(p.band[0], p.unit)} to {_fmt(p.band[1], p.unit)} | {value} | {verdict} |"
        )
    lines.append("")
    for r in rs:
        p = r.pattern
        fig = img / f"{p.id}.png"
        figures[fig] = _figure(r, result)
        value = _fmt(r.value, p.unit)
        if math.isfinite(r.low) and math.isfinite(r.high):
            value += f" (95% over seeds: {_fmt(r.low, p.unit)} to {_fmt(r.high, p.unit)})"
        lines += [
            f"## {p.id}",
            "",
            f"**{p.title}** ({p.group}). Verdict: **{r.verdict}**.",
            "",
            f"- Statistic: {STATISTICS[p.statistic].what} (`{p.statistic}`).",
            f"- Band: {_fmt(p.band[0], p.unit)} to {_fmt(p.band[1], p.unit)}. {p.rationale}",
            f"- Model: {value}." + (f" {r.detail[0].upper()}{r.detail[1:]}." if r.detail else ""),
            f"- Source: {p.source}",
        ]
        if p.failure:
            lines.append(f"- A failure means: {p.failure[0].lower()}{p.failure[1:]}")
        lines += ["", f"![{p.id}]({(IMG_DIR / fig.name).as_posix()})", ""]
    lines += _effects_table(result)
    lines += [
        "## How the patterns are measured",
        "",
        "- *Without AI* (a): `sim.validation.without_ai(params)` switches AI off with the",
        "  model's own parameters (tool quality zero and never improving, no adoption pull,",
        "  no gain, no overhead, no substitution of colleagues); the organisation then runs",
        f"  {NO_AI_WEEKS} weeks, and each series' mean over the last 52 weeks is compared with",
        "  its mean over the first 52.",
        f"- *Following people* (b): at week {FOLLOW_FROM} the employees present are noted with",
        "  their burnout and intention; a position's occupant has left by week",
        f"  {FOLLOW_FROM + 52} when its tenure no longer counts every week since (a vacancy",
        "  stops the count, a hire restarts it).",
        "- *Adoption* (e): the share of present employees whose adoption exceeds",
        "  `sim.survey.USER_THRESHOLD`, every week; its fastest growth is the middle of the",
        "  13-week window over which it grows most.",
        "- *ICC(1)* (f): one-way ANOVA of the burnout of present employees across teams",
        "  (`state.team`) at week 104, with the group size adjusted for unequal teams.",
        "- *Redesigns* (g) and *knife edges* (h): FTE burnout share, each variant minus the",
        "  baseline seed by seed; the largest mean change is reported. A redesign is read",
        f"  two years after it starts (week {REDESIGN_WEEK + max(HORIZONS)}), a knife-edge",
        "  variant at the end of the baseline's run.",
        f"  Knife-edge variants run on the first {KNIFE_SEEDS} of the common seeds.",
        "",
    ]
    for path, data in figures.items():
        io.write_bytes(path, data)
    return io.write_text(docs / REPORT_FILE, "\n".join(lines))
