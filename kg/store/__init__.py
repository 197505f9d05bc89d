"""Stores: the interface and its backends; :func:`open_store` picks one by URL."""

from __future__ import annotations

from kg.config import Settings
from kg.store.base import Change, Store, StoreStats
from kg.store.embedded import EmbeddedStore
from kg.store.replica import Copies

__all__ = ["Change", "EmbeddedStore", "Store", "StoreStats", "open_store"]


def open_store(
    settings: Settings, *, workers: int | None = None, validate: bool = False
) -> EmbeddedStore:
    """Open the store the settings name (``memory:`` or ``oxigraph:///dir``).

    With ``validate``, every write passes the SHACL gate of ``ontology/shapes.ttl``.
    """
    store = EmbeddedStore(
        settings.store_url(),
        workers=settings.workers if workers is None else workers,
        worker_memory_mb=settings.worker_memory_mb,
        replica_copies=Copies(settings.replica_default_copy, settings.replica_named_copy),
        worker_allocator=settings.worker_allocator,
        union_default_graph=settings.union_default_graph,
        row_cap=settings.row_cap,
        query_timeout=settings.query_timeout,
        inferred_graph=settings.base_iri + "graph/inferred",
        # the gate's record of warnings: the store's own, outside the merge, whether or not
        # this opening validates (so every opening keeps the default graph under one rule)
        unmerged_graphs=[settings.base_iri + "graph/validation"],
    )
    if validate:
        from kg.validation import ShaclGate, load_shapes

        validation_graph = settings.base_iri + "graph/validation"
        shacl = ShaclGate(load_shapes(), validation_graph=validation_graph)
        if store.workers <= 0:  # every write is gated here: read the shapes for it now, not
            shacl.prepare()  # on the first write, beside requests that parse SPARQL too
        store.gate = shacl.gate_for(store.primary)
        store.gate_in_workers = True
    return store
