"""Content negotiation is one pure function: tested from a table."""

from __future__ import annotations

import pytest

from api.negotiation import negotiate
from api.sparql import _GRAPH_OFFER, _SELECT_OFFER
from kg.errors import NotAcceptable

# (accept, ?format=, offer) -> chosen format name, or None for 406
ROWS = [
    (None, None, "select", "json"),
    ("", None, "select", "json"),
    ("*/*", None, "select", "json"),
    ("application/sparql-results+xml", None, "select", "xml"),
    ("application/xml", None, "select", "xml"),
    ("text/csv", None, "select", "csv"),
    ("text/tab-separated-values", None, "select", "tsv"),
    ("text/*", None, "select", "csv"),
    ("text/csv;q=0.5, text/tab-separated-values", None, "select", "tsv"),
    ("text/*;q=0.9, text/csv;q=0.1", None, "select", "tsv"),  # specific range wins for csv
    ("application/sparql-results+json;q=0, */*;q=0.1", None, "select", "xml"),
    ("image/png", None, "select", None),
    ("text/csv;q=0", None, "select", None),
    ("application/json", None, "select", "json"),
    ("text/html, */*;q=0.1", None, "select", "json"),
    ("text/csv", "json", "select", "json"),  # ?format= wins over Accept
    (None, "application/sparql-results+xml", "select", "xml"),
    (None, "turtle", "select", None),
    (None, "nonsense", "select", None),
    (None, None, "graph", "turtle"),
    ("application/n-triples", None, "graph", "ntriples"),
    ("text/plain", None, "graph", "ntriples"),
    ("application/rdf+xml", None, "graph", "rdfxml"),
    ("application/ld+json", None, "graph", "jsonld"),
    ("application/n-quads", None, "graph", "nquads"),
    ("application/trig", None, "graph", "trig"),
    ("text/n3", None, "graph", "turtle"),
    ("application/*", None, "graph", "ntriples"),
    ("application/ld+json;q=0.5, text/turtle;q=0.4", None, "graph", "jsonld"),
    ("application/sparql-results+json", None, "graph", None),
    (None, "json-ld", "graph", "jsonld"),
    (None, "n3,application/ld+json", "graph", "turtle"),
    (None, "bogus,application/ld+json", "graph", "jsonld"),
    ("TEXT/TURTLE", None, "graph", "turtle"),
    ("text/turtle; charset=utf-8; q=0.2, application/rdf+xml; q=0.3", None, "graph", "rdfxml"),
]


@pytest.mark.parametrize(("accept", "fmt", "offer", "expected"), ROWS)
def test_negotiate(accept, fmt, offer, expected) -> None:
    offered = _SELECT_OFFER if offer == "select" else _GRAPH_OFFER
    if expected is None:
        with pytest.raises(NotAcceptable) as info:
            negotiate(offered, accept, fmt)
        assert info.value.extra["offered"] == [f.media_type for f in offered]
    else:
        assert negotiate(offered, accept, fmt).name == expected
