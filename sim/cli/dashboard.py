"""``workplace-sim dashboard``: start the workshop dashboard (a Solara app) in this process.

It binds to 127.0.0.1 unless ``--host`` says otherwise, checks before starting that the port is
free, that the installed front end will not show a blank page (ipyvue 1.x, see issue 6) and
whether the front-end files are cached for use without internet (``scripts/setup-dashboard``),
and turns Solara's telemetry and version check off (a venue may have no internet).
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
import warnings
from importlib import metadata

from sim.cli._common import int_in
from sim.dashboard.assets import offline_ready
from sim.dashboard.session import SCENARIOS_ENV
from sim.errors import UserError
from sim.scenarios import load_scenario

#: Port the dashboard listens on unless told otherwise (Solara's usual port).
DEFAULT_PORT = 8765
#: Solara app module the server runs.
APP = "sim.dashboard.app"


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``dashboard`` subcommand."""
    parser = subparsers.add_parser(
        "dashboard",
        help="start the live workshop dashboard (open the printed address in a browser)",
        description=(
            "Start the workshop dashboard: a live view of the organisation, its charts and its "
            "survey, with a scenario picker, lever sliders and a side-by-side comparison with "
            "the status quo. Every browser session gets its own simulation."
        ),
    )
    parser.add_argument(
        "--port",
        type=int_in(1, 65535, name="port"),
        default=DEFAULT_PORT,
        help=f"port to listen on (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1; 0.0.0.0 lets a room connect)",
    )
    parser.add_argument(
        "--scenario",
        action="append",
        default=[],
        metavar="FILE",
        help="add a scenario file to the picker (repeatable)",
    )
    parser.add_argument("--open", action="store_true", help="open a browser on the page")
    parser.set_defaults(func=run)


def check_environment() -> None:
    """Refuse to start a dashboard that would show a blank page.

    Raises:
        UserError: when solara is missing or ipyvue/ipyvuetify are 2.x or later.
    """
    try:
        import solara  # noqa: F401  (lazy: an optional extra, checked before use)
    except ImportError:
        raise UserError(
            "the dashboard needs the 'dashboard' extra: pip install 'workplace-sim[dashboard]'"
        ) from None
    for dist in ("ipyvue", "ipyvuetify"):
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            raise UserError(
                f"{dist} is not installed: pip install 'workplace-sim[dashboard]'"
            ) from None
        if int(version.split(".")[0]) >= 2:
            raise UserError(
                f"{dist} {version} leaves the dashboard blank (GlobalVue.use is not a function): "
                "pip install 'ipyvue<2' 'ipyvuetify<2'"
            )


def check_port(host: str, port: int) -> None:
    """Raise :class:`UserError` unless ``port`` is valid and free on ``host``."""
    if not 0 < port < 65536:
        raise UserError(f"--port {port} is out of range: allowed 1 to 65535")
    if not host.strip():
        raise UserError(
            "--host is empty (it would listen on every interface): give 127.0.0.1,"
            " or 0.0.0.0 to let a room connect"
        )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except socket.gaierror:
            raise UserError(
                f"--host {host!r} is not an address of this machine: give 127.0.0.1,"
                " 0.0.0.0 (every interface) or one of this machine's own addresses"
            ) from None
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UserError(
                    f"cannot listen on {host}:{port}: the port is in use: choose another --port"
                ) from None
            if exc.errno == errno.EADDRNOTAVAIL:
                raise UserError(
                    f"--host {host!r} is not an address of this machine: give 127.0.0.1,"
                    " 0.0.0.0 (every interface) or one of this machine's own addresses"
                ) from None
            if exc.errno == errno.EACCES:
                raise UserError(
                    f"cannot listen on {host}:{port}: ports below 1024 need administrator"
                    " rights: choose a --port from 1024 to 65535"
                ) from None
            raise UserError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None


def run(args: argparse.Namespace) -> int:
    """Start the server and block until it stops (Ctrl-C)."""
    # Read by Solara's settings on import, so set before anything imports solara. A venue may
    # have no internet: no telemetry. A closed tab's simulation is dropped after an hour, not
    # Solara's default day, so a room of reloading participants does not pile up models.
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    os.environ.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", "1h")
    if any(not p.strip() for p in args.scenario):
        raise UserError("--scenario is empty: name a scenario file (.toml)")
    paths = [os.path.abspath(p) for p in args.scenario]
    if paths:
        for path in paths:
            load_scenario(path)  # UserError -> exit 2 before the server starts
    check_environment()
    check_port(args.host, args.port)
    if paths:
        os.environ[SCENARIOS_ENV] = os.pathsep.join(paths)
    # No internet at a venue: no telemetry, no version check against the package index.
    from solara.server import settings as server_settings  # lazy: after the environment is set

    server_settings.telemetry.mixpanel_enable = False
    if not offline_ready():
        print(
            "workplace-sim: note: the page's front-end files are not cached, so the browser "
            "needs internet; run scripts/setup-dashboard to work offline",
            file=sys.stderr,
        )
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"workplace-sim: note: listening on {args.host}: anyone who can reach this "
            "machine can open the dashboard",
            file=sys.stderr,
        )
    print(
        f"workplace-sim dashboard: http://{args.host}:{args.port}/  (Ctrl-C stops it)",
        file=sys.stderr,
        flush=True,
    )
    # Solara warns on every page load over plain http that it falls back to SameSite=Lax
    # cookies: expected for a dashboard on localhost, and noise in the facilitator's terminal.
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    from solara.__main__ import run as solara_run  # lazy: the optional dashboard extra

    solara_args = [
        APP,
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--production",
        "--no-check-version",
        "--no-access-log",
        "--open" if args.open else "--no-open",
    ]
    solara_run.main(args=solara_args, prog_name="workplace-sim dashboard", standalone_mode=False)
    return 0
