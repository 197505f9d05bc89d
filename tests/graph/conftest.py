"""Fixtures for the tests of the ontology, shapes, bundled data and example queries."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import OWL, RDF, RDFS

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology" / "osec.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
CONTEXT = ROOT / "ontology" / "context.jsonld"
DATA = ROOT / "data"
QUERIES = ROOT / "queries"
# the fact base sits in the shared folder beside the checkout, or where the conformance suites
# are read from (/work/shared) when the checkout is elsewhere
REFERENCE = next(
    (
        p
        for p in (
            ROOT.parent / "shared" / "reference" / "domain-facts.md",
            Path("/work/shared/reference/domain-facts.md"),
        )
        if p.exists()
    ),
    Path("/work/shared/reference/domain-facts.md"),
)

BASE = "https://w3id.org/osec-kg/"
OSEC = rdflib.Namespace(BASE + "ontology#")
ONTOLOGY_GRAPH = BASE + "graph/ontology"

PREFIXES = f"""
PREFIX osec: <{OSEC}>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX schema: <https://schema.org/>
PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX src: <{BASE}id/source/>
PREFIX fact: <{BASE}id/fact/>
PREFIX claim: <{BASE}id/claim/>
PREFIX organization: <{BASE}id/organization/>
PREFIX person: <{BASE}id/person/>
PREFIX country: <{BASE}id/country/>
PREFIX bill: <{BASE}id/bill/>
PREFIX law: <{BASE}id/law/>
PREFIX usc: <{BASE}id/code-section/>
PREFIX event: <{BASE}id/event/>
PREFIX vote: <{BASE}id/vote/>
PREFIX report: <{BASE}id/report/>
PREFIX edition: <{BASE}id/report-edition/>
PREFIX tier: <{BASE}id/tier-placement/>
PREFIX stat: <{BASE}id/statistic/>
PREFIX mship: <{BASE}id/membership/>
PREFIX post: <{BASE}id/post/>
PREFIX oblig: <{BASE}id/obligation/>
PREFIX prv: <{BASE}id/provision/>
PREFIX award: <{BASE}id/award/>
PREFIX conferral: <{BASE}id/award-conferral/>
PREFIX service: <{BASE}id/service/>
PREFIX term: <{BASE}id/legislative-term/>
"""


@contextlib.contextmanager
def translated_sparql_once() -> Iterator[None]:
    """Translate each SPARQL text once while validating.

    pyshacl hands a sh:sparql constraint's text to rdflib once per focus node, and rdflib
    parses and translates it every time (pyparsing, ~0.1 s): most of the validation time.
    The translated algebra is reused; evaluation does not change it (checked: same reports on
    the bundled data and on every invalid file). Parsing alone must not be cached: the
    translation mutates the parse tree.
    """
    from rdflib.plugins.sparql import processor

    original = processor.SPARQLProcessor.query
    memo: dict = {}

    def query(self, q, initBindings=None, initNs=None, base=None, DEBUG=False):  # noqa: N803
        if isinstance(q, str):
            key = (q, base, tuple(sorted((k, str(v)) for k, v in (initNs or {}).items())))
            if key not in memo:
                memo[key] = processor.translateQuery(processor.parseQuery(q), base, initNs)
            q = memo[key]
        return original(self, q, initBindings, initNs, base, DEBUG)

    processor.SPARQLProcessor.query = query  # type: ignore[method-assign]
    try:
        yield
    finally:
        processor.SPARQLProcessor.query = original  # type: ignore[method-assign]


def data_files() -> list[Path]:
    return sorted(DATA.glob("*.trig"))


def load_store(files: Iterable[Path] | None = None, with_ontology: bool = False) -> ox.Store:
    store = ox.Store()
    for path in files if files is not None else data_files():
        store.load(path=str(path), format=ox.RdfFormat.TRIG)
    if with_ontology:
        store.load(
            path=str(ONTOLOGY), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_GRAPH)
        )
    return store


def union_graph(files: Iterable[Path] | None = None) -> rdflib.Graph:
    """All quads of the given TriG files as one rdflib graph (the union default graph)."""
    store = load_store(files)
    triples = store.query(
        "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
    )
    return rdflib.Graph().parse(data=triples.serialize(format=ox.RdfFormat.N_TRIPLES), format="nt")


def hierarchy(ontology: rdflib.Graph) -> tuple[dict, dict]:
    """Reflexive-transitive superclass and superproperty maps, with equivalences as mutual links."""

    def closure(sub: rdflib.URIRef, equiv: rdflib.URIRef) -> dict:
        up: dict = {}
        for a, b in ontology.subject_objects(sub):
            up.setdefault(a, set()).add(b)
        for a, b in ontology.subject_objects(equiv):
            up.setdefault(a, set()).add(b)
            up.setdefault(b, set()).add(a)
        result = {}
        for start in up:
            seen, todo = {start}, [start]
            while todo:
                for nxt in up.get(todo.pop(), ()):
                    if nxt not in seen:
                        seen.add(nxt)
                        todo.append(nxt)
            result[start] = seen
        return result

    return closure(RDFS.subClassOf, OWL.equivalentClass), closure(
        RDFS.subPropertyOf, OWL.equivalentProperty
    )


def materialize(data: rdflib.Graph, ontology: rdflib.Graph) -> rdflib.Graph:
    """The triples the subclass/subproperty closure adds to ``data`` (what the store materializes)."""
    classes, props = hierarchy(ontology)
    out = rdflib.Graph()
    for s, p, o in data:
        for q in props.get(p, {p}) - {p}:
            out.add((s, q, o))
        if p == RDF.type:
            for c in classes.get(o, {o}) - {o}:
                out.add((s, RDF.type, c))
    return out - data


def parse_reference() -> dict[str, str]:
    """Fact ID -> confidence word (verified / likely / unverified / '') from the fact base."""
    facts = {}
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        if not re.match(r"\| F-[A-Z]+-\d+", line):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        fid = cells[0]
        conf = cells[6] if fid.startswith("F-DOC") else cells[-1]
        word = re.sub(r"[^a-z]", "", conf.split()[0].lower()) if conf.split() else ""
        facts[fid] = "verified" if word == "ids" else word
    return facts


@pytest.fixture(scope="session")
def store() -> ox.Store:
    return load_store()


@pytest.fixture(scope="session")
def ontology_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="session")
def data_graph() -> rdflib.Graph:
    return union_graph()


def ask(store: ox.Store, query: str, union: bool = True) -> bool:
    return bool(store.query(PREFIXES + query, use_default_graph_as_union=union))


def select(store: ox.Store, query: str, union: bool = True) -> list[dict[str, str]]:
    res = store.query(PREFIXES + query, use_default_graph_as_union=union)
    names = [v.value for v in res.variables]
    rows = []
    for sol in res:
        rows.append({n: (sol[n].value if sol[n] is not None else None) for n in names})
    return rows
