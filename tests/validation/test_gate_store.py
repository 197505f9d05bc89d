"""The gate wired into a real EmbeddedStore: Violations refuse the commit, Warnings pass."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import ValidationFailed
from kg.store import EmbeddedStore
from kg.validation import ShaclGate

FIX = Path(__file__).parent / "fixtures"
EX = "http://example.org/"
G = ox.NamedNode(EX + "g")


def n(x):
    return ox.NamedNode(EX + x)


@pytest.fixture
def store(fixture_shapes):
    s = EmbeddedStore("memory:")
    s.primary.load(path=str(FIX / "data.ttl"), format=ox.RdfFormat.TURTLE, to_graph=G)
    gate = ShaclGate(fixture_shapes)
    s.gate = gate.gate_for(s.primary)
    s.shacl = gate
    yield s
    s.close()


def test_violation_refuses_the_change_and_names_the_entity(store):
    before = len(store.primary)
    bad = ox.Quad(
        n("b1"),
        n("enacted"),
        ox.Literal("2023-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
        G,
    )
    with pytest.raises(ValidationFailed) as exc:
        store.add([bad])
    assert len(store.primary) == before
    assert "REPORT Act (b1)" in exc.value.message
    assert "introduced" in exc.value.message


def test_removing_a_type_two_hops_away_reaches_the_bill(store):
    """b1's sponsor p1 stops being a Person: b1 (not in the change) gets the class violation."""
    typ = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    with pytest.raises(ValidationFailed) as exc:
        store._commit([], [ox.Quad(n("p1"), typ, n("Person"), G)])
    focus = {r["focus_node"] for r in exc.value.extra["report"]["results"]}
    assert "<http://example.org/b1>" in focus


def test_warning_is_committed_and_recorded(store):
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    q = next(iter(store.primary.quads_for_pattern(n("p3"), label, None)))
    store._commit([], [q])
    assert q not in store.primary
    assert store.shacl.last.conforms
    assert [r.severity for r in store.shacl.last.results] == ["Warning"]


def test_valid_change_commits(store):
    q = ox.Quad(
        n("b9"), ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), n("Person"), G
    )
    store.add([q])
    assert q in store.primary


def test_owl_imports_and_service_are_refused():
    from kg.errors import Forbidden
    from kg.validation import load_shapes

    with pytest.raises(Forbidden):
        load_shapes(data="<x:s> <http://www.w3.org/2002/07/owl#imports> <http://example.org/o> .")
    with pytest.raises(Forbidden):
        load_shapes(
            data='<x:s> <http://www.w3.org/ns/shacl#select> "SELECT * { SERVICE <http://e/> { ?s ?p ?o } }" .'
        )


def test_the_change_analysis_waits_for_the_first_change(fixture_shapes):
    """Whole-graph validation (``kg validate``, ``/validate``) never reads the change sites;
    the first gated change does, once, and gates as before."""
    gate = ShaclGate(fixture_shapes)
    assert gate._reach is None
    s = EmbeddedStore("memory:")
    s.primary.load(path=str(FIX / "data.ttl"), format=ox.RdfFormat.TURTLE, to_graph=G)
    try:
        assert gate.validate_store(s.primary, union=True).conforms
        assert gate._reach is None
        s.gate = gate.gate_for(s.primary)
        s.add([ox.Quad(n("b9"), n("note"), ox.Literal("x"), G)])
        reach = gate._reach
        assert reach is not None and gate.prepare()._reach is reach  # read once
        assert gate.check(s.primary, [], []).mode == ("focus" if reach.bounded else "full")
    finally:
        s.close()
