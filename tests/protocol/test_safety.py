"""No outbound fetches: SERVICE and LOAD never reach a server the configuration does not name.

A loopback HTTP server counts every request it receives; after each attempt the count is 0."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import free_port

from .conftest import AUTH


class _Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def _any(self) -> None:
        type(self).hits += 1
        self.send_response(200)
        self.send_header("Content-Type", "text/turtle")
        self.end_headers()
        self.wfile.write(b"<http://e/a> <http://e/b> <http://e/c> .\n")

    do_GET = do_POST = _any

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def target() -> Iterator[str]:
    _Counter.hits = 0
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Counter)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_counter_works(target) -> None:
    assert httpx.get(target + "/x.ttl").status_code == 200
    assert _Counter.hits == 1


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("query", "SELECT * WHERE {{ SERVICE <{t}/> {{ ?s ?p ?o }} }}"),
        ("query", "SELECT * WHERE {{ SERVICE SILENT <{t}/> {{ ?s ?p ?o }} }}"),
        ("query", "SELECT * WHERE {{ VALUES ?x {{ <{t}/> }} SERVICE ?x {{ ?s ?p ?o }} }}"),
        ("query", "SELECT * WHERE {{ \\u0053ERVICE <{t}/> {{ ?s ?p ?o }} }}"),
        ("update", "LOAD <{t}/x.ttl> INTO GRAPH <http://e/g>"),
        ("update", "LOAD SILENT <{t}/x.ttl>"),
        (
            "update",
            "INSERT {{ GRAPH <http://e/g> {{ ?s ?p ?o }} }} WHERE {{ SERVICE <{t}/> {{ ?s ?p ?o }} }}",
        ),
    ],
)
def test_outbound_refused_and_nothing_reaches_the_target(server, target, kind, text) -> None:
    body = {kind: text.format(t=target)}
    r = httpx.post(server.url + "/sparql", data=body, headers=AUTH)
    assert r.status_code == 403, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert _Counter.hits == 0
