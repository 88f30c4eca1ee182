"""``workplace-sim scenarios``: list the bundled scenarios (and any given files) with titles.

Examples::

    workplace-sim scenarios
    workplace-sim scenarios my_redesign.toml --details
    workplace-sim scenarios --json
"""

from __future__ import annotations

import argparse

from sim.cli._common import print_json
from sim.params import Params
from sim.present.describe import same_scenario, setting_changes
from sim.present.format import render_table
from sim.scenarios import DEFAULTS, Scenario, bundled_dir, bundled_scenarios, load_scenarios

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``scenarios`` command."""
    p = subparsers.add_parser(
        "scenarios",
        allow_abbrev=False,
        help="list the bundled scenarios (and given files) with their titles",
        description="List the bundled scenarios, and any scenario files given, with titles.",
    )
    p.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        help="scenario files (or names) to list after the bundled ones",
    )
    p.add_argument(
        "--details",
        "-v",
        action="store_true",
        help="also show each scenario's description, what it tests, and each setting it changes"
        " beside the status quo's value (and the name to use in a scenario file)",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run the ``scenarios`` command."""
    bundled = bundled_scenarios()
    given = load_scenarios(args.files) if args.files else []
    known = {(sc.name, sc.path) for sc in bundled}
    given = [sc for sc in given if (sc.name, sc.path) not in known]
    rows = [(sc, "bundled") for sc in bundled] + [(sc, str(sc.path)) for sc in given]
    if args.json:
        print_json(
            {
                "bundled_dir": str(bundled_dir()),
                "scenarios": [
                    {
                        "name": sc.name,
                        "title": sc.title,
                        "description": sc.description,
                        "recommendation": sc.recommendation,
                        "inherits": sc.parent or DEFAULTS,
                        "changes": dict(sc.changes),
                        "weeks": sc.weeks,
                        "seeds": sc.seeds,
                        "source": source,
                        "path": str(sc.path) if sc.path else None,
                    }
                    for sc, source in rows
                ],
            }
        )
        return 0
    if args.details:
        status_quo = next((sc for sc in bundled if sc.name == "baseline"), None)
        print("\n\n".join(details(sc, source, status_quo) for sc, source in rows))
        return 0
    table = [(sc.name, sc.title, sc.parent or DEFAULTS, source) for sc, source in rows]
    print(render_table(["name", "title", "inherits", "from"], table, indent=""))
    return 0


def details(sc: Scenario, source: str, status_quo: Scenario | None) -> str:
    """Return a scenario in words: title, what it tests, and its settings beside the status quo's.

    The status quo itself is shown beside the model's defaults (its calibrated settings). The
    last column is the line a scenario file writes for it (shares as fractions: 0.6, not 60%).
    """
    lines = [f"{sc.name}: {sc.title}"]
    if sc.recommendation:
        lines.append(f"  tests: {sc.recommendation}")
    lines.append(f"  inherits: {sc.parent or DEFAULTS}")
    if sc.description:
        lines.append(f"  {sc.description}")
    lines.append(f"  defaults: {sc.weeks} weeks, {sc.seeds} seeds; from {source}")
    if status_quo is None or same_scenario(sc, status_quo):
        reference, against = Params(), "model default"
    else:
        reference, against = status_quo.params, "status quo"
    changed = setting_changes(sc.params, reference)
    if not changed:
        lines.append(f"  settings: the same as the {against}")
        return "\n".join(lines)
    params = sc.params.to_dict()
    rows = [
        (c.term.label, c.new, c.old, c.term.unit, f"{c.name} = {params[c.name]!r}") for c in changed
    ]
    header = ["setting", "here", against, "unit", "in a scenario file"]
    lines.append(render_table(header, rows, indent="    "))
    return "\n".join(lines)
