"""The post-change graph without applying the change: the store with the change overlaid, the
walks the gate takes over it, and which shapes target a node there."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

from kg.validation.analysis import FWD
from kg.validation.engine import Membership

Triple = tuple[Any, Any, Any]


class Overlay:
    """The post-change graph (union of named graphs): the store with the change applied.

    The validation graph is not data: its results are left out of the union.
    """

    def __init__(
        self,
        store: ox.Store,
        added: list[ox.Quad],
        removed: list[ox.Quad],
        skip: ox.NamedNode | None = None,
    ) -> None:
        self.store = store
        self.skip = skip
        added = [q for q in added if q.graph_name != skip]
        removed = [q for q in removed if q.graph_name != skip]
        add = {(q.subject, q.predicate, q.object) for q in added}
        rem = {(q.subject, q.predicate, q.object) for q in removed} - add
        removed_quads = set(removed)
        # a triple leaves the union only when no other graph still holds it
        self.gone = {
            t
            for t in rem
            if all(
                q in removed_quads or q.graph_name == skip
                for q in store.quads_for_pattern(t[0], t[1], t[2])
            )
        }
        self.add_s: dict[object, set[Triple]] = {}
        self.add_o: dict[object, set[Triple]] = {}
        for t in add:
            self.add_s.setdefault(t[0], set()).add(t)
            self.add_o.setdefault(t[2], set()).add(t)
        self._out: dict[object, set[Triple]] = {}

    def out(self, n: Any) -> set[Triple]:
        if isinstance(n, ox.Literal):
            return set()
        got = self._out.get(n)
        if got is None:
            got = {
                (q.subject, q.predicate, q.object)
                for q in self.store.quads_for_pattern(n, None, None)
                if q.graph_name != self.skip
            }
            got -= self.gone
            got |= self.add_s.get(n, set())
            self._out[n] = got
        return got

    def inn(self, n: Any, p: ox.NamedNode) -> set[Triple]:
        got = {
            (q.subject, q.predicate, q.object)
            for q in self.store.quads_for_pattern(None, p, n)
            if q.graph_name != self.skip
        }
        got -= self.gone
        got |= {t for t in self.add_o.get(n, ()) if t[1] == p}
        return got

    def all_triples(self) -> set[Triple]:
        got = {(q.subject, q.predicate, q.object) for q in self.store if q.graph_name != self.skip}
        got -= self.gone
        for ts in self.add_s.values():
            got |= ts
        return got


def post_change_store(
    store: ox.Store, added: list[ox.Quad], removed: list[ox.Quad], skip: object = None
) -> ox.Store:
    """The whole post-change graph in a new in-memory store (its default graph): every triple
    of a quad the change keeps, and the added ones; the graph ``skip`` left out."""
    gone = set(removed)
    st = ox.Store()
    st.bulk_extend(
        ox.Quad(q.subject, q.predicate, q.object)
        for q in store
        if q.graph_name != skip and q not in gone
    )
    st.bulk_extend(ox.Quad(q.subject, q.predicate, q.object) for q in added)
    return st


def walk(
    view: Overlay, start: object, moves: tuple[Any, ...], passed: set[object] | None = None
) -> set[object]:
    """The nodes ``moves`` lead to from ``start``; ``passed`` collects every node on the way."""
    nodes: set[object] = {start}
    for mp, md in moves:
        pred = mp if isinstance(mp, ox.NamedNode) else ox.NamedNode(str(mp))
        nxt: set[object] = set()
        for n in nodes:
            if md == FWD:
                nxt.update(t[2] for t in view.out(n) if t[1] == pred)
            else:
                nxt.update(t[0] for t in view.inn(n, pred))
        nodes = nxt
        if passed is not None:
            passed |= nodes
    return nodes


def membership(view: Overlay) -> Membership:
    """Target membership of nodes in the post-change graph (the overlay)."""
    return Membership(
        lambda n, p: [t[2] for t in view.out(n) if t[1] == p],
        lambda p, o: bool(view.inn(o, p)),
    )


def store_of(triples: Iterable[Triple]) -> ox.Store:
    st = ox.Store()
    st.extend(ox.Quad(s, p, o) for s, p, o in triples)
    return st
