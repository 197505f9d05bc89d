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


def test_queries_that_read_named_graphs_alone_go_to_the_named_copy():
    r = Replica(ox.Store(), default_copy=True, named_copy=True)
    assert r.named is not None
    for text in (
        "SELECT * { GRAPH ?g { ?s ?p ?o } }",
        "ASK { graph <http://g> { ?s ?p ?o } }",
    ):
        assert r.for_query(QueryRequest(text, union_default_graph=False)) is r.named, text
    for text in (
        "SELECT * { GRAPH ?g { ?s ?p ?o } ?s ?p ?o }",  # reads the default graph too
        "SELECT * FROM <http://g> { GRAPH ?g { ?s ?p ?o } }",
        "CONSTRUCT { ?s ?p ?o } { GRAPH ?g { ?s ?p ?o } }",
    ):
        assert r.for_query(QueryRequest(text, union_default_graph=False)) is r.full, text
    text = "SELECT * { GRAPH ?g { ?s ?p ?o } }"
    for req in (
        QueryRequest(text, union_default_graph=True),
        QueryRequest(text, named_graph_uris=("http://g",), union_default_graph=False),
    ):
        assert r.for_query(req) is r.full
    plain = QueryRequest("SELECT * { ?s ?p ?o }", union_default_graph=False)
    assert r.for_query(plain) is r.default
    lone = Replica(ox.Store(), named_copy=True)  # no default copy: such queries go to the full
    assert lone.for_query(plain) is lone.full


def named_quads(store: ox.Store) -> set:
    return {q for q in store if not isinstance(q.graph_name, ox.DefaultGraph)}


def test_the_named_copy_holds_the_named_graphs_and_follows_deltas():
    full = ox.Store()
    full.extend([quad(f"s{i}", "p", i, "g1") for i in range(4)] + [quad("n", "p", 1, "g2")])
    full.extend(ox.Quad(q.subject, q.predicate, q.object) for q in list(full))
    full.add_graph(ox.NamedNode(EX + "empty"))
    r = Replica(full, named_copy=True)
    assert r.named is not None
    assert named_quads(r.named) == named_quads(full)
    assert set(r.named.named_graphs()) == set(full.named_graphs())
    assert not list(r.named.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    delta = ReplicaDelta.of(
        1,
        added=[quad("m", "p", 2, "g3"), ox.Quad(*quad("m", "p", 2, "g3").triple)],
        removed=[quad("s0", "p", 0, "g1")],
        created_graphs=[EX + "new"],
        dropped_graphs=[EX + "g2", EX + "empty"],
    )
    r.apply(delta)  # to the full store too, which stands for the primary here
    assert named_quads(r.named) == named_quads(full)
    assert set(r.named.named_graphs()) == set(full.named_graphs())
    assert ox.NamedNode(EX + "new") in set(r.named.named_graphs())
    assert not list(r.named.quads_for_pattern(None, None, None, ox.DefaultGraph()))


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
