"""Reading the W3C SPARQL 1.1 query-evaluation tests and comparing results.

Result sets are compared as graphs (one blank node per row, one triple per binding) with
rdflib's isomorphism test, so blank nodes may be renamed and duplicate rows count; graphs are
compared by isomorphism. Row order is not compared.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.compare import isomorphic

SUITE = Path("/work/shared/conformance/sparql-w3c-tests")
FOLDERS = (
    "aggregates", "bind", "bindings", "cast", "construct", "exists", "functions", "grouping",
    "negation", "project-expression", "property-path", "subquery", "json-res", "csv-tsv-res",
)  # fmt: skip
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
_FROM = re.compile(r"\bFROM\s+(?:NAMED\s+)?<([^>]*)>", re.IGNORECASE)


@dataclass(frozen=True)
class QueryTest:
    id: str  # folder/local name
    query: Path
    data: tuple[Path, ...]  # files of the default graph
    graphs: tuple[Path, ...]  # files loaded as named graphs, named by their file IRI
    result: Path | None

    @property
    def data_key(self) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
        return self.data, self.graphs


def _path(node: object) -> Path:
    return Path(str(node).removeprefix("file://"))


def load_tests() -> list[QueryTest]:
    tests: list[QueryTest] = []
    for folder in FOLDERS:
        manifest = SUITE / folder / "manifest.ttl"
        g = Graph().parse(manifest, format="turtle", publicID=manifest.as_uri())
        for m in g.subjects(RDF.type, MF.Manifest):
            entries = g.value(m, MF.entries)
            for entry in Collection(g, entries) if entries is not None else []:
                kinds = set(g.objects(entry, RDF.type))
                if not kinds & {MF.QueryEvaluationTest, MF.CSVResultFormatTest}:
                    continue
                action = g.value(entry, MF.action)
                query = _path(g.value(action, QT.query))
                graphs = [_path(x) for x in g.objects(action, QT.graphData)]
                text = query.read_text(encoding="utf-8")
                for iri in _FROM.findall(text):  # FROM <file>: that file as a named graph
                    p = (query.parent / iri).resolve() if "://" not in iri else _path(iri)
                    if p.exists() and p not in graphs:
                        graphs.append(p)
                result = g.value(entry, MF.result)
                assert isinstance(entry, URIRef)
                tests.append(
                    QueryTest(
                        f"{folder}/{entry.split('#')[-1]}",
                        query,
                        tuple(sorted(_path(x) for x in g.objects(action, QT.data))),
                        tuple(sorted(graphs)),
                        _path(result) if result is not None else None,
                    )
                )
    return tests


def rdf_format(path: Path) -> ox.RdfFormat:
    return {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
            ".rdf": ox.RdfFormat.RDF_XML}[path.suffix]  # fmt: skip


def to_rdflib(term: object, bnodes: dict[str, rdflib.BNode]) -> rdflib.term.Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return bnodes.setdefault(term.value, rdflib.BNode())
    assert isinstance(term, ox.Literal)
    dt = term.datatype.value
    if term.language:
        return rdflib.Literal(term.value, lang=term.language)
    if dt == XSD + "string":
        return rdflib.Literal(term.value)
    return rdflib.Literal(_canonical(term.value, dt), datatype=URIRef(dt))


XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + n for n in ("integer", "int", "long", "short", "byte", "nonNegativeInteger")}


def _canonical(lexical: str, datatype: str) -> str:
    """Numbers compared by value: Oxigraph keeps numbers in value space, so ``"1.0"^^xsd:decimal``
    comes back as ``"1"``; the suite's expected files keep the lexical form they were written in."""
    try:
        if datatype == XSD + "decimal":
            d = Decimal(lexical.strip())
            return format(d.normalize(), "f") if d == d.to_integral() else str(d.normalize())
        if datatype in _INTEGERS:
            return str(int(lexical.strip()))
        if datatype in (XSD + "double", XSD + "float"):
            return repr(float(lexical.strip()))
    except (ValueError, ArithmeticError):
        pass
    return lexical


def solutions_graph(results: ox.QuerySolutions) -> Graph:
    """A result set as a graph: a blank node per row, ``<urn:var:NAME>`` per binding."""
    g, bnodes = Graph(), {}
    row_type = URIRef("urn:row")
    for solution in results:
        row = rdflib.BNode()
        g.add((row, RDF.type, row_type))
        for var in results.variables:
            value = solution[var]
            if value is not None:
                g.add((row, URIRef("urn:var:" + var.value), to_rdflib(value, bnodes)))
    return g


def parse_results(data: bytes, fmt: ox.QueryResultsFormat) -> bool | Graph:
    parsed = ox.parse_query_results(data, format=fmt)
    if isinstance(parsed, ox.QueryBoolean):
        return bool(parsed)
    return solutions_graph(parsed)


RS = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/result-set#")


def _result_set_graph(path: Path) -> bool | Graph:
    """A result set written in the RDF result-set vocabulary, as ``solutions_graph`` builds."""
    src = Graph().parse(path, format="turtle" if path.suffix == ".ttl" else "xml")
    rs = next(iter(src.subjects(RDF.type, RS.ResultSet)))
    boolean = src.value(rs, RS.boolean)
    if boolean is not None:
        return bool(boolean.toPython())
    g, bnodes = Graph(), {}
    for solution in src.objects(rs, RS.solution):
        row = rdflib.BNode()
        g.add((row, RDF.type, URIRef("urn:row")))
        for binding in src.objects(solution, RS.binding):
            var, value = src.value(binding, RS.variable), src.value(binding, RS.value)
            if isinstance(value, rdflib.BNode):
                value = bnodes.setdefault(str(value), rdflib.BNode())
            elif isinstance(value, rdflib.Literal) and value.datatype:
                value = rdflib.Literal(
                    _canonical(str(value), str(value.datatype)), datatype=value.datatype
                )
            g.add((row, URIRef("urn:var:" + str(var)), value))
    return g


def expected_results(path: Path) -> bool | Graph:
    if path.suffix in (".ttl", ".rdf"):
        return _result_set_graph(path)
    fmt = {
        ".srx": ox.QueryResultsFormat.XML,
        ".srj": ox.QueryResultsFormat.JSON,
        ".tsv": ox.QueryResultsFormat.TSV,
    }.get(path.suffix)
    if fmt is not None:
        return parse_results(path.read_bytes(), fmt)
    raise ValueError(path)


def same(actual: bool | Graph, expected: bool | Graph) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual == expected
    return len(actual) == len(expected) and isomorphic(actual, expected)


def csv_rows(text: str) -> list[tuple[str, ...]]:
    """CSV rows with blank node labels erased (CSV keeps no term types to compare)."""
    rows = list(csv.reader(io.StringIO(text)))
    return sorted(tuple("_:" if c.startswith("_:") else c for c in row) for row in rows[1:]) + [
        tuple(rows[0]) if rows else ()
    ]
