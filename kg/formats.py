"""The formats we read and write: names, media types, file extensions, pyoxigraph formats."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class Format:
    name: str  # the ?format= value and the CLI --format value
    media_type: str
    extensions: tuple[str, ...] = ()
    results: ox.QueryResultsFormat | None = None  # for SELECT/ASK results
    rdf: ox.RdfFormat | None = None  # for graphs and datasets

    @property
    def has_graphs(self) -> bool:
        return self.rdf is not None and self.rdf.supports_datasets


RESULT_FORMATS = {
    f.name: f
    for f in (
        Format(
            "json", "application/sparql-results+json", (".srj",), results=ox.QueryResultsFormat.JSON
        ),
        Format(
            "xml", "application/sparql-results+xml", (".srx",), results=ox.QueryResultsFormat.XML
        ),
        Format("csv", "text/csv", (".csv",), results=ox.QueryResultsFormat.CSV),
        Format("tsv", "text/tab-separated-values", (".tsv",), results=ox.QueryResultsFormat.TSV),
    )
}

RDF_FORMATS = {
    f.name: f
    for f in (
        Format("turtle", "text/turtle", (".ttl",), rdf=ox.RdfFormat.TURTLE),
        Format("ntriples", "application/n-triples", (".nt",), rdf=ox.RdfFormat.N_TRIPLES),
        Format("nquads", "application/n-quads", (".nq",), rdf=ox.RdfFormat.N_QUADS),
        Format("trig", "application/trig", (".trig",), rdf=ox.RdfFormat.TRIG),
        Format("rdfxml", "application/rdf+xml", (".rdf", ".owl", ".xml"), rdf=ox.RdfFormat.RDF_XML),
        Format("jsonld", "application/ld+json", (".jsonld", ".json"), rdf=ox.RdfFormat.JSON_LD),
        Format("n3", "text/n3", (".n3",), rdf=ox.RdfFormat.N3),
    )
}

ALL_FORMATS = {**RESULT_FORMATS, **RDF_FORMATS}


def rdf_format_for(path: str, explicit: str | None = None) -> Format:
    """The RDF format of a file: the explicit name if given, else from the extension.

    >>> rdf_format_for("data/op-ed.trig").name
    'trig'
    """
    from kg.errors import UnsupportedFormat

    if explicit:
        key = explicit.lower().replace("-", "")
        aliases = {
            "ttl": "turtle",
            "nt": "ntriples",
            "nq": "nquads",
            "xml": "rdfxml",
            "json": "jsonld",
        }
        key = aliases.get(key, key)
        if key in RDF_FORMATS:
            return RDF_FORMATS[key]
        raise UnsupportedFormat(f"unknown RDF format {explicit!r}; known: {', '.join(RDF_FORMATS)}")
    lower = path.lower()
    for fmt in RDF_FORMATS.values():
        if any(lower.endswith(ext) for ext in fmt.extensions):
            return fmt
    raise UnsupportedFormat(f"{path}: cannot tell the RDF format from the extension; use --format")
