"""Union mode: the default graph is the union of the named graphs and is never written."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.delta import (
    Delta,
    UpdateRefused,
    UpdateSyntaxError,
    apply_delta,
    compute_delta,
)
from tests.delta.w3c import copy_store

EX = "http://example.org/"
PREFIX = f"PREFIX ex: <{EX}>\n"


def n(local: str) -> ox.NamedNode:
    return ox.NamedNode(EX + local)


def q(s: str, p: str, o: str, g: str | None) -> ox.Quad:
    return ox.Quad(n(s), n(p), n(o), n(g) if g else ox.DefaultGraph())


@pytest.fixture()
def store() -> ox.Store:
    s = ox.Store()
    s.extend([
        q("a", "p", "b", "g1"),
        q("a", "p", "b", "g2"),
        q("a", "q", "c", "g2"),
        q("c", "p", "d", "g3"),
    ])
    return s


def after(store: ox.Store, update: str, **kw: object) -> set[ox.Quad]:
    delta = compute_delta(store, PREFIX + update, **kw)  # type: ignore[arg-type]
    copy = copy_store(store)
    apply_delta(copy, delta)
    return set(copy)


CASES = [
    # (b) a delete outside GRAPH removes the triple from every named graph holding it
    ("DELETE WHERE { ex:a ex:p ?o }", {q("a", "q", "c", "g2"), q("c", "p", "d", "g3")}),
    ("DELETE DATA { ex:a ex:p ex:b }", {q("a", "q", "c", "g2"), q("c", "p", "d", "g3")}),
    ("DELETE { ?s ex:p ?o } WHERE { ?s ex:q ex:c . ?s ex:p ?o }", {q("a", "q", "c", "g2"), q("c", "p", "d", "g3")}),
    # (a) WHERE outside GRAPH reads the union
    (
        "INSERT { GRAPH ex:g4 { ?s ex:r ?o } } WHERE { ?s ex:p ?o }",
        {q("a", "p", "b", "g1"), q("a", "p", "b", "g2"), q("a", "q", "c", "g2"),
         q("c", "p", "d", "g3"), q("a", "r", "b", "g4"), q("c", "r", "d", "g4")},
    ),
    # GRAPH still tells sources apart
    ("DELETE WHERE { GRAPH ex:g1 { ?s ?p ?o } }",
     {q("a", "p", "b", "g2"), q("a", "q", "c", "g2"), q("c", "p", "d", "g3")}),
    # WITH replaces the union, for WHERE and for templates outside GRAPH
    ("WITH ex:g2 DELETE { ?s ex:p ?o } INSERT { ?s ex:r ?o } WHERE { ?s ex:p ?o }",
     {q("a", "p", "b", "g1"), q("a", "r", "b", "g2"), q("a", "q", "c", "g2"),
      q("c", "p", "d", "g3")}),
    ("WITH ex:g3 INSERT { ?s ex:r ?o } WHERE { ?s ex:q ?o }",
     {q("a", "p", "b", "g1"), q("a", "p", "b", "g2"), q("a", "q", "c", "g2"),
      q("c", "p", "d", "g3")}),
    # USING replaces the union for the WHERE; the delete still reaches every graph
    ("DELETE { ?s ex:p ?o } USING ex:g3 WHERE { ?s ex:p ?o }",
     {q("a", "p", "b", "g1"), q("a", "p", "b", "g2"), q("a", "q", "c", "g2")}),
    ("INSERT { GRAPH ex:g4 { ?s ?p ?o } } USING NAMED ex:g3 WHERE { ?s ?p ?o }",
     {q("a", "p", "b", "g1"), q("a", "p", "b", "g2"), q("a", "q", "c", "g2"),
      q("c", "p", "d", "g3")}),
    # DEFAULT as a source reads the union
    ("COPY DEFAULT TO ex:g4",
     {q("a", "p", "b", "g1"), q("a", "p", "b", "g2"), q("a", "q", "c", "g2"),
      q("c", "p", "d", "g3"), q("a", "p", "b", "g4"), q("a", "q", "c", "g4"),
      q("c", "p", "d", "g4")}),
    ("CLEAR ALL", set()),
    ("DROP GRAPH ex:g2", {q("a", "p", "b", "g1"), q("c", "p", "d", "g3")}),
    # multi-operation: each operation sees the previous ones
    ("DELETE WHERE { GRAPH ex:g1 { ?s ?p ?o } } ; INSERT { GRAPH ex:g1 { ?s ex:r ?o } } "
     "WHERE { ?s ex:p ?o }",
     {q("a", "p", "b", "g2"), q("a", "q", "c", "g2"), q("c", "p", "d", "g3"),
      q("a", "r", "b", "g1"), q("c", "r", "d", "g1")}),
    ("INSERT DATA { GRAPH ex:g1 { ex:x ex:p ex:y } } ; DELETE WHERE { ?s ex:p ?o }",
     {q("a", "q", "c", "g2")}),
    ("DELETE DATA { GRAPH ex:g1 { ex:a ex:p ex:b } } ; INSERT DATA { GRAPH ex:g1 { ex:a ex:p ex:b } }",
     {q("a", "p", "b", "g1"), q("a", "p", "b", "g2"), q("a", "q", "c", "g2"),
      q("c", "p", "d", "g3")}),
]


@pytest.mark.parametrize("update,expected", CASES, ids=[c[0][:50] for c in CASES])
def test_union_semantics(store: ox.Store, update: str, expected: set[ox.Quad]) -> None:
    assert after(store, update) == expected


REFUSED = [
    ("INSERT DATA { ex:x ex:p ex:y }", "GRAPH"),
    ("INSERT { ?s ex:r ?o } WHERE { ?s ex:p ?o }", "WITH"),
    ("DELETE { ?s ex:p ?o } INSERT { ?s ex:r ?o } USING ex:g1 WHERE { ?s ex:p ?o }", "GRAPH"),
    ("CLEAR DEFAULT", "CLEAR ALL"),
    ("DROP SILENT DEFAULT", "DROP ALL"),
    ("ADD ex:g1 TO DEFAULT", "TO DEFAULT"),
    ("COPY ex:g1 TO DEFAULT", "TO DEFAULT"),
    ("MOVE DEFAULT TO ex:g1", "MOVE DEFAULT"),
    ("INSERT DATA { GRAPH ex:g1 { ex:x ex:p ex:y } } ; INSERT DATA { ex:x ex:p ex:y }", "GRAPH"),
    ("LOAD <http://example.org/data.ttl> INTO GRAPH ex:g1", "LOAD"),
    ("INSERT { GRAPH ex:g1 { ?s ?p ?o } } WHERE { SERVICE <http://x.example/sparql> { ?s ?p ?o } }",
     "SERVICE"),
    ("INSERT { GRAPH ex:g1 { ?s ?p ?o } } WHERE { ?s ?p ?o .SERVICE ?svc { ?s ?p ?o } }", "SERVICE"),
]


@pytest.mark.parametrize("update,needle", REFUSED, ids=[r[0][:50] for r in REFUSED])
def test_union_refusals(store: ox.Store, update: str, needle: str) -> None:
    with pytest.raises(UpdateRefused, match=needle):
        compute_delta(store, PREFIX + update)


def test_refused_request_changes_nothing_even_after_allowed_ops(store: ox.Store) -> None:
    before = set(store)
    with pytest.raises(UpdateRefused):
        compute_delta(store, PREFIX + "DELETE WHERE { ?s ?p ?o } ; CLEAR DEFAULT")
    assert set(store) == before


def test_plain_mode_writes_the_real_default_graph(store: ox.Store) -> None:
    delta = compute_delta(store, PREFIX + "INSERT DATA { ex:x ex:p ex:y }", union_default_graph=False)
    assert delta.added == {q("x", "p", "y", None)}
    delta = compute_delta(store, PREFIX + "DELETE WHERE { ex:a ex:p ?o }", union_default_graph=False)
    assert delta == Delta()


def test_protocol_dataset_and_using_conflict(store: ox.Store) -> None:
    with pytest.raises(UpdateRefused, match="using-graph-uri"):
        compute_delta(store, PREFIX + "WITH ex:g1 DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                      using_graph_uris=[EX + "g2"])
    delta = compute_delta(store, PREFIX + "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
                          using_graph_uris=[EX + "g3"])
    assert delta.removed == {q("c", "p", "d", "g3")}


def test_load_allowed_runs_on_scratch(store: ox.Store) -> None:
    delta = compute_delta(store, "LOAD SILENT <somescheme://nowhere/> INTO GRAPH <http://example.org/g9>",
                          allow_load=lambda iri: True)
    assert not delta.added and not delta.removed


def test_syntax_error_has_position(store: ox.Store) -> None:
    with pytest.raises(UpdateSyntaxError) as err:
        compute_delta(store, "PREFIX ex: <http://example.org/>\nINSERT DATA { GRAPH ex:g { ex:a ex:p } }")
    assert err.value.line == 2 and err.value.column is not None
    with pytest.raises(UpdateSyntaxError):
        compute_delta(store, "DELETE DATA { GRAPH <http://example.org/g> { _:b <http://e/p> 1 } }")
    with pytest.raises(UpdateSyntaxError):
        compute_delta(store, "INSERT DATA { GRAPH <http://example.org/g> { ?x <http://e/p> 1 } }")


def test_compute_delta_does_not_modify_the_store(store: ox.Store) -> None:
    dump = store.dump(format=ox.RdfFormat.N_QUADS)
    graphs = set(store.named_graphs())
    for update in [c[0] for c in CASES] + ["CREATE GRAPH ex:new ; DROP ALL"]:
        compute_delta(store, PREFIX + update)
        compute_delta(store, PREFIX + update, union_default_graph=False)
    assert store.dump(format=ox.RdfFormat.N_QUADS) == dump
    assert set(store.named_graphs()) == graphs


def test_insert_template_blank_nodes_are_fresh_per_solution(store: ox.Store) -> None:
    delta = compute_delta(store, PREFIX + "INSERT { GRAPH ex:g5 { ?s ex:r _:x . _:x ex:v ?o } } "
                          "WHERE { ?s ex:p ?o }")
    blanks = {x.object for x in delta.added if x.predicate == n("r")}
    # three solutions: the union keeps ex:a ex:p ex:b once per graph that holds it
    assert len(blanks) == 3 and all(isinstance(b, ox.BlankNode) for b in blanks)
    assert {x.subject for x in delta.added if x.predicate == n("v")} == blanks


def test_data_only_requests_skip_the_rdflib_parser(
    store: ox.Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kg.update.compute as compute

    def no_parse(text: str) -> None:
        raise AssertionError("rdflib parser called on the fast path")

    monkeypatch.setattr(compute, "parseUpdate", no_parse)
    delta = compute_delta(store, PREFIX + "INSERT DATA { GRAPH ex:g1 { ex:x ex:p ex:y } } ; "
                          "DELETE DATA { ex:a ex:p ex:b }")
    assert delta.added == {q("x", "p", "y", "g1")}
    assert delta.removed == {q("a", "p", "b", "g1"), q("a", "p", "b", "g2")}
