"""``workplace-sim sensitivity``: Sobol indices or Morris screening of a sweep, via SALib.

Examples::

    workplace-sim sensitivity sobol_levers        # bundled scenarios/sweeps/sobol_levers.toml
    workplace-sim sensitivity morris_screening --executor local
    workplace-sim sensitivity my_sobol.toml --output burnout_share --output output

The spec's design must be ``sobol`` or ``morris``. The sweep runs (or resumes: a
folder from ``workplace-sim sweep`` with the same spec is reused), then the
indices are printed as a table (parameters ranked within each output) and
written, with a figure, into the folder. Outputs whose indices look like seed
noise get a warning with the seeds per point that would do
(:func:`sim.sweeps.indices.noise_check`).
"""

from __future__ import annotations

import argparse
import math
import sys

from sim.cli._common import note, print_json
from sim.cli.sweep import add_sweep_options, names_key, run_from_args, status_lines
from sim.errors import UserError
from sim.present.format import fmt_value, render_table
from sim.sweeps.indices import (
    _need,
    analyse,
    labelled,
    noise_check,
    noise_warnings,
    write_sensitivity,
)
from sim.sweeps.spec import load_spec

__all__ = ["format_table", "register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``sensitivity`` command."""
    p = subparsers.add_parser(
        "sensitivity",
        allow_abbrev=False,
        help="Sobol indices (first and total order, with intervals) or Morris screening",
        description=(
            "Run (or resume) a sweep whose design is sobol or morris, then compute with SALib "
            "each varied parameter's Sobol indices (first and total order with confidence "
            "intervals) or Morris elementary effects on the chosen outputs. Prints a table; "
            "writes sensitivity.csv, sensitivity.parquet and a figure (PNG, SVG) into the "
            "sweep's folder."
        ),
    )
    add_sweep_options(p)
    p.add_argument(
        "--output",
        action="append",
        default=[],
        metavar="NAME",
        help="an output to analyse (repeatable; default: the spec's [sensitivity] outputs)",
    )
    p.set_defaults(func=main)


def format_table(table) -> str:
    """Return the indices as a plain-text table, parameters ranked within each output.

    Outputs and parameters are in plain words; :func:`sim.cli.sweep.names_key` maps them to
    the code names of the files.
    """
    method = str(table["method"].iloc[0])
    table = labelled(table[~table["parameter"].str.contains(":")])
    rows = []
    for name, t in table.groupby("output", sort=False):
        if method == "sobol":
            t = t.sort_values("ST", ascending=False)
            for _, r in t.iterrows():
                if math.isnan(r["ST"]):
                    rows.append([name, r["parameter"], "n/a (constant output)", "n/a"])
                    name = ""
                    continue
                rows.append(
                    [
                        name,
                        r["parameter"],
                        f"{r['S1']:.3f} ± {r['S1_conf']:.3f}",
                        f"{r['ST']:.3f} ± {r['ST_conf']:.3f}",
                    ]
                )
                name = ""
        else:
            t = t.sort_values("mu_star", ascending=False)
            for _, r in t.iterrows():
                rows.append(
                    [
                        name,
                        r["parameter"],
                        f"{fmt_value(r['mu_star'])} ± {fmt_value(r['mu_star_conf'])}",
                        fmt_value(r["mu"]),
                        fmt_value(r["sigma"]),
                    ]
                )
                name = ""
    if method == "sobol":
        header = ["output", "parameter", "first order S1", "total ST"]
    else:
        header = ["output", "parameter", "mu*", "mu", "sigma"]
    return render_table(header, rows)


def main(args: argparse.Namespace) -> int:
    """Run the ``sensitivity`` command."""
    spec = load_spec(args.spec)
    _need(spec)
    kept = spec.outputs.columns()
    for name in args.output:
        if name not in kept:
            raise UserError(
                f"--output {name}: not kept by the sweep; choose from {', '.join(kept)}"
            )
    report = run_from_args(args, "sensitivity")
    if not report.complete or report.count("error"):
        print("\n".join(status_lines(report)), file=sys.stderr)
    table = analyse(spec, report.results, args.output or None)
    paths = write_sensitivity(report.out, table, title=spec.title)  # figure in plain words
    noise = noise_check(table, report.results)
    if args.json:
        print_json(
            {
                "sweep": spec.name,
                "method": spec.design,
                "conf_level": spec.conf_level,
                "out": str(report.out),
                "indices": table.to_dict("records"),
                "noise": [
                    {
                        k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                        for k, v in row.items()
                    }
                    for row in noise.to_dict("records")
                ],
            }
        )
        return 0
    level = f"{spec.conf_level:.0%}"
    what = (
        f"Sobol indices ({level} interval half-widths), {spec.n_points:,} points x {spec.seeds}"
        " seed(s)"
        if spec.design == "sobol"
        else f"Morris elementary effects ({level} interval on mu*), {spec.points} trajectories"
    )
    print(f"{spec.name}: {what}")
    print(format_table(table))
    print("(parameters ranked within each output, most influential first)")
    print(names_key([*table["output"].unique(), *spec.names]))
    sys.stdout.flush()  # the table before the warnings on stderr
    for line in noise_warnings(labelled(noise, ("output",))):
        print(line, file=sys.stderr)
    note(args, "wrote " + ", ".join(str(p) for p in paths))
    return 0
