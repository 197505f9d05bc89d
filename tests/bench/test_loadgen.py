"""The load generator sends no query text twice, so a result cache answers none of its
requests, with either tool; asked to repeat texts, it does (and the cache answers)."""

from __future__ import annotations

import shutil

import httpx
import pytest

from bench.loadgen import paths_for, run_load

TEXTS = [f"SELECT ?s {{ ?s ?p ?o }} LIMIT {n}" for n in (1, 2, 3)]


def cache_stats(url: str) -> dict:
    return httpx.get(url + "/health").json()["result_cache"]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("tool", ["httpx", "wrk"])
def test_a_load_run_sends_each_text_once(server_factory, tool):
    if tool == "wrk" and shutil.which("wrk") is None:
        pytest.skip("wrk is not installed (scripts/test installs it where it can)")
    # every answer kept, however quickly computed (these are)
    env = {"KG_STORE": "memory:", "KG_WORKERS": "1", "KG_RESULT_CACHE_MIN_MS": "0"}
    srv = server_factory(env=env)
    paths = paths_for("/sparql", TEXTS)
    run = run_load(srv.url, paths, connections=4, duration_s=1.0, tool=tool)
    assert run["tool"].startswith(tool) and run["errors"] == 0 and run["requests"] > 10
    stats = cache_stats(srv.url)
    assert stats["hits"] == 0 and stats["joined"] == 0
    assert stats["misses"] >= run["requests"]
    again = run_load(srv.url, paths, connections=4, duration_s=1.0, tool=tool, unique=False)
    assert again["errors"] == 0
    assert cache_stats(srv.url)["hits"] > again["requests"] // 2
