"""Runs compiled shapes (:mod:`kg.validation.compiler`) with Oxigraph and types the results.

One query per shape with targets; a row names its branch (``?_k``) and carries a flag per
constraint the branch checks, so a value node that breaks two constraints gives two results.
Results follow pySHACL's: one per (focus node, constraint, value node) for SHACL Core, and one
per distinct solution of a SPARQL-based constraint, whose ``sh:value`` is ``?value`` when it
is bound and otherwise, on a node shape, the focus node.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from kg.validation.compiler import Branch, CompiledShapes, Meta, Targets, Unsupported
from kg.validation.report import LABEL_PREDICATES, ValidationResult, _plain, humanize, sentence
from kg.validation.terms import superclasses, to_rdflib


@dataclass
class RawResult:
    focus: Any  # pyoxigraph terms
    value: Any
    path: Any
    meta: Meta
    bindings: dict[str, Any]
    node_shape: Any = None  # the shape with targets whose query found it


# -- running --------------------------------------------------------------------------------
def query_text(cs: CompiledShapes, shape: Node, branches: list[Branch], focus: str | None) -> str:
    """The shape's query; with ``focus`` (nodes known to be its targets) a VALUES block
    stands for the target patterns."""
    tgt = cs.target(shape) if focus is None else f"VALUES ?this {{ {focus} }}"
    parts = []
    for i, b in enumerate(branches):
        pat = b.pattern.replace("{TARGET}", tgt)
        parts.append(f"{{ {tgt} {pat} BIND ({i} AS ?_k) }}")
    vars_ = sorted({v for b in branches for v in b.vars} | {"?this", "?value"})
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(cs._sp.items()))
    return f"{prologue}SELECT ?_k {' '.join(vars_)} WHERE {{ " + " UNION ".join(parts) + " }"


_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SUBCLASS = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")


class Membership:
    """Which shapes target a node, read without a query: from a store, or from any graph
    given as ``objects(node, predicate)`` and ``has_subject(predicate, node)``."""

    def __init__(
        self,
        objects: Callable[[Any, Any], Iterable[Any]],
        has_subject: Callable[[Any, Any], bool],
    ) -> None:
        self.objects, self.has_subject = objects, has_subject
        self._up: dict[Any, set[str]] = {}

    @classmethod
    def of_store(cls, store: ox.Store, union: bool) -> Membership:
        graph = None if union else ox.DefaultGraph()
        return cls(
            lambda s, p: [q.object for q in store.quads_for_pattern(s, p, None, graph)],
            lambda p, o: next(store.quads_for_pattern(None, p, o, graph), None) is not None,
        )

    def targeted(self, t: Targets, n: Any) -> bool:
        if isinstance(n, ox.Literal):
            return False
        if isinstance(n, ox.NamedNode) and n.value in t.nodes:
            return True
        up = self._up
        if t.classes and any(
            superclasses(c, lambda x: self.objects(x, _SUBCLASS), up) & t.classes
            for c in self.objects(n, _TYPE)
        ):
            return True
        if any(next(iter(self.objects(n, ox.NamedNode(p))), None) for p in t.subjects_of):
            return True
        return any(self.has_subject(ox.NamedNode(p), n) for p in t.objects_of)


def run(
    cs: CompiledShapes,
    store: ox.Store,
    focus: Iterable[Any] | None = None,
    union: bool = False,
    threads: int = 1,
) -> list[RawResult]:
    """Every result over ``store`` (``union``: its named graphs as the default graph);
    with ``focus``, only for those nodes (each shape queried for the ones it targets).

    ``threads`` > 1 lets a whole-graph run evaluate that many queries at once (at most
    :data:`MAX_THREADS`). Each thread costs memory of its own (a stack, an allocator arena,
    a query's working set, its answer held until its turn), so only callers without an
    address-space cap ask for it: ``kg validate``, not the gate in a query worker.
    """
    terms: list[Any] | None = None
    keep: set[Any] | None = None
    if focus is not None:
        terms = [t for t in focus if not isinstance(t, ox.Literal)]
        if not terms:
            return []
        if any(isinstance(t, ox.BlankNode) for t in terms):
            keep, terms = set(terms), None  # blank nodes cannot be named: run whole, keep theirs
    member = Membership.of_store(store, union) if terms is not None else None
    jobs: list[tuple[Node, list[Branch], str]] = []
    for shape, branches in cs.queries:
        fvals = None
        if member is not None and terms is not None:
            spec = cs.targets[shape]
            mine = [t for t in terms if member.targeted(spec, t)]
            if not mine:
                continue
            fvals = " ".join(_sparql_term(t) for t in mine)
        jobs.append((shape, branches, query_text(cs, shape, branches, fvals)))
    # A whole-graph run spends its time in the engine, which evaluates without the GIL: its
    # queries can run side by side (1M triples, 2 cores: 14.6 -> 6.7 s). A focused run is small.
    threads = min(len(jobs), threads, MAX_THREADS) if focus is None else 1
    texts = [text for _, _, text in jobs]
    out: list[RawResult] = []
    seen: set[tuple[Any, ...]] = set()
    answers = _evaluate(store, texts, union, threads)
    for (shape, branches, _), solutions in zip(jobs, answers, strict=True):
        for row in solutions:
            b = branches[int(row["_k"].value)]
            focus_node = row["this"]
            if keep is not None and focus_node not in keep:
                continue
            value = row["value"]
            if b.sparql is not None:
                m = b.sparql
                bind = {v[1:]: row[v[1:]] for v in b.vars}
                path = bind.get("path") or (
                    ox.NamedNode(str(m.path)) if isinstance(m.path, URIRef) else None
                )
                if value is None and m.path is None:
                    value = focus_node  # a node shape's value node is its focus node
                key = (focus_node, id(m), tuple(sorted(bind.items(), key=lambda kv: kv[0])))
                if key not in seen:  # one result per distinct solution
                    seen.add(key)
                    out.append(RawResult(focus_node, value, path, m, bind, shape))
                continue
            for f, m in b.flags.items():
                if f and getattr(row[f[1:]], "value", None) != "true":
                    continue
                path = ox.NamedNode(str(m.path)) if isinstance(m.path, URIRef) else None
                if m.component == "ClosedConstraintComponent":
                    path = row["_cp"]
                val = value if m.value else None
                core = (focus_node, path, val, m.component, id(m), row["_lt"])
                if core in seen:
                    continue
                seen.add(core)
                out.append(RawResult(focus_node, val, path, m, {}, shape))
    return out


#: the most queries of one validation run that run at once
MAX_THREADS = 4


def _evaluate(
    store: ox.Store, texts: list[str], union: bool, threads: int
) -> Iterator[Iterable[ox.QuerySolution]]:
    """Each query's solutions, in the order of ``texts``; with ``threads`` > 1, the queries
    run that many at a time, each answer read whole before it is handed over."""

    def solutions(text: str) -> ox.QuerySolutions:
        result = store.query(text, use_default_graph_as_union=union)
        assert isinstance(result, ox.QuerySolutions)
        return result

    if threads <= 1:
        yield from map(solutions, texts)
        return
    pool = ThreadPoolExecutor(threads, thread_name_prefix="kg-validate")
    try:
        yield from pool.map(lambda text: list(solutions(text)), texts)
    finally:  # a reader that stops early: the queries not yet started never start
        pool.shutdown(wait=True, cancel_futures=True)


def _sparql_term(t: Any) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<{t.value}>"
    if isinstance(t, ox.BlankNode):
        raise Unsupported("blank-node focus nodes cannot be named in a query")
    return str(t)


def labeller(store: ox.Store) -> Any:
    """The label ``kg`` shows for a node: the first of its labels, in the report's order."""
    preds = [ox.NamedNode(str(p)) for p in LABEL_PREDICATES]

    def label_of(node: Any) -> str | None:
        if isinstance(node, ox.Literal):
            return None
        for p in preds:
            vals = sorted(
                str(getattr(q.object, "value", "")) for q in store.quads_for_pattern(node, p, None)
            )
            if vals:
                return vals[0]
        return None

    return label_of


def _fill(message: str, bindings: dict[str, Any], focus: Any, label_of: Any) -> str:
    """``{?var}`` and ``{$this}`` in a SPARQL-based constraint's message, filled in: an entity
    by its label (and id), a property (``?path``) in words, a value as written."""

    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        t = focus if name == "this" else bindings.get(name)
        if t is None:
            return m.group(0)
        text = to_rdflib(t).n3()
        if name == "path" and isinstance(t, ox.NamedNode):
            return humanize(text)
        label = label_of(t) if isinstance(t, ox.NamedNode) else None
        return f"{label} ({_plain(text)})" if label else _plain(text)

    return re.sub(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}", sub, message)


def to_results(raw: list[RawResult], label_of: Any) -> list[ValidationResult]:
    """Typed results, with the sentence each one gets, sorted as pySHACL's are."""
    out = []
    for r in raw:
        focus = to_rdflib(r.focus).n3()
        path = to_rdflib(r.path).n3() if isinstance(r.path, ox.NamedNode) else None
        value = (
            to_rdflib(r.value).n3()
            if r.value is not None and not isinstance(r.value, ox.BlankNode)
            else None
        )
        m = r.meta
        msg = _fill(m.message, r.bindings, r.focus, label_of) if m.message else None
        label = label_of(r.focus)
        other = m.other.n3() if isinstance(m.other, URIRef) else None
        out.append(
            ValidationResult(
                focus_node=focus,
                severity=m.severity,
                component=m.component,
                source_shape=m.shape.n3() if isinstance(m.shape, URIRef) else None,
                path=path,
                value=value,
                message=msg,
                text=sentence(label, focus, m.component, path, value, msg, other),
                focus_label=label,
                node_shape=r.node_shape.n3() if isinstance(r.node_shape, URIRef) else None,
            )
        )
    out.sort(key=lambda r: (r.severity != "Violation", r.focus_node, r.path or "", r.component))
    return out
