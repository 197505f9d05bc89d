import pyoxigraph as ox
import pytest

from kg import sparqltext
from tests.conftest import numbered


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT"),
        ("PREFIX ex: <http://e/> BASE <http://b/> ask { ?s ?p ?o }", "ASK"),
        ("# a comment\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://e/a>", "DESCRIBE"),
        ("PREFIX : <http://e/> INSERT DATA { GRAPH :g { :a :b :c } }", "UPDATE"),
        ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
        ("nonsense", ""),
    ],
)
def test_form(text, form):
    assert sparqltext.inspect(text).form == form


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("SELECT * { SERVICE <http://remote/sparql> { ?s ?p ?o } }", "http://remote/sparql"),
        ("SELECT * { SERVICE SILENT <http://remote/> { ?s ?p ?o } }", "http://remote/"),
        ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", "SERVICE with a variable target"),
        ("SELECT * { serVice <http://r/> {} }", "http://r/"),
        ("SELECT * { \\u0053ERVICE <http://r/> {} }", "http://r/"),
        ("LOAD <http://remote/data.ttl>", "http://remote/data.ttl"),
        ("LOAD SILENT <http://remote/x> INTO GRAPH <http://g>", "http://remote/x"),
        # mentions that are not the keyword are not outbound
        ('SELECT * { ?s ?p "SERVICE <http://r/>" }', None),
        ("SELECT * { ?s <http://e/SERVICE> ?o } # SERVICE <http://r/>", None),
        ("PREFIX ex: <http://e/> SELECT * { ?s ex:SERVICE ?o }", None),
    ],
)
def test_outbound(text, target):
    assert sparqltext.inspect(text).outbound() == target


def test_allow_list_covers_prefix():
    req = sparqltext.inspect("SELECT * { SERVICE <http://ok.example/sparql> {} }")
    assert req.outbound(["http://ok.example/"]) is None
    assert req.outbound(["http://other/"]) == "http://ok.example/sparql"


def _run(store, text):
    return store.query(text, use_default_graph_as_union=True)


def test_capped_select_keeps_variable_order_and_from():
    store = ox.Store()
    store.extend(numbered(20))
    q = "PREFIX ex: <http://example.org/> SELECT ?v ?s FROM <http://example.org/g1> WHERE { ?s ex:value ?v } ORDER BY ?v"
    req = sparqltext.inspect(q)
    capped = sparqltext.capped_select(req, 5)
    result = store.query(capped)
    assert [v.value for v in result.variables] == ["v", "s"]
    assert len(list(store.query(capped))) == 5
    assert bool(store.query(sparqltext.probe_beyond(req, 19)))
    assert not bool(store.query(sparqltext.probe_beyond(req, 20)))


def test_capped_select_with_values_and_group_by():
    store = ox.Store()
    store.extend(numbered(10))
    q = (
        "PREFIX ex: <http://example.org/> SELECT ?s (COUNT(*) AS ?n) { ?s ex:value ?v } "
        "GROUP BY ?s VALUES ?s { ex:s1 ex:s2 }"
    )
    rows = list(_run(store, sparqltext.capped_select(sparqltext.inspect(q), 100)))
    assert sorted(r["s"].value for r in rows) == ["http://example.org/s1", "http://example.org/s2"]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("SELECT ?b ?a { ?a ?p ?b }", ["b", "a"]),
        ("SELECT DISTINCT ?b (COUNT(?a) AS ?n) { ?a ?p ?b } GROUP BY ?b", ["b", "n"]),
        ("SELECT (STR(?a) AS ?s) ?b WHERE { ?a ?p ?b }", ["s", "b"]),
        ("SELECT * { ?a ?p ?b }", None),
    ],
)
def test_projection(text, names):
    assert sparqltext.inspect(text).projection == names


def test_star_select_keeps_engine_order():
    store = ox.Store()
    store.extend(numbered(5))
    q = "PREFIX ex: <http://example.org/> SELECT * { ?s ex:value ?v } ORDER BY ?v"
    original = [v.value for v in _run(store, q).variables]
    capped = [
        v.value for v in _run(store, sparqltext.capped_select(sparqltext.inspect(q), 3)).variables
    ]
    assert capped == original
