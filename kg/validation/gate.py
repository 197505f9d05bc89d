"""The SHACL gate: validates the part of the post-change graph a change can affect.

How a change is checked (``ShaclGate.check``):

1. *Start nodes*: the subject of every changed triple; its object too when the shapes walk
   that predicate backwards (``sh:inversePath``, a SPARQL join) or target its objects.
2. *Affected focus nodes*: every node that reaches a start node within ``depth`` hops along
   the shapes' moves (see :mod:`kg.validation.analysis`), found by walking them backwards over
   the post-change graph (the pre-change store with the change overlaid in Python).
3. *Extraction*: from those focus nodes, the moves walked forwards ``depth`` hops; every
   triple whose subject was reached, the backward-walked triples, and the class hierarchy.
4. pySHACL validates that subgraph; results are kept for the affected focus nodes only.

SPARQL-based constraints that span nodes are bounded by their query: the gate reads the
variables joined to ``$this`` and uses their eccentricity as the radius (the tier rule: 2
hops, through ``osec:country`` and ``osec:reportYear``; vote counts: 2 hops through
``osec:actingBody``; seats: 1; date order: 2 through ``osec:onBill``/``osec:becameLaw``).
A constraint whose reach has no bound, or a change to ``rdfs:subClassOf``, makes the gate
re-run the whole validation on the full post-change graph (``report.mode == "full"``).

Shapes are parsed once; each validation gets its own copy, since pySHACL mutates the shapes
graph it is given (pySHACL issue 314). ``owl:imports`` and ``SERVICE`` are refused.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import OWL, RDFS, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from kg import errors
from kg.validation.analysis import FWD, Reach, Unbounded, analyse
from kg.validation.compiler import CompiledShapes, Targets, Unsupported
from kg.validation.engine import labeller, run, to_results
from kg.validation.record import VALIDATION_GRAPH, Delta, record_delta
from kg.validation.report import LABEL_PREDICATES, ValidationReport, from_pyshacl, labels_from
from kg.validation.sites import Sites, read_sites
from kg.validation.terms import graph_to_store, to_oxigraph, to_rdflib

Triple = tuple[Any, Any, Any]
# a gate returns the validation graph's own change, for the store to commit with the change
Gate = Callable[[list[ox.Quad], list[ox.Quad]], Delta]

_SUBCLASS = ox.NamedNode(str(RDFS.subClassOf))
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SERVICE = re.compile(r"\bSERVICE\b|\bLOAD\b", re.I)


class PreparedQueryGraph(Graph):
    """A graph whose SPARQL queries are parsed once per text, not once per call.

    pySHACL runs each ``sh:sparql`` constraint as a query string per focus node with ``$this``
    bound (``initBindings``); rdflib re-parses the text every time (tens of ms each). The
    parsed query is kept (per text and prefix bindings) and evaluated the same way.
    """

    _prepared: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Any = None,  # noqa: N803
        initBindings: Any = None,  # noqa: N803
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        if isinstance(query_object, str) and processor == "sparql" and not initNs and not kwargs:
            from rdflib.plugins.sparql.processor import prepareQuery

            ns = tuple(sorted((p, str(u)) for p, u in self.namespaces()))
            key = (query_object, ns)
            prepared = self._prepared.get(key)
            if prepared is None:
                prepared = prepareQuery(query_object, initNs=dict(ns))
                if len(self._prepared) < 512:
                    self._prepared[key] = prepared
            query_object = prepared
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


def to_graph(triples: Iterable[Triple]) -> Graph:
    g = PreparedQueryGraph()
    for s, p, o in triples:
        g.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return g


def check_safe_shapes(shapes: Graph) -> None:
    """Refuse shapes that would reach the network: ``owl:imports`` or SPARQL ``SERVICE``."""
    imp = next(shapes.objects(None, OWL.imports), None)
    if imp is not None:
        raise errors.Forbidden(f"shapes may not use owl:imports ({imp})", target=str(imp))
    for pred in (SH.select, SH.ask, SH.construct, SH.update):
        for q in shapes.objects(None, pred):
            if _SERVICE.search(str(q)):
                raise errors.Forbidden("shapes may not use SERVICE or LOAD in SPARQL")


def load_shapes(
    path: str | Path | None = None, data: str | None = None, fmt: str = "turtle"
) -> Graph:
    """Parse shapes once (default: the bundled ``ontology/shapes.ttl``); never fetch."""
    g = Graph()
    try:
        if data is not None:
            g.parse(data=data, format=fmt)
        else:
            g.parse(str(path or default_shapes_path()), format=fmt)
    except Exception as exc:
        raise errors.RdfSyntaxError(f"cannot read the shapes: {exc}") from None
    check_safe_shapes(g)
    return g


def default_shapes_path() -> Path:
    here = Path(__file__).resolve().parents[2] / "ontology" / "shapes.ttl"
    if here.exists():
        return here
    return Path(__file__).resolve().parents[1] / "_bundled" / "ontology" / "shapes.ttl"


def run_pyshacl(data: Graph, shapes: Graph, focus: list[URIRef] | None = None) -> Graph:
    """pySHACL on ``data``, no inference, no imports; returns the results graph.

    ``focus`` (IRIs only: pySHACL drops blank-node focus nodes) restricts every shape's
    targets to those nodes; it must not be empty, which pySHACL reads as "no restriction".
    """
    from pyshacl import validate

    _, results, _ = validate(
        data,
        shacl_graph=shapes,
        inference="none",
        do_owl_imports=False,
        allow_warnings=False,  # sh:conforms as the spec says; the gate reads the results
        focus_nodes=list(focus) if focus else None,
    )
    return results


def _ALL(n: Node) -> bool:
    return True


class _Overlay:
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


ENGINES = ("auto", "sparql", "pyshacl")
#: above this many focus nodes, validating the whole extract beats a VALUES block of them
FOCUS_VALUES_MAX = 100_000


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
        self.reach: Reach = analyse(shapes)
        self._fwd = {ox.NamedNode(str(p)) for p in self.reach.fwd}
        self._bwd = {ox.NamedNode(str(p)) for p in self.reach.bwd}
        self._obj = {ox.NamedNode(str(p)) for p in self.reach.object_targets}
        self.sites: Sites | None = None
        if self.reach.bounded:
            try:
                self.sites = read_sites(shapes)
            except Unbounded as exc:  # the analysis and the sites agree on what is bounded
                self.reach.unbounded.append(str(exc.args[0]))
        self._sparql_targets: dict[object, Targets] = {}
        self._prefixes: dict[tuple[Any, ...], set[Any]] = {}
        self._sparql_moves: list[tuple[int, list[tuple[ox.NamedNode, str]]]] = []
        if self.sites is not None:
            self._prefixes = {
                tuple((ox.NamedNode(str(p)), d) for p, d in prefix): {
                    None if b is None else ox.NamedNode(str(b)) for b in back
                }
                for prefix, back in self.sites.prefixes().items()
            }
            self._sparql_moves = [
                (sp.radius, [(ox.NamedNode(str(p)), d) for p, d in sorted(sp.moves)])
                for sp in self.sites.sparql
            ]
        if self.sites is not None:
            spec = CompiledShapes.target_spec
            for site in self.sites.sparql:
                self._sparql_targets[site.shape] = spec(_Spec(shapes), site.shape)  # type: ignore[arg-type]
        self._lock = threading.Lock()
        self.last: ValidationReport | None = None  # the last report, Warnings included

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
    ) -> ValidationReport:
        """Validate a pyoxigraph store: its default graph (``union``: its named graphs).

        With the SPARQL engine the store is read where it is; with pySHACL it is copied.
        ``focus`` restricts the targets to those nodes; ``keep`` filters the results.
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
        raw = run(self.compiled, store, focus, union)
        if keep is not None and keep is not _ALL:
            raw = [r for r in raw if keep(to_rdflib(r.focus))]
        results = to_results(raw, labeller(store))
        return ValidationReport(results=results, triples=len(store))

    # -- the change-sized check ----------------------------------------------------------------
    def affected(self, view: _Overlay, added: list[ox.Quad], removed: list[ox.Quad]) -> set[object]:
        """The focus nodes whose verdict the change can alter: for each changed triple, the
        nodes that reach it along a site's moves (see :mod:`kg.validation.sites`)."""
        assert self.sites is not None
        focus: set[object] = set()
        types = _TypeCache(view)
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
                        found |= _walk(view, s if w[0] else o, w[1])
                spec = self._sparql_targets[sp.shape]
                focus |= {n for n in found if types.targeted(spec, n)}
        return {n for n in focus if not isinstance(n, ox.Literal)}

    @staticmethod
    def _around(view: _Overlay, sp: Any, start: set[object]) -> set[object]:
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

    def extract(self, view: _Overlay, focus: set[object]) -> set[Triple]:
        """The data the shapes read around ``focus`` in the post-change graph: every triple
        leaving a node that a site's prefix (or a SPARQL constraint's moves, within its radius)
        reaches from a focus node, the triples read backwards there, and the class hierarchy."""
        assert self.sites is not None
        reached: set[object] = set(focus)
        triples: set[Triple] = set()
        prefixes = self._prefixes
        for f in focus:
            for prefix, back in prefixes.items():
                nodes: set[object] = {f}
                for mp, md in prefix:
                    nxt: set[object] = set()
                    for n in nodes:
                        if md == FWD:
                            nxt.update(t[2] for t in view.out(n) if t[1] == mp)
                        else:
                            nxt.update(t[0] for t in view.inn(n, mp))
                    nodes = nxt
                    reached |= nodes
                for n in nodes:
                    for bp in back:
                        if bp is None:  # sh:closed reads forward only
                            continue
                        triples |= view.inn(n, bp)
            for sp in self._sparql_moves:
                frontier: set[object] = {f}
                for _ in range(sp[0]):
                    nxt = set()
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
        view = _Overlay(store, added, removed, self._skip)
        whole = not self.reach.bounded or any(q.predicate == _SUBCLASS for q in (*added, *removed))
        with self._lock:
            if whole and self.compiled is not None:
                report = self.validate_store(_store_of(view.all_triples()))
                report.mode = "full"
                report.focus_nodes = -1
                report.checked = None
            elif whole:
                data = to_graph(view.all_triples())
                report = self.validate_graph(data)
                report.mode = "full"
                report.focus_nodes = -1
                report.checked = None
            else:
                focus = self.affected(view, added, removed)
                if self.compiled is not None:
                    sub = _store_of(self.extract(view, focus))
                    if len(focus) <= FOCUS_VALUES_MAX:
                        report = self.validate_store(sub, focus=list(focus))
                    else:  # the whole extract, then the focus nodes' results
                        keep_n = {to_rdflib(n) for n in focus}
                        report = self.validate_store(sub, keep=keep_n.__contains__)
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


def _walk(view: _Overlay, start: object, moves: tuple[Any, ...]) -> set[object]:
    nodes: set[object] = {start}
    for mp, md in moves:
        pred = ox.NamedNode(str(mp))
        nxt: set[object] = set()
        for n in nodes:
            if md == FWD:
                nxt.update(t[2] for t in view.out(n) if t[1] == pred)
            else:
                nxt.update(t[0] for t in view.inn(n, pred))
        nodes = nxt
    return nodes


class _Spec:
    """Just enough of :class:`CompiledShapes` for ``target_spec`` on any shapes graph."""

    def __init__(self, g: Graph) -> None:
        self.g = g


class _TypeCache:
    """Target membership of nodes in the post-change graph (the overlay)."""

    def __init__(self, view: _Overlay) -> None:
        self.view = view
        self._up: dict[object, set[str]] = {}

    def _supers(self, c: object) -> set[str]:
        got = self._up.get(c)
        if got is None:
            got, todo = set(), [c]
            while todo:
                x = todo.pop()
                if isinstance(x, ox.NamedNode) and x.value not in got:
                    got.add(x.value)
                    todo += [t[2] for t in self.view.out(x) if t[1] == _SUBCLASS]
            self._up[c] = got
        return got

    def targeted(self, t: Targets, n: object) -> bool:
        if isinstance(n, ox.Literal):
            return False
        if isinstance(n, ox.NamedNode) and n.value in t.nodes:
            return True
        out = self.view.out(n)
        if t.classes and any(self._supers(x[2]) & t.classes for x in out if x[1] == _RDF_TYPE):
            return True
        if any(x[1].value in t.subjects_of for x in out):
            return True
        return any(self.view.inn(n, ox.NamedNode(p)) for p in t.objects_of)


def _store_of(triples: Iterable[Triple]) -> ox.Store:
    st = ox.Store()
    st.extend(ox.Quad(s, p, o) for s, p, o in triples)
    return st


def make_gate(shapes: Graph) -> Callable[[ox.Store], Gate]:
    """``store.gate = make_gate(load_shapes())(store.primary)``."""
    return ShaclGate(shapes).gate_for


def label_predicates() -> tuple[URIRef, ...]:
    return LABEL_PREDICATES
