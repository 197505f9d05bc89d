"""The change a SPARQL 1.1 Update request makes, as quads, computed before it is committed.

The implementation lives in ``kg.update`` (split by concept); this module is its public face.

Exceptions (all ``ValueError``, mapped to HTTP 400):

- ``UpdateSyntaxError``: not valid SPARQL 1.1 Update; ``.message``, ``.line``, ``.column``.
- ``UpdateRefused``: valid, but the service will not perform it (``SERVICE``, a ``LOAD`` not
  allowed, a write to the default graph when it is the union of the named graphs, …).
- ``UpdateFailed``: fails on this dataset as the standard says (``CREATE`` of an existing
  graph, ``DROP`` of a missing one, … without ``SILENT``).
"""

from kg.update import (
    Delta,
    UpdateFailed,
    UpdateRefused,
    UpdateSyntaxError,
    apply_delta,
    compute_delta,
)

__all__ = [
    "Delta",
    "UpdateFailed",
    "UpdateRefused",
    "UpdateSyntaxError",
    "apply_delta",
    "compute_delta",
]
