"""Random small datasets and updates: compute_delta + apply == Oxigraph's update(), plain mode."""

from __future__ import annotations

import pyoxigraph as ox
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.delta import UpdateFailed, apply_delta, compute_delta
from tests.delta.w3c import canonical, copy_store

EX = "http://example.org/"
NODES = [f"<{EX}{n}>" for n in ("a", "b", "c")]
PREDS = [f"<{EX}{p}>" for p in ("p", "q")]
OBJECTS = [*NODES, '"x"', "1", '"01"^^<http://www.w3.org/2001/XMLSchema#integer>', '"y"@en']
GRAPHS = [f"<{EX}g{i}>" for i in (1, 2, 3)]

term = st.sampled_from(NODES)
pred = st.sampled_from(PREDS)
obj = st.sampled_from(OBJECTS)
graph = st.sampled_from(GRAPHS)
var_or = st.one_of


@st.composite
def triple(draw: st.DrawFn, variables: bool = False) -> str:
    s = draw(st.sampled_from([*NODES, "?s"])) if variables else draw(term)
    p = draw(st.sampled_from([*PREDS, "?p"])) if variables else draw(pred)
    o = draw(st.sampled_from([*OBJECTS, "?o"])) if variables else draw(obj)
    return f"{s} {p} {o} ."


@st.composite
def block(draw: st.DrawFn, variables: bool = False, graph_var: bool = False) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        t = draw(triple(variables))
        where = draw(st.sampled_from(["default", "named", "var"] if graph_var else ["default", "named"]))
        if where == "named":
            parts.append(f"GRAPH {draw(graph)} {{ {t} }}")
        elif where == "var":
            parts.append(f"GRAPH ?g {{ {t} }}")
        else:
            parts.append(t)
    return " ".join(parts)


@st.composite
def operation(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from([
        "insert data", "delete data", "delete where", "modify", "with", "using",
        "clear", "drop", "create", "add", "move", "copy", "bnode",
    ]))
    silent = draw(st.sampled_from(["", "SILENT"]))
    g_or_default = st.sampled_from([*GRAPHS, "DEFAULT"])
    if kind == "insert data":
        return f"INSERT DATA {{ {draw(block())} }}"
    if kind == "delete data":
        return f"DELETE DATA {{ {draw(block())} }}"
    if kind == "delete where":
        return f"DELETE WHERE {{ {draw(block(True, True))} }}"
    if kind == "modify":
        where = draw(block(True, True))
        return (f"DELETE {{ {draw(block(True, True))} }} INSERT {{ {draw(block(True, True))} }} "
                f"WHERE {{ {where} }}")
    if kind == "with":
        return (f"WITH {draw(graph)} DELETE {{ {draw(block(True))} }} "
                f"INSERT {{ {draw(block(True))} }} WHERE {{ {draw(block(True, True))} }}")
    if kind == "using":
        return (f"INSERT {{ GRAPH {draw(graph)} {{ ?s ?p ?o }} }} USING {draw(graph)} "
                f"USING NAMED {draw(graph)} WHERE {{ {draw(block(True, True))} }}")
    if kind == "bnode":
        return (f"INSERT {{ GRAPH {draw(graph)} {{ ?s {draw(pred)} _:n . _:n {draw(pred)} ?o }} }} "
                f"WHERE {{ ?s ?p ?o }}")
    if kind in ("clear", "drop"):
        target = draw(st.sampled_from([*GRAPHS, "DEFAULT", "NAMED", "ALL"]))
        target = f"GRAPH {target}" if target.startswith("<") else target
        return f"{kind.upper()} {silent} {target}"
    if kind == "create":
        return f"CREATE {silent} GRAPH {draw(graph)}"
    return f"{kind.upper()} {silent} {draw(g_or_default)} TO {draw(g_or_default)}"


@st.composite
def dataset(draw: st.DrawFn) -> ox.Store:
    store = ox.Store()
    data = draw(st.lists(block(), max_size=4))
    if data:
        store.update("INSERT DATA { " + " ".join(data) + " }")
    for g in draw(st.lists(graph, max_size=1)):
        store.add_graph(ox.NamedNode(g[1:-1]))
    return store


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dataset(), st.lists(operation(), min_size=1, max_size=3))
def test_matches_oxigraph_update(store: ox.Store, ops: list[str]) -> None:
    request = " ;\n".join(ops)
    before = canonical(store)
    oracle = copy_store(store)
    try:
        oracle.update(request)
        expected_error = False
    except (RuntimeError, OSError):
        expected_error = True
    try:
        delta = compute_delta(store, request, union_default_graph=False)
    except UpdateFailed:
        assert expected_error, request
        return
    assert not expected_error, request
    assert canonical(store) == before
    mine = copy_store(store)
    apply_delta(mine, delta)
    assert canonical(mine) == canonical(oracle), request
    assert set(mine.named_graphs()) == set(oracle.named_graphs()), request
    assert not (delta.added & delta.removed)
    assert all(q not in store for q in delta.added)
    assert all(q in store for q in delta.removed)
