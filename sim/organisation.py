"""The organisation: positions, reporting lines, teams and ties.

An organisation is a fixed set of *positions* (slots). People flow through
them: a quit leaves a vacancy, a hire fills it, but the reporting line, the
team and the ties of a position stay. Positions are numbered executives first,
then managers level by level, then individual contributors, then freelancers,
so that every team's members sit in one contiguous block.

Everything is built with numpy from a seed, so 100,000 positions take well
under a second; :meth:`Organisation.to_networkx` gives the ``networkx`` view
Mesa's network space needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp

from sim.params import Params

#: Role codes used in every role array.
IC, MANAGER, EXECUTIVE, FREELANCER = 0, 1, 2, 3
ROLE_NAMES = ("ic", "manager", "executive", "freelancer")
#: Parameters that shape the organisation and that a redesign may change: the
#: organisation is rebuilt, and its people moved into it, when a redesign starts.
DESIGN_PARAMS = ("freelancer_share", "exec_share", "span_of_control", "cross_team_ties")

#: Edge kinds and their tie strengths (Granovetter 1973: strong vs weak ties).
REPORTS_TO, TEAMMATE, FREELANCE, CROSS_TEAM = 0, 1, 2, 3
EDGE_KINDS = ("reports-to", "teammate", "freelance engagement", "cross-team")
TIE_STRENGTH = np.array([0.8, 0.6, 0.4, 0.3])

#: Teammate ties per member reach this many positions either side within the team
#: (a ring lattice; teams of up to 2 * TEAM_REACH + 1 are cliques).
TEAM_REACH = 4
#: Share of cross-team ties that stay inside one's own division.
WITHIN_DIVISION = 0.7
#: Teammates each engaged freelancer is tied to, besides the engaging manager.
FREELANCER_TIES = 2


@dataclass
class Organisation:
    """A built organisation: one entry per position in every array.

    Attributes:
        role: role code per position (IC, MANAGER, EXECUTIVE, FREELANCER).
        level: depth in the hierarchy (0 for executives; freelancers get their team's).
        manager: position of the direct manager (-1 for executives); for a
            freelancer, the manager who engages them.
        team: team index; a team is the set of positions under one manager
            (executives form team 0).
        division: index of the executive at the top of the position's chain.
        n_reports: number of direct reports (employees only).
        edges: ``(m, 2)`` array of position pairs, ``u < v``.
        edge_kind: kind code per edge.
        edge_weight: tie strength per edge.
        job_demands: demands of each position's job beyond its hours (emotional and
            cognitive load, role conflict), standard normal; they stay with the
            position when its holder leaves.
    """

    role: np.ndarray
    level: np.ndarray
    manager: np.ndarray
    team: np.ndarray
    division: np.ndarray
    n_reports: np.ndarray
    edges: np.ndarray
    edge_kind: np.ndarray
    edge_weight: np.ndarray
    job_demands: np.ndarray

    @property
    def n(self) -> int:
        """Number of positions."""
        return len(self.role)

    @property
    def n_teams(self) -> int:
        """Number of teams."""
        return int(self.team.max()) + 1

    def adjacency(self) -> sp.csr_matrix:
        """Return the symmetric, tie-strength-weighted adjacency matrix (CSR, float64)."""
        u, v = self.edges[:, 0], self.edges[:, 1]
        w = self.edge_weight
        a = sp.coo_matrix(
            (np.concatenate([w, w]), (np.concatenate([u, v]), np.concatenate([v, u]))),
            shape=(self.n, self.n),
        )
        return a.tocsr()

    def to_networkx(self) -> nx.Graph:
        """Return the organisation as a ``networkx.Graph``.

        Nodes are positions with attributes ``role`` and ``team``; edges carry
        ``kind`` and ``weight`` (tie strength).
        """
        g = nx.Graph()
        roles = [ROLE_NAMES[r] for r in self.role.tolist()]
        teams = self.team.tolist()
        g.add_nodes_from((i, {"role": roles[i], "team": teams[i]}) for i in range(self.n))
        for code, kind in enumerate(EDGE_KINDS):
            pairs = self.edges[self.edge_kind == code].tolist()
            g.add_edges_from(pairs, kind=kind, weight=float(TIE_STRENGTH[code]))
        return g

    def layout(self) -> np.ndarray:
        """Return a cheap fixed ``(n, 2)`` layout: teams on a circle, executives at the centre.

        Teams sit at angles ordered by division, so a division is one sector;
        the radius grows with the level and freelancers sit just outside their
        team. Linear in the number of positions (no force-directed layout).
        """
        order = np.lexsort((self.team, self.division))
        team_rank = np.empty(self.n_teams, dtype=np.float64)
        first = np.unique(self.team[order], return_index=True)
        team_rank[first[0]] = np.argsort(np.argsort(first[1]))
        angle = 2 * np.pi * team_rank[self.team] / max(self.n_teams, 1)
        depth = max(int(self.level.max()), 1)
        radius = 0.15 + 0.85 * self.level / depth
        radius = np.where(self.role == FREELANCER, 1.12, radius)
        radius = np.where(self.role == EXECUTIVE, 0.08, radius)
        # Spread members of a team around its angle.
        start = np.zeros(self.n_teams + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.team, minlength=self.n_teams), out=start[1:])
        pos_in_team = np.empty(self.n, dtype=np.int64)
        by_team = np.argsort(self.team, kind="stable")
        pos_in_team[by_team] = np.arange(self.n) - start[self.team[by_team]]
        size = np.bincount(self.team, minlength=self.n_teams)[self.team]
        spread = np.pi / max(self.n_teams, 1) * 0.8
        offset = (pos_in_team / np.maximum(size - 1, 1) - 0.5) * spread
        offset = np.where(
            self.role == EXECUTIVE, 2 * np.pi * pos_in_team / np.maximum(size, 1), offset
        )
        theta = angle + offset
        return np.column_stack([radius * np.cos(theta), radius * np.sin(theta)])


def layer_sizes(n_fte: int, n_exec: int, span: int) -> list[int]:
    """Return the sizes of the employee layers, top (executives) to bottom (ICs).

    Each layer below the executives is ``ceil(lower / span)`` of the one under
    it, until a layer fits under the executives. The number of ICs is the
    largest for which the layers add up to at most ``n_fte``; any remainder
    joins the ICs.

    Args:
        n_fte: employees in total, executives included.
        n_exec: number of executives (at least 1).
        span: direct reports per manager.

    Returns:
        Layer sizes, first the executives, last the ICs.
    """

    def above(n_ic: int) -> list[int]:
        layers = [n_ic]
        while layers[-1] > n_exec * span:
            layers.append(-(-layers[-1] // span))
        return layers[::-1]

    rest = n_fte - n_exec
    lo, hi = 0, rest
    while lo < hi:  # largest n_ic with sum(above(n_ic)) <= rest
        mid = (lo + hi + 1) // 2
        if sum(above(mid)) <= rest:
            lo = mid
        else:
            hi = mid - 1
    layers = above(lo)
    layers[-1] += rest - sum(layers)
    return [n_exec, *[x for x in layers if x > 0]]


def build_organisation(params: Params, rng: np.random.Generator) -> Organisation:
    """Build the organisation for ``params``, deterministic for the generator's state.

    Args:
        params: model parameters (uses n_agents, freelancer_share, exec_share,
            span_of_control, cross_team_ties).
        rng: the random generator that places cross-team ties and freelancers and
            draws the positions' job demands (last, so the rest does not depend on them).

    Returns:
        The organisation.
    """
    n = params.n_agents
    n_fl = min(round(params.freelancer_share * n), n - 1)
    n_fte = n - n_fl
    n_exec = max(1, round(params.exec_share * n_fte))
    layers = layer_sizes(n_fte, n_exec, params.span_of_control)

    role = np.full(n, FREELANCER, dtype=np.int8)
    level = np.zeros(n, dtype=np.int16)
    manager = np.full(n, -1, dtype=np.int64)
    division = np.full(n, -1, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(layers)])
    for k, size in enumerate(layers):
        block = np.arange(starts[k], starts[k + 1])
        level[block] = k
        if k == 0:
            role[block] = EXECUTIVE
            division[block] = block
            continue
        role[block] = IC if k == len(layers) - 1 else MANAGER
        parents = layers[k - 1]
        manager[block] = starts[k - 1] + (np.arange(size) * parents) // size
        division[block] = division[manager[block]]

    # Teams: executives are team 0; everyone else is in the team of their manager.
    fte = np.arange(n_fte)
    team = np.zeros(n, dtype=np.int64)
    managed = manager[:n_fte] >= 0
    _, team_of = np.unique(manager[:n_fte][managed], return_inverse=True)
    team[fte[managed]] = team_of + 1

    edges, kinds = [], []

    # Reports-to ties.
    child = fte[managed]
    edges.append(np.column_stack([manager[child], child]))
    kinds.append(np.full(len(child), REPORTS_TO))

    # Teammate ties: a ring lattice inside each contiguous team block.
    edges.append(_team_ring(team[:n_fte]))
    kinds.append(np.full(len(edges[-1]), TEAMMATE))

    # Freelancers: each is engaged by the team of a randomly drawn IC (or employee).
    if n_fl:
        pool = np.flatnonzero(role[:n_fte] == IC)
        if pool.size == 0:
            pool = fte
        host = rng.choice(pool, size=n_fl)
        fl = np.arange(n_fte, n)
        eng_mgr = np.where(manager[host] >= 0, manager[host], host)
        manager[fl] = eng_mgr
        team[fl] = team[host]
        division[fl] = division[host]
        level[fl] = level[host]
        edges.append(np.column_stack([eng_mgr, fl]))
        kinds.append(np.full(n_fl, FREELANCE))
        team_start, team_size = _blocks(team[:n_fte], int(team.max()) + 1)
        for _ in range(FREELANCER_TIES):
            t = team[fl]
            mate = team_start[t] + (rng.random(n_fl) * team_size[t]).astype(np.int64)
            edges.append(np.column_stack([mate, fl]))
            kinds.append(np.full(n_fl, FREELANCE))

    # Cross-team ties: Poisson many per employee, mostly within the division.
    n_ties = rng.poisson(params.cross_team_ties / 2, size=n_fte)
    src = np.repeat(fte, n_ties)
    if src.size:
        by_div = np.argsort(division[:n_fte], kind="stable")
        div_start, div_size = _blocks(division[:n_fte][by_div], n_exec)
        d = division[src]
        inside = by_div[div_start[d] + (rng.random(src.size) * div_size[d]).astype(np.int64)]
        anywhere = rng.integers(0, n_fte, size=src.size)
        dst = np.where(rng.random(src.size) < WITHIN_DIVISION, inside, anywhere)
        edges.append(np.column_stack([src, dst]))
        kinds.append(np.full(src.size, CROSS_TEAM))

    edges_all = np.concatenate(edges).astype(np.int64)
    kind_all = np.concatenate(kinds).astype(np.int8)
    edges_all, kind_all = _dedupe(edges_all, kind_all, n)
    n_reports = np.bincount(manager[:n_fte][managed], minlength=n).astype(np.int64)

    return Organisation(
        role=role,
        level=level,
        manager=manager,
        team=team,
        division=division,
        n_reports=n_reports,
        edges=edges_all,
        edge_kind=kind_all,
        edge_weight=TIE_STRENGTH[kind_all],
        job_demands=rng.standard_normal(n),
    )


def _blocks(sorted_keys: np.ndarray, n_keys: int) -> tuple[np.ndarray, np.ndarray]:
    """Return start and size of each key's block in a sorted key array."""
    size = np.bincount(sorted_keys, minlength=n_keys)
    start = np.concatenate([[0], np.cumsum(size)[:-1]])
    return start, size


def _team_ring(team: np.ndarray) -> np.ndarray:
    """Return teammate pairs: each member tied to the next TEAM_REACH members of its team.

    The ring wraps around within the team.

    Teams must be contiguous blocks of ``team`` (sorted), which the builder guarantees.
    """
    n_teams = int(team.max()) + 1 if team.size else 0
    start, size = _blocks(team, n_teams)
    idx = np.arange(team.size)
    pos = idx - start[team]
    pairs = []
    for d in range(1, TEAM_REACH + 1):
        s = size[team]
        ok = s > d
        other = start[team] + (pos + d) % np.maximum(s, 1)
        pairs.append(np.column_stack([idx[ok], other[ok]]))
    return np.concatenate(pairs) if pairs else np.empty((0, 2), dtype=np.int64)


def _dedupe(edges: np.ndarray, kind: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Drop self-loops and duplicate pairs, keeping the strongest kind for each pair."""
    u = np.minimum(edges[:, 0], edges[:, 1])
    v = np.maximum(edges[:, 0], edges[:, 1])
    keep = u != v
    u, v, kind = u[keep], v[keep], kind[keep]
    key = u * n + v
    order = np.lexsort((kind, key))  # by pair, strongest (lowest code) first
    key, kind = key[order], kind[order]
    first = np.ones(key.size, dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, kind = key[first], kind[first]
    return np.column_stack([key // n, key % n]), kind
