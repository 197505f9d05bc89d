"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/rdf-graphs`` (indirect identification).

``?graph=<iri>`` names a graph; ``?default`` is the service's default graph. Reads are open;
writes need the bearer token of ``/sparql`` and are each one transaction.

Choices, where the spec leaves room or where our dataset differs:

- ``GET ?default`` returns the default graph that queries see: with ``union_default_graph``
  (the default) that is the union of all named graphs.
- Writes to ``?default`` are refused with 405: in union mode the default graph is a view, not
  a place to put triples (a triple outside any named graph would have no source); in the
  non-union mode it is still refused, so one rule holds for every deployment. Use
  ``?graph=<iri>`` instead.
- The inferred-entailments graph is computed, not edited: writes to it get 403.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from api.negotiation import negotiate
from api.sparql import check_token
from kg import errors
from kg.formats import RDF_FORMATS, Format

INFERRED_GRAPH = "https://w3id.org/osec-kg/graph/inferred"
TRIPLE_OFFER = [RDF_FORMATS[n] for n in ("turtle", "ntriples", "rdfxml", "jsonld")]
#: media types we read in a PUT or POST body
READABLE = {f.media_type: f for f in RDF_FORMATS.values()} | {
    "application/x-turtle": RDF_FORMATS["turtle"],
    "text/plain": RDF_FORMATS["ntriples"],
    "application/xml": RDF_FORMATS["rdfxml"],
    "application/json": RDF_FORMATS["jsonld"],
}

router = APIRouter()


def _target(request: Request, graph: str | None) -> str | None:
    """The graph IRI, or ``None`` for ``?default``; 400 if neither or both are given."""
    default = "default" in request.query_params
    if default and graph is not None:
        raise errors.InputError("give either ?default or ?graph=<iri>, not both")
    if not default and graph is None:
        raise errors.InputError("name a graph: ?graph=<iri> or ?default")
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError as exc:
            raise errors.InputError(f"not an absolute IRI: {graph!r} ({exc})") from None
    return graph


def _writable(request: Request, graph: str | None) -> str:
    check_token(request.app.state.settings, {k.lower(): v for k, v in request.headers.items()})
    if graph is None:
        raise _DefaultNotWritable()
    if graph == INFERRED_GRAPH:
        raise errors.Forbidden(
            "the inferred graph is computed from the others and cannot be written", graph=graph
        )
    return graph


class _DefaultNotWritable(errors.KgError):
    status, title, exit_code = 405, "Method not allowed", 1

    def __init__(self) -> None:
        super().__init__(
            "the default graph is the union of the named graphs (a view with no source of its "
            "own) and cannot be written here; write to a named graph with ?graph=<iri>"
        )


async def _body_quads(request: Request, graph: str) -> list[ox.Quad]:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = READABLE.get(ctype)
    if fmt is None or fmt.rdf is None or fmt.name in ("trig", "nquads"):
        raise errors.UnsupportedFormat(
            f"cannot read {ctype or 'a body without Content-Type'!r} as a graph; send one of "
            + ", ".join(f.media_type for f in TRIPLE_OFFER),
            offered=[f.media_type for f in TRIPLE_OFFER],
        )
    body = await request.body()
    g = ox.NamedNode(graph)

    def parse() -> list[ox.Quad]:
        try:
            return [
                ox.Quad(t.subject, t.predicate, t.object, g)
                for t in ox.parse(body, format=fmt.rdf, base_iri=graph)
            ]
        except SyntaxError as exc:
            raise errors.RdfSyntaxError(f"the body is not valid {fmt.name}: {exc}") from None

    return await asyncio.to_thread(parse)


def _default_graph_triples(store: object, union: bool) -> list[ox.Triple]:
    primary = store.primary  # type: ignore[attr-defined]
    if not union:
        quads = primary.quads_for_pattern(None, None, None, ox.DefaultGraph())
        return [q.triple for q in quads]
    seen: dict[ox.Triple, None] = {}
    for q in primary.quads_for_pattern(None, None, None):
        if not isinstance(q.graph_name, ox.DefaultGraph):
            seen[q.triple] = None
    return list(seen)


def _graph_response(request: Request, body: bytes | None, fmt: Format, chunks=None) -> Response:
    headers = {"Vary": "Accept", "ETag": f'"{request.app.state.store.version}-{fmt.name}"'}
    media = fmt.media_type
    if request.method == "HEAD":
        return Response(b"", media_type=media, headers=headers)
    if chunks is not None:
        return StreamingResponse(chunks, media_type=media, headers=headers)
    return Response(body, media_type=media, headers=headers)


@router.api_route("/rdf-graphs", methods=["GET", "HEAD"])
async def get_graph(
    request: Request, graph: Annotated[str | None, Query()] = None, format: str | None = None
) -> Response:
    """The graph in the negotiated format; 404 if the store has no such named graph."""
    target = _target(request, graph)
    fmt = negotiate(TRIPLE_OFFER, request.headers.get("accept"), format)
    store = request.app.state.store
    if target is None:
        union = request.app.state.settings.union_default_graph
        triples = await asyncio.to_thread(_default_graph_triples, store, union)
        body = ox.serialize(triples, format=fmt.rdf) or b""
        return _graph_response(request, body, fmt)
    if target not in store.graphs():
        raise _NotFound(target)
    return _graph_response(request, None, fmt, chunks=store.dump(fmt.rdf, graph=target))


class _NotFound(errors.KgError):
    status, title, exit_code = 404, "Not found", 1

    def __init__(self, graph: str) -> None:
        super().__init__(f"no graph {graph} in this store", graph=graph)


@router.put("/rdf-graphs")
async def put_graph(request: Request, graph: Annotated[str | None, Query()] = None) -> Response:
    """Replace the graph's content with the body: 201 if it is new, else 204."""
    target = _writable(request, _target(request, graph))
    quads = await _body_quads(request, target)
    store = request.app.state.store
    existed = target in store.graphs()
    change = await asyncio.to_thread(store.replace_graph, target, quads)
    return _written(change.version, existed, target)


def _written(version: str, existed: bool, target: str) -> Response:
    """204 when the graph was there before, else 201 with its Location."""
    headers = {"X-KG-Version": version}
    if not existed:
        headers["Location"] = _loc(target)
    return Response(status_code=204 if existed else 201, headers=headers)


@router.post("/rdf-graphs")
async def post_graph(request: Request, graph: Annotated[str | None, Query()] = None) -> Response:
    """Merge the body into the graph: 201 if that created it, else 204."""
    target = _writable(request, _target(request, graph))
    quads = await _body_quads(request, target)
    store = request.app.state.store
    existed = target in store.graphs()
    change = await asyncio.to_thread(store.add, quads)
    return _written(change.version, existed, target)


@router.delete("/rdf-graphs")
async def delete_graph(request: Request, graph: Annotated[str | None, Query()] = None) -> Response:
    """Drop the graph: 204, or 404 if there is no such graph."""
    target = _writable(request, _target(request, graph))
    store = request.app.state.store
    if target not in store.graphs():
        raise _NotFound(target)
    change = await asyncio.to_thread(store.drop_graph, target)
    return Response(status_code=204, headers={"X-KG-Version": change.version})


def _loc(graph: str) -> str:
    from urllib.parse import quote

    return "/rdf-graphs?graph=" + quote(graph, safe="")


GRAPH_STORE_METHODS = "GET, HEAD, PUT, POST, DELETE, OPTIONS"


@router.api_route("/rdf-graphs", methods=["OPTIONS", "PATCH"])
async def other_methods(request: Request) -> Response:
    """OPTIONS lists the methods; anything else the protocol does not define is 405."""
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": GRAPH_STORE_METHODS})
    from api.problems import PROBLEM, problem_body

    body = problem_body(
        405, "Method not allowed", f"{request.method} is not allowed on /rdf-graphs"
    )
    return Response(body, 405, headers={"Allow": GRAPH_STORE_METHODS}, media_type=PROBLEM)
