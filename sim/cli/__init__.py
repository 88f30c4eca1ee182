"""The ``workplace-sim`` command line.

Each subcommand lives in its own module of this package and exposes
``register(subparsers)``, which adds its parser and sets ``func`` to a function
taking the parsed arguments and returning an exit status. Bad input anywhere
raises :class:`sim.errors.UserError`; :func:`main` prints its message on stderr
(first line: what is wrong) and exits with status 2, without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from sim.errors import UserError

#: Subcommand modules, in the order ``--help`` lists them.
COMMANDS = (
    "run",
    "compare",
    "scenarios",
    "validate",
    "check",
    "calibrate",
    "sweep",
    "sensitivity",
    "dashboard",
)


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose errors put the problem on the first line, then a usage hint."""

    def error(self, message: str):  # noqa: D102
        raise UserError(f"{message}\n{self.format_usage().strip()}")


def build_parser() -> ArgumentParser:
    """Return the full ``workplace-sim`` parser with every available subcommand."""
    parser = ArgumentParser(
        prog="workplace-sim",
        description="Agent-based simulation of how AI adoption reshapes work.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"sim.cli.{name}")
        except ModuleNotFoundError as exc:  # a command still being built
            if exc.name == f"sim.cli.{name}":
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return (and exit with) its status."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "func", None):
            parser.print_help(sys.stderr)
            return 2
        status = args.func(args)
    except UserError as exc:
        print(f"workplace-sim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("workplace-sim: interrupted", file=sys.stderr)
        return 130
    return int(status or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
