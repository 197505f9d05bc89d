"""The SHACL gate: validates the part of the post-change graph a change can affect.

How a change is checked (``ShaclGate.check``), over the pre-change store with the change
overlaid in Python (:mod:`kg.validation.overlay`), nothing applied:

1. *Affected focus nodes*: for each changed triple, the nodes that reach it along the moves
   of a *site* where some shape reads its predicate (:mod:`kg.validation.sites`). For a
   SPARQL-based constraint, each triple pattern its query matches leads back to ``$this``
   along the patterns that must hold with it (the tier rule: from a placement's year or type
   to its country; vote counts: from a body's size back over ``osec:actingBody``; date
   order: from a law's date over ``osec:becameLaw`` and ``osec:onBill`` to the bill's
   introductions); found nodes the constraint's shape does not target are dropped. A pattern
   with no such path (in a sub-select or ``EXISTS``) falls back to every node within the
   query's radius over its moves.
2. *Extraction*: from those focus nodes, the sites' moves walked forwards; every triple
   leaving a reached node, the triples read backwards, and the class hierarchy.
3. The shapes compiled to SPARQL (:mod:`kg.validation.compiler`) run on that extract with the
   focus nodes each shape targets in a ``VALUES`` block; with shapes that do not compile,
   pySHACL validates the extract and the focus nodes' results are kept.

Paths without a bound, recursive shapes, or a change to ``rdfs:subClassOf`` make the gate
validate the whole post-change graph (``report.mode == "full"``).

Shapes are parsed once; pySHACL gets its own copy per validation, since it mutates the shapes
graph it is given (pySHACL issue 314). ``owl:imports`` and ``SERVICE`` are refused.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from itertools import islice
from typing import Any

import pyoxigraph as ox
from rdflib import RDFS, Graph, URIRef
from rdflib.term import Node

from kg import errors
from kg.validation.analysis import FWD, Reach, Unbounded, analyse
from kg.validation.compiler import CompiledShapes, Targets, Unsupported, target_spec
from kg.validation.engine import labeller, run, to_results
from kg.validation.overlay import Overlay, membership, post_change_store, store_of, walk
from kg.validation.pyshacl_engine import (
    PreparedQueryGraph,
    check_safe_shapes,
    default_shapes_path,
    load_shapes,
    run_pyshacl,
    to_graph,
)
from kg.validation.record import VALIDATION_GRAPH, Delta, record_delta
from kg.validation.report import ValidationReport, from_pyshacl, labels_from
from kg.validation.sites import Sites, read_sites
from kg.validation.terms import graph_to_store, to_oxigraph, to_rdflib

__all__ = [  # the engines' helpers stay importable from here
    "PreparedQueryGraph",
    "ShaclGate",
    "check_safe_shapes",
    "default_shapes_path",
    "load_shapes",
    "make_gate",
    "run_pyshacl",
    "to_graph",
    "to_rdflib",
]

Triple = tuple[Any, Any, Any]
# a gate returns the validation graph's own change, for the store to commit with the change
Gate = Callable[[list[ox.Quad], list[ox.Quad]], Delta]

_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))


def _ALL(n: Node) -> bool:
    return True


ENGINES = ("auto", "sparql", "pyshacl")
#: a change of more than WHOLE_ABOVE triples and more than 1/WHOLE_RATIO of the store is checked
#: by validating the whole post-change graph (compiled engine: ~17 µs a triple; the walk
#: around a change: ~0.4 ms a triple)
WHOLE_ABOVE = 2_000
WHOLE_RATIO = 25


class ShaclGate:
    """Validates changes against parsed shapes; ``gate_for(store)`` plugs into ``store.gate``."""

    def __init__(
        self,
        shapes: Graph,
        validation_graph: str | None = VALIDATION_GRAPH,
        engine: str = "auto",
    ) -> None:
        """``validation_graph``: where Warnings and Infos are recorded (None: not recorded).

        ``engine``: ``sparql`` (the shapes compiled to SPARQL, run by Oxigraph), ``pyshacl``, or
        ``auto``: SPARQL when every feature the shapes use compiles, else pySHACL.
        """
        check_safe_shapes(shapes)
        if engine not in ENGINES:
            raise errors.InputError(f"unknown engine {engine!r}: use {', '.join(ENGINES)}")
        self.compiled: CompiledShapes | None = None
        self.unsupported: str | None = None
        if engine != "pyshacl":
            try:
                self.compiled = CompiledShapes(shapes)
            except Unsupported as exc:
                if engine == "sparql":
                    raise errors.InputError(f"the shapes do not compile to SPARQL: {exc}") from None
                self.unsupported = str(exc)
        self.engine = "sparql" if self.compiled is not None else "pyshacl"
        self.validation_graph = validation_graph
        self._skip = ox.NamedNode(validation_graph) if validation_graph else None
        self._nt = shapes.serialize(format="nt")  # the pristine copy each validation parses
        self.shapes = shapes
        # what the change-sized check needs (:meth:`prepare`): read on the first change, since
        # it costs ~0.6 s of parsing SHACL-SPARQL constraints and whole-graph validation
        # (``kg validate``, ``/validate``) never asks for it
        self._reach: Reach | None = None
        self._sites: Sites | None = None
        self._sparql_targets: dict[object, Targets] = {}
        self._prefixes: dict[tuple[Any, ...], set[Any]] = {}
        self._sparql_moves: list[tuple[int, list[tuple[ox.NamedNode, str]], Any]] = []
        self._prepare_lock = threading.Lock()
        self._lock = threading.Lock()
        self.last: ValidationReport | None = None  # the last report, Warnings included

    @property
    def reach(self) -> Reach:
        """How far a change can reach through the shapes (:func:`~kg.validation.analysis.analyse`)."""
        reach = self.prepare()._reach
        assert reach is not None
        return reach

    @property
    def sites(self) -> Sites | None:
        """Where shapes read each predicate (:mod:`kg.validation.sites`); None: unbounded."""
        return self.prepare()._sites

    def prepare(self) -> ShaclGate:
        """Read the shapes for the change-sized check, once; a process that forks gates (the
        query workers' zygote) calls it first, so that every fork inherits the result."""
        if self._reach is not None:
            return self
        with self._prepare_lock:
            if self._reach is not None:
                return self
            shapes = self.shapes
            reach = analyse(shapes)
            sites = None
            if reach.bounded:
                try:
                    sites = read_sites(shapes)
                except Unbounded as exc:  # the analysis and the sites agree on what is bounded
                    reach.unbounded.append(str(exc.args[0]))
            if sites is not None:
                self._prefixes = {
                    tuple((ox.NamedNode(str(p)), d) for p, d in prefix): {
                        None if b is None else ox.NamedNode(str(b)) for b in back
                    }
                    for prefix, back in sites.prefixes().items()
                }
                self._sparql_moves = [
                    (sp.radius, [(ox.NamedNode(str(p)), d) for p, d in sorted(sp.moves)], sp.shape)
                    for sp in sites.sparql
                ]
                self._sparql_targets = {
                    site.shape: target_spec(shapes, site.shape) for site in sites.sparql
                }
            self._sites = sites
            self._reach = reach  # last: it marks the rest as ready
        return self

    # -- shapes, one fresh copy per validation ---------------------------------------------
    def _shapes_copy(self) -> Graph:
        g = Graph()
        g.parse(data=self._nt, format="nt")
        for prefix, ns in self.shapes.namespaces():
            g.bind(prefix, ns)
        return g

    def validate_graph(
        self,
        data: Graph,
        keep: Callable[[Node], bool] | None = None,
        focus: list[URIRef] | None = None,
    ) -> ValidationReport:
        """Validate a whole rdflib graph (no focus restriction unless ``keep`` says so).

        Unrestricted, the report carries pySHACL's own results graph (``report.graph``).
        """
        keep = keep or _ALL
        if self.compiled is not None:
            return self.validate_store(
                graph_to_store(data),
                focus=[to_oxigraph(n) for n in focus] if focus else None,
                keep=keep,
            )
        shapes = self._shapes_copy()
        results = run_pyshacl(data, shapes, focus)
        return ValidationReport(
            results=from_pyshacl(results, labels_from(data), keep, self.shapes),
            triples=len(data),
            graph=results if focus is None and keep is _ALL else None,
        )

    def validate_store(
        self,
        store: ox.Store,
        union: bool = False,
        focus: list[Any] | None = None,
        keep: Callable[[Node], bool] | None = None,
        threads: int = 1,
    ) -> ValidationReport:
        """Validate a pyoxigraph store: its default graph (``union``: its named graphs).

        With the SPARQL engine the store is read where it is; with pySHACL it is copied.
        ``focus`` restricts the targets to those nodes; ``keep`` filters the results;
        ``threads``: see :func:`kg.validation.engine.run`.
        """
        if self.compiled is None:
            data = to_graph(
                (q.subject, q.predicate, q.object)
                for q in store.quads_for_pattern(
                    None, None, None, None if union else ox.DefaultGraph()
                )
            )
            iris = [URIRef(n.value) for n in focus or () if isinstance(n, ox.NamedNode)]
            return self.validate_graph(data, keep, iris or None)
        raw = run(self.compiled, store, focus, union, threads)
        if keep is not None and keep is not _ALL:
            raw = [r for r in raw if keep(to_rdflib(r.focus))]
        results = to_results(raw, labeller(store))
        return ValidationReport(results=results, triples=len(store))

    # -- the change-sized check ----------------------------------------------------------------
    def affected(self, view: Overlay, added: list[ox.Quad], removed: list[ox.Quad]) -> set[object]:
        """The focus nodes whose verdict the change can alter: for each changed triple, the
        nodes that reach it along a site's moves (see :mod:`kg.validation.sites`)."""
        assert self.sites is not None
        focus: set[object] = set()
        types = membership(view)
        for q in (*added, *removed):
            s, p, o = q.subject, q.predicate, q.object
            focus.add(s)
            for site in self.sites.for_pred(URIRef(p.value)):
                nodes: set[object] = {s if site.at_subject else o}
                for mp, md in reversed(site.prefix):
                    pred = ox.NamedNode(str(mp))
                    nxt: set[object] = set()
                    for n in nodes:
                        if md == FWD:
                            nxt.update(t[0] for t in view.inn(n, pred))
                        else:
                            nxt.update(t[2] for t in view.out(n) if t[1] == pred)
                    nodes = nxt
                focus |= nodes
            for sp in self.sites.sparql:
                pr = URIRef(p.value)
                if pr not in sp.preds:
                    continue
                found: set[object] = set()
                ways = sp.paths.get(pr, (None,))
                if any(w is None for w in ways):
                    found |= self._around(view, sp, {s, o})
                for w in ways:
                    if w is not None:
                        found |= walk(view, s if w[0] else o, w[1])
                spec = self._sparql_targets[sp.shape]
                focus |= {n for n in found if types.targeted(spec, n)}
        return {n for n in focus if not isinstance(n, ox.Literal)}

    @staticmethod
    def _around(view: Overlay, sp: Any, start: set[object]) -> set[object]:
        """Every node within a SPARQL constraint's radius of ``start``, over its moves."""
        found: set[object] = set(start)
        frontier: set[object] = set(start)
        for _ in range(sp.radius):
            nxt: set[object] = set()
            for n in frontier:
                for mp, _d in sp.moves:
                    pred = ox.NamedNode(str(mp))
                    nxt.update(t[0] for t in view.inn(n, pred))
                    nxt.update(t[2] for t in view.out(n) if t[1] == pred)
            frontier = nxt - found
            found |= frontier
        return found

    def extract(self, view: Overlay, focus: set[object]) -> set[Triple]:
        """The data the shapes read around ``focus`` in the post-change graph: every triple
        leaving a node that a site's prefix (or a SPARQL constraint's moves, within its radius)
        reaches from a focus node, the triples read backwards there, and the class hierarchy."""
        assert self.sites is not None
        reached: set[object] = set(focus)
        triples: set[Triple] = set()
        types = membership(view)
        prefixes = self._prefixes
        for f in focus:
            for prefix, back in prefixes.items():
                for n in walk(view, f, prefix, reached):
                    for bp in back:
                        if bp is None:  # sh:closed reads forward only
                            continue
                        triples |= view.inn(n, bp)
            for sp in self._sparql_moves:
                if not types.targeted(self._sparql_targets[sp[2]], f):
                    continue  # the query runs from the nodes its shape targets only
                frontier: set[object] = {f}
                for _ in range(sp[0]):
                    nxt: set[object] = set()
                    for n in frontier:
                        for mp, md in sp[1]:
                            if md == FWD:
                                got = {t for t in view.out(n) if t[1] == mp}
                                nxt.update(t[2] for t in got)
                            else:
                                got = view.inn(n, mp)
                                nxt.update(t[0] for t in got)
                            triples |= got
                    frontier = nxt - reached
                    reached |= frontier
        for n in reached:
            triples |= view.out(n)
        for q in view.store.quads_for_pattern(None, _SUBCLASS, None):
            triples.add((q.subject, q.predicate, q.object))
        return triples

    def check(
        self, store: ox.Store, added: list[ox.Quad], removed: list[ox.Quad]
    ) -> ValidationReport:
        """Validate the post-change state around the change; ``store`` holds the pre-change one."""
        if self._skip is not None:  # the validation graph's own results are not data
            added = [q for q in added if q.graph_name != self._skip]
            removed = [q for q in removed if q.graph_name != self._skip]
        whole = not self.reach.bounded or any(q.predicate == _SUBCLASS for q in (*added, *removed))
        size = len(added) + len(removed)
        if size > WHOLE_ABOVE and self.compiled is not None:
            # a change this size costs more to walk than the whole graph costs to check
            whole = whole or size * WHOLE_RATIO > sum(1 for _ in islice(store, size * WHOLE_RATIO))
        if whole and self.compiled is not None:
            report = self.validate_store(post_change_store(store, added, removed, self._skip))
            report.mode = "full"
            report.focus_nodes = -1
            report.checked = None
            with self._lock:
                self.last = report
            return report
        view = Overlay(store, added, removed, self._skip)
        with self._lock:
            if whole:  # pySHACL on the whole post-change graph
                data = to_graph(view.all_triples())
                report = self.validate_graph(data)
                report.mode = "full"
                report.focus_nodes = -1
                report.checked = None
            else:
                focus = self.affected(view, added, removed)
                if self.compiled is not None:
                    sub = store_of(self.extract(view, focus))
                    report = self.validate_store(sub, focus=list(focus))
                    report.mode = "focus"
                    report.focus_nodes = len(focus)
                    report.checked = {to_rdflib(n).n3() for n in focus}
                    self.last = report
                    return report
                data = to_graph(self.extract(view, focus))
                keep = {to_rdflib(n) for n in focus}
                iris = [n for n in keep if isinstance(n, URIRef)]
                if not keep:
                    report = ValidationReport(triples=len(data))
                else:  # IRIs only: pySHACL restricts targets; with blank nodes, filter after
                    only = iris if len(iris) == len(keep) else None
                    report = self.validate_graph(data, keep.__contains__, only)
                report.mode = "focus"
                report.focus_nodes = len(focus)
                report.checked = {n.n3() for n in keep}
                report.graph = None
            self.last = report
        return report

    def record(self, store: ox.Store, report: ValidationReport | None = None) -> Delta:
        """The validation graph's change for ``report`` (default: the last one); see
        :func:`kg.validation.record.record_delta`. Empty when recording is off."""
        report = report or self.last
        if report is None or self.validation_graph is None:
            return [], []
        return record_delta(store, report, self.validation_graph)

    def gate_for(self, store: ox.Store) -> Gate:
        """A callable for ``EmbeddedStore.gate``: raises ``ValidationFailed`` on a Violation,
        else returns the validation graph's change (added, removed) to commit with the change.
        """

        def gate(added: list[ox.Quad], removed: list[ox.Quad]) -> Delta:
            report = self.check(store, added, removed)
            if not report.conforms:
                raise errors.ValidationFailed(
                    f"the change breaks {len(report.violations)} shape constraint(s): "
                    + "; ".join(r.text for r in report.violations[:5]),
                    report=report.summary(),
                )
            return self.record(store, report)

        return gate


def make_gate(shapes: Graph) -> Callable[[ox.Store], Gate]:
    """``store.gate = make_gate(load_shapes())(store.primary)``."""
    return ShaclGate(shapes).gate_for
