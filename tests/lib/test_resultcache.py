"""The result cache: what it may keep, for how long, and one computation per answer."""

from __future__ import annotations

import asyncio

import pytest

from kg import errors, sparqltext
from kg.execute import QueryResult
from kg.resultcache import ResultCache, cacheable


def result(body: bytes) -> QueryResult:
    return QueryResult(body, "application/sparql-results+json", "SELECT")


@pytest.mark.parametrize(
    "text",
    [
        "SELECT (RAND() AS ?r) {}",
        "select (now() as ?t) {}",
        "SELECT (UUID() AS ?u) {}",
        "SELECT (StrUUID() AS ?u) {}",
        "CONSTRUCT { ?s <http://e/p> ?b } WHERE { ?s ?p ?o BIND(BNODE() AS ?b) }",
        "SELECT * { SERVICE <http://remote.example/sparql> { ?s ?p ?o } }",
        "SELECT (NOW() AS ?t) { FILTER('é' != '') }",  # not ASCII: the pattern looks
    ],
)
def test_answers_that_differ_from_run_to_run_are_not_kept(text):
    assert not cacheable(sparqltext.inspect(text))


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX now: <http://e/now#> SELECT * { ?s ?p ?o }",  # the prologue is not looked at
        "SELECT ?s { ?s ?p 'café' }",
        "ASK { ?s ?p ?o }",
    ],
)
def test_other_answers_are_kept(text):
    assert cacheable(sparqltext.inspect(text))


def test_least_recently_used_answers_go_first_and_large_ones_are_not_kept():
    cache = ResultCache(max_bytes=800)
    for key in "abcd":
        cache.put(key, "v1", result(key.encode() * 100))
    assert cache.get("a", "v1") is not None  # a is now the most recently used
    cache.put("e", "v1", result(b"e" * 100))  # 500 bytes: fits
    cache.put("f", "v1", result(b"f" * 100))
    cache.put("g", "v1", result(b"g" * 100))
    cache.put("h", "v1", result(b"h" * 100))
    cache.put("i", "v1", result(b"i" * 100))  # 900 > 800: b, the least recent, goes
    assert cache.get("b", "v1") is None and cache.get("a", "v1") is not None
    assert cache.size_bytes <= 800 and len(cache) == 8
    cache.put("big", "v1", result(b"x" * 101))  # over an eighth of the allowance
    assert cache.get("big", "v1") is None


def test_a_new_data_version_empties_the_cache():
    cache = ResultCache(max_bytes=1 << 20)
    cache.put("q", "v1", result(b"old"))
    assert cache.get("q", "v1").body == b"old"
    assert cache.get("q", "v2") is None and len(cache) == 0 and cache.size_bytes == 0


def test_an_answer_computed_on_data_that_has_moved_on_is_not_kept():
    cache = ResultCache(max_bytes=1 << 20)
    cache.get("other", "v1")
    cache.get("other", "v2")  # a request at the newer version came meanwhile
    cache.put("q", "v1", result(b"stale"))
    assert cache.get("q", "v1") is None
    cache.get("other", "v2")
    assert cache.get("q", "v2") is None


def test_requests_for_one_answer_share_one_computation():
    async def run():
        cache = ResultCache(max_bytes=1 << 20)
        calls = 0
        gate = asyncio.Event()

        async def compute():
            nonlocal calls
            calls += 1
            await gate.wait()
            return result(b"answer")

        waiting = [asyncio.ensure_future(cache.fetch("q", "v1", compute)) for _ in range(5)]
        await asyncio.sleep(0.01)
        gate.set()
        bodies = {r.body for r in await asyncio.gather(*waiting)}
        assert bodies == {b"answer"} and calls == 1
        assert (await cache.fetch("q", "v1", compute)).body == b"answer" and calls == 1
        assert (cache.stats.misses, cache.stats.joined, cache.stats.hits) == (1, 4, 1)
        # another version computes again
        assert (await cache.fetch("q", "v2", compute)).body == b"answer" and calls == 2

    asyncio.run(run())


def test_a_failure_reaches_every_waiting_request_and_is_not_kept():
    async def run():
        cache = ResultCache(max_bytes=1 << 20)
        calls = 0

        async def fail():
            nonlocal calls
            calls += 1
            await asyncio.sleep(0.01)
            raise errors.QueryTimeout("too slow")

        outcomes = await asyncio.gather(
            *(cache.fetch("q", "v1", fail) for _ in range(3)), return_exceptions=True
        )
        assert all(isinstance(o, errors.QueryTimeout) for o in outcomes) and calls == 1
        with pytest.raises(errors.QueryTimeout):
            await cache.fetch("q", "v1", fail)
        assert calls == 2 and len(cache) == 0

    asyncio.run(run())


def test_a_request_that_goes_away_does_not_cancel_the_answer_for_the_others():
    async def run():
        cache = ResultCache(max_bytes=1 << 20)
        gate = asyncio.Event()

        async def compute():
            await gate.wait()
            return result(b"answer")

        first = asyncio.ensure_future(cache.fetch("q", "v1", compute))
        second = asyncio.ensure_future(cache.fetch("q", "v1", compute))
        await asyncio.sleep(0.01)
        first.cancel()
        await asyncio.sleep(0.01)
        gate.set()
        assert (await second).body == b"answer"
        assert first.cancelled()
        assert cache.get("q", "v1") is not None

    asyncio.run(run())
