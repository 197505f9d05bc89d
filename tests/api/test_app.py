"""The app through its ASGI interface (lifespan included), on an in-memory store."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kg.config import Settings


@pytest.fixture
def client():
    settings = Settings(store="memory:", workers=1, write_token="s3cret")
    with TestClient(create_app(settings)) as c:
        yield c


def test_start_up_leaves_what_it_built_to_no_full_collection(client):
    import gc

    assert gc.get_freeze_count() > 0  # a full collection under load took ~100 ms walking it
    r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert r.status_code == 200


def test_bundled_data_is_loaded_on_first_start(client):
    r = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert r.status_code == 200 and r.json()["boolean"] is True


def test_query_by_get_post_form_and_post_direct(client):
    q = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    a = client.get("/sparql", params={"query": q}).json()
    b = client.post("/sparql", data={"query": q}).json()
    c = client.post(
        "/sparql", content=q, headers={"content-type": "application/sparql-query"}
    ).json()
    assert a == b == c and int(a["results"]["bindings"][0]["n"]["value"]) > 0


def test_update_with_token_then_visible(client):
    upd = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/a> <http://example.org/p> 'x' } }"
    assert client.post("/sparql", data={"update": upd}).status_code == 401
    assert (
        client.post(
            "/sparql", data={"update": upd}, headers={"authorization": "Bearer nope"}
        ).status_code
        == 403
    )
    r = client.post("/sparql", data={"update": upd}, headers={"authorization": "Bearer s3cret"})
    assert r.status_code == 204
    r = client.get("/sparql", params={"query": "ASK { <http://example.org/a> ?p 'x' }"})
    assert r.json()["boolean"] is True


def test_conditional_get(client):
    r = client.get("/sparql", params={"query": "ASK {}"})
    etag = r.headers["etag"]
    assert (
        client.get(
            "/sparql", params={"query": "ASK {}"}, headers={"if-none-match": etag}
        ).status_code
        == 304
    )


def test_health(client):
    doc = client.get("/health").json()
    assert doc["status"] == "ok" and doc["workers"] == 1 and doc["read_only"] is False


def test_framework_errors_are_problems_too(client):
    r = client.get("/no-such-page")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["status"] == 404
    r = client.delete("/health")
    assert r.status_code == 405 and r.headers["content-type"] == "application/problem+json"
