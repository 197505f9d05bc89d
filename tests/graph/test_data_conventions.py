"""How data/ is laid out: one named graph per source file, no blank nodes, readable IRIs."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from .conftest import BASE, OSEC, ask, data_files, select

ENTITY = re.compile(rf"^{re.escape(BASE)}id/[a-z][a-z-]*/[A-Za-z0-9][A-Za-z0-9.-]*$")


@pytest.mark.parametrize("path", data_files(), ids=lambda p: p.name)
def test_one_named_graph_per_file_named_after_its_source(path) -> None:
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TRIG))
    graphs = {q.graph_name for q in quads}
    expected = ox.NamedNode(f"{BASE}id/source/{path.stem}")
    assert graphs == {expected}, f"{path.name} holds {graphs}"
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    src_type = ox.NamedNode(str(OSEC.SourceDocument))
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    title = ox.NamedNode("http://purl.org/dc/terms/title")
    assert (expected, rdf_type, src_type) in triples, "the graph describes its own source"
    assert any(s == expected and p == title for s, p, _o in triples)
    for q in quads:
        for term in (q.subject, q.object):
            assert not isinstance(term, ox.BlankNode), f"blank node in {path.name}"


def test_about_a_hundred_source_graphs() -> None:
    assert len(data_files()) >= 96


def test_entity_iris_are_readable(store: ox.Store) -> None:
    rows = select(store, "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }")
    for row in rows:
        s = row["s"]
        if s.startswith(BASE + "id/"):
            assert ENTITY.match(s), s
        else:
            assert s.startswith(str(OSEC)), f"unexpected subject {s}"


def test_no_ontology_terms_are_defined_in_data(store: ox.Store) -> None:
    assert not ask(
        store,
        "ASK { VALUES ?k { <http://www.w3.org/2002/07/owl#Class> <http://www.w3.org/2002/07/owl#ObjectProperty> "
        "<http://www.w3.org/2002/07/owl#DatatypeProperty> } ?t a ?k }",
    )
    assert not ask(store, "ASK { { ?t rdfs:subClassOf ?x } UNION { ?t rdfs:subPropertyOf ?x } }")


def test_bills_carry_their_congress_in_the_iri(store: ox.Store) -> None:
    rows = select(store, "SELECT DISTINCT ?b ?c WHERE { ?b a osec:Bill ; osec:congressNumber ?c }")
    assert rows
    for row in rows:
        slug = row["b"].rsplit("/", 1)[1]
        assert slug.startswith(row["c"] + "-") or slug.startswith("ph-" + row["c"] + "-"), row


GARBLED = {
    "International Judicial Mission": "organization/ijm",
    "National Centre for CybertiPline of Dead Children": "organization/ncmec",
    "CSAM Act": "bill/119-s-1829",
    "STOPCSAM Act": "bill/119-hr-3921",
    "Reporting Act": "law/us-pl-118-59",
    "Human Trafficking (TIP) report": "report/tip-report",
    "reporting hero for human trafficking": "award/tip-report-hero",
    "CybertiPline": "service/cybertipline",
}


@pytest.mark.parametrize("variant", sorted(GARBLED))
def test_op_ed_variants_resolve_in_the_op_ed_graph(store: ox.Store, variant: str) -> None:
    entity = f"<{BASE}id/{GARBLED[variant]}>"
    assert ask(
        store,
        f'ASK {{ GRAPH src:inocencio-2025-guest-essay {{ {entity} skos:altLabel "{variant}" }} }}',
        union=False,
    )
    # the variant is the op-ed's: no other source spells it so
    assert not ask(
        store,
        f'ASK {{ GRAPH ?g {{ ?x skos:altLabel "{variant}" }} FILTER(?g != src:inocencio-2025-guest-essay) }}',
        union=False,
    )
    # and the correct name stays the preferred label
    assert ask(store, f'ASK {{ {entity} skos:prefLabel ?l FILTER(?l != "{variant}") }}')
