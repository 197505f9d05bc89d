"""Real servers for the protocol tests: ``kg serve`` on a free loopback port, in-memory store,
no bundled data, so each test module knows exactly what the dataset holds."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import Server

TOKEN = "s3cret-token"
EX = "http://example.org/"
G1 = EX + "g1"
G2 = EX + "g2"
AUTH = {"Authorization": f"Bearer {TOKEN}"}

SEED = f"""
INSERT DATA {{
  GRAPH <{G1}> {{
    <{EX}alice> a <{EX}Person> ; <{EX}name> "Alice" ; <{EX}knows> <{EX}bob> .
  }}
  GRAPH <{G2}> {{
    <{EX}bob> a <{EX}Person> ; <{EX}name> "Bob" .
  }}
}}
"""


def start(tmp, env: dict[str, str]) -> Server:
    base = {
        "KG_STORE": "memory:",
        "KG_LOAD_BUNDLED_DATA": "false",
        "KG_WORKERS": "1",
        # independent of whether ontology/context.jsonld exists in the checkout
        "KG_JSONLD_CONTEXT": str(tmp / "no-context.jsonld"),
    }
    srv = Server(tmp, "--log-level", "warning", env={**base, **env})
    srv.wait_ready()
    return srv


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A writable server (bearer token set) seeded with two named graphs."""
    srv = start(tmp_path_factory.mktemp("srv"), {"KG_WRITE_TOKEN": TOKEN})
    r = httpx.post(
        srv.url + "/sparql",
        content=SEED,
        headers={**AUTH, "Content-Type": "application/sparql-update"},
    )
    assert r.status_code == 204, r.text
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def readonly(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server with no write token: read-only."""
    srv = start(tmp_path_factory.mktemp("ro"), {})
    yield srv
    srv.stop()


def dump(url: str) -> set[str]:
    """The whole dataset as a set of N-Quads lines, from ``/dump`` (what ``kg dump`` writes)."""
    r = httpx.get(
        url + "/dump",
        params={"format": "nquads"},
        headers={"Accept-Encoding": "identity", "Cache-Control": "no-cache"},
    )
    assert r.status_code == 200, r.text
    return set(r.text.splitlines())
