"""What a shapes graph reads around a focus node: the moves (predicate, direction) its paths
and SPARQL constraints take, and how many hops deep it reads.

A change to a triple can only alter the verdict of focus nodes within that many hops, so the
gate finds the affected focus nodes by walking the moves backwards from the changed triples,
and extracts the data they read by walking the same moves forwards. Anything whose reach has
no bound (``sh:zeroOrMorePath``, recursive shapes, SPARQL reading away from ``$this``) makes
the analysis *unbounded*, and the gate then validates the whole post-change graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rdflib import RDF, BNode, Literal, URIRef, Variable
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.paths import Path as RdfPath
from rdflib.plugins.sparql.parserutils import CompValue

FWD, BWD = "f", "b"
Move = tuple[URIRef, str]


class Unbounded(Exception):
    """The reach of a shape has no bound; ``args[0]`` says which and why."""


@dataclass
class SparqlReach:
    """How a SPARQL-based constraint finds its affected focus nodes."""

    shape: str
    radius: int | None  # None: re-run whole
    moves: frozenset[Move]
    reason: str


@dataclass
class Reach:
    moves: set[Move] = field(default_factory=set)
    depth: int = 0
    reads_all: bool = False  # sh:closed somewhere: every predicate of a reached node matters
    sparql: list[SparqlReach] = field(default_factory=list)
    unbounded: list[str] = field(default_factory=list)

    @property
    def bounded(self) -> bool:
        return not self.unbounded


def _list(g: Any, head: object) -> list[object]:
    return list(Collection(g, head))  # type: ignore[arg-type]


def path_reach(g: Any, path: object) -> tuple[set[Move], int]:
    """Moves and hop count of a SHACL property path."""
    if isinstance(path, URIRef):
        return {(path, FWD)}, 1
    if (path, RDF.first, None) in g:
        moves: set[Move] = set()
        n = 0
        for step in _list(g, path):
            m, k = path_reach(g, step)
            moves |= m
            n += k
        return moves, n
    inv = g.value(path, SH.inversePath)
    if inv is not None:
        m, k = path_reach(g, inv)
        return {(p, BWD if d == FWD else FWD) for p, d in m}, k
    alt = g.value(path, SH.alternativePath)
    if alt is not None:
        moves, n = set(), 0
        for step in _list(g, alt):
            m, k = path_reach(g, step)
            moves |= m
            n = max(n, k)
        return moves, n
    opt = g.value(path, SH.zeroOrOnePath)
    if opt is not None:
        return path_reach(g, opt)
    raise Unbounded(f"path {path} repeats without bound")


_VALUE_SHAPES = (SH.node, SH["not"], SH.qualifiedValueShape)
_LIST_SHAPES = (SH["and"], SH["or"], SH.xone)
_PAIRS = (SH.lessThan, SH.lessThanOrEquals, SH.equals, SH.disjoint)


def _prefixes(g: Any) -> str:
    lines = []
    for decl in g.objects(None, SH.declare):
        prefix, ns = g.value(decl, SH.prefix), g.value(decl, SH.namespace)
        if prefix is not None and ns is not None:
            lines.append(f"PREFIX {prefix}: <{ns}>")
    return "\n".join(lines)


def _triples(node: object, out: list[tuple[object, object, object]]) -> None:
    if isinstance(node, CompValue):
        if node.name == "BGP":
            out.extend(node["triples"])
        for v in node.values():
            _triples(v, out)
    elif isinstance(node, list | tuple):
        for v in node:
            _triples(v, out)


def sparql_reach(g: Any, shape: object, constraint: object) -> SparqlReach:
    """The radius (hops from ``$this``) and moves of a SPARQL-based constraint.

    Variables joined by triple patterns form a graph; the constraint reads the data within its
    eccentricity from ``$this``. A backward move is needed only where the object variable is
    ``$this`` or joins two patterns (``?value osec:country ?country`` in the tier rule).
    """
    from rdflib.plugins.sparql import algebra, parser

    name = str(shape)
    query = g.value(constraint, SH.select) or g.value(constraint, SH.ask)
    if query is None:
        return SparqlReach(name, None, frozenset(), "no sh:select/sh:ask")
    try:
        q = algebra.translateQuery(parser.parseQuery(_prefixes(g) + "\n" + str(query)))
    except Exception as exc:  # an unparsable query: pyshacl will report it; re-run whole
        return SparqlReach(name, None, frozenset(), f"unparsed: {exc}")
    triples: list[tuple[object, object, object]] = []
    _triples(q.algebra, triples)
    this = Variable("this")
    uses: dict[Variable, int] = {}
    for s, _, o in triples:
        for t in (s, o):
            if isinstance(t, Variable):
                uses[t] = uses.get(t, 0) + 1
    adj: dict[Variable, set[Variable]] = {}
    moves: set[Move] = set()
    for s, p, o in triples:
        if isinstance(p, RdfPath) or not isinstance(p, URIRef):
            return SparqlReach(name, None, frozenset(), "a variable or path predicate")
        if isinstance(s, Variable) and isinstance(o, Variable):
            adj.setdefault(s, set()).add(o)
            adj.setdefault(o, set()).add(s)
            moves.add((p, FWD))
            if o == this or uses.get(o, 0) > 1:
                moves.add((p, BWD))
        elif not isinstance(s, Variable):
            return SparqlReach(name, None, frozenset(), f"reads from the constant {s}")
    dist = {this: 0}
    frontier = [this]
    while frontier:
        nxt = []
        for v in frontier:
            for w in adj.get(v, ()):
                if w not in dist:
                    dist[w] = dist[v] + 1
                    nxt.append(w)
        frontier = nxt
    stray = [v for v in uses if v not in dist]
    if stray:
        return SparqlReach(name, None, frozenset(), f"variables not joined to $this: {stray}")
    radius = max(dist.values())
    return SparqlReach(name, radius, frozenset(moves), f"bounded: {radius} hops from $this")


def analyse(g: Any) -> Reach:
    """The reach of every shape in ``g``."""
    reach = Reach()
    memo: dict[object, int] = {}

    def depth(shape: object, stack: tuple[object, ...]) -> int:
        if shape in stack:
            raise Unbounded(f"shape {shape} is recursive")
        if shape in memo:
            return memo[shape]
        stack = (*stack, shape)
        d = 0
        path = g.value(shape, SH.path)
        offset = 0
        if path is not None:
            m, offset = path_reach(g, path)
            reach.moves |= m
        inner = 0
        for pred in _VALUE_SHAPES:
            for nested in g.objects(shape, pred):
                inner = max(inner, depth(nested, stack))
        for pred in _LIST_SHAPES:
            for lst in g.objects(shape, pred):
                for nested in _list(g, lst):
                    inner = max(inner, depth(nested, stack))
        for prop in g.objects(shape, SH.property):
            inner = max(inner, depth(prop, stack))
        for pred in _PAIRS:
            for q in g.objects(shape, pred):
                reach.moves.add((q, FWD))
                inner = max(inner, 1)
        if (shape, SH.closed, Literal(True)) in g:
            reach.reads_all = True
        for c in g.objects(shape, SH.sparql):
            sr = sparql_reach(g, shape, c)
            reach.sparql.append(sr)
            if sr.radius is None:
                raise Unbounded(f"SPARQL constraint of {shape}: {sr.reason}")
            reach.moves |= sr.moves
            inner = max(inner, sr.radius)
        d = offset + inner
        memo[shape] = d
        return d

    shapes = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    for pred in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
        shapes |= set(g.subjects(pred, None))
    shapes |= set(g.subjects(SH.path, None))
    if any(True for _ in g.subjects(SH.target, None)):
        reach.unbounded.append("SPARQL-based targets (sh:target)")
    for shape in shapes:
        try:
            reach.depth = max(reach.depth, depth(shape, ()))
        except Unbounded as exc:
            reach.unbounded.append(str(exc.args[0]))
    _ = BNode  # re-exported for callers building shapes
    return reach
