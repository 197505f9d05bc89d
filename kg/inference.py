"""RDFS entailments, materialized in their own named graph and kept current with each commit.

Served entailments (rules of RDFS and OWL 2 RL restricted to the class and property hierarchy):

- ``rdfs:subClassOf`` (rdfs9, rdfs11): ``?x a C`` and ``C ⊑ D`` ⟹ ``?x a D``;
- ``rdfs:subPropertyOf`` (rdfs7, rdfs5): ``?s P ?o`` and ``P ⊑ Q`` ⟹ ``?s Q ?o``;
- ``owl:equivalentClass`` / ``owl:equivalentProperty`` count as subclass / subproperty both ways.

The hierarchy is read from every graph but the inferred one (in practice the ontology graph).
Entailed triples live in the inferred graph only, so source graphs keep what their sources say;
they are visible through the union default graph. Because each entailment here depends on one
base triple and the hierarchy, a change is maintained exactly from its own quads: additions
entail new triples; a removal retracts an entailed triple only when no remaining base triple
of the same subject still entails it. A change to the hierarchy recomputes the whole graph.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import pyoxigraph as ox

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
SUB_CLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
SUB_PROP = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subPropertyOf")
EQ_CLASS = ox.NamedNode("http://www.w3.org/2002/07/owl#equivalentClass")
EQ_PROP = ox.NamedNode("http://www.w3.org/2002/07/owl#equivalentProperty")
SCHEMA_PREDICATES = frozenset({SUB_CLASS, SUB_PROP, EQ_CLASS, EQ_PROP})

Triple = tuple[object, ox.NamedNode, object]


def _closure(edges: dict[ox.NamedNode, set[ox.NamedNode]]) -> dict[ox.NamedNode, frozenset]:
    out: dict[ox.NamedNode, frozenset] = {}
    for start in edges:
        seen: set[ox.NamedNode] = set()
        stack = list(edges[start])
        while stack:
            node = stack.pop()
            if node in seen or node == start:
                continue
            seen.add(node)
            stack.extend(edges.get(node, ()))
        if seen:
            out[start] = frozenset(seen)
    return out


class Hierarchy:
    """The class and property hierarchy: all strict super-classes / super-properties."""

    def __init__(self, schema: Iterable[ox.Quad]) -> None:
        classes: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
        props: dict[ox.NamedNode, set[ox.NamedNode]] = defaultdict(set)
        for q in schema:
            s, p, o = q.subject, q.predicate, q.object
            if not (isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode)):
                continue
            if p == SUB_CLASS:
                classes[s].add(o)
            elif p == SUB_PROP:
                props[s].add(o)
            elif p == EQ_CLASS:
                classes[s].add(o)
                classes[o].add(s)
            elif p == EQ_PROP:
                props[s].add(o)
                props[o].add(s)
        self.classes = _closure(classes)
        self.properties = _closure(props)

    def entail(self, s: object, p: ox.NamedNode, o: object) -> list[Triple]:
        if p == RDF_TYPE:
            return [(s, RDF_TYPE, d) for d in self.classes.get(o, ())]  # type: ignore[call-overload]
        return [(s, q, o) for q in self.properties.get(p, ())]


class Inference:
    """Keeps ``graph`` equal to the entailments of every other graph of a store."""

    def __init__(self, graph: str) -> None:
        self.graph = ox.NamedNode(graph)
        self._hierarchy: Hierarchy | None = None
        self._pending: Hierarchy | None = None
        #: the default graph is derived (the merge of the named graphs): not a base graph
        self.skip_default = False

    def is_base(self, quad: ox.Quad) -> bool:
        g = quad.graph_name
        return g != self.graph and not (self.skip_default and isinstance(g, ox.DefaultGraph))

    def committed(self) -> None:
        """The change last computed was committed: a new hierarchy takes effect."""
        if self._pending is not None:
            self._hierarchy, self._pending = self._pending, None

    def is_schema_change(self, quads: Iterable[ox.Quad]) -> bool:
        return any(q.predicate in SCHEMA_PREDICATES for q in quads)

    def hierarchy(self, store: ox.Store) -> Hierarchy:
        if self._hierarchy is None:
            self._hierarchy = Hierarchy(self._schema_quads(store))
        return self._hierarchy

    def _schema_quads(self, store: ox.Store) -> list[ox.Quad]:
        return [
            q
            for p in SCHEMA_PREDICATES
            for q in store.quads_for_pattern(None, p, None, None)
            if self.is_base(q)
        ]

    def _quad(self, t: Triple) -> ox.Quad:
        return ox.Quad(t[0], t[1], t[2], self.graph)  # type: ignore[arg-type]

    def change(
        self, store: ox.Store, added: list[ox.Quad], removed: list[ox.Quad]
    ) -> tuple[list[ox.Quad], list[ox.Quad]]:
        """The inferred quads to add and remove so that, after the base change is committed
        on ``store`` (which still holds the state before it), the graph is exact again."""
        self._pending = None
        if self.is_schema_change(added) or self.is_schema_change(removed):
            return self._recompute(store, added, removed)
        h = self.hierarchy(store)
        new = {t for q in added for t in h.entail(q.subject, q.predicate, q.object)}
        gone = {t for q in removed for t in h.entail(q.subject, q.predicate, q.object)} - new
        if gone:
            gone -= self._still_entailed(store, h, gone, added, removed)
        return [self._quad(t) for t in new], [self._quad(t) for t in gone if self._quad(t) in store]

    def recompute(self, store: ox.Store) -> tuple[list[ox.Quad], list[ox.Quad]]:
        """The inferred quads to add and remove to make the graph exact for ``store`` as is."""
        return self._recompute(store, [], [])

    def _still_entailed(
        self,
        store: ox.Store,
        h: Hierarchy,
        candidates: set[Triple],
        added: list[ox.Quad],
        removed: list[ox.Quad],
    ) -> set[Triple]:
        subjects = {t[0] for t in candidates}
        removed_set = set(removed)
        keep: set[Triple] = set()
        for s in subjects:
            for q in store.quads_for_pattern(s, None, None, None):  # type: ignore[arg-type]
                if not self.is_base(q) or q in removed_set:
                    continue
                keep.update(h.entail(q.subject, q.predicate, q.object))
        for q in added:
            if q.subject in subjects:
                keep.update(h.entail(q.subject, q.predicate, q.object))
        return keep & candidates

    def _recompute(
        self, store: ox.Store, added: list[ox.Quad], removed: list[ox.Quad]
    ) -> tuple[list[ox.Quad], list[ox.Quad]]:
        removed_set = set(removed)
        schema = [q for q in self._schema_quads(store) if q not in removed_set]
        schema += [q for q in added if q.predicate in SCHEMA_PREDICATES and self.is_base(q)]
        h = self._pending = Hierarchy(schema)
        target: set[Triple] = set()
        for cls in h.classes:
            for q in store.quads_for_pattern(None, RDF_TYPE, cls, None):
                if self.is_base(q) and q not in removed_set:
                    target.update(h.entail(q.subject, q.predicate, q.object))
        for prop in h.properties:
            for q in store.quads_for_pattern(None, prop, None, None):
                if self.is_base(q) and q not in removed_set:
                    target.update(h.entail(q.subject, q.predicate, q.object))
        for q in added:
            if self.is_base(q):
                target.update(h.entail(q.subject, q.predicate, q.object))
        current = {
            (q.subject, q.predicate, q.object)
            for q in store.quads_for_pattern(None, None, None, self.graph)
        }
        return (
            [self._quad(t) for t in target - current],
            [self._quad(t) for t in current - target],
        )
