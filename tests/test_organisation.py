import networkx as nx
import numpy as np
import pytest

from sim.organisation import (
    EXECUTIVE,
    FREELANCER,
    IC,
    MANAGER,
    REPORTS_TO,
    build_organisation,
    layer_sizes,
)
from sim.params import Params


@pytest.mark.parametrize("n", [10, 11, 57, 1000, 5003])
def test_structure(n):
    org = build_organisation(Params(n_agents=n), np.random.default_rng(0))
    assert org.n == n
    counts = np.bincount(org.role, minlength=4)
    assert counts[EXECUTIVE] >= 1
    assert counts[FREELANCER] == min(round(0.1 * n), n - 1)
    # Every employee but the executives reports to someone above them.
    emp = org.role != FREELANCER
    assert (org.manager[emp & (org.role != EXECUTIVE)] >= 0).all()
    assert (org.manager[org.role == EXECUTIVE] == -1).all()
    has = emp & (org.manager >= 0)
    assert (org.level[org.manager[has]] < org.level[has]).all()
    # Every position belongs to a division headed by an executive.
    assert (org.role[org.division] == EXECUTIVE).all()
    # ICs have no reports; managers have some.
    assert (org.n_reports[org.role == IC] == 0).all()
    assert (org.n_reports[org.role == MANAGER] > 0).all()
    # Edges are unique, no self-loops, u < v.
    u, v = org.edges[:, 0], org.edges[:, 1]
    assert (u < v).all()
    assert len(np.unique(u * n + v)) == len(u)


def test_spans_follow_the_parameter():
    for span in (4, 10, 20):
        org = build_organisation(
            Params(n_agents=5000, span_of_control=span), np.random.default_rng(1)
        )
        reports = org.n_reports[org.role == MANAGER]
        assert abs(reports.mean() - span) <= 0.15 * span + 1


def test_layer_sizes_add_up():
    for n_fte, n_exec, span in [(9, 1, 10), (100, 2, 5), (900, 18, 10), (10, 1, 2)]:
        layers = layer_sizes(n_fte, n_exec, span)
        assert sum(layers) == n_fte and layers[0] == n_exec


def test_networkx_graph_has_attributes_and_matches_adjacency():
    org = build_organisation(Params(n_agents=300), np.random.default_rng(2))
    g = org.to_networkx()
    assert g.number_of_nodes() == 300 and g.number_of_edges() == len(org.edges)
    assert {d["role"] for _, d in g.nodes(data=True)} == {
        "ic",
        "manager",
        "executive",
        "freelancer",
    }
    kinds = {d["kind"] for _, _, d in g.edges(data=True)}
    assert {"reports-to", "teammate", "cross-team", "freelance engagement"} <= kinds
    a = nx.to_scipy_sparse_array(g, nodelist=range(300), weight="weight")
    assert abs(a - org.adjacency()).max() < 1e-6
    edge = tuple(org.edges[org.edge_kind == REPORTS_TO][0])
    assert g.edges[edge]["weight"] == pytest.approx(0.8)


def test_deterministic_for_a_seed_and_layout_is_finite():
    a = build_organisation(Params(n_agents=500), np.random.default_rng(5))
    b = build_organisation(Params(n_agents=500), np.random.default_rng(5))
    c = build_organisation(Params(n_agents=500), np.random.default_rng(6))
    assert np.array_equal(a.edges, b.edges)
    assert not np.array_equal(a.edges, c.edges)
    xy = a.layout()
    assert xy.shape == (500, 2) and np.isfinite(xy).all()
