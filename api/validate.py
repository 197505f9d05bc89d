"""``POST /validate``: data (and optionally shapes) in, a ``sh:ValidationReport`` out.

Accepts multipart (``data``, ``shapes`` parts, optional ``format``, ``base`` and
``timeout`` fields) or JSON (``{"data", "format", "shapes", "shapesFormat", "base",
"timeout"}``). ``base`` resolves relative IRIs in both. Answers pySHACL's own
``sh:ValidationReport`` graph as Turtle, JSON-LD or N-Triples by ``Accept``, else the typed
JSON summary with plain-language sentences. ``X-Conforms`` carries ``sh:conforms`` as SHACL
defines it (false when any result, Warnings included); the summary's ``conforms`` says whether
the store's gate would accept the data (no Violation), ``shaclConforms`` the former.

Validation runs in a forked child with a time limit (user shapes may carry SPARQL): the
server's limit is ``app.state.validate_timeout`` (default :data:`TIMEOUT` seconds); a client
may ask for a shorter one with ``timeout``, never a longer one. ``owl:imports`` and
``SERVICE``/``LOAD`` in shapes are refused.
"""

from __future__ import annotations

import json
import multiprocessing as mp
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.problems import PROBLEM, from_exception
from kg import errors

router = APIRouter()

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 20.0
_RDF_OUT = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}
_FORMATS = {
    "turtle": "turtle",
    "text/turtle": "turtle",
    "ttl": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "application/n-triples": "nt",
    "json-ld": "json-ld",
    "jsonld": "json-ld",
    "application/ld+json": "json-ld",
    "xml": "xml",
    "rdfxml": "xml",
    "application/rdf+xml": "xml",
    "trig": "trig",
    "nquads": "nquads",
    "n3": "n3",
}


def _fmt(name: str | None) -> str:
    key = (name or "turtle").split(";")[0].strip().lower()
    if key not in _FORMATS:
        raise errors.UnsupportedFormat(f"cannot read RDF as {name!r}")
    return _FORMATS[key]


def _warm() -> None:
    """Import the validator in the parent once, so each forked child starts with it loaded."""
    import pyshacl  # noqa: F401

    import kg.validation.gate  # noqa: F401


def _work(
    data: str, fmt: str, shapes: str | None, sfmt: str, out: str, base: str | None, conn: Any
) -> None:
    try:
        from rdflib import Dataset, Graph

        from kg.validation.gate import ShaclGate, check_safe_shapes, load_shapes

        if shapes is None:
            sg = load_shapes()
        else:
            sg = Graph()
            try:
                sg.parse(data=shapes, format=sfmt, publicID=base)
            except Exception as exc:
                raise errors.RdfSyntaxError(f"cannot read the shapes: {exc}") from None
            check_safe_shapes(sg)
        ds = Dataset()
        try:
            ds.parse(data=data, format=fmt, publicID=base)
        except Exception as exc:
            raise errors.RdfSyntaxError(f"cannot read the data: {exc}") from None
        g = Graph()
        for s, p, o, _ in ds.quads():
            g.add((s, p, o))
        # our shapes compile to SPARQL; shapes a user sends are run by pySHACL, the reference,
        # whose report keeps their blank-node paths and shapes as they are
        report = ShaclGate(sg, engine="auto" if shapes is None else "pyshacl").validate_graph(g)
        conn.send(("ok", report.serialize(out), report.shacl_conforms))
    except errors.KgError as exc:
        conn.send(("err", type(exc).__name__, exc.message))
    except Exception as exc:  # shown as a 400: the input made validation fail
        conn.send(("err", "InputError", f"validation failed: {exc}"))


def _run(
    data: str,
    fmt: str,
    shapes: str | None,
    sfmt: str,
    out: str,
    base: str | None = None,
    timeout: float = TIMEOUT,
) -> tuple[str, bool]:
    _warm()
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_work, args=(data, fmt, shapes, sfmt, out, base, child), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise errors.QueryTimeout(f"validation ran past {timeout:g} s and was stopped")
        msg = parent.recv()
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join(1)
    if msg[0] == "err":
        raise getattr(errors, msg[1], errors.InputError)(msg[2])
    return msg[1], msg[2]


@router.post("/validate")
async def validate(request: Request) -> Response:
    try:
        size = int(request.headers.get("content-length") or 0)
        if size > MAX_BYTES:
            return _problem(413, "Payload too large", f"at most {MAX_BYTES} bytes")
        ctype = request.headers.get("content-type", "")
        if ctype.startswith("multipart/form-data"):
            form = await request.form()
            dpart, spart = form.get("data"), form.get("shapes")
            if dpart is None:
                raise errors.InputError("a 'data' part is required")
            data = await _text(dpart)
            fmt = _fmt(form.get("format") or getattr(dpart, "content_type", None))  # type: ignore[arg-type]
            shapes = await _text(spart) if spart is not None else None
            sfmt = _fmt(getattr(spart, "content_type", None)) if spart is not None else "turtle"
            base, asked = form.get("base"), form.get("timeout")
        else:
            body = await request.body()
            if len(body) > MAX_BYTES:
                return _problem(413, "Payload too large", f"at most {MAX_BYTES} bytes")
            try:
                doc = json.loads(body)
            except ValueError:
                raise errors.InputError('send JSON {"data": ...} or multipart') from None
            if not isinstance(doc, dict) or not isinstance(doc.get("data"), str):
                raise errors.InputError("'data' (a string of RDF) is required")
            data, fmt = doc["data"], _fmt(doc.get("format"))
            shapes = doc.get("shapes")
            sfmt = _fmt(doc.get("shapesFormat") or doc.get("format"))
            base, asked = doc.get("base"), doc.get("timeout")
        if base is not None and not isinstance(base, str):
            raise errors.InputError("'base' must be an IRI")
        timeout = _limit(request, asked)
        accept = request.headers.get("accept", "")
        out = next((v for k, v in _RDF_OUT.items() if k in accept), "json")
        import asyncio

        text, conforms = await asyncio.to_thread(
            _run, data, fmt, shapes, sfmt, out, base or None, timeout
        )
        media = next((k for k, v in _RDF_OUT.items() if v == out), "application/json")
        return Response(
            text, media_type=media, headers={"Vary": "Accept", "X-Conforms": str(conforms).lower()}
        )
    except Exception as exc:
        status, body = from_exception(exc)
        return Response(body, status_code=status, media_type=PROBLEM)


def _limit(request: Request, asked: object) -> float:
    """The server's limit, or the client's when it is shorter."""
    limit = float(getattr(request.app.state, "validate_timeout", TIMEOUT))
    if asked is None:
        return limit
    try:
        value = float(asked)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise errors.InputError("'timeout' must be a number of seconds") from None
    if not value > 0:
        raise errors.InputError("'timeout' must be positive")
    return min(value, limit)


async def _text(part: Any) -> str:
    if isinstance(part, str):
        return part
    raw = await part.read()
    if len(raw) > MAX_BYTES:
        raise _TooLarge()
    return raw.decode("utf-8")  # type: ignore[no-any-return]


class _TooLarge(errors.KgError):
    status, title = 413, "Payload too large"

    def __init__(self) -> None:
        super().__init__(f"at most {MAX_BYTES} bytes")


def _problem(status: int, title: str, detail: str) -> Response:
    from api.problems import problem_body

    return Response(problem_body(status, title, detail), status_code=status, media_type=PROBLEM)
