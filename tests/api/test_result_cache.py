"""/sparql answers a repeated query from the result cache until the data changes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kg.config import Settings

COUNT = "SELECT (COUNT(*) AS ?n) { GRAPH <http://example.org/g> { ?s ?p ?o } }"
AUTH = {"authorization": "Bearer s3cret"}


@pytest.fixture
def client():
    settings = Settings(
        store="memory:",
        workers=1,
        write_token="s3cret",
        load_bundled_data=False,
        result_cache_min_ms=0,  # these answers are quick: keep every one
    )
    with TestClient(create_app(settings)) as c:
        yield c


def cache_stats(client) -> dict:
    return client.get("/health").json()["result_cache"]


def count(client, **headers) -> int:
    r = client.get("/sparql", params={"query": COUNT}, headers=headers)
    assert r.status_code == 200
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def insert(client, n: int) -> None:
    update = (
        f"INSERT DATA {{ GRAPH <http://example.org/g> {{ <http://e/s{n}> <http://e/p> {n} }} }}"
    )
    assert client.post("/sparql", data={"update": update}, headers=AUTH).status_code == 204


def test_a_repeated_query_is_answered_again_from_memory_until_the_next_commit(client):
    insert(client, 1)
    assert count(client) == 1
    assert cache_stats(client)["misses"] == 1
    first = client.get("/sparql", params={"query": COUNT})
    again = client.get("/sparql", params={"query": COUNT})
    assert first.content == again.content and first.headers["etag"] == again.headers["etag"]
    assert cache_stats(client)["hits"] == 2
    insert(client, 2)  # a commit: the next answer is computed on the new data
    assert count(client) == 2
    stats = cache_stats(client)
    assert stats["misses"] == 2 and stats["hits"] == 2 and stats["entries"] == 1


def test_each_format_and_dataset_is_an_answer_of_its_own(client):
    insert(client, 1)
    as_json = client.get("/sparql", params={"query": COUNT})
    as_csv = client.get("/sparql", params={"query": COUNT}, headers={"accept": "text/csv"})
    assert as_json.headers["content-type"].startswith("application/sparql-results+json")
    assert as_csv.headers["content-type"].startswith("text/csv") and as_csv.text.startswith("n")
    # the same text over another dataset: nothing in that graph
    other = client.get(
        "/sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"},
    )
    only = client.get(
        "/sparql",
        params={
            "query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
            "default-graph-uri": "http://example.org/none",
        },
    )
    assert other.json()["results"]["bindings"][0]["n"]["value"] == "1"
    assert only.json()["results"]["bindings"][0]["n"]["value"] == "0"
    stats = cache_stats(client)
    assert stats["misses"] == 4 and stats["hits"] == 0 and stats["entries"] == 4


def test_answers_that_change_from_run_to_run_are_computed_each_time(client):
    for _ in range(3):
        r = client.get("/sparql", params={"query": "SELECT (STRUUID() AS ?u) {}"})
        assert r.status_code == 200
    bodies = {
        client.get("/sparql", params={"query": "SELECT (STRUUID() AS ?u) {}"}).content
        for _ in range(3)
    }
    assert len(bodies) == 3
    stats = cache_stats(client)
    assert stats["hits"] == stats["misses"] == stats["entries"] == 0


def test_errors_are_not_kept(client):
    for _ in range(2):
        r = client.get("/sparql", params={"query": "SELECT * { ?s ?p }"})
        assert r.status_code == 400
    stats = cache_stats(client)
    assert stats["misses"] == 2 and stats["entries"] == 0


def test_the_cache_can_be_switched_off():
    settings = Settings(store="memory:", workers=0, result_cache_mb=0, load_bundled_data=False)
    with TestClient(create_app(settings)) as c:
        assert c.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
        assert c.get("/health").json()["result_cache"] is None


def test_by_default_answers_computed_in_a_trice_are_not_kept():
    settings = Settings(store="memory:", workers=1, load_bundled_data=False)
    with TestClient(create_app(settings)) as c:
        for _ in range(3):
            assert c.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200
        stats = c.get("/health").json()["result_cache"]
        assert stats["misses"] == 3 and stats["kept"] == 0 and stats["hits"] == 0
