"""The store contract, on the embedded backend in memory and on disk."""

from __future__ import annotations

import asyncio
import json

import pyoxigraph as ox
import pytest

from kg import errors
from kg.execute import QueryRequest, choose_format, count_rows
from kg.store import EmbeddedStore
from tests.conftest import EX, numbered, quad


@pytest.fixture(params=["memory", "disk"])
def store(request, tmp_path):
    url = "memory:" if request.param == "memory" else f"oxigraph://{tmp_path / 'store'}"
    st = EmbeddedStore(url, row_cap=50)
    yield st
    st.close()


def select(st, text: str) -> list[dict]:
    body = st.query(QueryRequest(text)).body
    return json.loads(body)["results"]["bindings"]


def dump(st) -> bytes:
    return b"".join(st.dump())


def test_add_is_visible_through_the_union_default_graph(store):
    store.add(numbered(3, "g1") + numbered(2, "g2"))
    rows = select(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
    assert rows[0]["n"]["value"] == "3"  # s0 and s1 are stated by both graphs: seen once
    rows = select(
        store, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    )
    assert [(r["g"]["value"], r["n"]["value"]) for r in rows] == [
        (EX + "g1", "3"),
        (EX + "g2", "2"),
    ]
    assert store.graphs() == [EX + "g1", EX + "g2"]


def test_every_commit_changes_the_version(store):
    v0 = store.version
    store.add([quad("a", "p", "x")])
    v1 = store.version
    store.replace_graph(EX + "g1", [quad("b", "p", "y")])
    assert len({v0, v1, store.version}) == 3


def test_replace_and_drop_graph(store):
    store.add(numbered(3, "g1") + numbered(2, "g2"))
    change = store.replace_graph(EX + "g1", [quad("only", "p", "z")])
    assert (change.added, change.removed) == (1, 3)
    assert (
        select(store, f"SELECT ?s {{ GRAPH <{EX}g1> {{ ?s ?p ?o }} }}")[0]["s"]["value"]
        == EX + "only"
    )
    store.drop_graph(EX + "g2")
    assert store.graphs() == [EX + "g1"]


def test_row_cap_truncates_and_says_so(store):
    store.add(numbered(120))
    result = store.query(QueryRequest("SELECT ?s ?o { ?s ?p ?o }"))
    doc = json.loads(result.body)
    assert result.truncated and doc["truncated"] is True
    assert len(doc["results"]["bindings"]) == 50
    small = store.query(QueryRequest("SELECT ?s { ?s ?p ?o } LIMIT 50"))
    assert not small.truncated and "truncated" not in json.loads(small.body)


def test_construct_is_capped_too(store):
    store.add(numbered(120))
    result = store.query(QueryRequest("CONSTRUCT WHERE { ?s ?p ?o }", "ntriples"))
    assert result.truncated and result.body.count(b"\n") == 50


def test_every_result_format(store):
    store.add(numbered(2))
    for name, marker in [
        ("json", b'"bindings"'),
        ("xml", b"<sparql"),
        ("csv", b"s\r\n"),
        ("tsv", b"?s\n"),
    ]:
        assert marker in store.query(QueryRequest("SELECT ?s { ?s ?p ?o }", name)).body
    for name, marker in [
        ("turtle", b"<http://example.org/s0>"),
        ("ntriples", b" .\n"),
        ("rdfxml", b"rdf:RDF"),
        ("jsonld", b"@id"),
    ]:
        assert marker in store.query(QueryRequest("CONSTRUCT WHERE { ?s ?p ?o }", name)).body


def test_malformed_query_names_line_and_column(store):
    with pytest.raises(errors.QuerySyntaxError) as info:
        store.query(QueryRequest("SELECT *\nWHERE { ?s ?p }"))
    assert info.value.extra == {"line": 2, "column": 16}


def test_dump_round_trips(store, tmp_path):
    store.add(numbered(10) + numbered(5, "g2"))
    data = dump(store)
    other = ox.Store()
    other.load(data, format=ox.RdfFormat.N_QUADS)
    assert len(other) == 15


def test_dumps_hold_each_named_graph_quad_as_stored_and_nothing_else(store):
    """The N-Quads dump is written graph by graph (kg.store.nquads); TriG by the serializer."""
    tricky = [
        ox.Literal("a dot and a line break .\n"),
        ox.Literal('" .\n\\ \t'),
        ox.Literal("hej", language="sv"),
        ox.BlankNode("o1"),
        ox.NamedNode(EX + "o?x=1#f"),
    ]
    subject = ox.BlankNode("s1")
    quads = [ox.Quad(subject, ox.NamedNode(EX + "p"), o, ox.NamedNode(EX + "g1")) for o in tricky]
    quads += [
        ox.Quad(ox.NamedNode(EX + "x"), ox.NamedNode(EX + "p"), o, ox.NamedNode(EX + "g2"))
        for o in tricky
    ]
    store.add(quads)
    named = {str(q) for q in store.primary if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert len(named) == len(quads)
    for fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        data = b"".join(store.dump(format=fmt))
        assert {str(q) for q in ox.parse(data, format=fmt)} == named, fmt


def test_data_survives_reopen(tmp_path):
    url = f"oxigraph://{tmp_path / 'store'}"
    st = EmbeddedStore(url)
    st.add(numbered(7))
    st.close()
    again = EmbeddedStore(url)
    try:
        assert select(again, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[0]["n"]["value"] == "7"
    finally:
        again.close()


def test_second_opener_gets_a_clear_error(tmp_path):
    url = f"oxigraph://{tmp_path / 'store'}"
    st = EmbeddedStore(url)
    try:
        with pytest.raises(errors.StoreUnavailable, match="in use"):
            EmbeddedStore(url)
    finally:
        st.close()


def test_a_store_closed_after_updates_opens_again_in_the_same_process(tmp_path):
    """An update's parse leaves the store in a reference cycle; close() still lets go of
    RocksDB's lock at once, not at the next garbage collection."""
    url = f"oxigraph://{tmp_path / 'store'}"

    async def update(n: int) -> None:
        st = EmbeddedStore(url)
        await st.start()
        await st.aupdate(
            f"CREATE GRAPH <{EX}empty{n}> ; "
            f"INSERT DATA {{ GRAPH <{EX}g{n}> {{ <{EX}s> <{EX}p> {n} }} }}"
        )
        await st.stop()
        st.close()

    for n in range(3):  # every opening, not only the first update of the process
        asyncio.run(update(n))
    again = EmbeddedStore(url)
    try:
        assert (
            select(again, "SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")[0]["n"]["value"]
            == "3"
        )
    finally:
        again.close()


def test_backup_is_a_store_of_its_own(tmp_path):
    st = EmbeddedStore(f"oxigraph://{tmp_path / 'store'}")
    st.add(numbered(4))
    st.backup(tmp_path / "copy")
    st.add(numbered(1, "later"))
    st.close()
    copy = EmbeddedStore(f"oxigraph://{tmp_path / 'copy'}")
    try:
        assert select(copy, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[0]["n"]["value"] == "4"
    finally:
        copy.close()


def test_update_commits_its_change(store):
    store.add(numbered(3))

    async def run():
        await store.start()
        await store.aupdate(f"DELETE WHERE {{ <{EX}s1> ?p ?o }}")
        await store.aupdate(f"INSERT DATA {{ GRAPH <{EX}g9> {{ <{EX}n> <{EX}p> 'new' }} }}")

    asyncio.run(run())
    assert select(store, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")[0]["n"]["value"] == "3"
    assert EX + "g9" in store.graphs()


def test_rejected_update_leaves_the_store_identical(store):
    store.add(numbered(3))
    before = dump(store)

    async def run():
        await store.start()
        with pytest.raises(errors.UpdateRejected):
            await store.aupdate(
                f"DELETE WHERE {{ <{EX}s1> ?p ?o }} ; INSERT DATA {{ <{EX}a> <{EX}b> 'no graph' }}"
            )
        with pytest.raises(errors.QuerySyntaxError):
            await store.aupdate("INSERT DATA { GRAPH <x:g> { <x:a> <x:b> } }")

    asyncio.run(run())
    assert dump(store) == before


def test_gate_refusal_leaves_the_store_identical(store):
    store.add(numbered(3))
    before, version = dump(store), store.version

    def refuse(added, removed):
        raise errors.ValidationFailed("no")

    store.gate = refuse
    with pytest.raises(errors.ValidationFailed):
        store.add(numbered(2, "g5"))
    assert dump(store) == before and store.version == version


def test_a_triple_stated_by_several_sources_is_seen_once_until_the_last_one_goes(store):
    both = [quad("ijm", "type", "ex:NGO", "src1"), quad("ijm", "type", "ex:NGO", "src2")]
    store.add(both + [quad("ijm", "name", "IJM", "src1")])
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    assert select(store, count)[0]["n"]["value"] == "2"
    join = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o . ?s ?q ?r }"
    assert select(store, join)[0]["n"]["value"] == "4"  # 2 x 2, not 3 x 3
    store.drop_graph(EX + "src1")
    assert select(store, count)[0]["n"]["value"] == "1"
    store.drop_graph(EX + "src2")
    assert select(store, count)[0]["n"]["value"] == "0"
    assert b"".join(store.dump()) == b""  # the merge is derived: never dumped


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
@pytest.mark.parametrize("rows", [49, 50, 51, 120])
def test_row_cap_at_its_edge_in_every_format(store, fmt, rows):
    """Exactly ``cap`` rows are not cut off; one more is; the bytes are the serializer's own."""
    # the smallest rows a format can hold (all unbound), so the byte threshold is tested too
    values = " ".join("()" for _ in range(rows))
    text = f"SELECT ?x WHERE {{ VALUES () {{ {values} }} }}"
    result = store.query(QueryRequest(text, fmt))
    expected = store.primary.query(f"{text} LIMIT 50").serialize(
        format=choose_format("SELECT", fmt).results
    )
    assert result.truncated is (rows > 50)
    if fmt == "json" and rows > 50:
        expected = expected[:-1] + b',"truncated":true}'
    assert result.body == expected
    assert count_rows(result.body, fmt) == min(rows, 50)


def test_row_count_of_csv_with_line_breaks_in_values(store):
    store.add([quad("s", "p", f"line\nbreak {i}", "g1") for i in range(60)])
    result = store.query(QueryRequest("SELECT ?o { ?s ?p ?o }", "csv"))
    assert result.truncated and count_rows(result.body, "csv") == 50
