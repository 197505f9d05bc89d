"""The dump a replica starts from: named graphs in parallel parts, the merge rebuilt in memory."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store.nquads import NamedLines
from kg.store.replica import NQ, Replica, dump_for_replica, merge_update, read_graph_names

P = ox.NamedNode("http://example.org/p")
G1 = ox.NamedNode("http://example.org/g1")
G2 = ox.NamedNode("http://example.org/g2")
RESULTS = ox.NamedNode("http://example.org/validation")
TRICKY = [
    ox.Literal("ends with a dot .\n"),  # a line break and " ." inside a literal
    ox.Literal(" .\n .\n"),
    ox.Literal('quote " and backslash \\ and tab \t'),
    ox.Literal("bonjour", language="fr"),
    ox.Literal("12", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ox.NamedNode("http://example.org/a%20b?x=1#y"),
    ox.BlankNode("b0"),
]


def primary(tmp: Path) -> ox.Store:
    """An on-disk store: named graphs (one named by a blank node), and a default graph that
    holds their merge, but not the validation graph's triples."""
    store = ox.Store(str(tmp / "primary"))
    subject = ox.BlankNode("s1")
    named: list[ox.Quad] = []
    for i, obj in enumerate(TRICKY):
        named.append(ox.Quad(subject, P, obj, G1))
        named.append(ox.Quad(ox.NamedNode(f"http://example.org/x{i}"), P, obj, G2))
    named.append(ox.Quad(subject, P, TRICKY[0], ox.BlankNode("graph")))
    named.append(ox.Quad(subject, P, ox.Literal("a failed check"), RESULTS))
    store.extend(named)
    store.add_graph(ox.NamedNode("http://example.org/empty"))
    store.update(merge_update([RESULTS.value]))
    return store


def quads(store: ox.Store) -> set[str]:
    return {str(q) for q in store}


def read(paths: list[Path]) -> ox.Store:
    store = ox.Store()
    for path in paths:
        store.extend(ox.parse(path=str(path), format=NQ))
    return store


@pytest.mark.parametrize("parts", [1, 2, 3])
def test_a_full_dump_in_parts_holds_every_quad_with_its_blank_node_labels(tmp_path, parts):
    store = primary(tmp_path)
    paths, names = dump_for_replica(store, tmp_path, with_default=True, parts=parts)
    assert len(paths) == parts
    assert set(read_graph_names(names)) == set(store.named_graphs())  # the empty one too
    assert ox.NamedNode("http://example.org/empty") in read_graph_names(names)
    assert quads(read(paths)) == quads(store)
    assert "_:s1" in paths[0].read_text() + "".join(p.read_text() for p in paths[1:])


def test_the_default_graph_left_out_and_rebuilt_gives_the_same_store(tmp_path):
    store = primary(tmp_path)
    paths, _ = dump_for_replica(store, tmp_path, with_default=False, parts=2)
    dumped = read(paths)
    assert not list(dumped.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    replica = Replica(dumped, default_copy=True, named_copy=True, merge=[RESULTS.value])
    assert quads(replica.full) == quads(store)
    assert replica.default is not None and replica.named is not None
    default = {str(q) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert quads(replica.default) == default
    assert len(default) == len(TRICKY) * 2  # the validation graph's triple stayed out
    assert quads(replica.named) == quads(store) - default


def test_a_dump_of_many_lines_crosses_the_writer_s_chunks_intact(tmp_path):
    """Oxigraph writes in chunks of a few KiB: lines cut between two writes are joined."""
    store = ox.Store(str(tmp_path / "big"))
    store.extend(
        ox.Quad(
            ox.NamedNode(f"http://example.org/s{i}"),
            P,
            TRICKY[i % len(TRICKY)] if i % 3 else ox.Literal("x" * (i % 700)),
            G1 if i % 2 else G2,
        )
        for i in range(20_000)
    )
    paths, _ = dump_for_replica(store, tmp_path, with_default=True, parts=2)
    assert sum(p.stat().st_size for p in paths) > 1_000_000
    assert (
        quads(read(paths))
        == quads(store)
        == {str(q) for q in ox.parse(store.dump(format=NQ), format=NQ)}
    )


def test_a_failed_merge_is_raised_not_swallowed():
    with pytest.raises(SyntaxError):
        Replica(ox.Store(), named_copy=True, merge=["not an IRI>"])


def test_a_dump_cut_inside_a_statement_is_an_error():
    class Sink:
        data = b""

        def write(self, b: bytes) -> int:
            self.data += b
            return len(b)

    sink = Sink()
    named = NamedLines(sink, G1)  # type: ignore[arg-type]
    named.write(b'<http://a> <http://b> "x .\\n" .\n<http://a> <http://b> ')
    named.write(b"<http://c> .\n")
    named.close()
    assert sink.data.decode().splitlines() == [
        f'<http://a> <http://b> "x .\\n" {G1} .',
        f"<http://a> <http://b> <http://c> {G1} .",
    ]
    named.write(b"<http://a> <http://b>")
    with pytest.raises(ValueError, match="inside a statement"):
        named.close()


def test_workers_started_on_a_store_see_its_empty_graphs(tmp_path):
    from kg.execute import QueryRequest
    from kg.store import EmbeddedStore

    url = f"oxigraph://{tmp_path / 'store'}"

    async def fill() -> None:
        st = EmbeddedStore(url)
        await st.start()
        await st.aupdate(
            "CREATE GRAPH <http://example.org/empty> ; "
            "INSERT DATA { GRAPH <http://example.org/g1> { <http://a> <http://b> 1 } }"
        )
        await st.stop()
        st.close()

    async def graphs() -> list[str]:
        st = EmbeddedStore(url, workers=1)
        await st.start()
        try:
            result = await st.aquery(QueryRequest("SELECT ?g { GRAPH ?g { } } ORDER BY ?g"))
            return [row["g"]["value"] for row in json.loads(result.body)["results"]["bindings"]]
        finally:
            await st.stop()
            st.close()

    asyncio.run(fill())
    assert asyncio.run(graphs()) == ["http://example.org/empty", "http://example.org/g1"]
