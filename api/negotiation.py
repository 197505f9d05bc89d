"""Content negotiation as one pure function: Accept (q-values, wildcards, specificity) or
``?format=``, over the formats a resource offers."""

from __future__ import annotations

from collections.abc import Sequence

from kg.errors import NotAcceptable
from kg.formats import ALL_FORMATS, Format

#: media types some clients send for our formats, beyond the registered ones
ALIASES = {
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
    "application/x-turtle": "turtle",
    "text/plain": "ntriples",
    "application/x-trig": "trig",
    "text/x-nquads": "nquads",
    "application/json+ld": "jsonld",
    "application/x-json+ld": "jsonld",
    "json-ld": "jsonld",
    "application/turtle": "turtle",
    "ttl": "turtle",
    "nt": "ntriples",
    "nq": "nquads",
    "rdf": "rdfxml",
    # Turtle is a subset of N3: an N3 reader reads our Turtle.
    "n3": "turtle",
    "text/n3": "turtle",
    "text/rdf+n3": "turtle",
    "application/n3": "turtle",
}


def parse_accept(header: str) -> list[tuple[str, float, int]]:
    """``[(media range, q, specificity)]``; specificity 3 = type/subtype;params, 0 = */*."""
    out = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media or "/" not in media:
            continue
        q, params = 1.0, 0
        for f in fields[1:]:
            key, _, value = f.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
            elif key.strip():
                params += 1
        kind, _, sub = media.partition("/")
        spec = 0 if kind == "*" else (1 if sub == "*" else 2 + (1 if params else 0))
        out.append((media, q, spec))
    return out


def _quality(fmt: Format, ranges: list[tuple[str, float, int]]) -> float:
    names = {fmt.media_type} | {m for m, n in ALIASES.items() if n == fmt.name}
    best_spec, best_q = -1, 0.0
    for media, q, spec in ranges:
        kind, _, sub = media.partition("/")
        hit = (
            media in names
            or (kind == "*" and sub == "*")
            or (sub == "*" and fmt.media_type.startswith(kind + "/"))
        )
        if hit and spec > best_spec:
            best_spec, best_q = spec, q
    return best_q


def negotiate(
    offered: Sequence[Format], accept: str | None, format_param: str | None = None
) -> Format:
    """Choose among ``offered`` (the first is the default).

    ``format_param`` (a name such as ``json`` or a media type, or a comma-separated list of
    them, the first offered one chosen) wins over ``Accept``. Among
    equally acceptable formats the earlier offer wins. Raises :class:`NotAcceptable` listing
    what is offered.
    """
    if format_param:
        keys = [k.strip().lower() for k in format_param.split(",") if k.strip()]
        for key in keys:
            key = ALIASES.get(key, key)
            for fmt in offered:
                if key in (fmt.name, fmt.media_type):
                    return fmt
        if any(ALIASES.get(k, k) in ALL_FORMATS or "/" in k for k in keys):
            raise NotAcceptable(
                f"format {format_param!r} is not offered here",
                offered=[f.media_type for f in offered],
            )
        raise NotAcceptable(
            f"unknown format {format_param!r}", offered=[f.media_type for f in offered]
        )
    if not accept or not accept.strip():
        return offered[0]
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    best, best_q = None, 0.0
    for fmt in offered:
        q = _quality(fmt, ranges)
        if q > best_q:
            best, best_q = fmt, q
    if best is None:
        raise NotAcceptable(
            f"none of the offered formats matches Accept: {accept}",
            offered=[f.media_type for f in offered],
        )
    return best
