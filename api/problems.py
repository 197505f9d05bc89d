"""RFC 9457 problem details: every error the API returns is rendered here, once."""

from __future__ import annotations

import json
import logging
from typing import Any

from kg.errors import KgError

log = logging.getLogger("api")

PROBLEM = "application/problem+json"


def problem_body(status: int, title: str, detail: str, **extra: Any) -> bytes:
    doc: dict[str, Any] = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
    }
    doc.update({k: v for k, v in extra.items() if v is not None})
    return json.dumps(doc).encode()


def from_exception(exc: BaseException) -> tuple[int, bytes]:
    """Status and body for any exception; a 500 hides internals and logs the traceback."""
    if isinstance(exc, KgError):
        return exc.status, problem_body(exc.status, exc.title, exc.message, **exc.extra)
    log.exception("unhandled error", exc_info=exc)
    return 500, problem_body(500, "Internal error", "the server failed to answer; see its log")
