"""``compute_delta``: the change a SPARQL 1.1 Update request would make, without making it.

Each operation is evaluated against the base store plus the change of the operations before
it (``Overlay``). ``WHERE`` parts run on Oxigraph as ``SELECT`` queries over their original
text; templates are instantiated here. A request made only of ``INSERT DATA`` / ``DELETE
DATA`` takes a fast path that never calls rdflib's parser and never scans the store.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib import Variable as RVariable
from rdflib.plugins.sparql.algebra import translateUpdate
from rdflib.plugins.sparql.parser import parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from kg.update import ops as graph_ops
from kg.update.errors import UpdateFailed, UpdateRefused, UpdateSyntaxError
from kg.update.lexer import Operation, has_keyword, split_request, tokenize
from kg.update.state import ALL, Delta, Needs, Overlay
from kg.update.templates import (
    TemplateQuad,
    check_ground,
    from_parse,
    instantiate,
    resolver,
    variables,
)

_INSERT_DEFAULT = (
    "the default graph is the union of all named graphs here, so a triple outside GRAPH has "
    "no place to go: name a target graph with GRAPH <…> { … } or WITH <…>"
)


@dataclass
class _Options:
    base_iri: str | None
    union: bool
    using: tuple[str, ...]
    using_named: tuple[str, ...]
    allow_load: Callable[[str], bool]


@dataclass
class _Step:
    """One parsed operation, ready to run."""

    name: str
    algebra: CompValue
    text: Operation | None = None
    delete: list[TemplateQuad] = field(default_factory=list)
    insert: list[TemplateQuad] = field(default_factory=list)
    resolve: Callable[[str], ox.NamedNode] = ox.NamedNode


def compute_delta(
    store: ox.Store,
    update: str,
    *,
    base_iri: str | None = None,
    union_default_graph: bool = True,
    using_graph_uris: Sequence[str] = (),
    using_named_graph_uris: Sequence[str] = (),
    allow_load: Callable[[str], bool] = lambda iri: False,
) -> Delta:
    """The net change ``update`` would make to ``store``; ``store`` is only read.

    Raises ``UpdateSyntaxError``, ``UpdateRefused`` or ``UpdateFailed``.
    """
    opts = _Options(
        base_iri,
        union_default_graph,
        tuple(using_graph_uris),
        tuple(using_named_graph_uris),
        allow_load,
    )
    ops = split_request(update)
    _check_blank_labels(ops)
    overlay = Overlay(store)
    if not opts.using and not opts.using_named and _fast_data_path(ops, opts, overlay):
        return overlay.delta()
    overlay = Overlay(store)
    if has_keyword(tokenize(update), "SERVICE"):
        raise UpdateRefused("SERVICE (federated query) is not allowed in updates here")
    steps = _parse(update, ops, opts)
    for step in steps:
        _check(step, opts)
    for step in steps:
        _run(step, overlay, opts)
    return overlay.delta()


def _check_blank_labels(ops: list[Operation]) -> None:
    """A blank node label of INSERT DATA belongs to one operation (as Oxigraph checks too)."""
    owner: dict[str, int] = {}
    for i, op in enumerate(ops):
        if len(op.tokens) < 2 or not op.tokens[1].is_kw("DATA"):
            continue
        for tok in op.tokens:
            if (
                tok.kind == "word"
                and tok.text.startswith("_:")
                and owner.setdefault(tok.text, i) != i
            ):
                raise UpdateSyntaxError(
                    f"the blank node {tok.text} is used in more than one operation",
                    *_line_col(op.source, tok.start),
                )


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


# ---- fast path ----------------------------------------------------------------------------
def _fast_data_path(ops: list[Operation], opts: _Options, overlay: Overlay) -> bool:
    """Handle a request made only of INSERT DATA / DELETE DATA; False if it is not one."""
    blocks: list[tuple[bool, str]] = []
    for op in ops:
        toks = op.tokens
        if len(toks) < 4 or not toks[1].is_kw("DATA"):
            return False
        if not (toks[0].is_kw("INSERT") or toks[0].is_kw("DELETE")):
            return False
        span = op.group_after(2)
        if span is None or span[1] != toks[-1].end:
            return False
        text = op.prologue + "\nINSERT DATA " + _src(op, span)
        blocks.append((toks[0].is_kw("INSERT"), text))
    parsed: list[tuple[bool, list[ox.Quad]]] = []
    for is_insert, text in blocks:
        scratch = ox.Store()
        try:
            scratch.update(text, base_iri=opts.base_iri)
        except (SyntaxError, ValueError, RuntimeError):
            return False
        quads = list(scratch)
        if not is_insert and any(_has_blank(q) for q in quads):
            return False  # the slow path reports the syntax error
        parsed.append((is_insert, quads))
    for is_insert, quads in parsed:
        if (
            is_insert
            and opts.union
            and any(isinstance(q.graph_name, ox.DefaultGraph) for q in quads)
        ):
            raise UpdateRefused(f"INSERT DATA refused: {_INSERT_DEFAULT}")
    for is_insert, quads in parsed:
        for q in quads:
            if is_insert:
                overlay.add(q)
            elif opts.union and isinstance(q.graph_name, ox.DefaultGraph):
                for hit in list(overlay.quads(q.subject, q.predicate, q.object, None)):
                    overlay.remove(hit)
            else:
                overlay.remove(q)
    return True


def _has_blank(q: ox.Quad) -> bool:
    return isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)


def _src(op: Operation, span: tuple[int, int]) -> str:
    return op.source[span[0] : span[1]]


# ---- parsing ------------------------------------------------------------------------------
_POS = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)


def _parse(update: str, ops: list[Operation], opts: _Options) -> list[_Step]:
    try:
        algebra = translateUpdate(parseUpdate(update), base=opts.base_iri).algebra
    except Exception as exc:  # pyparsing, and rdflib's own errors (unknown prefix, …)
        line, col = getattr(exc, "lineno", None), getattr(exc, "col", None)
        msg = getattr(exc, "msg", None) or str(exc)
        raise UpdateSyntaxError(str(msg), line, col) from exc
    if len(algebra) != len(ops):
        raise UpdateSyntaxError("could not split the request into operations")
    steps: list[_Step] = []
    for alg, op in zip(algebra, ops, strict=True):
        resolve = resolver(op.prologue, opts.base_iri)
        step = _Step(alg.name, alg, op, resolve=resolve)
        if alg.name == "InsertData":
            step.insert = from_parse(alg, resolve)
            check_ground(step.insert, "INSERT DATA", blank_ok=True)
        elif alg.name == "DeleteData":
            step.delete = from_parse(alg, resolve)
            check_ground(step.delete, "DELETE DATA", blank_ok=False)
        elif alg.name == "DeleteWhere":
            step.delete = from_parse(alg, resolve)
            check_ground(step.delete, "DELETE WHERE", blank_ok=False)
        elif alg.name == "Modify":
            step.delete = from_parse(dict.get(alg, "delete"), resolve)
            step.insert = from_parse(dict.get(alg, "insert"), resolve)
            check_ground(step.delete, "a DELETE template", blank_ok=False)
        steps.append(step)
    return steps


def _check(step: _Step, opts: _Options) -> None:
    """Refusals that do not depend on the data, checked for every operation before any runs."""
    alg = step.algebra
    if step.name in ("Modify", "DeleteWhere"):
        if _walk_has(dict.get(alg, "where"), "ServiceGraphPattern"):
            raise UpdateRefused("SERVICE (federated query) is not allowed in updates here")
        own = bool(dict.get(alg, "using")) or dict.get(alg, "withClause") is not None
        if own and (opts.using or opts.using_named):
            raise UpdateRefused(
                "the request names its dataset with USING/USING NAMED/WITH and also with "
                "using-graph-uri/using-named-graph-uri; give one or the other"
            )
    default_insert = any(q[3] is None for q in step.insert)
    if opts.union and default_insert and dict.get(alg, "withClause") is None:
        kind = "INSERT DATA" if step.name == "InsertData" else "INSERT"
        raise UpdateRefused(f"{kind} refused: {_INSERT_DEFAULT}")
    if step.name == "Load":
        iri = str(alg["iri"])
        if not opts.allow_load(iri):
            raise UpdateRefused(f"LOAD <{iri}> refused: loading from remote sources is not allowed")
        if opts.union and dict.get(alg, "graphiri") is None:
            raise UpdateRefused(f"LOAD refused: {_INSERT_DEFAULT} (use LOAD <…> INTO GRAPH <…>)")
    if opts.union:
        graph_ops.check_union(step.name, alg)


def _walk_has(node: Any, name: str) -> bool:
    if isinstance(node, CompValue):
        if node.name == name:
            return True
        return any(_walk_has(v, name) for v in node.values())
    if isinstance(node, (list, tuple)):
        return any(_walk_has(v, name) for v in node)
    return False


def _graph_refs(node: Any, found: set[Any], resolve: Callable[[str], ox.NamedNode]) -> bool:
    """Collect constant GRAPH names; True if some GRAPH takes a variable (reads every graph)."""
    if isinstance(node, CompValue):
        if node.name == "Graph":
            term = dict.get(node, "term")
            if isinstance(term, RVariable):
                return True
            if isinstance(term, URIRef):
                found.add(resolve(str(term)))
        return any([_graph_refs(v, found, resolve) for v in node.values()])
    if isinstance(node, (list, tuple)):
        return any([_graph_refs(v, found, resolve) for v in node])
    return False


# ---- running ------------------------------------------------------------------------------
def _run(step: _Step, overlay: Overlay, opts: _Options) -> None:
    alg = step.algebra
    if step.name in ("InsertData", "DeleteData"):
        fresh: dict[str, ox.BlankNode] = {}
        default = None if opts.union else ox.DefaultGraph()
        for triple, graph in instantiate(step.delete, {}, default, None):
            _remove(overlay, triple, graph)
        for triple, graph in instantiate(step.insert, {}, ox.DefaultGraph(), fresh):
            overlay.add(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
    elif step.name in ("Modify", "DeleteWhere"):
        _run_modify(step, overlay, opts)
    elif step.name == "Load":
        graph_ops.load(alg, overlay, step.resolve)
    else:
        graph_ops.run(step.name, alg, overlay, opts.union, step.resolve)


def _remove(
    overlay: Overlay, triple: ox.Triple, graph: ox.NamedNode | ox.DefaultGraph | None
) -> None:
    if graph is None:  # union mode, outside GRAPH: every graph that holds the triple
        for q in list(overlay.quads(triple.subject, triple.predicate, triple.object, None)):
            overlay.remove(q)
    else:
        overlay.remove(ox.Quad(triple.subject, triple.predicate, triple.object, graph))


def _run_modify(step: _Step, overlay: Overlay, opts: _Options) -> None:
    alg, op = step.algebra, step.text
    assert op is not None
    toks = op.tokens
    if step.name == "DeleteWhere":
        index = 2
    else:
        where = op.top_level_index("WHERE", last=True)
        index = -1 if where is None else where + 1
    span = op.group_after(index) if 0 <= index < len(toks) else None
    if span is None:
        raise UpdateSyntaxError("could not find the WHERE group of the operation")
    with_graph = dict.get(alg, "withClause")
    target: ox.NamedNode | ox.DefaultGraph | None
    if with_graph is not None:
        target = step.resolve(str(with_graph))
    else:
        target = None if opts.union else ox.DefaultGraph()
    options, needs = _dataset(step, opts, target)
    names = variables(step.delete, step.insert)
    projection = " ".join(f"?{n}" for n in names) or "*"
    query = f"{op.prologue}\nSELECT {projection} WHERE {_src(op, span)}"
    try:
        solutions = overlay.query(query, needs, base_iri=opts.base_iri, **options)
        rows = [{n: sol[n] for n in names} for sol in solutions]
    except SyntaxError as exc:
        m = _POS.match(str(exc))
        raise UpdateSyntaxError(m.group(3) if m else str(exc)) from exc
    except (OSError, RuntimeError, ValueError) as exc:
        raise UpdateFailed(f"the WHERE part failed: {exc}") from exc
    deletes: list[tuple[ox.Triple, Any]] = []
    inserts: list[ox.Quad] = []
    insert_default = target if target is not None else ox.DefaultGraph()
    for row in rows:
        deletes.extend(instantiate(step.delete, row, target, None))
        fresh: dict[str, ox.BlankNode] = {}
        for triple, graph in instantiate(step.insert, row, insert_default, fresh):
            inserts.append(ox.Quad(triple.subject, triple.predicate, triple.object, graph))
    for triple, graph in deletes:
        _remove(overlay, triple, graph)
    for q in inserts:
        overlay.add(q)


def _dataset(
    step: _Step, opts: _Options, target: ox.NamedNode | ox.DefaultGraph | None
) -> tuple[dict[str, Any], Needs]:
    """Query options for the WHERE part, and the graphs it can read."""
    alg = step.algebra
    using = [
        str(u["default"])
        for u in dict.get(alg, "using") or ()
        if dict.get(u, "default") is not None
    ]
    named = [
        str(u["named"]) for u in dict.get(alg, "using") or () if dict.get(u, "named") is not None
    ]
    if not dict.get(alg, "using"):
        using, named = list(opts.using), list(opts.using_named)
    if using or named:
        default_graphs = [step.resolve(u) for u in using]
        named_graphs = [step.resolve(u) for u in named]
        options = {"default_graph": default_graphs, "named_graphs": named_graphs}
        return options, frozenset(default_graphs + named_graphs)
    found: set[Any] = set()
    if step.name == "DeleteWhere":
        graphs = [q[3] for q in step.delete if q[3] is not None]
        if any(isinstance(g, ox.Variable) for g in graphs):
            return _default_options(target, opts), ALL
        found.update(graphs)
    elif _graph_refs(dict.get(alg, "where"), found, step.resolve):
        return _default_options(target, opts), ALL
    if target is None:
        return {"use_default_graph_as_union": True}, ALL
    found.add(target)
    return _default_options(target, opts), frozenset(found)


def _default_options(
    target: ox.NamedNode | ox.DefaultGraph | None, opts: _Options
) -> dict[str, Any]:
    if target is None:
        return {"use_default_graph_as_union": True}
    if isinstance(target, ox.NamedNode):
        return {"default_graph": target}
    return {}
