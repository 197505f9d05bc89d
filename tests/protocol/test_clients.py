"""Real clients against a real ``kg serve``: SPARQLWrapper in every format, rdflib's stores."""

from __future__ import annotations

import csv
import io
import json

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, JSONLD, N3, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from .conftest import AUTH, EX, G1, TOKEN

SELECT = f"SELECT ?name WHERE {{ ?p a <{EX}Person> ; <{EX}name> ?name }} ORDER BY ?name"
CONSTRUCT = f"CONSTRUCT {{ ?p <{EX}name> ?n }} WHERE {{ ?p <{EX}name> ?n }}"
DESCRIBE = f"DESCRIBE <{EX}alice>"


def _names_from(fmt: str, result: object) -> list[str]:
    if fmt == JSON:
        return [b["name"]["value"] for b in result["results"]["bindings"]]  # type: ignore[index]
    if fmt == XML:
        return [e.firstChild.data for e in result.getElementsByTagName("literal")]  # type: ignore[attr-defined]
    text = result.decode()  # type: ignore[attr-defined]
    rows = list(csv.reader(io.StringIO(text), delimiter="," if fmt == CSV else "\t"))
    return [r[0].strip('"') for r in rows[1:]]


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_select(server, fmt: str, method: str) -> None:
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(SELECT)
    sw.setReturnFormat(fmt)
    sw.setMethod(method)
    assert _names_from(fmt, sw.query().convert()) == ["Alice", "Bob"]


@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_sparqlwrapper_ask(server, fmt: str) -> None:
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(f"ASK {{ <{EX}alice> <{EX}knows> <{EX}bob> }}")
    sw.setReturnFormat(fmt)
    res = sw.query().convert()
    if fmt == JSON:
        assert res["boolean"] is True
    elif fmt == XML:
        assert res.getElementsByTagName("boolean")[0].firstChild.data == "true"
    else:
        assert res.decode().splitlines()[-1].strip().lower() in ("true", "1")


@pytest.mark.parametrize("fmt", [TURTLE, N3, RDFXML, JSONLD])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE])
def test_sparqlwrapper_graph(server, fmt: str, query: str) -> None:
    sw = SPARQLWrapper(server.url + "/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    res = sw.query()
    g = res.convert()
    if not isinstance(g, rdflib.Graph):  # SPARQLWrapper hands TURTLE/N3 back as bytes
        g = rdflib.Graph().parse(data=g, format="turtle")
    assert (rdflib.URIRef(EX + "alice"), rdflib.URIRef(EX + "name"), rdflib.Literal("Alice")) in g
    if query == CONSTRUCT:
        assert len(g) == 2


def test_ntriples_construct(server) -> None:
    import httpx

    r = httpx.get(
        server.url + "/sparql",
        params={"query": CONSTRUCT},
        headers={"Accept": "application/n-triples"},
    )
    assert r.headers["content-type"] == "application/n-triples"
    assert len(rdflib.Graph().parse(data=r.text, format="nt")) == 2


def test_rdflib_sparqlstore_reads(server) -> None:
    store = SPARQLStore(server.url + "/sparql")
    g = rdflib.Graph(store)
    rows = list(g.query(SELECT))
    assert [str(r[0]) for r in rows] == ["Alice", "Bob"]
    assert g.query(f"ASK {{ <{EX}bob> a <{EX}Person> }}").askAnswer is True
    assert len(g.query(CONSTRUCT).graph) == 2


def test_rdflib_updatestore_writes_with_token(server) -> None:
    store = SPARQLUpdateStore(
        server.url + "/sparql", server.url + "/sparql", headers=AUTH, autocommit=True
    )
    ds = rdflib.Dataset(store)
    graph = ds.graph(rdflib.URIRef(EX + "rdflib"))
    triple = (rdflib.URIRef(EX + "carol"), rdflib.URIRef(EX + "name"), rdflib.Literal("Carol"))
    graph.add(triple)
    ask = f'ASK {{ GRAPH <{EX}rdflib> {{ <{EX}carol> <{EX}name> "Carol" }} }}'
    assert ds.query(ask).askAnswer is True
    graph.remove(triple)
    assert ds.query(ask).askAnswer is False


def test_rdflib_updatestore_wrong_token_changes_nothing(server) -> None:
    from urllib.error import HTTPError

    store = SPARQLUpdateStore(
        server.url + "/sparql",
        server.url + "/sparql",
        headers={"Authorization": "Bearer not-" + TOKEN},
        autocommit=True,
    )
    g = rdflib.Graph(store, identifier=rdflib.URIRef(G1))
    with pytest.raises(HTTPError) as info:
        g.add((rdflib.URIRef(EX + "eve"), rdflib.URIRef(EX + "name"), rdflib.Literal("Eve")))
    assert info.value.code == 403
    assert g.query(f"ASK {{ <{EX}eve> ?p ?o }}").askAnswer is False


def test_json_results_parse_as_json(server) -> None:
    import httpx

    r = httpx.get(server.url + "/sparql", params={"query": SELECT})
    assert r.headers["content-type"] == "application/sparql-results+json; charset=utf-8"
    assert json.loads(r.text)["head"]["vars"] == ["name"]


def test_jsonld_compacted_with_the_context(tmp_path_factory) -> None:
    import httpx

    from .conftest import SEED, start

    ctx = tmp_path_factory.mktemp("ctx") / "context.jsonld"
    ctx.write_text(json.dumps({"@context": {"ex": EX, "name": EX + "name"}}))
    srv = start(
        tmp_path_factory.mktemp("jsonld"), {"KG_WRITE_TOKEN": TOKEN, "KG_JSONLD_CONTEXT": str(ctx)}
    )
    try:
        r = httpx.post(
            srv.url + "/sparql",
            content=SEED,
            headers={**AUTH, "Content-Type": "application/sparql-update"},
        )
        assert r.status_code == 204
        r = httpx.get(
            srv.url + "/sparql",
            params={"query": CONSTRUCT},
            headers={"Accept": "application/ld+json"},
        )
        assert r.headers["content-type"] == "application/ld+json; charset=utf-8"
        doc = json.loads(r.text)
        assert doc["@context"] == {"ex": EX, "name": EX + "name"}
        assert "name" in r.text and EX + "name" not in json.dumps(doc.get("@graph", doc))
        g = rdflib.Graph().parse(data=r.text, format="json-ld")
        assert (
            rdflib.URIRef(EX + "alice"),
            rdflib.URIRef(EX + "name"),
            rdflib.Literal("Alice"),
        ) in g
        assert len(g) == 2
    finally:
        srv.stop()


def test_jsonld_without_context_is_expanded(server) -> None:
    import httpx

    r = httpx.get(
        server.url + "/sparql",
        params={"query": CONSTRUCT},
        headers={"Accept": "application/ld+json"},
    )
    doc = json.loads(r.text)
    assert "@context" not in r.text
    assert len(rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")) == 2
