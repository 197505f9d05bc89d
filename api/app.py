"""The application factory: ``create_app(settings=None, store=None)``.

``kg serve`` runs ``uvicorn.run("api.app:create_app", factory=True)``. The factory builds the
FastAPI app (health, and later everything else) and puts the lean ``/sparql`` route in front
of it. Nothing is created at import time.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.problems import PROBLEM, from_exception, problem_body
from api.sparql import SparqlEndpoint
from kg import __version__
from kg.config import Settings
from kg.errors import KgError
from kg.store import EmbeddedStore, open_store

log = logging.getLogger("api")


class App:
    """An ASGI app: ``/sparql`` on its lean path, everything else to FastAPI."""

    def __init__(self, fastapi: FastAPI) -> None:
        self.fastapi = fastapi
        self.state = fastapi.state
        self.sparql = SparqlEndpoint(fastapi.state)

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["path"] == "/sparql":
            await self.sparql(scope, receive, send)
        else:
            await self.fastapi(scope, receive, send)


def load_bundled_if_empty(store: EmbeddedStore, settings: Settings) -> int:
    """Load the bundled ontology and data into an empty store, in one transaction."""
    from kg.bundle import bundled_sources
    from kg.loading import read_quads

    if not settings.load_bundled_data or not store.is_empty():
        return 0
    quads = [q for src in bundled_sources(settings.base_iri) for q in read_quads(src)]
    if quads:
        store.add(quads)
    log.info("loaded the bundled graph: %d quads", len(quads))
    return len(quads)


def create_app(settings: Settings | None = None, store: EmbeddedStore | None = None) -> App:
    """Build the app; the store is opened (and filled on first start) in the lifespan."""
    settings = settings or Settings()
    owns_store = store is None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        st = store if store is not None else open_store(settings, validate=True)
        try:
            load_bundled_if_empty(st, settings)
            await st.start()
            app.state.store = st
            # What start-up built lives as long as the process: out of the collector's sight,
            # so that no full collection walks it while requests wait (one took ~100 ms
            # under load, a few seconds after start)
            gc.collect()
            gc.freeze()
            yield
        finally:
            await st.stop()
            if owns_store:
                st.close()

    fastapi = FastAPI(
        title="osec-kg",
        version=__version__,
        summary="A knowledge graph of the fight against online sexual exploitation of children",
        lifespan=lifespan,
    )
    fastapi.state.settings = settings

    @fastapi.exception_handler(KgError)
    @fastapi.exception_handler(Exception)
    async def problem(request: Request, exc: Exception) -> Response:
        status, body = from_exception(exc)
        headers = {"WWW-Authenticate": 'Bearer realm="osec-kg"'} if status == 401 else None
        return Response(body, status_code=status, media_type=PROBLEM, headers=headers)

    @fastapi.exception_handler(StarletteHTTPException)
    async def http_problem(request: Request, exc: StarletteHTTPException) -> Response:
        body = problem_body(exc.status_code, HTTPStatus(exc.status_code).phrase, str(exc.detail))
        return Response(
            body,
            status_code=exc.status_code,
            media_type=PROBLEM,
            headers=getattr(exc, "headers", None),
        )

    @fastapi.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        detail = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        return Response(
            problem_body(400, "Bad request", detail), status_code=400, media_type=PROBLEM
        )

    from api import dumps, graphstore, service, validate

    for router in (graphstore.router, dumps.router, service.router, validate.router):
        fastapi.include_router(router)

    @fastapi.get("/health")
    async def health(request: Request) -> JSONResponse:
        st = request.app.state.store
        pool = getattr(st, "pool", None)
        cache = request.app.state.result_cache
        return JSONResponse(
            {
                "status": "ok",
                "version": st.version,
                "workers": pool.alive if pool else 0,
                "read_only": not settings.write_token,
                "result_cache": None
                if cache is None
                else {
                    "entries": len(cache),
                    "bytes": cache.size_bytes,
                    "hits": cache.stats.hits,
                    "misses": cache.stats.misses,
                    "kept": cache.stats.kept,
                    "joined": cache.stats.joined,
                },
            }
        )

    return App(fastapi)
