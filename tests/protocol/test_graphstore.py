"""Graph Store HTTP Protocol, dumps, service description and VoID on a real server."""

from __future__ import annotations

import gzip

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from api.graphstore import INFERRED_GRAPH

from .conftest import AUTH, EX, G1, dump

TTL = f'<{EX}s> <{EX}p> "one" .\n'
TTL2 = f'<{EX}s> <{EX}p> "two" .\n'
GS = "/rdf-graphs"


def _graph(r: httpx.Response, fmt: str = "turtle") -> rdflib.Graph:
    return rdflib.Graph().parse(data=r.text, format=fmt)


def test_put_get_post_delete_cycle(server) -> None:
    g = EX + "gsp"
    url = server.url + GS
    h = {**AUTH, "Content-Type": "text/turtle"}
    assert httpx.get(url, params={"graph": g}).status_code == 404
    assert httpx.head(url, params={"graph": g}).status_code == 404
    r = httpx.put(url, params={"graph": g}, content=TTL, headers=h)
    assert r.status_code == 201 and r.headers["location"].startswith(GS)
    assert httpx.put(url, params={"graph": g}, content=TTL, headers=h).status_code == 204
    r = httpx.post(url, params={"graph": g}, content=TTL2, headers=h)
    assert r.status_code == 204
    got = httpx.get(url, params={"graph": g})
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/turtle")
    assert got.headers["vary"] == "Accept"
    assert isomorphic(_graph(got), rdflib.Graph().parse(data=TTL + TTL2, format="turtle"))
    head = httpx.head(url, params={"graph": g})
    assert head.status_code == 200 and head.content == b""
    nt = httpx.get(url, params={"graph": g}, headers={"Accept": "application/n-triples"})
    assert (
        nt.headers["content-type"].startswith("application/n-triples")
        and len(_graph(nt, "nt")) == 2
    )
    r = httpx.put(url, params={"graph": g}, content=TTL2, headers=h)  # replaces
    assert r.status_code == 204
    assert len(_graph(httpx.get(url, params={"graph": g}))) == 1
    assert httpx.delete(url, params={"graph": g}, headers=AUTH).status_code == 204
    assert httpx.get(url, params={"graph": g}).status_code == 404
    assert httpx.delete(url, params={"graph": g}, headers=AUTH).status_code == 404


def test_post_creates_with_201_and_reads_rdfxml_and_jsonld(server) -> None:
    url = server.url + GS
    g = EX + "gsp-post"
    rdfxml = rdflib.Graph().parse(data=TTL, format="turtle").serialize(format="xml")
    r = httpx.post(
        url,
        params={"graph": g},
        content=rdfxml,
        headers={**AUTH, "Content-Type": "application/rdf+xml"},
    )
    assert r.status_code == 201
    jsonld = rdflib.Graph().parse(data=TTL2, format="turtle").serialize(format="json-ld")
    r = httpx.post(
        url,
        params={"graph": g},
        content=jsonld,
        headers={**AUTH, "Content-Type": "application/ld+json"},
    )
    assert r.status_code == 204
    assert len(_graph(httpx.get(url, params={"graph": g}))) == 2


@pytest.mark.parametrize(
    ("method", "params", "ctype", "body", "headers", "status"),
    [
        ("PUT", {"graph": EX + "bad"}, "text/turtle", "<a> <b> .", AUTH, 400),
        ("PUT", {"graph": EX + "bad"}, "image/png", TTL, AUTH, 415),
        ("PUT", {"graph": EX + "bad"}, None, TTL, AUTH, 415),
        ("PUT", {"graph": EX + "bad"}, "application/trig", TTL, AUTH, 415),
        ("PUT", {"graph": EX + "bad"}, "text/turtle", TTL, {}, 401),
        ("PUT", {"graph": EX + "bad"}, "text/turtle", TTL, {"Authorization": "Bearer no"}, 403),
        ("DELETE", {"graph": G1}, None, None, {}, 401),
        ("POST", {"graph": G1}, "text/turtle", TTL, {"Authorization": "Bearer no"}, 403),
        ("PUT", {"default": ""}, "text/turtle", TTL, AUTH, 405),
        ("POST", {"default": ""}, "text/turtle", TTL, AUTH, 405),
        ("DELETE", {"default": ""}, None, None, AUTH, 405),
        ("PUT", {"graph": INFERRED_GRAPH}, "text/turtle", TTL, AUTH, 403),
        ("POST", {"graph": INFERRED_GRAPH}, "text/turtle", TTL, AUTH, 403),
        ("DELETE", {"graph": INFERRED_GRAPH}, None, None, AUTH, 403),
        ("GET", {}, None, None, {}, 400),
        ("GET", {"graph": "not an iri"}, None, None, {}, 400),
        ("GET", {"graph": G1, "default": ""}, None, None, {}, 400),
        ("GET", {"graph": G1}, None, None, {"Accept": "image/png"}, 406),
    ],
)
def test_refusals_change_nothing(server, method, params, ctype, body, headers, status) -> None:
    before = dump(server.url)
    h = dict(headers) | ({"Content-Type": ctype} if ctype else {})
    r = httpx.request(method, server.url + GS, params=params, content=body, headers=h)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    if status == 401:
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert dump(server.url) == before


def test_get_default_is_union_of_named_graphs(server) -> None:
    r = httpx.get(server.url + GS + "?default", headers={"Accept": "application/n-triples"})
    assert r.status_code == 200
    g = _graph(r, "nt")
    assert (rdflib.URIRef(EX + "alice"), rdflib.URIRef(EX + "name"), rdflib.Literal("Alice")) in g
    assert (rdflib.URIRef(EX + "bob"), rdflib.URIRef(EX + "name"), rdflib.Literal("Bob")) in g


@pytest.mark.parametrize(
    ("path", "params", "headers", "media", "encoding"),
    [
        ("/dump", {}, {}, "application/trig", None),
        ("/dump", {"format": "nquads"}, {}, "application/n-quads", None),
        ("/dump", {}, {"Accept": "application/n-quads"}, "application/n-quads", None),
        ("/dump", {}, {"Accept-Encoding": "gzip"}, "application/trig", "gzip"),
        ("/dump.nq.gz", {}, {}, "application/gzip", None),
    ],
)
def test_dump(server, path, params, headers, media, encoding) -> None:
    headers = {"Accept-Encoding": "identity", **headers}
    r = httpx.get(server.url + path, params=params, headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
    assert r.headers.get("content-encoding") == encoding
    body = gzip.decompress(r.content) if media == "application/gzip" else r.content
    fmt = ox.RdfFormat.TRIG if "trig" in media else ox.RdfFormat.N_QUADS
    quads = list(ox.parse(body, format=fmt))
    assert (
        ox.Quad(
            ox.NamedNode(EX + "alice"),
            ox.NamedNode(EX + "name"),
            ox.Literal("Alice"),
            ox.NamedNode(G1),
        )
        in quads
    )
    etag, modified = r.headers["etag"], r.headers["last-modified"]
    again = httpx.get(server.url + path, params=params, headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    since = httpx.get(
        server.url + path, params=params, headers={**headers, "If-Modified-Since": modified}
    )
    assert since.status_code == 304


def test_dump_etag_changes_after_a_write(server) -> None:
    e1 = httpx.get(server.url + "/dump").headers["etag"]
    r = httpx.put(
        server.url + GS,
        params={"graph": EX + "etag"},
        content=TTL,
        headers={**AUTH, "Content-Type": "text/turtle"},
    )
    assert r.status_code == 201
    r2 = httpx.get(server.url + "/dump", headers={"If-None-Match": e1})
    assert r2.status_code == 200 and r2.headers["etag"] != e1


SD = "http://www.w3.org/ns/sparql-service-description#"


@pytest.mark.parametrize(
    ("accept", "media", "fmt"),
    [
        (None, "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("application/n-triples", "application/n-triples", "nt"),
    ],
)
def test_service_description(server, accept, media, fmt) -> None:
    r = httpx.get(server.url + "/sparql", headers={"Accept": accept} if accept else {})
    assert r.status_code == 200 and r.headers["content-type"].split(";")[0] == media
    g = _graph(r, fmt)
    svc = rdflib.URIRef(server.url + "/sparql#service")
    assert (svc, rdflib.RDF.type, rdflib.URIRef(SD + "Service")) in g
    assert (svc, rdflib.URIRef(SD + "endpoint"), rdflib.URIRef(server.url + "/sparql")) in g
    assert (svc, rdflib.URIRef(SD + "feature"), rdflib.URIRef(SD + "UnionDefaultGraph")) in g
    assert (svc, rdflib.URIRef(SD + "supportedLanguage"), rdflib.URIRef(SD + "SPARQL11Update")) in g


def test_void(server) -> None:
    VOID = rdflib.Namespace("http://rdfs.org/ns/void#")
    src = EX + "source-with-title"
    body = f'<{src}> <http://purl.org/dc/terms/title> "A source" .'
    put = httpx.put(
        server.url + GS,
        params={"graph": src},
        content=body,
        headers={**AUTH, "Content-Type": "text/turtle"},
    )
    assert put.status_code in (201, 204)
    r = httpx.get(server.url + "/.well-known/void")
    assert r.status_code == 200
    g = _graph(r)
    ds = rdflib.URIRef(server.url + "/.well-known/void#dataset")
    count = httpx.get(
        server.url + "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }"},
    )
    n = int(count.json()["results"]["bindings"][0]["n"]["value"])
    assert int(g.value(ds, VOID.triples)) == n
    assert (ds, VOID.sparqlEndpoint, rdflib.URIRef(server.url + "/sparql")) in g
    assert (ds, VOID.subset, rdflib.URIRef(G1)) in g
    assert (rdflib.URIRef(G1), rdflib.DCTERMS.source, rdflib.URIRef(G1)) in g
    assert rdflib.URIRef(EX + "Person") in set(g.objects(None, VOID["class"]))
    assert g.value(rdflib.URIRef(src), rdflib.DCTERMS.title) == rdflib.Literal("A source")
    assert (ds, VOID.dataDump, rdflib.URIRef(server.url + "/dump")) in g
    assert g.value(ds, rdflib.DCTERMS.license) is not None
    assert g.value(ds, rdflib.DCTERMS.hasVersion) is not None
    assert set(g.objects(ds, VOID.exampleResource)) >= {rdflib.URIRef(EX + "alice")}


def test_options_and_unknown_method(server) -> None:
    url = server.url + GS
    r = httpx.options(url, params={"graph": G1})
    assert r.status_code == 204
    assert set(r.headers["allow"].replace(" ", "").split(",")) >= {
        "GET",
        "PUT",
        "POST",
        "DELETE",
        "HEAD",
    }
    r = httpx.request(
        "PATCH",
        url,
        params={"graph": G1},
        content=TTL,
        headers={**AUTH, "Content-Type": "text/turtle"},
    )
    assert r.status_code == 405 and r.headers["content-type"] == "application/problem+json"
    assert "PUT" in r.headers["allow"]
