"""The errors of osec-kg, designed once.

Every error the library raises on purpose derives from :class:`KgError` and carries an HTTP
status and a short title, so the API renders each one the same way (RFC 9457 problem details)
and the CLI maps it to an exit code (1 for rejected input, 2 for anything else)::

    KgError                       500  (exit 2)
    ├── InputError                400  rejected input (exit 1)
    │   ├── QuerySyntaxError      400  malformed SPARQL (message, line, column)
    │   ├── RdfSyntaxError        400  malformed RDF (file, line, column)
    │   ├── UpdateRejected        400  an update the service will not perform as written
    │   ├── UnsupportedFormat     415  a media type we cannot read
    │   └── NotAcceptable         406  no offered format matches Accept
    ├── Forbidden                 403  SERVICE / LOAD of a remote IRI not allowed
    ├── Unauthorized              401  a write without a valid token
    ├── QueryTimeout              503  the query ran past its timeout and was stopped
    ├── QueryMemoryExceeded       503  the query's worker hit its memory cap and was stopped
    ├── StoreUnavailable          503  the store is locked by another process or closed
    └── ValidationFailed          422  the change breaks the SHACL shapes (report inside)
"""

from __future__ import annotations

from typing import Any


class KgError(Exception):
    """Base of all deliberate errors: a message, an HTTP status, a title, an exit code."""

    status = 500
    title = "Internal error"
    exit_code = 2

    def __init__(self, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra


class InputError(KgError):
    status, title, exit_code = 400, "Bad request", 1


class QuerySyntaxError(InputError):
    """Malformed SPARQL; ``extra`` holds ``line`` and ``column`` when the parser gives them."""

    title = "Malformed SPARQL"


class RdfSyntaxError(InputError):
    """Malformed RDF; ``extra`` holds ``file``, ``line`` and ``column``."""

    title = "Malformed RDF"


class UpdateRejected(InputError):
    title = "Update rejected"


class UnsupportedFormat(InputError):
    status, title = 415, "Unsupported format"


class NotAcceptable(InputError):
    status, title = 406, "Not acceptable"


class Forbidden(KgError):
    status, title, exit_code = 403, "Forbidden", 1


class Unauthorized(KgError):
    status, title, exit_code = 401, "Unauthorized", 1


class QueryTimeout(KgError):
    status, title = 503, "Query timeout"


class QueryMemoryExceeded(KgError):
    status, title = 503, "Query memory limit"


class StoreUnavailable(KgError):
    status, title = 503, "Store unavailable"


class ValidationFailed(KgError):
    status, title, exit_code = 422, "Validation failed", 1
