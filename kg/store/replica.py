"""The change a commit made, in the form read replicas apply it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

NQ = ox.RdfFormat.N_QUADS


@dataclass(frozen=True)
class ReplicaDelta:
    """Quads removed and added by commit ``version``, as N-Quads (blank node labels kept)."""

    version: int
    added: bytes = b""
    removed: bytes = b""
    created_graphs: tuple[str, ...] = ()
    dropped_graphs: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        version: int,
        added: Iterable[ox.Quad] = (),
        removed: Iterable[ox.Quad] = (),
        created_graphs: Iterable[str] = (),
        dropped_graphs: Iterable[str] = (),
    ) -> ReplicaDelta:
        added, removed = list(added), list(removed)
        return cls(
            version,
            ox.serialize(added, format=NQ) or b"" if added else b"",
            ox.serialize(removed, format=NQ) or b"" if removed else b"",
            tuple(created_graphs),
            tuple(dropped_graphs),
        )

    def apply(self, store: ox.Store) -> None:
        """Apply to an in-memory replica: drops, removals, then creations and additions."""
        for g in self.dropped_graphs:
            store.remove_graph(ox.NamedNode(g))
        if self.removed:
            for quad in ox.parse(self.removed, format=NQ):
                store.remove(quad)
        for g in self.created_graphs:
            store.add_graph(ox.NamedNode(g))
        if self.added:
            store.extend(ox.parse(self.added, format=NQ))

    @property
    def size(self) -> int:
        return len(self.added) + len(self.removed)
