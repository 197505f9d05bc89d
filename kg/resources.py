"""Where the bundled ontology, data and example queries are, in a checkout or a wheel."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def bundled(kind: str) -> Path:
    """The folder of a bundled resource: ``"ontology"``, ``"data"`` or ``"queries"``.

    In a wheel they sit in ``kg/_bundled/``; in a source checkout, at the repository root.
    """
    packaged = _HERE / "_bundled" / kind
    if packaged.is_dir():
        return packaged
    return _HERE.parent / kind


ONTOLOGY_GRAPH = "graph/ontology"
