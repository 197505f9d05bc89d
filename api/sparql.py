"""``/sparql``: the SPARQL 1.1 Protocol on a lean ASGI path.

This route is the service's hot path, so it is a plain ASGI callable: no per-request
validation layers, no dependency injection, the body straight from pyoxigraph's serializer.
Everything else in the app is ordinary FastAPI.
"""

from __future__ import annotations

import asyncio
import codecs
import functools
import hmac
import re
from email.utils import formatdate
from typing import Any
from urllib.parse import parse_qs, unquote_plus, urljoin

from api.conditional import fresh
from api.negotiation import negotiate
from api.problems import PROBLEM, from_exception
from kg import errors, sparqltext
from kg.config import Settings
from kg.execute import QueryRequest
from kg.formats import RDF_FORMATS, RESULT_FORMATS, Format
from kg.resultcache import ResultCache, cacheable, request_key

MAX_BODY = 16 * 1024 * 1024
_SELECT_OFFER = [RESULT_FORMATS[n] for n in ("json", "xml", "csv", "tsv")]
_GRAPH_OFFER = [
    RDF_FORMATS[n] for n in ("turtle", "ntriples", "rdfxml", "jsonld", "nquads", "trig")
]
_FORM = "application/x-www-form-urlencoded"


class SparqlEndpoint:
    """The ASGI app for ``/sparql``; ``store`` and ``settings`` come from the app's state."""

    def __init__(self, state: Any) -> None:
        self.state = state
        settings = state.settings
        size = settings.result_cache_mb * 1024 * 1024
        #: answers kept for the data version (kg.resultcache); None when switched off
        self.cache = state.result_cache = (
            ResultCache(size, settings.result_cache_min_ms / 1000) if size else None
        )

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        settings: Settings = self.state.settings
        headers = _headers(scope)
        cors = _cors(settings, headers)
        try:
            status, out_headers, body = await self._handle(scope, receive, headers, settings)
        except Exception as exc:  # every failure becomes a problem document
            status, body = from_exception(exc)
            out_headers = [(b"content-type", PROBLEM.encode())]
            if isinstance(exc, errors.Unauthorized):
                out_headers.append((b"www-authenticate", b'Bearer realm="osec-kg"'))
        out_headers += cors
        out_headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": out_headers})
        await send({"type": "http.response.body", "body": body})

    async def _handle(
        self, scope: dict[str, Any], receive: Any, headers: dict[str, str], settings: Settings
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        method = scope["method"]
        params = parse_query_string(scope.get("query_string", b""))
        if method == "OPTIONS":
            return 204, [(b"allow", b"GET, POST, OPTIONS")], b""
        if method in ("GET", "HEAD"):
            if "update" in params:
                raise errors.InputError("updates are accepted by POST only", method=method)
            if "query" not in params:
                return _service_description(scope, headers, params, settings)
        elif method == "POST":
            body = await _read_body(receive)
            ctype = headers.get("content-type", "").split(";")[0].strip().lower()
            if ctype == _FORM:
                form = parse_qs(body.decode("utf-8"), keep_blank_values=True)
                for key in ("query", "update"):
                    if key in form and key in params:
                        raise errors.InputError(f"'{key}' given twice (URL and body)")
                params = {**params, **form}
            elif ctype == "application/sparql-query":
                if "query" in params or "update" in params:
                    raise errors.InputError("a direct POST carries its query in the body only")
                params["query"] = [body.decode("utf-8")]
            elif ctype == "application/sparql-update":
                if "query" in params or "update" in params:
                    raise errors.InputError("a direct POST carries its update in the body only")
                params["update"] = [body.decode("utf-8")]
            else:
                raise errors.UnsupportedFormat(
                    f"POST needs Content-Type {_FORM}, application/sparql-query or "
                    f"application/sparql-update, not {ctype or 'none'!r}",
                )
        else:
            return _method_not_allowed(method)
        if "query" in params and "update" in params:
            raise errors.InputError("give either 'query' or 'update', not both")
        if "update" in params:
            return await self._update(params, headers, settings)
        return await self._query(method, params, headers, settings)

    async def _query(
        self, method: str, params: dict[str, list[str]], headers: dict[str, str], settings: Settings
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        text = _single(params, "query")
        info = sparqltext.inspect(text)
        if info.form == "UPDATE":
            raise errors.InputError("this is an update: send it by POST as 'update'")
        target = info.outbound(settings.allow_service)
        if target is not None:
            raise errors.Forbidden(
                f"this service does not query remote endpoints ({target}); SERVICE is allowed "
                "only for targets the configuration names",
                target=target,
            )
        graph = info.form not in ("SELECT", "ASK", "")
        fmt = _negotiated(graph, headers.get("accept"), _formats(params))
        store = self.state.store
        modified = store.last_modified
        version = store.version  # once: the ETag and the cache's key name the same data
        etag = f'"{version}-{fmt.name}"'.encode()
        if method in ("GET", "HEAD") and fresh(headers, etag.decode(), modified):
            return 304, [(b"etag", etag), (b"vary", b"Accept")], b""
        default, named = _dataset(info, params, settings)
        # the union flag the store would set itself (one copy of the request less per call)
        union = settings.union_default_graph and not getattr(store, "merged_default", False)
        request = QueryRequest(info.text, fmt.name, default, named, settings.row_cap, union)
        cache = self.cache
        if cache is not None and cacheable(info):
            result = await cache.fetch(
                request_key(request),  # every field of the request
                version,
                lambda: store.aquery(request, settings.query_timeout, info=info),
            )
        else:
            result = await store.aquery(request, settings.query_timeout, info=info)
        out = [
            (b"content-type", _content_type(result.media_type)),
            (b"vary", b"Accept"),
            (b"etag", etag),
            (b"last-modified", _http_date(modified)),
            (b"cache-control", b"no-cache"),
        ]
        if result.truncated:
            out.append((b"x-kg-truncated", f"true; row-cap={settings.row_cap}".encode()))
        body = result.body
        if fmt.name == "jsonld" and method != "HEAD":
            context = jsonld_context()
            if context is not None:  # Python per triple: CONSTRUCT/DESCRIBE in JSON-LD only
                body = await asyncio.to_thread(compact_jsonld, body, context)
        return 200, out, b"" if method == "HEAD" else body

    async def _update(
        self, params: dict[str, list[str]], headers: dict[str, str], settings: Settings
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        check_token(settings, headers)
        text = _single(params, "update")
        info = sparqltext.inspect(text)
        if info.is_query:
            raise errors.InputError("this is a query: send it as 'query'")
        change = await self.state.store.aupdate(
            text,
            using_graph_uris=params.get("using-graph-uri", ()),
            using_named_graph_uris=params.get("using-named-graph-uri", ()),
            timeout=settings.query_timeout,
            allow=settings.allow_service,
        )
        return 204, [(b"x-kg-version", change.version.encode())], b""


_BASE = re.compile(r"\bBASE\s*<([^>]*)>", re.IGNORECASE)
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|^`\\]*$")

#: a graph IRI no store holds: the empty default graph the spec asks for in some datasets
EMPTY_GRAPH = "urn:x-osec-kg:empty-default-graph"


def _dataset(
    info: sparqltext.Request, params: dict[str, list[str]], settings: Settings
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The request's RDF dataset as (default graph IRIs, named graph IRIs).

    The protocol's ``default-graph-uri`` / ``named-graph-uri`` replace the query's FROM / FROM
    NAMED; naming only one kind leaves the other empty (SPARQL 1.1 Protocol 2.1.4). The store
    applies its union default graph unless a default graph is given, and that would hide a
    query's own FROM clauses, so FROM IRIs are handed over explicitly (a cheap look at the
    tokens the tokenizer already found).
    """
    default = tuple(params.get("default-graph-uri", ()))
    named = tuple(params.get("named-graph-uri", ()))
    if not default and not named and info.dataset_spans:
        froms: list[str] = []
        names: list[str] = []
        base = _BASE.search(info.text, 0, info.prologue_end)
        for a, b in info.dataset_spans:
            clause = info.text[a:b]
            iri_start = clause.find("<")
            if iri_start < 0 or not clause.endswith(">"):
                return (), ()  # a prefixed name: leave the dataset to the engine
            iri = clause[iri_start + 1 : -1]
            if base is not None:
                iri = urljoin(base.group(1), iri)
            (names if "NAMED" in clause[:iri_start].upper() else froms).append(iri)
        default, named = tuple(froms), tuple(names)
    for iri in (*default, *named):
        if not _ABSOLUTE.match(iri):
            raise errors.InputError(f"a dataset graph must be named by an absolute IRI: <{iri}>")
    if named and not default and settings.union_default_graph:
        default = (EMPTY_GRAPH,)
    return default, named


def _service_description(
    scope: dict[str, Any], headers: dict[str, str], params: dict[str, list[str]], settings: Settings
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    from api.service import DESCRIPTION_OFFER, service_description

    fmt = negotiate(DESCRIPTION_OFFER, headers.get("accept"), _formats(params))
    import pyoxigraph as ox

    base = f"{scope.get('scheme', 'http')}://{headers.get('host', 'localhost')}"
    triples = service_description(base, settings.union_default_graph)
    body = ox.serialize(triples, format=fmt.rdf) or b""
    if scope["method"] == "HEAD":
        body = b""
    return 200, [(b"content-type", _content_type(fmt.media_type)), (b"vary", b"Accept")], body


def jsonld_context() -> dict[str, Any] | None:
    """The JSON-LD context of our vocabulary (``ontology/context.jsonld``, or the file that
    ``KG_JSONLD_CONTEXT`` names), re-read only when the file changes; ``None`` if absent."""
    import json
    import os
    from pathlib import Path

    from kg.resources import bundled

    path = Path(os.environ.get("KG_JSONLD_CONTEXT") or bundled("ontology") / "context.jsonld")
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        return None
    cached = _CONTEXT_CACHE.get(str(path))
    if cached is None or cached[0] != stamp:
        doc = json.loads(path.read_text(encoding="utf-8"))
        cached = (stamp, doc.get("@context", doc))
        _CONTEXT_CACHE[str(path)] = cached
    return cached[1]


_CONTEXT_CACHE: dict[str, tuple[int, dict[str, Any]]] = {}


def compact_jsonld(expanded: bytes, context: dict[str, Any]) -> bytes:
    """Expanded JSON-LD (pyoxigraph's) compacted with ``context``, by rdflib."""
    import rdflib

    g = rdflib.Graph().parse(data=expanded, format="json-ld")
    return g.serialize(format="json-ld", context=context, auto_compact=True).encode("utf-8")


def check_token(settings: Settings, headers: dict[str, str]) -> None:
    """Allow a write only with the configured bearer token; none configured: read-only."""
    if not settings.write_token:
        raise errors.Forbidden("this service is read-only: no write token is configured")
    auth = headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise errors.Unauthorized("a write needs 'Authorization: Bearer <token>'")
    if not hmac.compare_digest(token.strip().encode(), settings.write_token.encode()):
        raise errors.Forbidden("the write token is not valid")


def parse_query_string(qs: bytes) -> dict[str, list[str]]:
    """``urllib.parse.parse_qs(qs.decode("latin-1"), keep_blank_values=True)``, the same
    answer for every input, with its percent-decoding done in C for plain ASCII input (a
    point lookup's query string is most of a request's bytes)."""
    if not qs.isascii():
        return parse_qs(qs.decode("latin-1"), keep_blank_values=True)
    out: dict[str, list[str]] = {}
    for field in qs.split(b"&"):
        if not field:
            continue
        name, _, value = field.partition(b"=")
        key = _unquote_plus(name)
        if key in out:
            out[key].append(_unquote_plus(value))
        else:
            out[key] = [_unquote_plus(value)]
    return out


def _unquote_plus(raw: bytes) -> str:
    if b"%" not in raw:
        return raw.replace(b"+", b" ").decode("ascii")
    try:
        text = raw.replace(b"+", b" ").replace(b"\\", b"\\\\").replace(b"%", b"\\x")
        return codecs.escape_decode(text)[0].decode("utf-8")  # type: ignore[attr-defined,no-any-return]
    except (ValueError, UnicodeDecodeError):  # a stray '%' or invalid UTF-8: as urllib does
        return unquote_plus(raw.decode("ascii"))


def _single(params: dict[str, list[str]], key: str) -> str:
    values = params.get(key, [])
    if len(values) != 1:
        raise errors.InputError(f"exactly one '{key}' parameter is required, got {len(values)}")
    return values[0]


def _last(params: dict[str, list[str]], key: str) -> str | None:
    values = params.get(key)
    return values[-1] if values else None


def _formats(params: dict[str, list[str]]) -> str | None:
    """Every ``format`` value, in order (some clients send several)."""
    values = params.get("format")
    return ",".join(values) if values else None


@functools.lru_cache(maxsize=64)
def _content_type(media_type: str) -> bytes:
    if media_type.startswith("text/") or media_type.endswith(("json", "xml")) or "+" in media_type:
        return f"{media_type}; charset=utf-8".encode()
    return media_type.encode()


@functools.lru_cache(maxsize=4)
def _http_date(timestamp: float) -> bytes:
    return formatdate(timestamp, usegmt=True).encode()


@functools.lru_cache(maxsize=256)
def _negotiated(graph: bool, accept: str | None, formats: str | None) -> Format:
    """The format for a query result: a pure function of its inputs, so kept for the headers
    clients send again and again (a refusal raises, and is not kept)."""
    return negotiate(_GRAPH_OFFER if graph else _SELECT_OFFER, accept, formats)


def _method_not_allowed(method: str) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    from api.problems import problem_body

    body = problem_body(405, "Method not allowed", f"{method} is not allowed on /sparql")
    return 405, [(b"content-type", PROBLEM.encode()), (b"allow", b"GET, POST, OPTIONS")], body


def _headers(scope: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in scope.get("headers", ()):
        key = k.decode("latin-1").lower()
        value = v.decode("latin-1")
        out[key] = f"{out[key]}, {value}" if key in out else value
    return out


def _cors(settings: Settings, headers: dict[str, str]) -> list[tuple[bytes, bytes]]:
    origin = headers.get("origin")
    if not origin or not settings.cors_origins:
        return []
    if "*" in settings.cors_origins:
        allowed = b"*"
    elif origin in settings.cors_origins:
        allowed = origin.encode()
    else:
        return []
    return [
        (b"access-control-allow-origin", allowed),
        (b"access-control-allow-methods", b"GET, POST, OPTIONS"),
        (b"access-control-allow-headers", b"Content-Type, Accept, Authorization"),
        (b"access-control-expose-headers", b"ETag, X-KG-Truncated, X-KG-Version"),
    ]


async def _read_body(receive: Any) -> bytes:
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise errors.InputError("the client went away before sending its body")
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise errors.InputError(f"the request body is over {MAX_BODY} bytes")
        chunks.append(chunk)
        if not message.get("more_body"):
            return b"".join(chunks)
