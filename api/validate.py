"""``POST /validate``: data (and optionally shapes) in, a ``sh:ValidationReport`` out.

Accepts multipart (``data``, ``shapes`` parts) or JSON (``{"data", "format", "shapes",
"shapesFormat"}``). Answers Turtle, JSON-LD or N-Triples by ``Accept``, else a JSON summary.
Validation runs in a forked child with a time limit (user shapes may carry SPARQL), and
``owl:imports``/``SERVICE`` in shapes are refused.
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


def _work(data: str, fmt: str, shapes: str | None, sfmt: str, out: str, conn: Any) -> None:
    try:
        from rdflib import Dataset, Graph

        from kg.validation.gate import ShaclGate, load_shapes

        sg = load_shapes(data=shapes, fmt=sfmt) if shapes is not None else load_shapes()
        ds = Dataset()
        try:
            ds.parse(data=data, format=fmt)
        except Exception as exc:
            raise errors.RdfSyntaxError(f"cannot read the data: {exc}") from None
        g = Graph()
        for s, p, o, _ in ds.quads():
            g.add((s, p, o))
        report = ShaclGate(sg).validate_graph(g)
        conn.send(("ok", report.serialize(out), report.conforms))
    except errors.KgError as exc:
        conn.send(("err", type(exc).__name__, exc.message))
    except Exception as exc:  # shown as a 400: the input made validation fail
        conn.send(("err", "InputError", f"validation failed: {exc}"))


def _run(data: str, fmt: str, shapes: str | None, sfmt: str, out: str) -> tuple[str, bool]:
    ctx = mp.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_work, args=(data, fmt, shapes, sfmt, out, child), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(TIMEOUT):
            raise errors.QueryTimeout(f"validation ran past {TIMEOUT:g} s and was stopped")
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
        accept = request.headers.get("accept", "")
        out = next((v for k, v in _RDF_OUT.items() if k in accept), "json")
        import asyncio

        text, conforms = await asyncio.to_thread(_run, data, fmt, shapes, sfmt, out)
        media = next((k for k, v in _RDF_OUT.items() if v == out), "application/json")
        return Response(
            text, media_type=media, headers={"Vary": "Accept", "X-Conforms": str(conforms).lower()}
        )
    except Exception as exc:
        status, body = from_exception(exc)
        return Response(body, status_code=status, media_type=PROBLEM)


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
