"""Graph management operations: CLEAR, DROP, CREATE, ADD, MOVE, COPY, LOAD.

Plain mode follows what Oxigraph's own ``update()`` does (the oracle of the tests): ``ADD``
from a missing graph does nothing, ``COPY`` (and ``MOVE SILENT``) from a missing graph drops
the target, ``MOVE`` from a missing graph, ``CLEAR``/``DROP`` of a missing graph and ``CREATE`` of an existing one
fail unless ``SILENT``. A target graph that receives no triple is not created.

Union mode (the default graph is the union of the named graphs): ``DEFAULT`` as a source
reads the union; as a target, and in ``CLEAR``/``DROP DEFAULT`` and ``MOVE DEFAULT``, it is
refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyoxigraph as ox
from rdflib.plugins.sparql.parserutils import CompValue

from kg.update.errors import UpdateFailed, UpdateRefused
from kg.update.state import GraphName, Overlay

_DEFAULT_TARGET = (
    "the default graph is the union of all named graphs here and cannot be written directly"
)


Resolve = Callable[[str], ox.NamedNode]


def _graph(ref: Any, resolve: Resolve) -> GraphName:
    return ox.DefaultGraph() if ref == "DEFAULT" else resolve(str(ref))


def check_union(name: str, alg: CompValue) -> None:
    """Refuse, in union mode, the operations that would write the default graph."""
    if name in ("Clear", "Drop") and alg["graphiri"] == "DEFAULT":
        verb = name.upper()
        raise UpdateRefused(
            f"{verb} DEFAULT refused: {_DEFAULT_TARGET}; use {verb} ALL for every named graph "
            f"or {verb} GRAPH <…> for one"
        )
    if name in ("Add", "Move", "Copy"):
        source, target = alg["graph"]
        if target == "DEFAULT":
            raise UpdateRefused(
                f"{name.upper()} … TO DEFAULT refused: {_DEFAULT_TARGET}; name a target graph"
            )
        if name == "Move" and source == "DEFAULT":
            raise UpdateRefused(
                "MOVE DEFAULT refused: the default graph is the union of all named graphs, and "
                "moving it would drop every one of them; use COPY DEFAULT TO <…> or ADD"
            )


def _fail(alg: CompValue, message: str) -> bool:
    """Raise ``UpdateFailed`` unless the operation is SILENT; True means 'stop quietly'."""
    if dict.get(alg, "silent"):
        return True
    raise UpdateFailed(message)


def _source_triples(overlay: Overlay, graph: GraphName, union: bool) -> list[ox.Triple]:
    if union and isinstance(graph, ox.DefaultGraph):
        seen = {ox.Triple(q.subject, q.predicate, q.object) for q in overlay.quads()}
        return list(seen)
    return [
        ox.Triple(q.subject, q.predicate, q.object) for q in overlay.quads(None, None, None, graph)
    ]


def run(name: str, alg: CompValue, overlay: Overlay, union: bool, resolve: Resolve) -> None:
    """Apply one graph management operation to the overlay."""
    if name == "Create":
        g = resolve(str(alg["graphiri"]))
        if overlay.graph_exists(g):
            _fail(alg, f"CREATE GRAPH {g}: the graph already exists")
            return
        overlay.create_graph(g)
    elif name in ("Clear", "Drop"):
        ref = alg["graphiri"]
        drop = name == "Drop"
        if ref in ("DEFAULT", "ALL"):
            overlay.clear_graph(ox.DefaultGraph())
        if ref in ("NAMED", "ALL"):
            for each in list(overlay.named_graphs()):
                (overlay.drop_graph if drop else overlay.clear_graph)(each)
        if ref not in ("DEFAULT", "NAMED", "ALL"):
            named = resolve(str(ref))
            if not overlay.graph_exists(named):
                _fail(alg, f"{name.upper()} GRAPH {named}: the graph does not exist")
                return
            (overlay.drop_graph if drop else overlay.clear_graph)(named)
    elif name in ("Add", "Move", "Copy"):
        source, target = (_graph(ref, resolve) for ref in alg["graph"])
        if source == target:
            return
        if not overlay.graph_exists(source):
            if name == "Move":  # SILENT goes on as COPY does: the target is dropped
                _fail(alg, f"MOVE {source}: the graph does not exist")
            if name == "Add":
                return
        triples = _source_triples(overlay, source, union)
        if name != "Add":
            overlay.drop_graph(target)
        for t in triples:
            overlay.add(ox.Quad(t.subject, t.predicate, t.object, target))
        if name == "Move":
            overlay.drop_graph(source)
    else:  # pragma: no cover - the parser knows no other operation
        raise UpdateFailed(f"unsupported operation {name}")


def load(alg: CompValue, overlay: Overlay, resolve: Resolve) -> None:
    """Run an allowed LOAD on a scratch store and add what it loaded."""
    iri = resolve(str(alg["iri"])).value
    into = dict.get(alg, "graphiri")
    text = f"LOAD <{iri}>" + (
        f" INTO GRAPH <{resolve(str(into)).value}>" if into is not None else ""
    )
    scratch = ox.Store()
    try:
        scratch.update(text)
    except (OSError, RuntimeError, SyntaxError, ValueError) as exc:
        _fail(alg, f"LOAD <{iri}> failed: {exc}")
        return
    for q in scratch:
        overlay.add(q)
    for g in scratch.named_graphs():
        if isinstance(g, ox.NamedNode) and not overlay.graph_exists(g):
            overlay.create_graph(g)
