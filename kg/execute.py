"""Run one SPARQL query on a pyoxigraph store and serialize its result, capped.

This is what a query worker does for each request, and what the in-process store does when it
has no workers. Results come out of pyoxigraph's own serializers; no Python code runs per row
of a SELECT. The row cap is applied by the engine: an outer ``LIMIT cap+1``, and the extra row,
when it came, tells that rows were cut off. Rows are counted only in an answer long enough to
hold ``cap+1`` of them; a cut answer is asked for again with ``LIMIT cap``, so that its bytes
are the serializer's own.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
import time
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any

import pyoxigraph as ox

from kg import sparqltext
from kg.errors import NotAcceptable, QuerySyntaxError
from kg.formats import RDF_FORMATS, RESULT_FORMATS, Format

log = logging.getLogger(__name__)

_POSITION = re.compile(r"(?:error at|line) (\d+)[: ](?:column )?(\d+)")
TRUNCATED_FLAG = b',"truncated":true}'


@dataclass(frozen=True)
class QueryRequest:
    """One query, as the protocol layer hands it over."""

    query: str
    format: str | None = None  # a name from kg.formats; None: JSON results or Turtle
    default_graph_uris: tuple[str, ...] = ()
    named_graph_uris: tuple[str, ...] = ()
    row_cap: int = 10_000
    union_default_graph: bool = True
    base_iri: str | None = None


@dataclass(frozen=True)
class QueryResult:
    body: bytes
    media_type: str
    form: str
    truncated: bool = False
    seconds: float = 0.0  # what evaluating and serializing took where it ran


def syntax_error(exc: SyntaxError, text: str | None = None) -> QuerySyntaxError:
    """A :class:`QuerySyntaxError` with the line and column the parser named."""
    message = str(exc.args[0]) if exc.args else str(exc)
    extra: dict[str, Any] = {}
    m = _POSITION.search(message)
    if m:
        extra = {"line": int(m.group(1)), "column": int(m.group(2))}
    return QuerySyntaxError(message, **extra)


def choose_format(form: str, name: str | None) -> Format:
    """The format for a result of this form: the named one if it fits, else the default."""
    table = RESULT_FORMATS if form in ("SELECT", "ASK") else RDF_FORMATS
    if name is None:
        return table["json"] if form in ("SELECT", "ASK") else table["turtle"]
    if name in table:
        return table[name]
    raise NotAcceptable(
        f"a {form} result cannot be given as {name!r}; offered: {', '.join(table)}",
        offered=[f.media_type for f in table.values()],
    )


def _dataset_options(req: QueryRequest) -> dict[str, Any]:
    opts: dict[str, Any] = {}
    if req.default_graph_uris:
        opts["default_graph"] = [ox.NamedNode(u) for u in req.default_graph_uris]
    elif req.union_default_graph:
        opts["use_default_graph_as_union"] = True
    if req.named_graph_uris:
        opts["named_graphs"] = [ox.NamedNode(u) for u in req.named_graph_uris]
    if req.base_iri:
        opts["base_iri"] = req.base_iri
    return opts


def run_query(
    store: ox.Store, req: QueryRequest, info: sparqltext.Request | None = None
) -> QueryResult:
    """Evaluate ``req`` on ``store``; raise :class:`QuerySyntaxError` on malformed SPARQL.
    The result says how long that took (``seconds``)."""
    t0 = time.perf_counter()
    result = _run(store, req, info)
    return replace(result, seconds=time.perf_counter() - t0)


def _run(store: ox.Store, req: QueryRequest, info: sparqltext.Request | None) -> QueryResult:
    info = info or sparqltext.inspect(req.query)
    opts = _dataset_options(req)
    form = info.form
    try:
        if form == "SELECT":
            return _select(store, req, info, opts)
        result = store.query(info.text, **opts)
    except SyntaxError as exc:
        raise syntax_error(exc) from None
    if isinstance(result, ox.QueryBoolean):
        fmt = choose_format("ASK", req.format)
        return QueryResult(result.serialize(format=fmt.results) or b"", fmt.media_type, "ASK")
    if isinstance(result, ox.QueryTriples):
        fmt = choose_format("CONSTRUCT", req.format)
        # straight from the engine's iterator to the serializer, stopping at the cap; one more
        # triple after it means some were cut off
        body = ox.serialize(islice(result, req.row_cap), format=fmt.rdf) or b""
        truncated = next(result, None) is not None
        return QueryResult(body, fmt.media_type, form or "CONSTRUCT", truncated)
    fmt = choose_format("SELECT", req.format)  # a SELECT the tokenizer did not recognise
    return QueryResult(result.serialize(format=fmt.results) or b"", fmt.media_type, "SELECT")


#: the fewest bytes a result row takes in each format (JSON ``{},``, XML ``<result></result>``,
#: CSV a line end, TSV a newline): an answer shorter than ``cap+1`` of them has at most ``cap``
_MIN_ROW_BYTES = {"json": 3, "xml": 17, "csv": 2, "tsv": 1}


def _select(
    store: ox.Store, req: QueryRequest, info: sparqltext.Request, opts: dict[str, Any]
) -> QueryResult:
    fmt = choose_format("SELECT", req.format)
    cap = req.row_cap
    try:
        solutions = store.query(sparqltext.capped_select(info, cap + 1), **opts)
    except SyntaxError:
        store.query(info.text, **opts)  # raises the parser's own message and position
        log.warning("row-cap wrapper rejected a valid query; serving it uncapped")
        solutions = store.query(info.text, **opts)
        assert isinstance(solutions, ox.QuerySolutions)
        return QueryResult(solutions.serialize(format=fmt.results) or b"", fmt.media_type, "SELECT")
    assert isinstance(solutions, ox.QuerySolutions)
    body = solutions.serialize(format=fmt.results) or b""
    truncated = False
    if len(body) >= (cap + 1) * _MIN_ROW_BYTES.get(fmt.name, 1) - 1:
        truncated = count_rows(body, fmt.name) > cap
        if truncated:
            solutions = store.query(sparqltext.capped_select(info, cap), **opts)
            assert isinstance(solutions, ox.QuerySolutions)
            body = solutions.serialize(format=fmt.results) or b""
    if truncated and fmt.name == "json" and body.endswith(b"}"):
        body = body[:-1] + TRUNCATED_FLAG
    return QueryResult(body, fmt.media_type, "SELECT", truncated)


def count_rows(body: bytes, fmt: str) -> int:
    """How many solutions a serialized SELECT result holds."""
    if fmt == "json":
        return len(json.loads(body)["results"]["bindings"])
    if fmt == "xml":
        return body.count(b"<result>") + body.count(b"<result/>")  # text escapes '<'
    if fmt == "tsv":
        return body.count(b"\n") - 1  # a header line; literals escape their newlines
    if fmt == "csv":  # quoted fields may hold line breaks
        return sum(1 for _ in csv.reader(io.StringIO(body.decode("utf-8"), newline=""))) - 1
    raise ValueError(f"cannot count the rows of a {fmt} result")
