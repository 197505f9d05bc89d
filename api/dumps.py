"""Dumps of the whole dataset: ``/dump`` (TriG or N-Quads by ``?format=`` or Accept) and
``/dump.nq.gz``, streamed from the store, gzip on request, with ETag and Last-Modified so a
mirror fetches only when the data changed."""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from email.utils import formatdate

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from api.conditional import fresh
from api.negotiation import negotiate
from kg.formats import RDF_FORMATS, Format

DUMP_OFFER = [RDF_FORMATS["trig"], RDF_FORMATS["nquads"]]

router = APIRouter()


def _gzip(chunks: Iterator[bytes]) -> Iterator[bytes]:
    z = zlib.compressobj(6, zlib.DEFLATED, 31)  # wbits 31: a gzip container
    for chunk in chunks:
        out = z.compress(chunk)
        if out:
            yield out
    yield z.flush()


def not_modified(request: Request, etag: str, modified: float) -> bool:
    """True when the client's copy is current."""
    return fresh(request.headers, etag, modified)


def _dump(request: Request, fmt: Format, gzip: bool, attachment: str | None) -> Response:
    store = request.app.state.store
    etag = f'"{store.version}-{fmt.name}{"-gz" if gzip else ""}"'
    headers = {
        "ETag": etag,
        "Last-Modified": formatdate(store.last_modified, usegmt=True),
        "Vary": "Accept, Accept-Encoding",
        "Cache-Control": "no-cache",
    }
    if not_modified(request, etag, store.last_modified):
        return Response(status_code=304, headers=headers)
    if attachment:
        headers["Content-Disposition"] = f'attachment; filename="{attachment}"'
    if request.method == "HEAD":
        return Response(b"", media_type=fmt.media_type, headers=headers)
    chunks = store.dump(fmt.rdf)
    if gzip:
        if attachment:  # a .gz file: the bytes are the file, not an encoding of it
            return StreamingResponse(_gzip(chunks), media_type="application/gzip", headers=headers)
        headers["Content-Encoding"] = "gzip"
        chunks = _gzip(chunks)
    return StreamingResponse(chunks, media_type=fmt.media_type, headers=headers)


@router.api_route("/dump", methods=["GET", "HEAD"])
async def dump(request: Request, format: str | None = None) -> Response:
    """The dataset as TriG (default) or N-Quads; gzip-encoded if the client accepts it."""
    fmt = negotiate(DUMP_OFFER, request.headers.get("accept"), format)
    gzip = "gzip" in request.headers.get("accept-encoding", "").lower()
    return _dump(request, fmt, gzip, None)


@router.api_route("/dump.nq.gz", methods=["GET", "HEAD"])
async def dump_nq_gz(request: Request) -> Response:
    """The dataset as a gzipped N-Quads file."""
    return _dump(request, RDF_FORMATS["nquads"], True, "osec-kg.nq.gz")
