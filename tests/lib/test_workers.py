"""Query workers: timeouts that kill, memory caps, replacement, and replicas that follow commits."""

from __future__ import annotations

import asyncio
import json
import time

import psutil
import pytest

from kg import errors
from kg.execute import QueryRequest
from kg.store import EmbeddedStore
from tests.conftest import EX, numbered, quad

HEAVY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"


async def all_alive(st: EmbeddedStore, n: int) -> None:
    """Wait (up to 2 s) until ``n`` workers are connected, replacements included."""
    for _ in range(200):
        if st.pool.alive == n:
            return
        await asyncio.sleep(0.01)
    assert st.pool.alive == n


async def gone(pid: int) -> bool:
    """Wait (up to 2 s) until process ``pid`` has ended (a zombie, or reaped)."""
    for _ in range(200):
        try:
            if psutil.Process(pid).status() in (psutil.STATUS_ZOMBIE, psutil.STATUS_DEAD):
                return True
        except psutil.NoSuchProcess:
            return True
        await asyncio.sleep(0.01)
    return False


def count(result) -> int:
    return int(json.loads(result.body)["results"]["bindings"][0]["n"]["value"])


def test_timeout_kills_the_worker_and_a_new_one_takes_its_place():
    async def run():
        st = EmbeddedStore("memory:", workers=2, query_timeout=1.0)
        st.add(numbered(20_000))
        await st.start()
        try:
            before = set(st.pool.pids)
            t0 = time.monotonic()
            with pytest.raises(errors.QueryTimeout):
                await st.aquery(QueryRequest(HEAVY))
            assert time.monotonic() - t0 < 2.0
            killed = before - set(st.pool.pids)
            assert len(killed) == 1
            (pid,) = killed
            await asyncio.sleep(0.3)
            assert (
                not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
            )
            # the replacement answers, from the same data
            await all_alive(st, 2)
            r = await st.aquery(QueryRequest("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"))
            assert count(r) == 20_000
        finally:
            await st.stop()
            st.close()

    asyncio.run(run())


def test_memory_cap_stops_a_runaway_query_and_service_goes_on():
    async def run():
        st = EmbeddedStore("memory:", workers=1, query_timeout=60, worker_memory_mb=200)
        st.add(numbered(5_000))
        await st.start()
        try:
            t0 = time.monotonic()
            with pytest.raises(errors.QueryMemoryExceeded, match="200 MiB"):
                await st.aquery(
                    QueryRequest(
                        "SELECT (GROUP_CONCAT(CONCAT(STR(?a), STR(?d))) AS ?x) "
                        "{ ?a ?b ?c . ?d ?e ?f }"
                    )
                )
            assert time.monotonic() - t0 < 30
            r = await st.aquery(QueryRequest("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"))
            assert count(r) == 5_000
        finally:
            await st.stop()
            st.close()

    asyncio.run(run())


def test_workers_see_every_commit_in_order_including_replacements():
    async def run():
        st = EmbeddedStore("memory:", workers=2, query_timeout=1.0)
        st.add(numbered(1_000))
        await st.start()
        try:
            for i in range(5):
                st.add([quad(f"new{i}", "p", i, "g2")])
            await st.aupdate(f"DELETE WHERE {{ GRAPH <{EX}g1> {{ <{EX}s0> ?p ?o }} }}")
            with pytest.raises(errors.QueryTimeout):  # replace one worker mid-stream
                await st.aquery(QueryRequest(HEAVY))
            st.add([quad("last", "p", "x", "g3")])
            # ask each worker: requests sent together are shared out among the idle ones
            await all_alive(st, 2)
            before = {w.pid: w.answered for w in st.pool._workers.values()}
            rs = await asyncio.gather(
                *(st.aquery(QueryRequest("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")) for _ in range(6))
            )
            assert {count(r) for r in rs} == {1_000 + 5 - 1 + 1}
            assert all(w.answered > before[w.pid] for w in st.pool._workers.values())
        finally:
            await st.stop()
            st.close()

    asyncio.run(run())


def test_requests_sent_one_at_a_time_go_to_the_worker_that_freed_up_last():
    """Light traffic keeps one worker busy (and its caches warm) rather than going round."""

    async def run():
        st = EmbeddedStore("memory:", workers=3)
        st.add(numbered(100))
        await st.start()
        try:
            before = {w.pid: w.answered for w in st.pool._workers.values()}
            for _ in range(12):
                r = await st.aquery(QueryRequest("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"))
                assert count(r) == 100
            added = sorted(w.answered - before[w.pid] for w in st.pool._workers.values())
            assert added == [0, 0, 12]
        finally:
            await st.stop()
            st.close()

    asyncio.run(run())


def test_engine_errors_come_back_typed_and_the_worker_survives():
    async def run():
        st = EmbeddedStore("memory:", workers=1)
        await st.start()
        try:
            pids = st.pool.pids
            with pytest.raises(errors.QuerySyntaxError):
                await st.aquery(QueryRequest("SELECT * {"))
            assert st.pool.pids == pids
        finally:
            await st.stop()
            st.close()

    asyncio.run(run())


def test_the_gate_runs_in_a_worker_and_its_timeout_stops_it():
    import pyoxigraph as ox

    from kg.config import Settings
    from kg.store import open_store

    osec = "https://w3id.org/osec-kg/ontology#"
    bad = ox.Quad(
        ox.NamedNode(EX + "org"),
        ox.NamedNode(osec + "wikidataId"),
        ox.Literal("X1"),
        ox.NamedNode(EX + "g"),
    )
    good = ox.Quad(
        ox.NamedNode(EX + "org"),
        ox.NamedNode(osec + "wikidataId"),
        ox.Literal("Q1"),
        ox.NamedNode(EX + "g"),
    )

    async def run():
        st = open_store(Settings(store="memory:", workers=1), validate=True)
        await st.start()
        try:
            assert st.gate == st._worker_gate
            with pytest.raises(errors.ValidationFailed) as info:
                await asyncio.to_thread(st.add, [bad])
            assert info.value.extra["report"]["violations"] == 1
            version = st.version
            st.query_timeout = 0.0001  # no validation can finish: the change must not land
            with pytest.raises(errors.QueryTimeout):
                await asyncio.to_thread(st.add, [good])
            assert st.version == version
            st.query_timeout = 30
            await asyncio.to_thread(st.add, [good])
            assert st.version != version
        finally:
            await st.stop()
            st.close()

    asyncio.run(run())


POINT = "SELECT ?o {{ <{ex}s{i}> ?p ?o }}"


def test_requests_that_queue_travel_in_batches_and_each_gets_its_own_answer():
    async def run():
        st = EmbeddedStore("memory:", workers=1)
        st.add(numbered(500))
        await st.start()
        try:
            texts = [POINT.format(ex=EX, i=i) for i in range(60)]
            results = await asyncio.gather(*(st.aquery(QueryRequest(t)) for t in texts))
            for i, r in enumerate(results):
                (row,) = json.loads(r.body)["results"]["bindings"]
                assert row["o"]["value"] == str(i)
            stats = st.pool.stats
            assert stats.requests >= 60
            assert stats.batches < stats.requests  # some frames carried several requests
        finally:
            await st.stop()
            st.close()

    asyncio.run(run())


def test_a_timeout_in_a_batch_spares_the_requests_beside_it():
    async def run():
        st = EmbeddedStore("memory:", workers=1, query_timeout=1.0)
        st.add(numbered(20_000))
        await st.start()
        try:
            # one worker: the heavy query shares a frame with lookups queued beside it
            texts = [POINT.format(ex=EX, i=i) for i in range(20)]
            jobs = [st.aquery(QueryRequest(t), timeout=8.0) for t in texts[:10]]
            jobs.append(st.aquery(QueryRequest(HEAVY)))
            jobs += [st.aquery(QueryRequest(t), timeout=8.0) for t in texts[10:]]
            results = await asyncio.gather(*jobs, return_exceptions=True)
            assert isinstance(results[10], errors.QueryTimeout)
            answers = results[:10] + results[11:]
            for i, r in enumerate(answers):
                assert not isinstance(r, BaseException), r
                (row,) = json.loads(r.body)["results"]["bindings"]
                assert row["o"]["value"] == str(i)
            assert st.pool.stats.killed_on_timeout == 1
            assert st.pool.stats.requeued >= 1  # lookups held by the killed worker ran again
        finally:
            await st.stop()
            st.close()

    asyncio.run(run())


def test_the_request_that_exhausts_memory_is_the_one_charged_with_it():
    runaway = "SELECT (GROUP_CONCAT(CONCAT(STR(?a), STR(?d))) AS ?x) { ?a ?b ?c . ?d ?e ?f }"

    async def run():
        st = EmbeddedStore("memory:", workers=1, query_timeout=60, worker_memory_mb=200)
        st.add(numbered(5_000))
        await st.start()
        try:
            texts = [POINT.format(ex=EX, i=i) for i in range(12)]
            jobs = [st.aquery(QueryRequest(t)) for t in texts[:6]]
            jobs.append(st.aquery(QueryRequest(runaway)))
            jobs += [st.aquery(QueryRequest(t)) for t in texts[6:]]
            results = await asyncio.gather(*jobs, return_exceptions=True)
            assert isinstance(results[6], errors.QueryMemoryExceeded), results[6]
            for i, r in enumerate(results[:6] + results[7:]):
                assert not isinstance(r, BaseException), r
                (row,) = json.loads(r.body)["results"]["bindings"]
                assert row["o"]["value"] == str(i)
            assert st.pool.stats.requeued >= 1
        finally:
            await st.stop()
            st.close()

    asyncio.run(run())


def test_a_worker_that_reports_a_memory_error_takes_no_more_requests():
    """A MemoryError raised in Python leaves the worker's heap in doubt: the worker is
    replaced at once, and the request waiting behind goes to the replacement, not to it."""

    async def run():
        st = EmbeddedStore("memory:", workers=1, query_timeout=60)
        st.add(numbered(20_000))
        await st.start()
        try:
            pool = st.pool
            (doomed,) = pool._workers.values()
            first = asyncio.ensure_future(st.aquery(QueryRequest(HEAVY)))
            while not doomed.jobs:
                await asyncio.sleep(0.005)
            waiting = asyncio.ensure_future(st.aquery(QueryRequest(POINT.format(ex=EX, i=7))))
            await asyncio.sleep(0.05)
            assert len(pool._queue) == 1  # the worker is busy: the second request waits
            (rid,) = doomed.jobs
            # the frame a worker sends when the engine's allocation raised MemoryError
            reply = ("error", "QueryMemoryExceeded", "the query needed more memory", {})
            pool._on_message(doomed.channel, ("done", [(rid, reply)]))
            with pytest.raises(errors.QueryMemoryExceeded):
                await first
            (row,) = json.loads((await waiting).body)["results"]["bindings"]
            assert row["o"]["value"] == "7"
            assert doomed.pid not in pool.pids and doomed.answered == 1
            assert pool.stats.requeued == 0  # it never went to the doomed worker
            assert await gone(doomed.pid)  # killed (SIGKILL lands a moment later)
        finally:
            await st.stop()
            st.close()

    asyncio.run(run())


def test_the_partial_copies_follow_every_commit_and_queries_agree_with_the_primary():
    """Workers answer default-graph queries from a store holding that graph alone, and
    GRAPH queries from one holding the named graphs alone: after adds, removals, SPARQL
    updates, a created and a dropped graph, every answer equals the primary's."""
    queries = [
        "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",  # the default graph only: the copy
        "SELECT ?s ?o { ?s ?p ?o } ORDER BY ?s ?o",
        "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
        "ASK { ?s ?p 17 }",
        "SELECT ?g { GRAPH ?g { } } ORDER BY ?g",  # the named-graph copy, empty graphs too
        "SELECT ?s ?g { GRAPH ?g { ?s ?p 17 } } ORDER BY ?s ?g",
    ]

    async def run():
        st = EmbeddedStore("memory:", workers=1)
        assert st.replica_copies.default and st.replica_copies.named
        st.add(numbered(300))
        st.add(numbered(50, graph="g2"))  # the same triples stated by a second source
        await st.start()
        try:

            async def agree():
                for q in queries:
                    got = await st.aquery(QueryRequest(q))
                    want = st.query(QueryRequest(q))
                    assert got.body == want.body, q

            await agree()
            st.add([quad("new", "p", 17, "g3")])
            await st.aupdate(f"DELETE WHERE {{ GRAPH <{EX}g1> {{ <{EX}s3> ?p ?o }} }}")
            await st.aupdate(f"CREATE GRAPH <{EX}empty>")
            await st.aupdate(f"DROP GRAPH <{EX}g2>")  # s0..s49 stay: g1 states them too
            await st.aupdate(f"DELETE WHERE {{ GRAPH <{EX}g1> {{ <{EX}s10> ?p ?o }} }}")
            await agree()
            r = await st.aquery(QueryRequest(queries[0]))
            assert count(r) == 300 - 2 + 1
        finally:
            await st.stop()
            st.close()

    asyncio.run(run())


def test_stopping_the_pool_answers_every_waiting_request_at_once():
    async def run():
        st = EmbeddedStore("memory:", workers=1, query_timeout=30)
        st.add(numbered(20_000))
        await st.start()
        jobs = [asyncio.ensure_future(st.aquery(QueryRequest(HEAVY)))]
        jobs += [
            asyncio.ensure_future(st.aquery(QueryRequest(POINT.format(ex=EX, i=i))))
            for i in range(5)
        ]
        await asyncio.sleep(0.3)  # the heavy query runs; the lookups wait behind it
        t0 = time.monotonic()
        await st.stop()
        results = await asyncio.gather(*jobs, return_exceptions=True)
        st.close()
        assert time.monotonic() - t0 < 10
        assert all(isinstance(r, errors.KgError) for r in results), results
        assert any(isinstance(r, errors.StoreUnavailable) for r in results)

    asyncio.run(run())


def test_a_query_crosses_to_the_workers_whole():
    """The tuple form a query takes on the wire gives back every field of both dataclasses."""
    import pickle

    from kg import sparqltext
    from kg.store import wire

    text = "BASE <http://b/> SELECT ?x FROM <http://g> WHERE { SERVICE <http://r/> { ?x ?p ?o } }"
    info = sparqltext.inspect(text)
    assert info.services and info.dataset_spans and info.projection  # every field set
    request = QueryRequest(text, "xml", ("http://d",), ("http://n",), 7, False, "http://base/")
    for sent in [(request, info), (QueryRequest("ASK {}"), None)]:
        message = pickle.loads(pickle.dumps(wire.query_message(*sent)))
        assert wire.read_query(message) == sent


def test_deadlines_share_a_timer_per_step_and_let_go_of_answered_requests():
    from kg.store.pool import DEADLINE_STEP

    async def run():
        st = EmbeddedStore("memory:", workers=2, query_timeout=1.0)
        st.add(numbered(2_000))
        await st.start()
        try:
            await asyncio.gather(*(st.aquery(QueryRequest("ASK { ?s ?p ?o }")) for _ in range(64)))
            steps = st.pool._timers._steps
            assert 1 <= len(steps) <= 4  # 64 requests sent in one go: a step or two, not 64
            assert sum(len(jobs) for jobs in steps.values()) == 0  # nothing answered is kept
            t0 = time.monotonic()
            with pytest.raises(errors.QueryTimeout):
                await st.aquery(QueryRequest(HEAVY))
            assert 1.0 <= time.monotonic() - t0 < 1.0 + DEADLINE_STEP + 0.5
            await asyncio.sleep(0.1)
            assert not any(steps.values())
        finally:
            await st.stop()
            st.close()

    asyncio.run(run())
