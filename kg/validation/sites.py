"""Where the shapes read each predicate, seen from the focus node: the gate's map from a changed
triple back to the focus nodes whose verdict it can move.

A *site* says: some shape reads triples with predicate ``pred`` at the node reached from its
focus node by ``prefix`` (a sequence of moves), at the triple's subject or at its object. A
changed triple ``(s, p, o)`` can then only affect the focus nodes found by walking a site's
prefix backwards from ``s`` (or ``o``). Paths are expanded into their move sequences
(alternatives, ``sh:zeroOrOnePath``, inverses, sequences); nested shapes (``sh:node``, the
logical constraints, ``sh:qualifiedValueShape``) add their sites after the path that leads to
them; ``sh:class`` reads ``rdf:type`` at the value node; ``sh:closed`` reads every predicate.

A SPARQL-based constraint is not split into sites: a triple whose predicate its query uses
reaches back to any node within the query's radius over the query's moves, and only those
that the constraint's shape targets are kept (:class:`SparqlSite`).

Paths without a bound (``*``, ``+``) and recursive shapes raise :class:`~kg.validation.analysis.
Unbounded`; the gate then validates the whole post-change graph.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from rdflib import RDF, Literal, URIRef
from rdflib.namespace import SH

from kg.validation.analysis import (
    _LIST_SHAPES,
    _PAIRS,
    _VALUE_SHAPES,
    BWD,
    FWD,
    Move,
    Unbounded,
    _list,
    sparql_reach,
)


@dataclass(frozen=True)
class Site:
    pred: URIRef | None  # None: every predicate (sh:closed)
    at_subject: bool  # read where the triple starts (a forward step), else where it ends
    prefix: tuple[Move, ...]  # from the focus node to the node where it is read


@dataclass(frozen=True)
class SparqlSite:
    shape: Any  # the shape whose targets the found nodes must be
    radius: int
    moves: frozenset[Move]
    # per predicate of a triple pattern: for each pattern, the moves from the node the changed
    # triple binds to $this (subject side first), or None: walk ``moves`` within ``radius``
    paths: dict[URIRef, tuple[tuple[bool, tuple[Move, ...]] | None, ...]] = field(
        default_factory=dict, hash=False, compare=False
    )

    @property
    def preds(self) -> set[URIRef]:
        return {p for p, _d in self.moves} | set(self.paths)


def _required(node: Any) -> list[tuple[Any, Any, Any]]:
    """Triple patterns every solution of ``node`` matches."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if not isinstance(node, CompValue):
        return []
    name = node.name
    if name == "BGP":
        return list(node["triples"])
    if name == "Join":
        return _required(node["p1"]) + _required(node["p2"])
    if name in ("LeftJoin", "Minus"):
        return _required(node["p1"])
    if name in ("Filter", "Extend", "Distinct", "Reduced", "Slice", "OrderBy", "Graph"):
        return _required(node["p"])
    if name in ("Project", "SelectQuery", "AskQuery") and "p" in node:
        return _required(node["p"])
    return []  # Union, sub-selects, aggregates: nothing is guaranteed


def _scoped(node: Any, ctx: list[Any], out: list[tuple[Any, list[Any]]]) -> None:
    """Each triple pattern with the patterns that hold whenever it matches."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if not isinstance(node, CompValue):
        return
    name = node.name
    if name == "BGP":
        for t in node["triples"]:
            out.append((t, ctx + list(node["triples"])))
    elif name == "Join":
        _scoped(node["p1"], ctx + _required(node["p2"]), out)
        _scoped(node["p2"], ctx + _required(node["p1"]), out)
    elif name in ("LeftJoin", "Minus"):
        _scoped(node["p1"], ctx, out)
        if name == "LeftJoin":
            _scoped(node["p2"], ctx + _required(node["p1"]), out)
    elif name == "Union":
        _scoped(node["p1"], ctx, out)
        _scoped(node["p2"], ctx, out)
    elif (
        name
        in (
            "Filter",
            "Extend",
            "Distinct",
            "Reduced",
            "Slice",
            "OrderBy",
            "Graph",
            "Project",
            "SelectQuery",
            "AskQuery",
        )
        and "p" in node
    ):
        _scoped(node["p"], ctx, out)
    # anything else (sub-selects, aggregates, EXISTS): its patterns fall back to the radius


def _path_to_this(start: Any, patterns: list[Any]) -> tuple[Move, ...] | None:
    from rdflib import Variable

    this = Variable("this")
    if start == this:
        return ()
    if not isinstance(start, Variable):
        return None
    prev: dict[Any, tuple[Any, Move]] = {start: (None, (URIRef(""), FWD))}
    frontier = [start]
    while frontier and this not in prev:
        nxt = []
        for v in frontier:
            for a, p, b in patterns:
                if not isinstance(p, URIRef):
                    continue
                for x, y, d in ((a, b, FWD), (b, a, BWD)):
                    if x == v and isinstance(y, Variable) and y not in prev:
                        prev[y] = (v, (p, d))
                        nxt.append(y)
        frontier = nxt
    if this not in prev:
        return None
    moves: list[Move] = []
    v = this
    while v != start:
        v, m = prev[v]
        moves.append(m)
    return tuple(reversed(moves))


def sparql_paths(
    g: Any, constraint: object
) -> dict[URIRef, tuple[tuple[bool, tuple[Move, ...]] | None, ...]]:
    """For each predicate a SPARQL-based constraint matches, how a changed triple leads to the
    focus node: along patterns that hold whenever the matched pattern does."""
    from rdflib.plugins.sparql import algebra, parser

    from kg.validation.analysis import _prefixes, _triples

    query = g.value(constraint, SH.select) or g.value(constraint, SH.ask)
    try:
        q = algebra.translateQuery(parser.parseQuery(_prefixes(g) + "\n" + str(query)))
    except Exception:
        return {}
    scoped: list[tuple[Any, list[Any]]] = []
    _scoped(q.algebra, [], scoped)
    seen = {id(t) for t, _ in scoped}
    everything: list[tuple[Any, Any, Any]] = []
    _triples(q.algebra, everything)
    out: dict[URIRef, list[tuple[bool, tuple[Move, ...]] | None]] = {}
    for t, ctx in scoped:
        a, p, b = t
        if not isinstance(p, URIRef):
            continue
        via_s = _path_to_this(a, ctx)
        via_o = _path_to_this(b, ctx)
        best = (True, via_s) if via_s is not None else (False, via_o) if via_o is not None else None
        out.setdefault(p, []).append(best)
    for t in everything:
        if id(t) not in seen and isinstance(t[1], URIRef):
            out.setdefault(t[1], []).append(None)
    return {p: tuple(v) for p, v in out.items()}


@dataclass
class Sites:
    by_pred: dict[URIRef | None, set[Site]] = field(default_factory=dict)
    sparql: list[SparqlSite] = field(default_factory=list)

    def add(self, site: Site) -> None:
        self.by_pred.setdefault(site.pred, set()).add(site)

    def prefixes(self) -> dict[tuple[Move, ...], set[URIRef | None]]:
        """Each prefix, with the predicates read at the object end of a triple there."""
        out: dict[tuple[Move, ...], set[URIRef | None]] = {}
        for group in self.by_pred.values():
            for site in group:
                ends = out.setdefault(site.prefix, set())
                if not site.at_subject:
                    ends.add(site.pred)
        return out

    def for_pred(self, p: object) -> set[Site]:
        return self.by_pred.get(p, set()) | self.by_pred.get(None, set())  # type: ignore[call-overload]


def path_sequences(g: Any, path: object) -> list[tuple[Move, ...]]:
    """Every sequence of moves a SHACL path can take (its length bounded)."""
    if isinstance(path, URIRef):
        return [((path, FWD),)]
    if (path, RDF.first, None) in g:
        seqs: list[tuple[Move, ...]] = [()]
        for step in _list(g, path):
            seqs = [a + b for a, b in itertools.product(seqs, path_sequences(g, step))]
        return seqs
    inv = g.value(path, SH.inversePath)
    if inv is not None:
        return [
            tuple((p, BWD if d == FWD else FWD) for p, d in reversed(s))
            for s in path_sequences(g, inv)
        ]
    alt = g.value(path, SH.alternativePath)
    if alt is not None:
        return [s for step in _list(g, alt) for s in path_sequences(g, step)]
    opt = g.value(path, SH.zeroOrOnePath)
    if opt is not None:
        return [(), *path_sequences(g, opt)]
    raise Unbounded(f"path {path} repeats without bound")


def read_sites(g: Any) -> Sites:
    """The sites of every shape with targets in the shapes graph ``g``."""
    sites = Sites()

    def walk(shape: object, at: tuple[Move, ...], stack: tuple[object, ...]) -> None:
        if shape in stack:
            raise Unbounded(f"shape {shape} is recursive")
        stack = (*stack, shape)
        path = g.value(shape, SH.path)
        values = [at]
        if path is not None:
            values = []
            for seq in path_sequences(g, path):
                for i, (p, d) in enumerate(seq):
                    sites.add(Site(p, d == FWD, at + seq[:i]))
                values.append(at + seq)
        for v in values:
            if any(g.objects(shape, SH["class"])):
                sites.add(Site(RDF.type, True, v))
            for pred in _VALUE_SHAPES:
                for nested in g.objects(shape, pred):
                    walk(nested, v, stack)
            for pred in _LIST_SHAPES:
                for lst in g.objects(shape, pred):
                    for nested in _list(g, lst):
                        walk(nested, v, stack)
            for prop in g.objects(shape, SH.property):
                walk(prop, v, stack)
            if (shape, SH.closed, Literal(True)) in g:
                sites.add(Site(None, True, v))
        for pred in _PAIRS:  # the other property is read at the focus node
            for q in g.objects(shape, pred):
                if isinstance(q, URIRef):
                    sites.add(Site(q, True, at))
        for c in g.objects(shape, SH.sparql):
            sr = sparql_reach(g, shape, c)
            if sr.radius is None:
                raise Unbounded(f"SPARQL constraint of {shape}: {sr.reason}")
            sites.sparql.append(SparqlSite(shape, sr.radius, sr.moves, sparql_paths(g, c)))

    targeted: set[object] = set()
    for pred in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        targeted |= set(g.subjects(pred, None))
    from rdflib import RDFS

    for shape in g.subjects(RDF.type, RDFS.Class):  # implicit class targets
        if (shape, RDF.type, SH.NodeShape) in g:
            targeted.add(shape)
    for shape in targeted:
        if (shape, RDF.type, RDFS.Class) in g:
            sites.add(Site(RDF.type, True, ()))
        if any(g.objects(shape, SH.targetClass)):
            sites.add(Site(RDF.type, True, ()))
        for p in g.objects(shape, SH.targetSubjectsOf):
            sites.add(Site(p, True, ()))
        for p in g.objects(shape, SH.targetObjectsOf):
            sites.add(Site(p, False, ()))
        walk(shape, (), ())
    return sites
