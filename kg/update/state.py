"""The change a request makes (``Delta``) and the working view an operation reads.

``Overlay`` is the base store plus the net change so far. Point reads (``contains``,
``quads``) combine the two without copying anything. A SPARQL ``WHERE`` that must see earlier
operations' changes runs on a scratch in-memory store that holds only the graphs it can read,
copied in their current state the first time they are needed and kept current afterwards.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

GraphName = ox.NamedNode | ox.BlankNode | ox.DefaultGraph


class _All:
    """Sentinel: every graph of the dataset."""

    def __repr__(self) -> str:
        return "ALL"


ALL = _All()
Needs = frozenset[GraphName] | _All

_EMPTY: frozenset[Any] = frozenset()


@dataclass(frozen=True)
class Delta:
    """The net change of an update request.

    ``added``: quads absent before and present after; ``removed``: present before, absent
    after. ``created_graphs`` / ``dropped_graphs``: named graphs that exist after but not
    before, and the reverse (Oxigraph keeps empty named graphs).
    """

    added: frozenset[ox.Quad] = _EMPTY
    removed: frozenset[ox.Quad] = _EMPTY
    created_graphs: frozenset[ox.NamedNode] = _EMPTY
    dropped_graphs: frozenset[ox.NamedNode] = _EMPTY

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.created_graphs or self.dropped_graphs)

    def graphs(self) -> frozenset[GraphName]:
        """Every graph the change touches."""
        touched: set[GraphName] = {q.graph_name for q in self.added | self.removed}
        return frozenset(touched | self.created_graphs | self.dropped_graphs)


def apply_delta(store: ox.Store, delta: Delta) -> None:
    """Apply ``delta`` to ``store`` (not atomically): drop, remove, add, create."""
    for g in delta.dropped_graphs:
        store.remove_graph(g)
    for q in delta.removed:
        store.remove(q)
    store.extend(delta.added)
    for g in delta.created_graphs:
        store.add_graph(g)


class Overlay:
    """The base store seen through the net change accumulated so far. Never writes to base."""

    def __init__(self, base: ox.Store) -> None:
        self.base = base
        self.added: set[ox.Quad] = set()
        self.removed: set[ox.Quad] = set()
        self._exists: dict[GraphName, bool] = {}
        self._touched: set[GraphName] = set()
        self._scratch: ox.Store | None = None
        self._copied: set[GraphName] = set()
        self._copied_all = False

    # ---- reads -------------------------------------------------------------------------
    def contains(self, q: ox.Quad) -> bool:
        if q in self.added:
            return True
        if q in self.removed:
            return False
        return q in self.base

    def graph_exists(self, g: GraphName) -> bool:
        if isinstance(g, ox.DefaultGraph):
            return True
        if g in self._exists:
            return self._exists[g]
        return self.base.contains_named_graph(g)

    def named_graphs(self) -> set[GraphName]:
        graphs: set[GraphName] = set(self.base.named_graphs())
        for g, exists in self._exists.items():
            if exists:
                graphs.add(g)
            else:
                graphs.discard(g)
        return graphs

    def quads(
        self,
        s: Any = None,
        p: Any = None,
        o: Any = None,
        g: GraphName | None = None,
    ) -> Iterator[ox.Quad]:
        """Current quads matching a pattern (``None`` is a wildcard; ``g=None``: all graphs)."""
        for q in self.base.quads_for_pattern(s, p, o, g):
            if q not in self.removed:
                yield q
        for q in list(self.added):
            if (
                (s is None or q.subject == s)
                and (p is None or q.predicate == p)
                and (o is None or q.object == o)
                and (g is None or q.graph_name == g)
            ):
                yield q

    def query(self, sparql: str, needs: Needs, **options: Any) -> Any:
        """Run a query on the current state; ``needs`` are the graphs it can read."""
        if not self._touched or (not isinstance(needs, _All) and not (needs & self._touched)):
            return self.base.query(sparql, **options)
        return self._materialize(needs).query(sparql, **options)

    # ---- writes ------------------------------------------------------------------------
    def add(self, q: ox.Quad) -> None:
        g = q.graph_name
        if not isinstance(g, ox.DefaultGraph) and not self.graph_exists(g):
            self._set_exists(g, True)
        if q in self.removed:
            self.removed.discard(q)
        elif q not in self.added and q not in self.base:
            self.added.add(q)
        else:
            return
        self._touched.add(g)
        if self._mirrors(g):
            assert self._scratch is not None
            self._scratch.add(q)

    def remove(self, q: ox.Quad) -> None:
        if q in self.added:
            self.added.discard(q)
        elif q not in self.removed and q in self.base:
            self.removed.add(q)
        else:
            return
        self._touched.add(q.graph_name)
        if self._mirrors(q.graph_name):
            assert self._scratch is not None
            self._scratch.remove(q)

    def clear_graph(self, g: GraphName) -> None:
        for q in list(self.quads(None, None, None, g)):
            self.remove(q)

    def drop_graph(self, g: GraphName) -> None:
        self.clear_graph(g)
        if not isinstance(g, ox.DefaultGraph):
            self._set_exists(g, False)

    def create_graph(self, g: ox.NamedNode) -> None:
        self._set_exists(g, True)

    def delta(self) -> Delta:
        created = {
            g for g, e in self._exists.items() if e and not self.base.contains_named_graph(g)
        }
        dropped = {
            g for g, e in self._exists.items() if not e and self.base.contains_named_graph(g)
        }
        return Delta(
            frozenset(self.added),
            frozenset(self.removed),
            frozenset(created),  # type: ignore[arg-type]
            frozenset(dropped),  # type: ignore[arg-type]
        )

    # ---- internals ---------------------------------------------------------------------
    def _set_exists(self, g: GraphName, exists: bool) -> None:
        self._exists[g] = exists
        self._touched.add(g)
        if self._mirrors(g):
            assert self._scratch is not None
            if exists:
                self._scratch.add_graph(g)
            else:
                self._scratch.remove_graph(g)

    def _mirrors(self, g: GraphName) -> bool:
        return self._scratch is not None and (self._copied_all or g in self._copied)

    def _materialize(self, needs: Needs) -> ox.Store:
        if self._scratch is None:
            self._scratch = ox.Store()
        scratch = self._scratch
        wanted: Iterable[GraphName]
        if isinstance(needs, _All):
            if self._copied_all:
                return scratch
            wanted = [ox.DefaultGraph(), *self.named_graphs()]
        else:
            wanted = needs
        for g in wanted:
            if g in self._copied:
                continue
            if not isinstance(g, ox.DefaultGraph) and self.graph_exists(g):
                scratch.add_graph(g)
            scratch.extend(self.quads(None, None, None, g))
            self._copied.add(g)
        if isinstance(needs, _All):
            self._copied_all = True
        return scratch
