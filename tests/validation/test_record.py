"""Warnings of committed changes are recorded in the validation graph and can be queried."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store import EmbeddedStore
from kg.validation import ShaclGate
from kg.validation.record import VALIDATION_GRAPH, result_quads, term
from kg.validation.report import ValidationResult

FIX = Path(__file__).parent / "fixtures"
EX = "http://example.org/"
G = ox.NamedNode(EX + "g")
VG = ox.NamedNode(VALIDATION_GRAPH)
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
WARNINGS = f"""
PREFIX sh: <http://www.w3.org/ns/shacl#>
SELECT ?focus ?path ?msg WHERE {{
  GRAPH <{VALIDATION_GRAPH}> {{
    ?r sh:focusNode ?focus ; sh:resultSeverity sh:Warning ; sh:resultMessage ?msg .
    OPTIONAL {{ ?r sh:resultPath ?path }} }} }} ORDER BY ?focus"""


def n(x: str) -> ox.NamedNode:
    return ox.NamedNode(EX + x)


@pytest.fixture
def store(fixture_shapes):
    s = EmbeddedStore("memory:")
    s.primary.load(path=str(FIX / "data.ttl"), format=ox.RdfFormat.TURTLE, to_graph=G)
    s.shacl = ShaclGate(fixture_shapes)
    yield s
    s.close()


def commit(store, added, removed=()):
    """What ``EmbeddedStore._commit`` does with the gate's answer: commit it with the change."""
    more_added, more_removed = store.shacl.gate_for(store.primary)(list(added), list(removed))
    store._commit([*added, *more_added], [*removed, *more_removed])


def warnings(store):
    return [
        (row["focus"].value, row["path"].value, row["msg"].value)
        for row in store.primary.query(WARNINGS)
    ]


def test_a_warning_is_recorded_queryable_and_cleared_when_fixed(store):
    label = next(iter(store.primary.quads_for_pattern(n("p3"), LABEL, None)))
    commit(store, [], [label])
    assert label not in store.primary
    ((focus, path, msg),) = warnings(store)
    assert (focus, path) == (EX + "p3", str(LABEL.value))
    assert msg.startswith("p3: is missing its label")
    commit(store, [label])  # the label is back: p3's result goes
    assert warnings(store) == []
    assert not list(store.primary.quads_for_pattern(None, None, None, VG))


def test_recording_twice_or_an_unrelated_change_keeps_other_results(store):
    for p in ("p2", "p3"):
        q = next(iter(store.primary.quads_for_pattern(n(p), LABEL, None)))
        commit(store, [], [q])
    assert [w[0] for w in warnings(store)] == [EX + "p2", EX + "p3"]
    before = set(store.primary.quads_for_pattern(None, None, None, VG))
    commit(store, [ox.Quad(n("b2"), n("code"), ox.Literal("B22"), G)])  # touches b2 only
    assert set(store.primary.quads_for_pattern(None, None, None, VG)) == before
    # the same report recorded again changes nothing
    assert store.shacl.record(store.primary) == ([], [])


def test_the_validation_graph_is_not_data(store):
    """Results sit in the union default graph, but the gate does not validate them."""
    q = next(iter(store.primary.quads_for_pattern(n("p3"), LABEL, None)))
    commit(store, [], [q])
    stray = ox.Quad(n("x"), TYPE, n("Bill"), VG)  # would be a Bill without a label as data
    report = store.shacl.check(store.primary, [stray], [])
    assert report.results == [] and report.checked == set()
    full = store.shacl.check(  # a subClassOf change validates everything
        store.primary,
        [
            ox.Quad(
                n("Bill"),
                ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf"),
                n("Doc"),
                G,
            )
        ],
        [],
    )
    assert full.mode == "full" and full.checked is None
    assert [r.focus_node for r in full.results] == [f"<{EX}p3>"]


def test_terms_round_trip_ill_typed_and_multiline_literals():
    ill = '"abc"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert term(ill) == ox.Literal(
        "abc", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    )
    assert term('"a\\nb \\"c\\""@en') == ox.Literal('a\nb "c"', language="en")
    r = ValidationResult(
        focus_node=f"<{EX}a>",
        severity="Info",
        component="DatatypeConstraintComponent",
        source_shape="_:b0",
        path=f"<{EX}p>",
        value=ill,
        text="a: p abc has the wrong datatype; fix the value.",
    )
    quads = result_quads([r], VALIDATION_GRAPH)
    preds = {q.predicate.value.rsplit("#", 1)[-1] for q in quads}
    assert "sourceShape" not in preds  # a blank-node shape means nothing outside its report
    assert {q.object for q in quads if q.predicate.value.endswith("#value")} == {term(ill)}
    assert {q.graph_name for q in quads} == {VG}


def test_the_store_records_warnings_through_its_own_commit(store):
    store.gate = store.shacl.gate_for(store.primary)
    label = next(iter(store.primary.quads_for_pattern(n("p3"), LABEL, None)))
    store._commit([], [label])
    assert [w[0] for w in warnings(store)] == [EX + "p3"]
