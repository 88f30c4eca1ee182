"""The organisation's ties as the weekly rules use them.

The team graph's tie strengths are a sparse matrix over positions; the rules need, every
week, each position's tie strength to the people present and to freelancers. :class:`Ties`
keeps those sums and updates them as people leave and arrive, reading only the rows of
those who moved, so that network exposure (:func:`sim.rules.expose`) costs one sparse
product per mean.
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
        sums: ``adjacency @ occupied`` in double precision, kept up to date as people
            leave and arrive, and reset to exactly 0 where nobody is present (the
            weakest tie, ``organisation.TIE_STRENGTH``, is far above ``TIE_EPS``, and
            ``TIE_EPS`` far above the sums' rounding, about 1e-15).
        to_present: ``sums`` in the model's precision: each position's tie strength
            to present people.
        lonely: ``to_present <= TIE_EPS`` (no present neighbour), kept up to date.
        inv_present: ``1 / to_present`` (1 where lonely), kept up to date.
    """

    adjacency: sp.csr_matrix
    fl_neighbours: np.ndarray
    to_freelancers: sp.csr_matrix
    sums: np.ndarray
    to_present: np.ndarray
    lonely: np.ndarray
    inv_present: np.ndarray

    @classmethod
    def of(cls, adjacency: sp.csr_matrix, freelancer: np.ndarray, occupied: np.ndarray) -> Ties:
        """Build from the adjacency matrix, the freelancer mask and who is present."""
        slots = np.flatnonzero(freelancer)
        adjacency = adjacency.astype(DTYPE)
        sums = adjacency @ occupied.astype(np.float64)
        present = sums.astype(DTYPE)
        to_fl = adjacency[:, slots].tocsr()
        rows = np.flatnonzero(np.diff(to_fl.indptr))
        lonely = present <= TIE_EPS
        return cls(adjacency, rows, to_fl[rows], sums, present, lonely, _inverse(present, lonely))

    def update(self, left: np.ndarray, arrived: np.ndarray) -> None:
        """Account for people who left and arrived.

        The adjacency is symmetric, so a position's column is its row: the
        change is the rows of those who left (negative) and arrived (positive),
        read straight from the CSR arrays. A sum that falls to ``TIE_EPS`` or
        below (nobody present) is set to exactly 0, so no rounding residue
        outlives the neighbours it came from.
        """
        rows = np.concatenate([left, arrived])
        if rows.size == 0:
            return
        a = self.adjacency
        start = a.indptr[rows]
        length = a.indptr[rows + 1] - start
        pos = np.repeat(start - np.cumsum(length) + length, length) + np.arange(length.sum())
        sign = np.repeat(np.concatenate([-np.ones(left.size), np.ones(arrived.size)]), length)
        changed = a.indices[pos]
        np.add.at(self.sums, changed, sign * a.data[pos])
        total = self.sums[changed]
        self.lonely[changed] = lonely = total <= TIE_EPS
        total[lonely] = 0.0
        self.sums[changed] = total
        present = total.astype(DTYPE)
        self.to_present[changed] = present
        self.inv_present[changed] = _inverse(present, lonely)


def _inverse(total: np.ndarray, lonely: np.ndarray) -> np.ndarray:
    """``1 / total``, with 1 where ``lonely``."""
    return 1.0 / np.where(lonely, 1.0, total)
