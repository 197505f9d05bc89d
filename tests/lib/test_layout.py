"""The record of what an on-disk store's default graph holds, and the replica built from it."""

from __future__ import annotations

import asyncio
import json

import pyoxigraph as ox

from kg.execute import QueryRequest
from kg.loading import Source
from kg.store import EmbeddedStore
from kg.store.layout import layout_file
from tests.conftest import EX, quad

V = EX + "graph/validation"
ALL = "SELECT ?s ?p ?o { ?s ?p ?o }"


def open_store(tmp_path, **options) -> EmbeddedStore:
    return EmbeddedStore(f"oxigraph://{tmp_path / 'store'}", **options)


def default_graph_through_workers(st: EmbeddedStore) -> tuple[set, set]:
    """The default graph's triples as the workers answer, and as the primary holds them."""

    async def run() -> set:
        await st.start()
        try:
            result = await st.aquery(QueryRequest(ALL))
            rows = json.loads(result.body)["results"]["bindings"]
            return {tuple(row[k]["value"] for k in "spo") for row in rows}
        finally:
            await st.stop()

    primary = {
        (q.subject.value, q.predicate.value, q.object.value)
        for q in st.primary.quads_for_pattern(None, None, None, ox.DefaultGraph())
    }
    return asyncio.run(run()), primary


def same(answers: tuple[set, set], size: int) -> bool:
    workers, primary = answers
    return workers == primary and len(primary) == size


def test_a_new_store_records_its_rule_and_trusts_it_when_reopened_under_it(tmp_path):
    st = open_store(tmp_path, unmerged_graphs=[V])
    record = json.loads(layout_file(st.path).read_text())
    assert record == {"default_graph": "merge", "unmerged": [V]}
    st.add([quad("a", "p", 1), quad("b", "p", 2, "g2")])
    st.close()
    again = open_store(tmp_path, unmerged_graphs=[V], workers=1)
    try:
        assert again.default_is_merge
        assert same(default_graph_through_workers(again), 2)
    finally:
        again.close()


def test_a_store_kept_with_its_own_default_graph_is_copied_whole(tmp_path):
    """Opened later with the merge on, its default graph is not the merge: the workers
    answer from an exact copy of it, not from a merge rebuilt in memory."""
    st = open_store(tmp_path, union_default_graph=False)
    st.add([ox.Quad(ox.NamedNode(EX + "only"), ox.NamedNode(EX + "p"), ox.Literal("default"))])
    st.add([quad("a", "p", 1)])
    st.close()
    again = open_store(tmp_path, workers=1)
    try:
        assert not again.default_is_merge
        assert not layout_file(again.path).exists()
        assert same(default_graph_through_workers(again), 1)  # the merge would have been <a>
    finally:
        again.close()
    third = open_store(tmp_path)  # the record stays gone: the rule was broken once
    try:
        assert not third.default_is_merge
    finally:
        third.close()


def test_a_graph_left_out_of_the_merge_later_does_not_leave_the_replica_behind(tmp_path):
    st = open_store(tmp_path)  # V was merged then
    st.add([quad("a", "p", 1, "graph/validation"), quad("b", "p", 2)])
    st.close()
    again = open_store(tmp_path, unmerged_graphs=[V], workers=1)
    try:
        assert not again.default_is_merge
        assert same(default_graph_through_workers(again), 2)  # a rebuilt merge would hold 1
    finally:
        again.close()


def test_bulk_loads_and_backups_keep_the_record(tmp_path):
    data = tmp_path / "data.nq"
    data.write_text(f"<{EX}a> <{EX}p> <{EX}b> <{EX}g1> .\n")
    st = open_store(tmp_path, unmerged_graphs=[V])
    st.bulk_load([Source.file(data)])
    assert st.default_is_merge and layout_file(st.path).exists()
    st.backup(tmp_path / "copy")
    st.close()
    assert json.loads(layout_file(tmp_path / "copy").read_text())["unmerged"] == [V]
    copy = EmbeddedStore(f"oxigraph://{tmp_path / 'copy'}", unmerged_graphs=[V], workers=1)
    try:
        assert copy.default_is_merge
        assert same(default_graph_through_workers(copy), 1)
    finally:
        copy.close()
