"""``workplace-sim scenarios``: list the bundled scenarios (and any given files) with titles.

Examples::

    workplace-sim scenarios
    workplace-sim scenarios my_redesign.toml --details
    workplace-sim scenarios --json
"""

from __future__ import annotations

import argparse

from sim.cli._common import print_json, render_table

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
        help="also show each scenario's description, recommendation and parameter changes",
    )
    p.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run the ``scenarios`` command."""
    from sim.scenarios import DEFAULTS, bundled_dir, bundled_scenarios, load_scenarios

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
        blocks = []
        for sc, source in rows:
            text = sc.describe()
            if sc.description:
                text += f"\n  {sc.description}"
            text += f"\n  defaults: {sc.weeks} weeks, {sc.seeds} seeds; from {source}"
            blocks.append(text)
        print("\n\n".join(blocks))
        return 0
    table = [(sc.name, sc.title, sc.parent or DEFAULTS, source) for sc, source in rows]
    print(render_table(["name", "title", "inherits", "from"], table, indent=""))
    return 0
