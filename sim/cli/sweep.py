"""``workplace-sim sweep``: run a sweep spec, streaming results to a resumable folder.

Examples::

    workplace-sim sweep levers                                # scenarios/sweeps/levers.toml
    workplace-sim sweep my_sweep.toml --out results/my_sweep    # re-run the same line to resume
    workplace-sim sweep levers --executor local                 # in this process
    workplace-sim sweep levers --executor dask --workers 4      # a Dask LocalCluster
    workplace-sim sweep levers --executor dask --address tcp://10.0.0.5:8786
    workplace-sim sweep levers --rerun 17                       # run 17 again, beside its row
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Iterable
from pathlib import Path

from sim.cli._common import int_in, make_progress, note, out_arg, print_json
from sim.errors import UserError
from sim.executors import EXECUTORS, check_address, default_workers, make_executor
from sim.present.format import fmt_value, render_table
from sim.sweeps import SweepReport, SweepSpec, execute, load_results, load_spec, rerun, rerun_inputs
from sim.sweeps.engine import check_sweep_memory, preflight, row_params
from sim.sweeps.indices import labelled, noise_note, rank_parameters, ranking_lines
from sim.vocabulary import PARAMETERS, column_term

__all__ = ["add_sweep_options", "default_out", "register", "run_from_args"]

#: Where a sweep writes when no ``--out`` is given (``{name}``: the spec's name).
DEFAULT_OUT = "results/sweeps/{name}"


def add_sweep_options(p: argparse.ArgumentParser) -> None:
    """Add the spec argument and the options shared by ``sweep`` and ``sensitivity``."""
    p.add_argument(
        "spec",
        metavar="SPEC",
        help="sweep spec: a .toml file or a bundled spec's name (see scenarios/sweeps/)",
    )
    g = p.add_argument_group("execution")
    g.add_argument(
        "--executor",
        "-e",
        choices=EXECUTORS,
        default=None,
        help="local: this process; processes: a pool on this machine (default);"
        " dask: a Dask cluster (a LocalCluster unless --address is given)",
    )
    g.add_argument(
        "--address",
        metavar="ADDR",
        help="Dask scheduler address (tcp://host:8786) or scheduler file (.json);"
        " implies --executor dask. Connect only to a scheduler you trust: the client"
        " unpickles what it sends, so the scheduler can run code on this machine",
    )
    g.add_argument(
        "--workers",
        "-w",
        type=int_in(1, 4096, name="workers"),
        metavar="N",
        help="worker processes (processes, or the Dask LocalCluster); default: every core",
    )
    g.add_argument(
        "--batch-size",
        type=int_in(1, 100_000, name="batch-size"),
        metavar="N",
        help="runs per task (default: automatic, about 2 s of work, smaller towards the"
        " end); never changes a result",
    )
    o = p.add_argument_group("output")
    o.add_argument(
        "--out",
        metavar="DIR",
        help=f"results folder (default: {DEFAULT_OUT}); run the same command again to resume",
    )
    o.add_argument(
        "--json",
        action="store_true",
        help="print one JSON document on stdout and nothing else",
    )
    o.add_argument("--quiet", "-q", action="store_true", help="no progress bar or notes on stderr")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sweep`` command."""
    p = subparsers.add_parser(
        "sweep",
        allow_abbrev=False,
        help="run a parameter sweep (grid, Latin hypercube, Sobol, Morris); resumable",
        description=(
            "Run every point of a sweep spec on its replicate seeds and stream the results to "
            "a folder of Parquet files, one per finished batch, with a run table. Running the "
            "same command again resumes: finished runs are skipped, none is duplicated. A run "
            "that raises is recorded with its error and the sweep goes on. A run's numbers "
            "depend only on its parameters and seed, whatever the executor."
        ),
    )
    add_sweep_options(p)
    p.add_argument(
        "--retry-errors",
        action="store_true",
        help="run again the runs that raised in an earlier invocation",
    )
    p.add_argument(
        "--rerun",
        type=int_in(0, 2**62, name="rerun"),
        metavar="RUN_ID",
        help="run one finished run of the sweep's folder again and print its numbers beside"
        " the stored row (exit status 1 if they differ); runs nothing else",
    )
    p.set_defaults(func=main)


def default_out(spec: SweepSpec) -> Path:
    """Return the default output folder of ``spec``."""
    return Path(DEFAULT_OUT.format(name=spec.name))


def run_from_args(args: argparse.Namespace, label: str) -> SweepReport:
    """Load the spec, run (or resume) its sweep with the command line's options."""
    if args.address is not None:
        check_address(args.address)  # a missing scheduler file fails now, not after a wait
    spec = load_spec(args.spec)
    executor = args.executor or ("dask" if args.address else "processes")
    if args.address and executor != "dask":
        raise UserError(f"--address applies to --executor dask, not {executor}")
    given = out_arg(args)
    out = Path(given) if given is not None else default_out(spec)
    # A scheduler that cannot be reached fails now: before any note, and before
    # preflight creates the --out folder.
    cluster = make_executor("dask", address=args.address) if args.address else None
    bar = None
    try:
        preflight(spec, out)
        check_sweep_memory(spec, executor, args.workers, address=args.address)
        note(args, spec.describe())
        note(
            args,
            f"executor: {executor_text(executor, args.workers, args.address)}; results in {out}",
        )
        bar = make_progress(args, label)
        report = execute(
            spec,
            cluster or executor,
            out=out,
            workers=args.workers,
            batch_size=args.batch_size,
            progress=bar,
            retry_errors=getattr(args, "retry_errors", False),
        )
    finally:
        if bar is not None:
            bar.close()
        if cluster is not None:  # leaves the cluster running: it is not this command's
            cluster.shutdown(wait=False, cancel_futures=True)
    return report


def executor_text(executor: str, workers: int | None, address: str | None) -> str:
    """Return the executor and its workers in words: ``processes (4 worker processes)``.

    Args:
        executor: ``local``, ``processes`` or ``dask``.
        workers: the ``--workers`` given (``None``: every core).
        address: the Dask scheduler's address, if one is given.
    """
    if address:
        return f"{executor} (scheduler {address})"
    if executor == "local":
        return f"{executor} (1 process: this one)"
    n = workers or default_workers()
    return f"{executor} ({n} worker process{'es' if n != 1 else ''})"


def status_lines(report: SweepReport) -> list[str]:
    """Return the summary lines of a sweep invocation."""
    n = len(report.table)
    ok, err, pend = report.count("ok"), report.count("error"), report.count("pending")
    rate = report.ran / report.seconds if report.seconds > 0 else float("nan")
    lines = [
        f"{report.spec.name}: {n:,} runs planned: {ok:,} ok, {err:,} raised, {pend:,} pending"
        f" ({report.skipped:,} finished earlier, {report.ran:,} now in {report.seconds:.1f} s,"
        f" {rate:.2f} runs/s on {report.executor})"
    ]
    if err:
        first = report.table.loc[report.table["status"] == "error", "error"].iloc[0]
        lines.append(
            f"  {err} run(s) raised; first error: {first}\n"
            "  (see status and error in runs.parquet; --retry-errors runs them again)"
        )
    for msg in report.lost:
        lines.append(f"  lost batch: {msg}")
    if pend:
        lines.append("  not complete: run the same command again to resume")
    return lines


def _label(column: str) -> str:
    """A result column (outcome, survey cell) or parameter in plain words."""
    if column in PARAMETERS:
        return PARAMETERS[column].label
    return column_term(column).label


def _style(column: str) -> str:
    return PARAMETERS[column].style if column in PARAMETERS else column_term(column).style


def names_key(names: Iterable[str]) -> str:
    """Return the key from the labels shown to the code names of the results files."""
    pairs = [f"{_label(n)} = {n}" for n in dict.fromkeys(names)]
    return "Names in the results files: " + "; ".join(pairs)


def output_summary(report: SweepReport, limit: int = 12) -> str:
    """Return a table of each kept output over the finished runs: mean, 5th and 95th percentile."""
    res = report.results
    res = res[res["status"] == "ok"]
    rows = []
    for col in report.spec.outputs.columns()[:limit]:
        v = res[col].dropna()
        t = column_term(col)
        if not len(v):
            rows.append([t.label, t.units, "n/a", "n/a", "n/a"])
            continue
        rows.append(
            [
                t.label,
                t.units,
                *(
                    fmt_value(float(x), t.style)
                    for x in (v.mean(), v.quantile(0.05), v.quantile(0.95))
                ),
            ]
        )
    more = len(report.spec.outputs.columns()) - limit
    text = render_table(["output", "counts", "mean", "p5", "p95"], rows)
    return text + (f"\n  ... and {more} more in the results" if more > 0 else "")


def ranking_text(report: SweepReport, limit: int = 12, top: int = 3) -> list[str]:
    """Return, per kept output, the ``top`` varied parameters it follows most, in plain words."""
    cols = report.spec.outputs.columns()[:limit]
    ranks = rank_parameters(report.results, report.spec.names, cols)
    notes = {_label(c): noise_note(report.results, c) for c in cols}
    return ranking_lines(labelled(ranks), top=top, notes=notes)


def report_json(report: SweepReport) -> dict:
    """Return a JSON-able summary of a sweep invocation."""
    return {
        "sweep": report.spec.name,
        "fingerprint": report.spec.fingerprint(),
        "out": str(report.out) if report.out else None,
        "runs": len(report.table),
        "ok": report.count("ok"),
        "error": report.count("error"),
        "pending": report.count("pending"),
        "finished_earlier": report.skipped,
        "ran": report.ran,
        "seconds": round(report.seconds, 3),
        "executor": report.executor,
        "lost": report.lost,
        "ranking": _ranking_records(report),
    }


def _ranking_records(report: SweepReport) -> list[dict]:
    """The parameters' ranking per kept output (see ``rank_parameters``), JSON-ready."""
    if not report.count("ok"):
        return []
    ranks = rank_parameters(report.results, report.spec.names, report.spec.outputs.columns())
    return [
        {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in r.items()}
        for r in ranks.to_dict("records")
    ]


def exit_status(report: SweepReport) -> int:
    """Return 0 when every run finished ok, else 1 (runs raised, or some are pending)."""
    return 0 if report.count("ok") == len(report.table) else 1


#: Options a ``--rerun`` does not use (it runs one run in this process), refused when given.
_NOT_FOR_RERUN = (
    ("--executor", "executor"),
    ("--address", "address"),
    ("--workers", "workers"),
    ("--batch-size", "batch_size"),
    ("--retry-errors", "retry_errors"),
)


def rerun_from_args(args: argparse.Namespace) -> int:
    """Run one run of a sweep's folder again; print it beside its stored row (``--rerun``).

    Raises:
        UserError: for an option that a rerun does not use, a folder holding no sweep
            or another one, or a run that has not finished.
    """
    ignored = [flag for flag, key in _NOT_FOR_RERUN if getattr(args, key) not in (None, False)]
    if ignored:
        them = "it" if len(ignored) == 1 else "them"
        raise UserError(f"{', '.join(ignored)}: not used by --rerun; leave {them} out")
    spec = load_spec(args.spec)
    given = out_arg(args)
    out = Path(given) if given is not None else default_out(spec)
    if not (out / "sweep.json").is_file():
        raise UserError(f"--rerun: {out} holds no sweep: run the sweep first (or give its --out)")
    preflight(spec, out, write=False)  # a rerun only reads: a read-only folder will do
    results = load_results(out, missing_ok=True)
    row = None if results is None else results[results["run_id"] == args.rerun]
    if row is None or row.empty:
        raise UserError(
            f"--rerun {args.rerun}: that run has not finished in {out}; "
            f"run ids go from 0 to {spec.n_runs - 1} (resume the sweep to finish it)"
        )
    got = rerun_inputs(out, args.rerun)
    again = rerun(out, args.rerun)
    stored = {c: float(row[c].iloc[0]) for c in again}
    same = all(_same(stored[c], again[c]) for c in again)
    varied = row_params(tuple(spec.names), next(row[spec.names].itertuples(index=False, name=None)))
    if args.json:
        print_json(
            {
                "run_id": args.rerun,
                "seed": got["seed"],
                "weeks": got["weeks"],
                "varied": varied,
                "params": got["params"],
                "stored": stored,
                "rerun": {k: float(v) for k, v in again.items()},
                "identical": same,
            }
        )
        return 0 if same else 1
    settings = [*spec.fixed.items(), *varied.items()]
    print(
        f"{spec.name}: run {args.rerun} (point {int(row['point'].iloc[0])}, replicate "
        f"{int(row['replicate'].iloc[0])}, seed {got['seed']}), {got['weeks']} weeks, "
        f"scenario '{spec.scenario}' with "
        + "; ".join(f"{_label(k)} {fmt_value(float(v), _style(k))}" for k, v in settings)
    )
    rows = [
        [
            _label(c),
            repr(stored[c]),
            repr(float(again[c])),
            "yes" if _same(stored[c], again[c]) else "NO",
        ]
        for c in again
    ]
    print(render_table(["output", "stored", "rerun", "identical"], rows))
    print("identical, bit for bit" if same else "the rerun differs from the stored row")
    print(f"In Python: sim.sweeps.rerun('{out}', {args.rerun}) (full=True: the whole simulation)")
    print(names_key([k for k, _ in settings] + list(again)))
    return 0 if same else 1


def _same(a: float, b: float) -> bool:
    a, b = float(a), float(b)
    return (math.isnan(a) and math.isnan(b)) or a == b


def main(args: argparse.Namespace) -> int:
    """Run the ``sweep`` command."""
    if args.rerun is not None:
        return rerun_from_args(args)
    report = run_from_args(args, "sweep")
    if args.json:
        print_json(report_json(report))
        return exit_status(report)
    out = report.out
    print("\n".join(status_lines(report)))
    if report.count("ok"):
        print("\nKept outputs over the finished runs:")
        print(output_summary(report))
        lines = ranking_text(report)
        if lines:
            print(
                "\nParameters that matter most, per output (Spearman rank correlation over"
                " the runs; R² of a linear fit on all varied parameters; seed noise when"
                " it tops 10% of the variance between points):"
            )
            print("\n".join(lines))
        print("\n" + names_key([*report.spec.outputs.columns()[:12], *report.spec.names]))
    print(
        f"\nResults: {out}/results/ (Parquet dataset, one file per batch),"
        f" run table {out}/runs.parquet"
        + (f", weekly series {out}/series/" if report.spec.outputs.series else "")
    )
    print(
        f"Read them with pandas.read_parquet('{out}/results') or sim.sweeps.load_results('{out}')"
    )
    sys.stdout.flush()
    return exit_status(report)
