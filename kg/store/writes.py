"""How the primary store is written and read in bulk: one transaction per change where
pyoxigraph allows it, and dumps handed out in chunks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox


def _has_bnode(quads: Iterable[ox.Quad]) -> bool:
    return any(
        isinstance(q.subject, ox.BlankNode)
        or isinstance(q.object, ox.BlankNode)
        or isinstance(q.graph_name, ox.BlankNode)
        for q in quads
    )


def _data_block(quads: list[ox.Quad]) -> str:
    by_graph: dict[Any, list[ox.Quad]] = {}
    for q in quads:
        by_graph.setdefault(q.graph_name, []).append(q)
    parts = []
    for g, qs in by_graph.items():
        triples = ox.serialize([q.triple for q in qs], format=ox.RdfFormat.N_TRIPLES) or b""
        body = triples.decode()
        parts.append(body if isinstance(g, ox.DefaultGraph) else f"GRAPH {g} {{\n{body}}}")
    return "\n".join(parts)


def apply_atomically(
    store: ox.Store,
    added: list[ox.Quad],
    removed: list[ox.Quad],
    created: Sequence[str] = (),
    dropped: Sequence[str] = (),
) -> None:
    """One transaction for the whole change where pyoxigraph allows it.

    Additions alone go through ``extend`` (atomic). A change that also removes quads becomes a
    single ``DELETE DATA … ; INSERT DATA …`` update (one transaction). Blank nodes cannot be
    named in ``DELETE DATA``, so a change that removes blank-node quads falls back to
    removing one by one: not atomic against a crash midway (documented).
    """
    for g in dropped:
        store.remove_graph(ox.NamedNode(g))
    if removed:
        if _has_bnode(removed) or _has_bnode(added):
            for q in removed:
                store.remove(q)
            if added:
                store.extend(added)
        else:
            ops = [f"DELETE DATA {{\n{_data_block(removed)}\n}}"]
            if added:
                ops.append(f"INSERT DATA {{\n{_data_block(added)}\n}}")
            store.update(" ;\n".join(ops))
    elif added:
        store.extend(added)
    for g in created:
        store.add_graph(ox.NamedNode(g))


def default_graph_change(
    store: ox.Store, added: list[ox.Quad], removed: list[ox.Quad], unmerged: set[ox.NamedNode]
) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The merged default graph's change for a change of named graphs.

    The default graph is the merge (a set of triples) of the named graphs except
    ``unmerged``: an added triple enters it; a removed one leaves it when no merged named
    graph holds it after the change.
    """
    add_triples = {q.triple for q in added if q.graph_name not in unmerged}
    removed_set = set(removed)
    gone = []
    for t in {q.triple for q in removed if q.graph_name not in unmerged} - add_triples:
        holders = [
            q
            for q in store.quads_for_pattern(t.subject, t.predicate, t.object, None)
            if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name not in unmerged
        ]
        if all(q in removed_set for q in holders):
            gone.append(ox.Quad(t.subject, t.predicate, t.object))
    return [ox.Quad(t.subject, t.predicate, t.object) for t in add_triples], gone
