"""``workplace-sim calibrate``: fit the behavioural parameters to the report, or rebuild its report.

Examples::

    workplace-sim calibrate                      # full ABC-SMC run (resumes if interrupted)
    workplace-sim calibrate --budget 300         # a quick end-to-end run
    workplace-sim calibrate --report             # rebuild docs/calibration.md from the baseline
    workplace-sim calibrate --cross-validate     # refit with each block of targets left out
    workplace-sim calibrate --cross-validate --root-seed 3031 --no-write --workdir results/cv3031

A calibration stores every finished generation in ``--workdir`` (an SQLite
history database); running the same command again after an interruption
continues from the last finished generation. At the end the point estimate is
written into the ``[params]`` table of the baseline scenario and the posterior
sample beside it (``baseline_posterior.csv``), unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import functools
import json
import math
import os
import sys
import warnings
from pathlib import Path

import pandas as pd

from sim import calibration as cal
from sim import crossval, io
from sim.calibration import heldout
from sim.cli._common import int_in, jobs_arg, note, print_json
from sim.errors import UserError
from sim.inputs import ROOT_SEED_RANGE, check_memory
from sim.scenarios import load_scenario
from sim.targets import BLOCKS

#: ``--budget`` below this many simulations also shrinks the default population.
_SMALL_BUDGET = 2_000
#: First bytes of an SQLite database (the history in ``--workdir``).
_SQLITE_MAGIC = b"SQLite format 3\x00"


def _baseline_path(args: argparse.Namespace) -> Path:

    if args.baseline is not None:
        return Path(args.baseline)
    return cal.posterior_path().with_name("baseline.toml")


def check_paths(args: argparse.Namespace) -> None:
    """Check every path of a calibration before the library writes anything.

    * ``--workdir``, ``--docs`` and ``--baseline`` must not be empty;
    * ``--workdir`` must be a folder that can be created and written, and a stored
      run in it (``settings.json``, ``abc.sqlite``) must be readable, unless ``--fresh``;
    * ``--baseline`` must be a valid scenario file, and it and its posterior files
      must be writable unless ``--no-write`` (nothing is written first and checked after).

    Raises:
        UserError: naming the path and what to do.
    """
    check_memory(args.agents, args.jobs, f"--agents {args.agents} --jobs {args.jobs}")
    for flag, value in (("--workdir", args.workdir), ("--docs", args.docs)):
        if not str(value).strip():
            raise UserError(f"{flag} is empty: name a folder")
    if args.baseline is not None and not args.baseline.strip():
        raise UserError("--baseline is empty: name a scenario file (.toml)")
    if args.baseline is not None and not Path(args.baseline).is_file():
        what = "not a file" if Path(args.baseline).exists() else "no such file"
        raise UserError(f"--baseline {args.baseline}: {what}: name a scenario file (.toml)")
    if args.report:
        _check_folder("--docs", Path(args.docs))
        if args.baseline is not None:
            load_scenario(args.baseline)
        return
    workdir = Path(args.workdir)
    _check_folder("--workdir", workdir)
    if not args.fresh:
        ident, db = workdir / "settings.json", workdir / "abc.sqlite"
        if ident.exists():
            try:
                json.loads(ident.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                raise UserError(
                    f"--workdir {workdir}: {ident.name} is damaged: add --fresh to discard the"
                    f" stored run (or rm {ident} {db})"
                ) from None
        if db.exists():
            try:
                with open(db, "rb") as fh:
                    head = fh.read(len(_SQLITE_MAGIC))
            except OSError as exc:
                raise UserError(
                    f"--workdir {workdir}: cannot read {db.name}: {exc.strerror}"
                ) from None
            if head and head != _SQLITE_MAGIC:
                raise UserError(
                    f"--workdir {workdir}: {db.name} is not an SQLite database: add --fresh to"
                    f" discard the stored run (or rm {db})"
                )
    if args.no_write:
        return
    base = _baseline_path(args)
    try:
        sc = load_scenario(base)  # a broken file is refused now, not after 20 minutes
    except UserError as exc:
        raise UserError(f"--baseline: {exc}") from None
    del sc
    for p in (base, cal.posterior_path(base), cal.posterior_path(base, ".trace.csv")):
        target = p if p.exists() else p.parent
        if not os.access(target, os.W_OK):
            raise UserError(
                f"{p}: not writable: the estimate could not be written (or add --no-write)"
            )


def _check_folder(flag: str, folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{flag} {folder}: exists and is not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(
            f"{flag} {folder}: cannot create the folder: {exc.strerror or exc}"
        ) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UserError(f"{flag} {folder}: the folder is not writable")


def backup_baseline(args: argparse.Namespace) -> Path | None:
    """Copy the baseline file and its posterior files into ``WORKDIR/backups/<time>/``.

    Done before a calibration that writes the estimate, so the committed baseline
    can be restored. Returns the backup folder (``None`` if there was nothing to keep).
    """
    base = _baseline_path(args)
    files = [base, *(cal.posterior_path(base, s) for s in (".csv", ".trace.csv", ".json"))]
    files = [f for f in files if f.is_file()]
    if not files:
        return None
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%S")
    folder = Path(args.workdir) / "backups" / stamp
    for f in files:
        try:
            data = f.read_bytes()
        except OSError as exc:
            raise UserError(f"cannot read {f} to back it up: {exc.strerror or exc}") from None
        io.write_bytes(folder / f.name, data)
    return folder


def _share(text: str) -> float:
    """An argparse type for ``--se-floor``: a number from 0 to below 1, short text only."""
    try:
        value = float(text) if len(text) <= 40 else math.nan
    except ValueError:
        value = math.nan
    if not 0.0 <= value < 1.0:  # NaN fails too
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a share: allowed 0 to below 1")
    return value


#: Options of the cross-validation group, refused without ``--cross-validate`` (a calibration
#: would ignore them).
_CROSSVAL_ONLY = ("blocks", "seeds", "root_seed")
#: The other options each kind of run would ignore, refused when given: a calibration,
#: ``--cross-validate``, ``--report`` and ``--score-heldout``.
_IGNORED_BY = {
    "a calibration": ("docs",),
    "--cross-validate": ("budget", "population", "generations", "docs"),
    "--report": ("budget", "population", "generations", "refine", "workdir", "fresh", "no_write"),
    "--score-heldout": (
        "budget",
        "population",
        "generations",
        "agents",
        "weeks",
        "se_floor",
        "jobs",
        "fit_seeds",
        "refine",
        "workdir",
        "fresh",
        "baseline",
        "no_write",
    ),
}


@functools.cache
def _defaults() -> dict[str, object]:
    """Every option's default, to tell an option given from one left out."""
    parser = argparse.ArgumentParser(add_help=False)
    _add_options(parser)
    return vars(parser.parse_args([]))


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``calibrate`` subcommand."""
    p = subparsers.add_parser(
        "calibrate",
        help="fit the behavioural parameters to the report (ABC-SMC), or rebuild its report",
        usage="%(prog)s [--cross-validate | --report | --score-heldout FILE] [options]  "
        "(--help lists them)",
        description=(
            "Fit the free behavioural parameters to the report's 2025 figures by ABC-SMC "
            "(pyabc), write the estimate into the baseline scenario and the posterior beside "
            "it. Resumes an interrupted run from its work directory. With --report, rebuild "
            "docs/calibration.md and its figures from the committed baseline instead; with "
            "--score-heldout, score the recorded predictions for the held-out 2024 wave."
        ),
    )
    _add_options(p)
    p.set_defaults(func=run)


def _add_options(p: argparse.ArgumentParser) -> None:
    """Add the options of ``calibrate`` to ``p``."""
    d = cal.Settings()
    g = p.add_argument_group("calibration")
    g.add_argument(
        "--budget",
        type=int_in(1, 10_000_000, name="budget"),
        metavar="N",
        help=f"most simulations in all (default {d.budget:,}); a small budget gives a quick "
        "end-to-end run (the population shrinks to budget/5 unless --population is given)",
    )
    g.add_argument(
        "--population",
        type=int_in(5, 100_000, name="population"),
        metavar="N",
        help=f"particles per generation (default {d.population})",
    )
    g.add_argument(
        "--generations",
        type=int_in(1, 1000, name="generations"),
        metavar="N",
        default=d.generations,
        help=f"most ABC-SMC generations (default {d.generations})",
    )
    g.add_argument(
        "--agents",
        type=int_in(10, 10_000_000, name="agents"),
        metavar="N",
        default=d.n_agents,
        help=f"organisation size per simulation (default {d.n_agents:,})",
    )
    g.add_argument(
        "--weeks",
        type=int_in(104, 1040, name="weeks"),
        metavar="W",
        default=d.weeks,
        help="weeks per simulation (default 104: the 2025 wave)",
    )
    g.add_argument(
        "--se-floor",
        type=_share,
        metavar="X",
        default=cal.SE_FLOOR,
        help=f"floor on each target's z-score scale, in shares (default {cal.SE_FLOOR})",
    )
    g.add_argument(
        "--jobs",
        "-j",
        type=jobs_arg,
        metavar="N",
        default=d.jobs,
        help=f"worker processes (default {d.jobs})",
    )
    g.add_argument(
        "--fit-seeds",
        type=int_in(1, 1000, name="fit-seeds"),
        metavar="N",
        help=f"seeds of the fit table at the estimate (default {d.fit_seeds}; 10 with "
        "--cross-validate)",
    )
    g.add_argument(
        "--refine",
        type=int_in(0, 100, name="refine"),
        metavar="N",
        help=f"CMA-ES generations polishing the estimate (default {d.refine_iterations}; "
        "1 with a small --budget; 0: none)",
    )
    g.add_argument(
        "--workdir",
        metavar="DIR",
        default=str(cal.DEFAULT_WORKDIR),
        help=f"history database and run files (default {cal.DEFAULT_WORKDIR})",
    )
    g.add_argument(
        "--fresh", action="store_true", help="discard a stored run in --workdir and start over"
    )
    g.add_argument(
        "--baseline",
        metavar="FILE",
        help="scenario file to write the estimate into (default: the bundled baseline.toml); "
        "the posterior goes beside it",
    )
    g.add_argument(
        "--no-write",
        action="store_true",
        help="keep the results in --workdir only (do not touch the baseline scenario)",
    )
    x = p.add_argument_group("cross-validation")
    x.add_argument(
        "--cross-validate",
        action="store_true",
        help="refit with each block of targets left out and predict it (CMA-ES from the "
        "priors' centre, 30 generations on 6 seeds, from each of 3 root seeds by default; "
        "about 50 minutes on 2 cores; resumable); the table goes beside the baseline "
        "(baseline_crossval.csv) for the report, unless --no-write",
    )
    x.add_argument(
        "--blocks",
        metavar="LIST",
        help="comma-separated blocks to leave out (default: all seven)",
    )
    x.add_argument(
        "--seeds",
        type=int_in(1, 1000, name="seeds"),
        metavar="N",
        help="common seeds per candidate while fitting (default 6)",
    )
    x.add_argument(
        "--root-seed",
        type=int_in(*ROOT_SEED_RANGE, name="root-seed"),
        nargs="+",
        metavar="S",
        help="the root seeds the cross-validation is run from, each on seeds of its own, "
        f"the tables the means over them (default {' '.join(map(str, crossval.DEFAULT_ROOTS))}"
        "); a root already run in --workdir is reused (with --no-write the committed table "
        "is kept)",
    )
    r = p.add_argument_group("report")
    r.add_argument(
        "--report",
        action="store_true",
        help="rebuild docs/calibration.md, docs/img/calibration/ and the predictions for the "
        "held-out 2024 wave (docs/calibration_heldout_2024.csv) from the baseline and its "
        "posterior (no calibration)",
    )
    r.add_argument(
        "--score-heldout",
        metavar="FILE",
        help="score the predictions for the held-out 2024 wave that --report recorded "
        "(DIR/calibration_heldout_2024.csv of --docs) against that wave's figures: a CSV "
        "file with columns id, value, se; within max(2 SE, 3 points), as the fit is scored",
    )
    r.add_argument(
        "--docs",
        metavar="DIR",
        default="docs",
        help="folder the report goes into (default docs)",
    )
    o = p.add_argument_group("output")
    o.add_argument("--json", action="store_true", help="print a JSON summary on stdout")
    o.add_argument("--quiet", "-q", action="store_true", help="no progress on stderr")


def run(args: argparse.Namespace) -> int:
    """Run a calibration or rebuild the report; return the exit status."""
    modes = [
        flag
        for flag, on in (
            ("--cross-validate", args.cross_validate),
            ("--report", args.report),
            ("--score-heldout", args.score_heldout is not None),
        )
        if on
    ]
    if len(modes) > 1:
        raise UserError(f"{' and '.join(modes)}: choose one; each is a run of its own")
    given = [f"--{k.replace('_', '-')}" for k in _CROSSVAL_ONLY if getattr(args, k) is not None]
    if given and not args.cross_validate:
        raise UserError(
            f"{', '.join(given)}: {'an option' if len(given) == 1 else 'options'} of "
            "--cross-validate only; add --cross-validate or leave it out"
        )
    mode = modes[0] if modes else "a calibration"
    ignored = [
        f"--{k.replace('_', '-')}" for k in _IGNORED_BY[mode] if getattr(args, k) != _defaults()[k]
    ]
    if ignored:
        them = "it" if len(ignored) == 1 else "them"
        raise UserError(f"{', '.join(ignored)}: not used by {mode}; leave {them} out")
    if not 0.0 <= args.se_floor < 1.0:
        raise UserError(f"--se-floor {args.se_floor!r} must be from 0 to below 1 (a share)")
    if args.score_heldout is not None:
        return _score_heldout(args)
    check_paths(args)
    quiet = args.quiet or args.json
    say = cal.silent if quiet else None

    if args.cross_validate:
        return _cross_validate(args, say)
    if args.report:
        settings = cal.Settings(
            n_agents=args.agents,
            weeks=args.weeks,
            jobs=args.jobs,
            fit_seeds=args.fit_seeds if args.fit_seeds is not None else cal.Settings.fit_seeds,
            se_floor=args.se_floor,
        )
        out = cal.write_report(args.docs, baseline=args.baseline, settings=settings, log=say)
        note(args, f"calibrate: wrote {out}")
        if args.json:
            print_json({"report": str(out)})
        return 0

    d = cal.Settings()
    budget = args.budget if args.budget is not None else d.budget
    small = args.budget is not None and args.budget < _SMALL_BUDGET
    population = args.population
    if population is None:
        population = max(5, min(d.population, args.budget // 5)) if small else d.population
    refine = args.refine if args.refine is not None else (1 if small else d.refine_iterations)
    settings = cal.Settings(
        n_agents=args.agents,
        weeks=args.weeks,
        population=population,
        generations=args.generations,
        budget=budget,
        se_floor=args.se_floor,
        jobs=args.jobs,
        fit_seeds=args.fit_seeds if args.fit_seeds is not None else d.fit_seeds,
        select_seeds=2 if small else d.select_seeds,
        candidates=min(d.candidates, population),
        refine_iterations=refine,
    )
    if not args.no_write:
        backup = backup_baseline(args)
        if backup is not None:
            note(args, f"calibrate: the baseline's files before this run are kept in {backup}")
    with warnings.catch_warnings(record=True) as caught:  # the library's warning, said last
        warnings.simplefilter("always", cal.ThinPosteriorWarning)
        result = cal.calibrate(
            settings,
            workdir=args.workdir,
            fresh=args.fresh,
            baseline=args.baseline,
            write=not args.no_write,
            log=say,
        )
    for w in caught:
        if not issubclass(w.category, cal.ThinPosteriorWarning):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    summary = cal.summarise_fit(result.fit)
    if args.json:
        print_json(
            {
                "estimate": result.estimate,
                "simulations": result.simulations,
                "generations": len(result.trace),
                "effective_sample_size": round(result.effective_sample_size, 1),
                "seconds": round(result.seconds, 1),
                "resumed": result.resumed,
                "within": summary["within"],
                "targets": summary["n"],
                "beyond_cap": summary["beyond_cap"],
                "written": [str(p) for p in result.written],
                "workdir": str(args.workdir),
            }
        )
    else:
        note(
            args,
            f"calibrate: done in {result.seconds / 60:.1f} min, {result.simulations:,} "
            f"simulations over {len(result.trace)} generation(s)",
        )
    thin = [w for w in caught if issubclass(w.category, cal.ThinPosteriorWarning)]
    if thin and not args.quiet:
        print(f"calibrate: warning: {thin[0].message}", file=sys.stderr)
    return 0


def _score_heldout(args: argparse.Namespace) -> int:
    """Score the recorded held-out predictions against a file of figures; return 0."""
    figures = heldout.read_figures(args.score_heldout)
    recorded = Path(args.docs) / f"calibration_heldout_{heldout.HELDOUT_WAVE}.csv"
    if not recorded.is_file():
        raise UserError(
            f"{recorded}: no such file: run 'workplace-sim calibrate --report' first, or name "
            "the folder that holds it with --docs"
        )
    table = heldout.score_heldout(figures, pd.read_csv(recorded))
    within, beyond = int(table["within"].sum()), int(table["beyond_cap"].sum())
    if args.json:
        print_json(
            {
                "scored": len(table),
                "within": within,
                "beyond_cap": beyond,
                "predictions": str(recorded),
                "figures": table.to_dict("records"),
            }
        )
        return 0
    print(f"{'figure':<30}{'wave':>8}{'model':>8}{'off':>10}  verdict")
    for r in table.itertuples():
        verdict = "within" if r.within else ("beyond 10 pts" if r.beyond_cap else "outside")
        print(f"{r.id:<30}{r.value:>8.3f}{r.prediction:>8.3f}{r.off_points:>+7.1f} pts  {verdict}")
    note(
        args,
        f"calibrate: {within} of {len(table)} held-out figures within max(2 SE, 3 points), "
        f"{beyond} beyond 10 points (predictions of {recorded})",
    )
    return 0


def _cross_validate(args: argparse.Namespace, say: object) -> int:
    """Run the cross-validation of ``--cross-validate``; return the exit status."""
    d = crossval.CrossValidation()
    blocks = d.blocks
    if args.blocks is not None:
        blocks = tuple(b.strip() for b in args.blocks.split(",") if b.strip())
        unknown = [b for b in blocks if b not in BLOCKS]
        if unknown or not blocks:
            raise UserError(
                f"--blocks {args.blocks!r}: unknown block {', '.join(unknown) or '(none)'}; "
                f"allowed {', '.join(BLOCKS)}"
            )
    workdir = args.workdir
    if Path(workdir) == cal.DEFAULT_WORKDIR:
        workdir = crossval.DEFAULT_WORKDIR
    cv = crossval.CrossValidation(
        n_agents=args.agents,
        weeks=args.weeks,
        seeds=args.seeds if args.seeds is not None else d.seeds,
        generations=args.refine if args.refine is not None else d.generations,
        eval_seeds=args.fit_seeds if args.fit_seeds is not None else d.eval_seeds,
        jobs=args.jobs,
        blocks=blocks,
        se_floor=args.se_floor,
        root_seeds=tuple(args.root_seed) if args.root_seed is not None else d.root_seeds,
    )
    baseline = Path(args.baseline) if args.baseline else cal.bundled_baseline()
    out = None if args.no_write else crossval.crossval_path(baseline)
    result = crossval.cross_validate(cv, workdir=workdir, fresh=args.fresh, out=out, log=say)
    summary = result.blocks
    if args.json:
        print_json(
            {
                "blocks": summary.to_dict("records"),
                "roots": {str(r): s.to_dict("records") for r, s in result.roots.items()},
                "estimates": {str(r): e for r, e in result.estimates.items()},
                "seconds": round(result.seconds, 1),
                "written": [str(p) for p in result.written],
                "workdir": str(workdir),
            }
        )
        return 0
    roots = result.roots
    head = "".join(f"{'root ' + str(r):>12}" for r in roots) if len(roots) > 1 else ""
    print(f"{'block':<18}{'targets':>8}{'in-sample':>12}{'out-of-block':>14}{head}")
    for r in summary.itertuples():
        each = "".join(
            f"{s.set_index('block').loc[r.block, 'out_points']:>8.1f} pts" for s in roots.values()
        )
        print(
            f"{r.block:<18}{r.targets:>8}{r.in_points:>9.1f} pts{r.out_points:>11.1f} pts"
            + (each if len(roots) > 1 else "")
        )
    if len(roots) > 1:
        note(args, "calibrate: errors are means over the roots; then each root's out of block")
    note(args, f"calibrate: cross-validation done in {result.seconds / 60:.1f} min")
    for p in result.written:
        note(args, f"calibrate: wrote {p}")
    return 0
