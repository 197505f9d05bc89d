"""Entailments: materialized in their own graph, current after every change, out of dumps."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kg import errors
from kg.execute import QueryRequest
from kg.store import EmbeddedStore

EX = "http://example.org/"
INF = EX + "graph/inferred"
ONT = EX + "graph/ontology"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def n(x: str) -> ox.NamedNode:
    return ox.NamedNode(EX + x)


def schema() -> list[ox.Quad]:
    g = ox.NamedNode(ONT)
    sub, subp = ox.NamedNode(RDFS + "subClassOf"), ox.NamedNode(RDFS + "subPropertyOf")
    eq = ox.NamedNode("http://www.w3.org/2002/07/owl#equivalentClass")
    return [
        ox.Quad(n("NGO"), sub, n("Organization"), g),
        ox.Quad(n("Committee"), sub, n("Body"), g),
        ox.Quad(n("Body"), sub, n("Organization"), g),
        ox.Quad(n("Organization"), eq, n("Org2"), g),
        ox.Quad(n("sponsor"), subp, n("contributor"), g),
    ]


@pytest.fixture
def store():
    st = EmbeddedStore("memory:", inferred_graph=INF)
    st.add(schema())
    yield st
    st.close()


def ask(st: EmbeddedStore, text: str) -> bool:
    return json.loads(st.query(QueryRequest(text)).body)["boolean"]


def inferred(st: EmbeddedStore) -> set[tuple[str, str, str]]:
    return {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in st.primary.quads_for_pattern(None, None, None, ox.NamedNode(INF))
    }


def test_subclass_chain_and_equivalence_are_visible_in_the_union(store):
    store.add([ox.Quad(n("jud"), TYPE, n("Committee"), n("src1"))])
    for cls in ("Body", "Organization", "Org2"):
        assert ask(store, f"ASK {{ <{EX}jud> a <{EX}{cls}> }}")
        assert ask(store, f"ASK {{ GRAPH <{INF}> {{ <{EX}jud> a <{EX}{cls}> }} }}")
    # source graphs keep only what their sources say
    assert not ask(store, f"ASK {{ GRAPH <{EX}src1> {{ <{EX}jud> a <{EX}Body> }} }}")


def test_subproperty(store):
    store.add([ox.Quad(n("bill"), n("sponsor"), n("durbin"), n("src1"))])
    assert ask(store, f"ASK {{ <{EX}bill> <{EX}contributor> <{EX}durbin> }}")


def test_retracted_only_when_no_support_is_left(store):
    store.add(
        [ox.Quad(n("ijm"), TYPE, n("NGO"), n("src1")), ox.Quad(n("ijm"), TYPE, n("NGO"), n("src2"))]
    )
    store.drop_graph(EX + "src1")
    assert ask(store, f"ASK {{ <{EX}ijm> a <{EX}Organization> }}")  # src2 still says NGO
    store.drop_graph(EX + "src2")
    assert not ask(store, f"ASK {{ <{EX}ijm> a <{EX}Organization> }}")
    assert inferred(store) == set()


def test_other_support_keeps_the_entailment(store):
    store.add(
        [ox.Quad(n("x"), TYPE, n("NGO"), n("s")), ox.Quad(n("x"), TYPE, n("Committee"), n("s"))]
    )
    store.replace_graph(EX + "s", [ox.Quad(n("x"), TYPE, n("Committee"), n("s"))])
    assert ask(store, f"ASK {{ <{EX}x> a <{EX}Organization> }}")
    assert not ask(store, f"ASK {{ <{EX}x> a <{EX}NGO> }}")


def test_schema_change_recomputes(store):
    store.add([ox.Quad(n("x"), TYPE, n("Thing"), n("s"))])
    assert not ask(store, f"ASK {{ <{EX}x> a <{EX}Organization> }}")
    store.add([ox.Quad(n("Thing"), ox.NamedNode(RDFS + "subClassOf"), n("NGO"), ox.NamedNode(ONT))])
    assert ask(store, f"ASK {{ <{EX}x> a <{EX}Organization> }}")
    store.drop_graph(ONT)
    assert inferred(store) == set()


def test_incremental_equals_recomputed(store):
    store.add(
        [
            ox.Quad(n(f"e{i}"), TYPE, n(["NGO", "Committee", "Body"][i % 3]), n(f"s{i % 4}"))
            for i in range(30)
        ]
    )
    store.drop_graph(EX + "s1")
    store.replace_graph(EX + "s2", [ox.Quad(n("e2"), n("sponsor"), n("e3"), n("s2"))])
    incremental = inferred(store)
    fresh = EmbeddedStore("memory:", inferred_graph=INF)
    fresh.add([q for q in store.primary if q.graph_name != ox.NamedNode(INF)])
    assert inferred(fresh) == incremental


def test_inferred_graph_is_not_writable_and_not_dumped(store):
    store.add([ox.Quad(n("ijm"), TYPE, n("NGO"), n("src1"))])
    with pytest.raises(errors.UpdateRejected):
        store.add([ox.Quad(n("a"), TYPE, n("B"), ox.NamedNode(INF))])
    plain = b"".join(store.dump())
    assert INF.encode() not in plain and b"src1" in plain
    assert INF.encode() in b"".join(store.dump(include_inferred=True))
