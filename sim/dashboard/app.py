"""The Solara entry point: ``solara run sim.dashboard.app`` (``workplace-sim dashboard`` does it).

Nothing here builds a model: :func:`Page` renders :func:`~sim.dashboard.components.Dashboard`,
which makes one simulation per browser session.
"""

from __future__ import annotations

import solara

from sim.dashboard.components import Dashboard


@solara.component
def Page() -> None:
    """The page Solara serves at ``/``."""
    Dashboard()
