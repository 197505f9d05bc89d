"""Query workers while they start and as changes reach them: commits made during start-up,
the version a request reads, the changes kept for workers still connecting, and what is
refused while the replica's dump is under way."""

from __future__ import annotations

import asyncio
import time

import pytest

from kg import errors
from kg.execute import QueryRequest
from kg.store import EmbeddedStore
from kg.store import pool as pool_module
from tests.conftest import numbered, quad
from tests.lib.test_workers import COUNT, HEAVY, all_alive, count


async def slow_dump(monkeypatch) -> asyncio.Event:
    """Make the replica's dump take half a second (the commit lock held all along); the
    event is set once it has begun."""
    loop = asyncio.get_running_loop()
    begun = asyncio.Event()
    dump = pool_module.dump_for_replica

    def slow(*args, **kwargs):
        loop.call_soon_threadsafe(begun.set)
        time.sleep(0.5)
        return dump(*args, **kwargs)

    monkeypatch.setattr(pool_module, "dump_for_replica", slow)
    return begun


async def count_and_stop(st: EmbeddedStore) -> int:
    """The triples the (one) worker counts once it is up; then the store is stopped, closed."""
    try:
        await all_alive(st, 1)
        return count(await st.aquery(QueryRequest(COUNT)))
    finally:
        await st.stop()
        st.close()


def test_commits_made_while_the_workers_start_reach_them(monkeypatch):
    """A commit from another thread after the replica's dump was taken, before the pool is
    ready, is sent on to the workers (it was lost: the store had no pool to publish to)."""
    from kg.store.pool import WorkerPool

    start = WorkerPool.start
    st = EmbeddedStore("memory:", workers=2, query_timeout=5.0)

    async def commit_then_start(self, dumps, version, *args):
        # the dump holds `version` commits; these two come after it
        await asyncio.to_thread(st.add, [quad("during1", "p", "x", "g2")])
        await asyncio.to_thread(st.add, [quad("during2", "p", "x", "g2")])
        assert st.pool is None  # still starting: queries run in this process
        await start(self, dumps, version, *args)

    monkeypatch.setattr(WorkerPool, "start", commit_then_start)

    async def run():
        st.add(numbered(100))
        await st.start()
        try:
            await all_alive(st, 2)
            rs = await asyncio.gather(
                *(st.aquery(QueryRequest("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")) for _ in range(4))
            )
            assert {count(r) for r in rs} == {102}
            # the zygote has them too (workers forked later start from it)
            for _ in range(200):
                if st.pool._zygote_version == st._n:
                    break
                await asyncio.sleep(0.01)
            assert st.pool._zygote_version == st._n == 3
            heavier = HEAVY.replace("?i }", "?i . ?j ?k ?l }")  # 102^4 rows
            with pytest.raises(errors.QueryTimeout):
                await st.aquery(QueryRequest(heavier), timeout=0.5)
            st.add([quad(f"t{i}", "p", i, "g3") for i in range(1_000)])
            await all_alive(st, 2)
            rs = await asyncio.gather(
                *(st.aquery(QueryRequest("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")) for _ in range(4))
            )
            assert {count(r) for r in rs} == {1_102}
        finally:
            await st.stop()
            st.close()

    asyncio.run(run())


def test_a_version_is_not_seen_before_the_workers_have_its_change():
    """A commit from another thread reaches the workers through the event loop; until then
    the store reports the version before it, so a request that reads the version (for its
    ETag and the result cache's key) is answered from data of that very version."""
    import threading

    async def run():
        st = EmbeddedStore("memory:", workers=1, query_timeout=5.0)
        st.add(numbered(10))
        await st.start()
        try:
            await all_alive(st, 1)
            before = st.version
            writer = threading.Thread(target=st.add, args=([quad("new", "p", "x", "g2")],))
            writer.start()
            writer.join()  # the loop is held here: the change waits to be handed over
            seen = [(st.version, count(await st.aquery(QueryRequest(COUNT))))]
            seen.append((st.version, count(await st.aquery(QueryRequest(COUNT)))))
            assert seen[0] == (before, 10)
            assert seen[1][0] != before and seen[1][1] == 11
        finally:
            await st.stop()
            st.close()

    asyncio.run(run())


def test_changes_are_let_go_of_whichever_word_of_a_new_worker_comes_first():
    """A worker's hello (on its socket) and the zygote's word that it forked it (on the
    zygote's pipe) can come in either order; either way, once the worker is connected, the
    changes kept for it are let go of (they were kept for good when the hello came first)."""
    from types import SimpleNamespace

    from kg.store.pool import WorkerPool, _Channel
    from kg.store.replica import ReplicaDelta

    async def run():
        for hello_first in (True, False):
            pool = WorkerPool(1, 256, False)
            channel = _Channel(pool)
            channel.transport = SimpleNamespace(write=lambda data: None)
            if hello_first:
                pool._on_hello(channel, ("hello", 4242, 1))
                pool._on_forked(4242, 1)
            else:
                pool._on_forked(4242, 1)
                pool._on_hello(channel, ("hello", 4242, 1))
            for version in (2, 3, 4):
                pool.publish(ReplicaDelta.of(version, [quad(f"s{version}", "p", "o")]))
            pool._zygote_version = 4  # the zygote has applied them all
            pool._prune()
            assert pool._history == [] and pool._forked_versions == {}, hello_first

    asyncio.run(run())


@pytest.mark.timeout(60)
def test_a_commit_on_the_event_loop_during_the_replica_dump_waits_for_it(monkeypatch):
    """The dump holds the commit lock; a commit made on the event loop meanwhile waits for
    the dump to end (it used to wait forever: the lock was held by a coroutine on the loop)."""

    async def run():
        begun = await slow_dump(monkeypatch)
        st = EmbeddedStore("memory:", workers=1, query_timeout=5.0)
        st.add(numbered(10))
        starting = asyncio.ensure_future(st.start())
        await begun.wait()  # the dump is under way, the lock held
        st.add([quad("during", "p", "x", "g2")])  # on the loop thread: waits for the dump
        await starting
        assert await count_and_stop(st) == 11

    asyncio.run(run())


def test_while_the_workers_start_a_second_start_and_a_bulk_load_are_refused(monkeypatch, tmp_path):
    """A bulk load swaps the store's folder: not while a dump of it feeds the workers."""

    async def run():
        begun = await slow_dump(monkeypatch)
        st = EmbeddedStore(f"oxigraph://{tmp_path / 'store'}", workers=1, query_timeout=5.0)
        st.add(numbered(5))
        starting = asyncio.ensure_future(st.start())
        await begun.wait()
        with pytest.raises(errors.StoreUnavailable, match="already starting"):
            await st.start()
        source = tmp_path / "more.nq"
        source.write_text('<http://e/a> <http://e/b> "c" <http://e/g9> .\n')
        with pytest.raises(errors.StoreUnavailable, match="bulk loads"):
            st.bulk_load([source])
        await starting
        assert await count_and_stop(st) == 5

    asyncio.run(run())
