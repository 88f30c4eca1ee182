"""The organisation's ties as the weekly rules use them.

The team graph's tie strengths are a sparse matrix over positions; the rules need, every
week, each position's tie strength to the people present and to freelancers. :class:`Ties`
keeps those sums and, as people leave and arrive, recomputes only those of the movers'
neighbours, so that network exposure (:func:`sim.rules.expose`) costs one sparse product
per mean.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from sim.state import DTYPE

#: Tie strength below which a position counts as having no present neighbour.
TIE_EPS = 1e-6


@dataclass
class Ties:
    """The organisation's ties as the rules use them.

    Attributes:
        adjacency: symmetric tie-strength matrix over positions (CSR).
        fl_neighbours: positions with at least one tie to a freelancer position.
        to_freelancers: the adjacency restricted to those rows and the freelancers'
            columns (CSR, in the order of ``AgentState.freelancers``), so exposure to
            freelancers costs only their few ties.
        to_present: ``adjacency @ occupied``: each position's tie strength to
            present people, recomputed for the neighbours of those who move.
        lonely: ``to_present <= TIE_EPS`` (no present neighbour), kept up to date.
        inv_present: ``1 / to_present`` (1 where lonely), kept up to date.
    """

    adjacency: sp.csr_matrix
    fl_neighbours: np.ndarray
    to_freelancers: sp.csr_matrix
    to_present: np.ndarray
    lonely: np.ndarray
    inv_present: np.ndarray

    @classmethod
    def of(cls, adjacency: sp.csr_matrix, freelancer: np.ndarray, occupied: np.ndarray) -> Ties:
        """Build from the adjacency matrix, the freelancer mask and who is present."""
        slots = np.flatnonzero(freelancer)
        adjacency = adjacency.astype(DTYPE)
        present = _present(adjacency, np.arange(adjacency.shape[0]), occupied)
        to_fl = adjacency[:, slots].tocsr()
        rows = np.flatnonzero(np.diff(to_fl.indptr))
        lonely = present <= TIE_EPS
        return cls(adjacency, rows, to_fl[rows], present, lonely, _inverse(present, lonely))

    def update(self, moved: np.ndarray, occupied: np.ndarray) -> None:
        """Recompute the sums of the neighbours of those who left or arrived.

        The adjacency is symmetric, so the positions whose tie strength to present
        people changed are the columns of the movers' rows. Their sums are computed
        afresh from who is present, as :meth:`of` computes them, so no running total
        drifts: a position whose neighbours have all left has exactly 0.

        Args:
            moved: positions that were vacated or filled this week.
            occupied: who holds a position now.
        """
        if moved.size == 0:
            return
        a = self.adjacency
        changed = np.unique(a.indices[_entries(a, moved)[0]])
        total = _present(a, changed, occupied)
        self.to_present[changed] = total
        self.lonely[changed] = lonely = total <= TIE_EPS
        self.inv_present[changed] = _inverse(total, lonely)


def _entries(a: sp.csr_matrix, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where the entries of ``rows`` sit in ``a.data`` and ``a.indices``, row by row.

    Returns:
        ``(pos, length)``: the entries' positions and each row's number of entries.
    """
    start = a.indptr[rows]
    length = a.indptr[rows + 1] - start
    return np.repeat(start - np.cumsum(length) + length, length) + np.arange(length.sum()), length


def _present(a: sp.csr_matrix, rows: np.ndarray, occupied: np.ndarray) -> np.ndarray:
    """Each of ``rows``' tie strength to present people, ``sum_j a_ij occupied_j``, summed afresh.

    Summed in double precision, in each row's order, so a row's sum does not depend on which
    other rows are summed with it; a row with nobody present sums to exactly 0.
    """
    pos, length = _entries(a, rows)
    weights = np.where(occupied[a.indices[pos]], a.data[pos], 0.0)
    row = np.repeat(np.arange(rows.size), length)
    return np.bincount(row, weights=weights, minlength=rows.size).astype(DTYPE)


def _inverse(total: np.ndarray, lonely: np.ndarray) -> np.ndarray:
    """``1 / total``, with 1 where ``lonely``."""
    return 1.0 / np.where(lonely, 1.0, total)
