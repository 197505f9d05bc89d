"""Errors raised while computing the change an update request makes.

- ``UpdateSyntaxError``: the request is not valid SPARQL 1.1 Update (``message``, ``line``,
  ``column`` where known).
- ``UpdateRefused``: a valid request the service will not perform (``SERVICE``, ``LOAD`` of a
  source not allowed, a write to the default graph in union mode, …); the message says why
  and what to write instead.
- ``UpdateFailed``: a valid request that fails on this dataset, as SPARQL 1.1 Update says it
  must (``CREATE`` of an existing graph, ``DROP`` of a missing one, … without ``SILENT``).

All are ``ValueError`` subclasses and map to HTTP 400.
"""

from __future__ import annotations


class UpdateSyntaxError(ValueError):
    """The request does not parse; ``line`` and ``column`` are 1-based when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        where = f" (line {line}, column {column})" if line is not None else ""
        super().__init__(f"{message}{where}")
        self.message = message
        self.line = line
        self.column = column


class UpdateRefused(ValueError):
    """A request the service will not perform, with a message meant for people."""


class UpdateFailed(ValueError):
    """An operation that fails on the current dataset (SPARQL 1.1 Update error semantics)."""
