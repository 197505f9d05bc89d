"""SPARQL 1.1 Update as a change set: what a request would add and remove, before it is applied.

``compute_delta(store, update, …) -> Delta`` reads the store and never writes it;
``apply_delta(store, delta)`` applies a change. Errors: ``UpdateSyntaxError``,
``UpdateRefused``, ``UpdateFailed`` (all ``ValueError``).
"""

from kg.update.compute import compute_delta
from kg.update.errors import UpdateFailed, UpdateRefused, UpdateSyntaxError
from kg.update.state import Delta, apply_delta

__all__ = [
    "Delta",
    "UpdateFailed",
    "UpdateRefused",
    "UpdateSyntaxError",
    "apply_delta",
    "compute_delta",
]
