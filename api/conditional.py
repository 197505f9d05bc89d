"""Conditional GET: whether the client's copy is current (RFC 9110 13.2.2)."""

from __future__ import annotations

from collections.abc import Mapping
from email.utils import parsedate_to_datetime


def fresh(headers: Mapping[str, str], etag: str, modified: float) -> bool:
    """True when a 304 may answer: If-None-Match decides when present, else If-Modified-Since."""
    inm = headers.get("if-none-match")
    if inm is not None:
        return inm.strip() == "*" or etag in [t.strip() for t in inm.split(",")]
    ims = headers.get("if-modified-since")
    if ims:
        try:
            return int(modified) <= parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError):
            return False
    return False
