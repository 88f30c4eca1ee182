"""``workplace-sim validate``: check scenario files without running anything.

Exit status 0 when every file is valid; 2 (with the first problem on the first
line of stderr, and its hints, then one line per further problem) when any is not.

Example::

    workplace-sim validate scenarios/*.toml my_redesign.toml
"""

from __future__ import annotations

import argparse

from sim.errors import UserError
from sim.scenarios import DEFAULTS, load_scenario

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``validate`` command."""
    p = subparsers.add_parser(
        "validate",
        allow_abbrev=False,
        help="check scenario files (keys, types, ranges, inheritance) without running",
        description=(
            "Check scenario files: TOML syntax, known keys, types, ranges and the "
            "inheritance chain. Prints one line per valid file; checks every file and exits 2 "
            "if any is invalid, the first problem on the first line."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="scenario files (or bundled names)")
    p.add_argument("--quiet", "-q", action="store_true", help="print nothing for valid files")
    p.set_defaults(func=main)


def main(args: argparse.Namespace) -> int:
    """Run the ``validate`` command."""
    problems: list[str] = []
    for ref in args.files:
        try:
            sc = load_scenario(ref)
        except UserError as exc:
            # The first problem keeps its hints (e.g. the available names); later ones a line.
            problems.append(str(exc) if not problems else str(exc).splitlines()[0])
            continue
        if not args.quiet:
            changes = ", ".join(f"{k}={v:g}" for k, v in sc.changes.items()) or "no changes"
            print(f"ok  {ref}: {sc.name} (inherits {sc.parent or DEFAULTS}; {changes})")
    if problems:
        more = len(problems) - 1
        tail = f"\n{more} more invalid file{'s' if more != 1 else ''}:\n" if more else ""
        raise UserError(problems[0] + tail + "\n".join(problems[1:]))
    return 0
