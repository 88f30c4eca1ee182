"""Helpers shared by the ``workplace-sim`` commands.

* :func:`add_run_options` adds the options of every multi-run command
  (``--seeds``, ``--weeks``, ``--agents``, ``--set``, ``--posterior``, ``--jobs``,
  ``--root-seed``, ``--out``, ``--json``, ``--quiet``); :func:`overrides_from_args` turns
  ``--agents`` and ``--set key=value`` into checked parameter values.
* :func:`int_in` builds argparse types for bounded integers, :func:`jobs_arg` is the one of
  ``--jobs``: they parse the text and leave the check to :func:`sim.inputs.check_int` and
  :func:`sim.executors.check_jobs`, so a flag and a library call say the same
  (``argument --seeds: seeds=0 is out of range: allowed 1 to 1000``).
* :class:`ProgressBar` draws a progress bar on stderr.
* :func:`fmt_value`, :func:`fmt_interval`, :func:`fmt_diff` and :func:`render_table`
  (from :mod:`sim.present.format`) format numbers and plain-text tables.
* :func:`print_json` prints one JSON document on stdout (NaN becomes null).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from sim.errors import UserError
from sim.executors import check_jobs
from sim.hints import line_hint
from sim.inputs import (
    MAX_NUMBER_TEXT,
    ROOT_SEED_RANGE,
    check_int,
    check_number,
    number_text,
)
from sim.params import Params, coerce
from sim.present.format import (
    NON_NEGATIVE_UNITS,
    PERCENT_UNITS,
    fmt_diff,
    fmt_interval,
    fmt_value,
    render_table,
)
from sim.present.format import json_ready as _nan_to_none
from sim.present.progress import ProgressBar
from sim.runner import DEFAULT_POSTERIOR, DEFAULT_ROOT_SEED, POSTERIOR_RANGE, POSTERIOR_SEEDS
from sim.runner import check_run_memory as runner_check_run_memory
from sim.scenarios import SEEDS_RANGE, WEEKS_RANGE

__all__ = [
    "NON_NEGATIVE_UNITS",
    "PERCENT_UNITS",
    "ProgressBar",
    "add_run_options",
    "check_run_flags",
    "check_run_memory",
    "fmt_diff",
    "fmt_interval",
    "fmt_value",
    "int_in",
    "jobs_arg",
    "make_progress",
    "out_arg",
    "overrides_from_args",
    "parse_set",
    "print_json",
    "render_table",
    "replicates_text",
]


# ----------------------------------------------------------------------------- argument types
def _int_or_text(text: str) -> int | str:
    """Return the integer ``text`` writes (``1_000`` too), else ``text`` for the check to refuse.

    Text too long to be a number a user means is cut for the message.
    """
    if len(text) > MAX_NUMBER_TEXT:
        return f"{text[:12]}... ({len(text):,} characters)"
    try:
        return int(text)
    except ValueError:
        return text


def _arg_type(check: Callable[[int | str], int]) -> Callable[[str], int]:
    """Return an argparse ``type``: the text parsed, then ``check``; its message on failure."""

    def parse(text: str) -> int:
        try:
            return check(_int_or_text(text))
        except UserError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    parse.__name__ = "integer"
    return parse


def int_in(lo: int, hi: int | None = None, name: str = "value") -> Callable[[str], int]:
    """Return an argparse ``type`` accepting integers from ``lo`` to ``hi`` (inclusive).

    The range is checked by :func:`sim.inputs.check_int`, with its message:
    ``argument --seeds: seeds=0 is out of range: allowed 1 to 1000``.

    Args:
        lo: the smallest allowed.
        hi: the largest allowed (``None``: no bound).
        name: the count's name in the message (``seeds``).
    """
    return _arg_type(lambda value: check_int(name, value, (lo, hi)))


#: The argparse ``type`` of ``--jobs``: :func:`sim.executors.check_jobs` checks it.
jobs_arg = _arg_type(check_jobs)


#: Settings of a run that are options of their own, not parameters (``--set seeds=3``).
RUN_OPTION_KEYS = {
    "seeds": "--seeds N",
    "seed": "--seed S",
    "weeks": "--weeks W",
    "agents": "--agents N",
    "posterior": "--posterior K",
    "jobs": "--jobs N",
    "root_seed": "--root-seed S",
}


def parse_set(items: Sequence[str] | None) -> dict[str, int | float]:
    """Parse ``--set key=value`` strings into typed, range-checked parameter values.

    Raises:
        UserError: for a missing ``=``, a run option given as a parameter (``seeds``), an
            unknown key (with a did-you-mean), a value of the wrong type (with its range,
            and how to write a percentage) or out of range.
    """
    out: dict[str, int | float] = {}
    for item in items or ():
        key, sep, text = item.partition("=")
        key, text = key.strip(), text.strip()
        if not sep or not key or not text:
            raise UserError(f"--set {item!r}: expected key=value, e.g. --set output_conversion=0.3")
        option = RUN_OPTION_KEYS.get(key.lower().replace("-", "_"))
        if option is not None:
            raise UserError(f"--set {key}: not a parameter but an option of its own: use {option}")
        if key in out:
            raise UserError(f"--set {key} is given twice: give each parameter once")
        try:
            value = check_number(key, coerce(key, number_text(key, text)))
            Params(**{key: value})  # range check with the parameter's own message
        except UserError as exc:
            hint = line_hint(f"{key} = {text}") if text.endswith("%") else None
            raise UserError(f"--set {exc}" + (f" ({hint})" if hint else "")) from None
        out[key] = value
    return out


def check_run_flags(args: argparse.Namespace) -> None:
    """Refuse flags of ``run`` and ``compare`` that would be ignored or contradict each other.

    Raises:
        UserError: for ``--force`` without ``--out``, or ``--agents`` with ``--set n_agents``.
    """
    if getattr(args, "force", False) and getattr(args, "out", None) is None:
        raise UserError("--force is used only with --out: add --out DIR, or leave it out")
    sets = [item.partition("=")[0].strip() for item in getattr(args, "set", None) or ()]
    if getattr(args, "agents", None) is not None and "n_agents" in sets:
        raise UserError(
            "--agents and --set n_agents both set the organisation's size: give one of them"
        )


def overrides_from_args(args: argparse.Namespace) -> dict[str, int | float]:
    """Return the parameter overrides of ``--agents`` and ``--set`` (``--set`` wins)."""
    out: dict[str, int | float] = {}
    agents = getattr(args, "agents", None)
    if agents is not None:
        try:
            Params(n_agents=agents)
        except UserError as exc:
            raise UserError(f"--agents: {exc}") from None
        out["n_agents"] = agents
    out.update(parse_set(getattr(args, "set", None)))
    return out


def add_run_options(parser: argparse.ArgumentParser, *, what: str = "scenario") -> None:
    """Add the options shared by multi-run commands (``run``, ``compare`` ...)."""
    g = parser.add_argument_group("run options")
    g.add_argument(
        "--seeds",
        type=int_in(*SEEDS_RANGE, name="seeds"),
        metavar="N",
        help=(
            f"replicates per {what} and posterior draw (default: the scenario file's, else 8; "
            f"at most {POSTERIOR_SEEDS} with posterior draws)"
        ),
    )
    g.add_argument(
        "--weeks",
        type=int_in(*WEEKS_RANGE, name="weeks"),
        metavar="W",
        help="weeks to simulate (default: the scenario file's, else 104; surveys at 52 and 104)",
    )
    g.add_argument(
        "--agents",
        type=int_in(10, 10_000_000, name="agents"),
        metavar="N",
        help="organisation size: employees plus freelancers (sets n_agents)",
    )
    g.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set a parameter for every scenario, e.g. --set output_conversion=0.3 (repeatable)",
    )
    draws = g.add_mutually_exclusive_group()
    draws.add_argument(
        "--posterior",
        type=int_in(*POSTERIOR_RANGE, name="posterior"),
        default=None,
        metavar="K",
        help=(
            "parameter uncertainty: run every seed for each of K parameter sets drawn from "
            f"the calibration's posterior (K x seeds runs per {what}; intervals over the "
            f"draws); default {DEFAULT_POSTERIOR} draws of {POSTERIOR_SEEDS} seeds unless "
            "--seeds; 0: the calibrated values only (faster, seed noise only)"
        ),
    )
    draws.add_argument(
        "--no-posterior",
        dest="posterior",
        action="store_const",
        const=0,
        help="the same as --posterior 0: no parameter uncertainty, for speed",
    )
    g.add_argument(
        "--jobs",
        "-j",
        type=jobs_arg,
        default=1,
        metavar="N",
        help="worker processes (default 1); results are identical for any N",
    )
    g.add_argument(
        "--root-seed",
        type=int_in(*ROOT_SEED_RANGE, name="root-seed"),
        default=DEFAULT_ROOT_SEED,
        metavar="S",
        help=f"root seed the replicate seeds are spawned from (default {DEFAULT_ROOT_SEED})",
    )
    o = parser.add_argument_group("output")
    o.add_argument(
        "--out",
        metavar="DIR",
        help="write tidy results (Parquet, CSV), figures (PNG, SVG) and report.html here,"
        " with a manifest.json listing them; a folder holding another run is refused"
        " unless --force",
    )
    o.add_argument(
        "--force",
        action="store_true",
        help="with --out: replace the earlier run in that folder (its files, as its"
        " manifest lists them, are removed first)",
    )
    o.add_argument(
        "--json",
        action="store_true",
        help="print one JSON document on stdout and nothing else",
    )
    o.add_argument("--quiet", "-q", action="store_true", help="no progress bar or notes on stderr")


def out_arg(args: argparse.Namespace, flag: str = "--out") -> str | None:
    """Return ``args.out`` checked: ``None`` when not given, refused when empty.

    Raises:
        UserError: for ``--out ""`` (an empty path would mean the current folder).
    """
    out = getattr(args, "out", None)
    if out is None:
        return None
    if not out.strip():
        raise UserError(f"{flag} is empty: name a folder, e.g. {flag} results")
    return out


def check_run_memory(args: argparse.Namespace, scenarios: Sequence[Any]) -> None:
    """Refuse a ``run`` or ``compare`` whose concurrent runs cannot fit in memory.

    The runs counted from the options are checked by :func:`sim.runner.check_run_memory`
    (the largest organisation among ``scenarios``, after ``--agents``, times the runs
    held at once: ``--jobs``, no more than there are runs), before ``--out`` is prepared.

    Raises:
        UserError: with the estimate and the machine's available memory.
    """
    if not scenarios:
        return
    jobs = int(getattr(args, "jobs", 1) or 1)
    seeds = getattr(args, "seeds", None) or max(sc.seeds for sc in scenarios)
    draws = max(1, int(getattr(args, "posterior", 0) or 0))
    runner_check_run_memory(scenarios, seeds * draws * len(scenarios), jobs, flags=True)


# ----------------------------------------------------------------------------- progress
def make_progress(args: argparse.Namespace, label: str) -> ProgressBar | None:
    """Return a progress bar unless ``--quiet`` or ``--json`` was given."""
    if getattr(args, "quiet", False) or getattr(args, "json", False):
        return None
    return ProgressBar(label)


def replicates_text(n_seeds: int, posterior: int) -> str:
    """Return ``8 seeds`` or, with posterior draws, ``8 seeds x 20 posterior draws``."""
    text = f"{n_seeds} seed{'s' if n_seeds != 1 else ''}"
    if posterior:
        text += f" x {posterior} posterior draw{'s' if posterior != 1 else ''}"
    return text


def note(args: argparse.Namespace, message: str) -> None:
    """Print a note on stderr unless ``--quiet`` or ``--json``."""
    if not (getattr(args, "quiet", False) or getattr(args, "json", False)):
        print(message, file=sys.stderr)


# ----------------------------------------------------------------------------- JSON
def print_json(obj: Any, stream: TextIO | None = None) -> None:
    """Print ``obj`` as one JSON document (NaN and infinities become null)."""
    stream = stream if stream is not None else sys.stdout
    stream.write(json.dumps(_nan_to_none(obj), indent=2, allow_nan=False) + "\n")
    stream.flush()
