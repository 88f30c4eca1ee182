"""Shared fixtures: small organisations that run in milliseconds."""

from __future__ import annotations

import os
import signal

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=40, deadline=None)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

# A test run started in the background by a non-interactive shell (`cmd &`, nohup) inherits
# SIGINT ignored, and so would every command the tests start, so the Ctrl-C tests could not
# interrupt them. Give this process Python's handler back: its children then start with the
# default disposition, as from a terminal.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def baseline_run():
    """A 400-position organisation run for the full 104 weeks (both waves)."""
    from sim.model import WorkplaceModel

    return WorkplaceModel(n_agents=400, rng=11).run(104)
