"""The SPARQL 1.1 Protocol's edge cases, one row per request shape, on a real server."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import httpx
import pytest

from .conftest import AUTH, EX, G1, G2, TOKEN, dump

Q = f"SELECT ?n WHERE {{ <{EX}alice> <{EX}name> ?n }}"
U = f'INSERT DATA {{ GRAPH <{EX}g9> {{ <{EX}x> <{EX}name> "X" }} }}'
FORM = "application/x-www-form-urlencoded"
JSONR = "application/sparql-results+json; charset=utf-8"
PROBLEM = "application/problem+json"

# (id, method, query-string params, content type, body, headers) -> (status, media type)
ROWS = [
    ("get", "GET", {"query": Q}, None, None, {}, 200, JSONR),
    ("head", "HEAD", {"query": Q}, None, None, {}, 200, JSONR),
    ("post-form", "POST", {}, FORM, {"query": Q}, {}, 200, JSONR),
    ("post-direct", "POST", {}, "application/sparql-query", Q, {}, 200, JSONR),
    (
        "post-direct-charset",
        "POST",
        {},
        "application/sparql-query; charset=utf-8",
        Q,
        {},
        200,
        JSONR,
    ),
    ("two-queries-get", "GET", {"query": [Q, Q]}, None, None, {}, 400, PROBLEM),
    ("two-queries-form", "POST", {}, FORM, {"query": [Q, Q]}, {}, 400, PROBLEM),
    ("query-url-and-body", "POST", {"query": Q}, FORM, {"query": Q}, {}, 400, PROBLEM),
    ("two-updates", "POST", {}, FORM, {"update": [U, U]}, AUTH, 400, PROBLEM),
    ("query-and-update", "POST", {}, FORM, {"query": Q, "update": U}, AUTH, 400, PROBLEM),
    ("put", "PUT", {"query": Q}, None, None, {}, 405, PROBLEM),
    ("delete", "DELETE", {"query": Q}, None, None, {}, 405, PROBLEM),
    ("patch", "PATCH", {}, FORM, {"query": Q}, {}, 405, PROBLEM),
    ("post-no-ctype", "POST", {}, None, Q, {}, 415, PROBLEM),
    ("post-text-plain", "POST", {}, "text/plain", Q, {}, 415, PROBLEM),
    ("post-json", "POST", {}, "application/json", Q, {}, 415, PROBLEM),
    ("update-by-get", "GET", {"update": U}, None, None, AUTH, 400, PROBLEM),
    ("update-as-query-direct", "POST", {}, "application/sparql-query", U, AUTH, 400, PROBLEM),
    ("update-as-query-form", "POST", {}, FORM, {"query": U}, AUTH, 400, PROBLEM),
    ("query-as-update-direct", "POST", {}, "application/sparql-update", Q, AUTH, 400, PROBLEM),
    ("query-as-update-form", "POST", {}, FORM, {"update": Q}, AUTH, 400, PROBLEM),
    (
        "direct-with-url-query",
        "POST",
        {"query": Q},
        "application/sparql-query",
        Q,
        {},
        400,
        PROBLEM,
    ),
    ("malformed-query", "GET", {"query": "SELECT * WHERE { ?s ?p }"}, None, None, {}, 400, PROBLEM),
    ("not-acceptable", "GET", {"query": Q}, None, None, {"Accept": "image/png"}, 406, PROBLEM),
    (
        "format-param",
        "GET",
        {"query": Q, "format": "csv"},
        None,
        None,
        {},
        200,
        "text/csv; charset=utf-8",
    ),
    (
        "accept-xml",
        "GET",
        {"query": Q},
        None,
        None,
        {"Accept": "application/sparql-results+xml"},
        200,
        "application/sparql-results+xml; charset=utf-8",
    ),
    (
        "accept-tsv",
        "GET",
        {"query": Q},
        None,
        None,
        {"Accept": "text/tab-separated-values"},
        200,
        "text/tab-separated-values; charset=utf-8",
    ),
    (
        "relative-default-graph-uri",
        "GET",
        {"query": Q, "default-graph-uri": "g1"},
        None,
        None,
        {},
        400,
        PROBLEM,
    ),
    (
        "relative-from-without-base",
        "GET",
        {"query": "SELECT * FROM <g1> WHERE { ?s ?p ?o }"},
        None,
        None,
        {},
        400,
        PROBLEM,
    ),
    ("no-query-is-description", "GET", {}, None, None, {}, 200, "text/turtle; charset=utf-8"),
]


def _send(url: str, method: str, params, ctype, body, headers) -> httpx.Response:
    h = dict(headers)
    if ctype:
        h["Content-Type"] = ctype
    content = None
    if isinstance(body, dict):
        content = urlencode(body, doseq=True)
    elif body is not None:
        content = body
    qs = "?" + urlencode(params, doseq=True) if params else ""
    return httpx.request(method, url + "/sparql" + qs, content=content, headers=h)


@pytest.mark.parametrize(
    ("method", "params", "ctype", "body", "headers", "status", "media"),
    [r[1:] for r in ROWS],
    ids=[r[0] for r in ROWS],
)
def test_request_shapes(server, method, params, ctype, body, headers, status, media) -> None:
    before = dump(server.url)
    r = _send(server.url, method, params, ctype, body, headers)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == media
    if status == 405:
        assert set(r.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}
    if status == 406:
        assert "application/sparql-results+json" in r.json()["offered"]
    if status != 200 and method != "HEAD":
        assert r.json()["status"] == status
    if status == 200 and method == "HEAD":
        assert r.content == b""
    assert dump(server.url) == before  # none of these rows writes


def test_malformed_query_names_line_and_column(server) -> None:
    r = httpx.get(server.url + "/sparql", params={"query": "SELECT *\nWHERE { ?s ?p }"})
    doc = r.json()
    assert (r.status_code, doc["line"]) == (400, 2)
    assert doc["column"] > 10
    assert doc["title"] == "Malformed SPARQL"


def test_malformed_update_names_line_and_column(server) -> None:
    bad = f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}a> <{EX}b> }} }}"
    r = httpx.post(
        server.url + "/sparql",
        content=bad,
        headers={**AUTH, "Content-Type": "application/sparql-update"},
    )
    doc = r.json()
    assert r.status_code == 400 and r.headers["content-type"] == PROBLEM
    assert (doc["line"], doc["column"]) != (1, 1)  # the place of the error, not the start
    assert doc["line"] == 1 and doc["column"] > 40, doc


@pytest.mark.parametrize(
    ("auth", "status"),
    [
        ({}, 401),
        ({"Authorization": "Bearer wrong"}, 403),
        ({"Authorization": f"Basic {TOKEN}"}, 401),
    ],
)
def test_update_without_valid_token_changes_nothing(server, auth, status) -> None:
    before = dump(server.url)
    r = httpx.post(server.url + "/sparql", data={"update": U}, headers=auth)
    assert r.status_code == status
    assert r.headers["content-type"] == PROBLEM
    if status == 401:
        assert r.headers["www-authenticate"].startswith("Bearer")
    assert dump(server.url) == before


def test_readonly_service_refuses_every_update(readonly) -> None:
    before = dump(readonly.url)
    r = httpx.post(readonly.url + "/sparql", data={"update": U}, headers=AUTH)
    assert r.status_code == 403
    assert "read-only" in r.json()["detail"]
    assert dump(readonly.url) == before


def test_update_refused_partway_leaves_store_identical(server) -> None:
    before = dump(server.url)
    two = f'INSERT DATA {{ GRAPH <{EX}g9> {{ <{EX}y> <{EX}name> "Y" }} }} ;\nINSERT DATA {{ <{EX}y> <{EX}name> "Z" }}'
    r = httpx.post(server.url + "/sparql", data={"update": two}, headers=AUTH)
    assert r.status_code == 400, r.text
    assert dump(server.url) == before


def test_insert_outside_graph_refused_delete_where_reaches_named_graphs(server) -> None:
    r = httpx.post(
        server.url + "/sparql",
        data={"update": f'INSERT DATA {{ <{EX}z> <{EX}name> "Z" }}'},
        headers=AUTH,
    )
    assert r.status_code == 400
    add = f'INSERT DATA {{ GRAPH <{EX}g8> {{ <{EX}z> <{EX}name> "Z" }} }}'
    assert httpx.post(server.url + "/sparql", data={"update": add}, headers=AUTH).status_code == 204
    r = httpx.post(
        server.url + "/sparql", data={"update": f"DELETE WHERE {{ <{EX}z> ?p ?o }}"}, headers=AUTH
    )
    assert r.status_code == 204
    ask = httpx.get(
        server.url + "/sparql", params={"query": f"ASK {{ GRAPH ?g {{ <{EX}z> ?p ?o }} }}"}
    )
    assert ask.json()["boolean"] is False


def test_successful_update_changes_store_and_etag(server) -> None:
    q = {"query": f"ASK {{ GRAPH <{EX}g7> {{ ?s ?p ?o }} }}"}
    r0 = httpx.get(server.url + "/sparql", params=q)
    assert r0.json()["boolean"] is False
    upd = f'INSERT DATA {{ GRAPH <{EX}g7> {{ <{EX}w> <{EX}tag> "W" }} }}'
    r = httpx.post(
        server.url + "/sparql",
        content=upd,
        headers={**AUTH, "Content-Type": "application/sparql-update"},
    )
    assert r.status_code == 204
    r1 = httpx.get(server.url + "/sparql", params=q)
    assert r1.json()["boolean"] is True
    assert r1.headers["etag"] != r0.headers["etag"]
    r304 = httpx.get(
        server.url + "/sparql", params=q, headers={"If-None-Match": r1.headers["etag"]}
    )
    assert r304.status_code == 304 and r304.content == b""
    since = {"If-Modified-Since": r1.headers["last-modified"]}
    assert httpx.get(server.url + "/sparql", params=q, headers=since).status_code == 304
    stale = {"If-None-Match": r0.headers["etag"], **since}  # If-None-Match wins
    assert httpx.get(server.url + "/sparql", params=q, headers=stale).status_code == 200


# --- the RDF dataset: protocol parameters replace FROM / FROM NAMED (Protocol 2.1.4) ---
NAMES = "SELECT ?n WHERE { ?s <http://example.org/name> ?n } ORDER BY ?n"
DATASET_ROWS = [
    ("union-default", NAMES, {}, ["Alice", "Bob"]),
    ("from", f"SELECT ?n FROM <{G1}> WHERE {{ ?s <{EX}name> ?n }}", {}, ["Alice"]),
    ("default-graph-uri", NAMES, {"default-graph-uri": G2}, ["Bob"]),
    (
        "default-graph-uri-overrides-from",
        f"SELECT ?n FROM <{G1}> WHERE {{ ?s <{EX}name> ?n }}",
        {"default-graph-uri": G2},
        ["Bob"],
    ),
    ("two-default-graph-uris-merge", NAMES, {"default-graph-uri": [G1, G2]}, ["Alice", "Bob"]),
    ("named-graph-uri-only-empties-default", NAMES, {"named-graph-uri": G1}, []),
    (
        "named-graph-uri",
        f"SELECT ?n WHERE {{ GRAPH ?g {{ ?s <{EX}name> ?n }} }}",
        {"named-graph-uri": G2},
        ["Bob"],
    ),
    (
        "named-graph-uri-overrides-from-named",
        f"SELECT ?n FROM NAMED <{G1}> WHERE {{ GRAPH ?g {{ ?s <{EX}name> ?n }} }}",
        {"named-graph-uri": G2},
        ["Bob"],
    ),
    (
        "from-named",
        f"SELECT ?n FROM NAMED <{G1}> WHERE {{ GRAPH ?g {{ ?s <{EX}name> ?n }} }}",
        {},
        ["Alice"],
    ),
]


@pytest.mark.parametrize(
    ("query", "params", "names"), [r[1:] for r in DATASET_ROWS], ids=[r[0] for r in DATASET_ROWS]
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_dataset(server, method, query, params, names) -> None:
    all_params = {"query": query, **params}
    if method == "GET":
        r = httpx.get(server.url + "/sparql", params=all_params)
    else:
        r = httpx.post(server.url + "/sparql", data=all_params)
    assert r.status_code == 200, r.text
    assert [b["n"]["value"] for b in json.loads(r.text)["results"]["bindings"]] == names


def test_using_graph_uri_scopes_the_where_clause(server) -> None:
    upd = f"INSERT {{ GRAPH <{EX}g6> {{ ?s <{EX}seen> true }} }} WHERE {{ ?s <{EX}name> ?n }}"
    r = httpx.post(
        server.url + "/sparql", data={"update": upd, "using-graph-uri": G2}, headers=AUTH
    )
    assert r.status_code == 204, r.text
    q = f"SELECT ?s WHERE {{ GRAPH <{EX}g6> {{ ?s <{EX}seen> true }} }}"
    rows = httpx.get(server.url + "/sparql", params={"query": q}).json()["results"]["bindings"]
    assert [b["s"]["value"] for b in rows] == [EX + "bob"]


def test_cors_preflight_and_simple_read(server) -> None:
    pre = httpx.options(
        server.url + "/sparql",
        headers={
            "Origin": "https://example.net",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert pre.status_code == 204
    assert pre.headers["access-control-allow-origin"] == "*"
    assert "POST" in pre.headers["access-control-allow-methods"]
    assert "content-type" in pre.headers["access-control-allow-headers"].lower()
    r = httpx.get(
        server.url + "/sparql", params={"query": Q}, headers={"Origin": "https://example.net"}
    )
    assert r.headers["access-control-allow-origin"] == "*"
    assert "etag" in r.headers["access-control-expose-headers"].lower()


def test_truncated_result_and_headers(server) -> None:
    r = httpx.get(server.url + "/sparql", params={"query": Q})
    assert r.headers["vary"] == "Accept"
    assert r.headers["etag"] and r.headers["last-modified"].endswith("GMT")


def test_malformed_update_error_on_line_two(server) -> None:
    bad = f"INSERT DATA {{ GRAPH <{G1}> {{ <{EX}a> <{EX}b> 1 }}\n ; "
    r = httpx.post(server.url + "/sparql", data={"update": bad}, headers=AUTH)
    assert r.status_code == 400
    assert r.json()["line"] == 2
