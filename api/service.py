"""What the service is: a SPARQL 1.1 Service Description (``GET /sparql`` with no query) and
a VoID description of the dataset (``/.well-known/void``), both by content negotiation."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.negotiation import negotiate
from kg.formats import RDF_FORMATS

DESCRIPTION_OFFER = [RDF_FORMATS[n] for n in ("turtle", "jsonld", "rdfxml", "ntriples")]
#: the project's licence, used when the ontology declares none
LICENSE = "https://www.apache.org/licenses/LICENSE-2.0"

SD = "http://www.w3.org/ns/sparql-service-description#"
VOID = "http://rdfs.org/ns/void#"
DCT = "http://purl.org/dc/terms/"
FORMATS = "http://www.w3.org/ns/formats/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"

router = APIRouter()


def _base(headers: dict[str, str], scheme: str = "http") -> str:
    host = headers.get("host", "localhost")
    return f"{scheme}://{host}"


def service_description(base: str, union: bool) -> list[ox.Triple]:
    """The sd: description of ``{base}/sparql``."""
    n, lit = ox.NamedNode, ox.Literal
    svc, ds, dg = n(base + "/sparql#service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    t = [
        ox.Triple(svc, n(RDF + "type"), n(SD + "Service")),
        ox.Triple(svc, n(SD + "endpoint"), n(base + "/sparql")),
        ox.Triple(svc, n(SD + "defaultDataset"), ds),
        ox.Triple(ds, n(RDF + "type"), n(SD + "Dataset")),
        ox.Triple(ds, n(SD + "defaultGraph"), dg),
        ox.Triple(dg, n(RDF + "type"), n(SD + "Graph")),
        ox.Triple(
            svc,
            n(DCT + "description"),
            lit(
                "osec-kg: a knowledge graph of the fight "
                "against online sexual exploitation of children"
            ),
        ),
        ox.Triple(n(base + "/.well-known/void"), n(RDF + "type"), n(VOID + "DatasetDescription")),
    ]
    for lang in ("SPARQL11Query", "SPARQL11Update"):
        t.append(ox.Triple(svc, n(SD + "supportedLanguage"), n(SD + lang)))
    feats: list[str] = []
    if union:
        feats.append("UnionDefaultGraph")
    for f in feats:
        t.append(ox.Triple(svc, n(SD + "feature"), n(SD + f)))
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "RDF_XML",
        "JSON-LD",
        "N-Quads",
        "TriG",
    ):
        t.append(ox.Triple(svc, n(SD + "resultFormat"), n(FORMATS + name)))
    for name in ("Turtle", "N-Triples", "RDF_XML", "JSON-LD"):
        t.append(ox.Triple(svc, n(SD + "inputFormat"), n(FORMATS + name)))
    return t


def render(triples: list[ox.Triple], accept: str | None, format_param: str | None) -> Response:
    fmt = negotiate(DESCRIPTION_OFFER, accept, format_param)
    body = ox.serialize(triples, format=fmt.rdf) or b""
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})


def _select(store: Any, text: str) -> list[dict[str, Any]]:
    result = store.primary.query(text)
    rows = json.loads(result.serialize(format=ox.QueryResultsFormat.JSON))
    return rows["results"]["bindings"]


def _license(store: Any) -> str:
    """The licence the ontology declares (``dct:license``), else the project's."""
    rows = _select(
        store,
        "SELECT ?l WHERE { GRAPH ?g { ?o a <http://www.w3.org/2002/07/owl#Ontology> ; "
        "<http://purl.org/dc/terms/license> ?l FILTER isIRI(?l) } } ORDER BY ?l LIMIT 1",
    )
    return rows[0]["l"]["value"] if rows else LICENSE


def void_description(store: Any, base: str) -> list[ox.Triple]:
    """VoID of the dataset: sizes, classes, properties, named graphs (each a source)."""
    n, lit = ox.NamedNode, ox.Literal
    integer = n(XSD + "integer")
    ds = n(base + "/.well-known/void#dataset")
    sizes = _select(
        store,
        "SELECT (COUNT(*) AS ?t) (COUNT(DISTINCT ?s) AS ?s_) (COUNT(DISTINCT ?p) AS ?p_) "
        "(COUNT(DISTINCT ?c) AS ?c_) WHERE { GRAPH ?g { ?s ?p ?o OPTIONAL { ?s a ?c FILTER(?p = "
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> && ?o = ?c) } } }",
    )[0]
    t = [
        ox.Triple(ds, n(RDF + "type"), n(VOID + "Dataset")),
        ox.Triple(ds, n(DCT + "title"), lit("osec-kg")),
        ox.Triple(ds, n(DCT + "license"), n(_license(store))),
        ox.Triple(ds, n(VOID + "sparqlEndpoint"), n(base + "/sparql")),
        ox.Triple(ds, n(VOID + "dataDump"), n(base + "/dump")),
        ox.Triple(ds, n(VOID + "dataDump"), n(base + "/dump.nq.gz")),
        ox.Triple(ds, n(DCT + "hasVersion"), lit(store.version)),
        ox.Triple(ds, n(VOID + "uriSpace"), lit("https://w3id.org/osec-kg/id/")),
    ]
    for key, prop in (
        ("t", "triples"),
        ("s_", "distinctSubjects"),
        ("p_", "properties"),
        ("c_", "classes"),
    ):
        t.append(ox.Triple(ds, n(VOID + prop), lit(sizes[key]["value"], datatype=integer)))
    for i, row in enumerate(
        _select(
            store,
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH "
            "?g { ?s a ?c } FILTER isIRI(?c) } GROUP BY ?c ORDER BY ?c",
        )
    ):
        part = ox.BlankNode(f"class{i}")
        t += [
            ox.Triple(ds, n(VOID + "classPartition"), part),
            ox.Triple(part, n(VOID + "class"), n(row["c"]["value"])),
            ox.Triple(part, n(VOID + "entities"), lit(row["n"]["value"], datatype=integer)),
        ]
    for i, row in enumerate(
        _select(
            store,
            "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?p ORDER BY ?p",
        )
    ):
        part = ox.BlankNode(f"property{i}")
        t += [
            ox.Triple(ds, n(VOID + "propertyPartition"), part),
            ox.Triple(part, n(VOID + "property"), n(row["p"]["value"])),
            ox.Triple(part, n(VOID + "triples"), lit(row["n"]["value"], datatype=integer)),
        ]
    graphs = _select(
        store,
        "SELECT ?g ?n (SAMPLE(?title) AS ?t) WHERE { "
        "{ SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g } "
        "OPTIONAL { GRAPH ?g { ?g <http://purl.org/dc/terms/title> ?title } } "
        "} GROUP BY ?g ?n ORDER BY ?g",
    )
    for row in graphs:
        g = n(row["g"]["value"])
        t += [
            ox.Triple(ds, n(VOID + "subset"), g),
            ox.Triple(g, n(RDF + "type"), n(VOID + "Dataset")),
            ox.Triple(g, n(DCT + "source"), g),
            ox.Triple(g, n(VOID + "triples"), lit(row["n"]["value"], datatype=integer)),
        ]
        if "t" in row:
            t.append(ox.Triple(g, n(DCT + "title"), lit(row["t"]["value"])))
    for row in _select(
        store,
        "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s a ?c } FILTER isIRI(?s) } ORDER BY ?s LIMIT 5",
    ):
        t.append(ox.Triple(ds, n(VOID + "exampleResource"), n(row["s"]["value"])))
    return t


@router.get("/.well-known/void")
async def void(request: Request, format: str | None = None) -> Response:
    """The VoID description, computed from the store (cached per data version)."""
    store = request.app.state.store
    cache = getattr(request.app.state, "void_cache", None)
    if cache is None:
        cache = request.app.state.void_cache = {}
    base = str(request.base_url).rstrip("/")
    key = (store.version, base)
    if key not in cache:
        cache.clear()
        cache[key] = await asyncio.to_thread(void_description, store, base)
    return render(cache[key], request.headers.get("accept"), format)
