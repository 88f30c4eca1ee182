"""Seeds: every replicate's seed is spawned from one root seed.

Example:
    >>> from sim.experiment.seeds import spawn_seeds
    >>> spawn_seeds(2025, 3) == spawn_seeds(2025, 5)[:3]
    True
"""

from __future__ import annotations

import numpy as np

from sim.errors import UserError

__all__ = ["DEFAULT_ROOT_SEED", "spawn_seeds"]

#: Root seed of every run unless one is given.
DEFAULT_ROOT_SEED = 2025


def spawn_seeds(root_seed: int, n: int) -> list[int]:
    """Return ``n`` independent seeds spawned from ``root_seed`` (numpy SeedSequence).

    The list is stable: the first ``k`` seeds of ``spawn_seeds(r, n)`` are
    ``spawn_seeds(r, k)``. Seeds fit in a signed 64-bit integer.

    Args:
        root_seed: any non-negative integer.
        n: how many seeds.
    """
    if isinstance(root_seed, bool) or not isinstance(root_seed, int | np.integer) or root_seed < 0:
        raise UserError(f"root seed {root_seed!r} must be a non-negative integer")
    children = np.random.SeedSequence(int(root_seed)).spawn(int(n))
    return [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]
