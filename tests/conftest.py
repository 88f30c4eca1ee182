"""Shared fixtures: small organisations that run in milliseconds."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=40, deadline=None)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def baseline_run():
    """A 400-position organisation run for the full 104 weeks (both waves)."""
    from sim.model import WorkplaceModel

    return WorkplaceModel(n_agents=400, rng=11).run(104)
