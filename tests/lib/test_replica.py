"""The query workers' replica: which store a query runs on, and the default graph's copy."""

from __future__ import annotations

import pyoxigraph as ox

from kg.execute import QueryRequest
from kg.store.replica import Replica, ReplicaDelta
from tests.conftest import EX, quad


def default_triples(store: ox.Store) -> set:
    return {
        (q.subject, q.predicate, q.object)
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }


def test_only_queries_that_read_the_default_graph_alone_go_to_the_copy():
    r = Replica(ox.Store(), default_copy=True)
    plain = QueryRequest("SELECT * { ?s ?p ?o }", union_default_graph=False)
    assert r.for_query(plain) is r.default
    for text in (
        "SELECT * { GRAPH ?g { ?s ?p ?o } }",
        "select * { graph <http://g> { ?s ?p ?o } }",
        "SELECT * FROM <http://g> { ?s ?p ?o }",
        "SELECT * { ?s ?p <http://example.org/graph/x> }",  # blunt, but never wrong
    ):
        req = QueryRequest(text, union_default_graph=False)
        assert r.for_query(req) is r.full, text
    for req in (
        QueryRequest(plain.query, union_default_graph=True),
        QueryRequest(plain.query, default_graph_uris=("http://g",), union_default_graph=False),
        QueryRequest(plain.query, named_graph_uris=("http://g",), union_default_graph=False),
    ):
        assert r.for_query(req) is r.full
    assert Replica(ox.Store()).for_query(plain) is not None  # no copy: the full


def test_the_copy_holds_the_default_graph_and_follows_deltas():
    full = ox.Store()
    dq = [
        ox.Quad(q.subject, q.predicate, q.object) for q in (quad(f"s{i}", "p", i) for i in range(5))
    ]
    full.extend(dq + [quad("n", "p", 1, "g1")])
    r = Replica(full, default_copy=True)
    assert r.default is not None and len(r.default) == 5
    assert default_triples(r.default) == default_triples(full)
    delta = ReplicaDelta.of(
        1,
        added=[
            ox.Quad(ox.NamedNode(EX + "x"), ox.NamedNode(EX + "p"), ox.Literal("y")),
            quad("m", "p", 2, "g2"),
        ],
        removed=[dq[0], quad("n", "p", 1, "g1")],
        dropped_graphs=[EX + "g1"],
    )
    r.apply(delta)
    assert default_triples(r.default) == default_triples(full)
    assert len(r.default) == 5
    assert not list(r.default.quads_for_pattern(None, None, None, ox.NamedNode(EX + "g2")))
