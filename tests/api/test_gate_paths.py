"""Invalid data through every write path is refused whole: the store is left identical and
the report names the failing focus node and path."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from kg.config import Settings
from tests.conftest import ROOT

OSEC = "https://w3id.org/osec-kg/ontology#"
BAD_NODE = "http://example.org/bad-org"
BAD_TTL = f'<{BAD_NODE}> <{OSEC}wikidataId> "X12" .\n'
TOKEN = {"authorization": "Bearer t0ken"}


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings(store="memory:", workers=1, write_token="t0ken"))) as c:
        yield c


def dump(client) -> bytes:
    r = client.get("/dump", params={"format": "nquads"})
    assert r.status_code == 200
    return r.content


def assert_report(r) -> None:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    text = r.text
    assert BAD_NODE in text and "wikidataId" in text


def test_sparql_update(client):
    before = dump(client)
    r = client.post(
        "/sparql",
        data={"update": f"INSERT DATA {{ GRAPH <http://example.org/g> {{ {BAD_TTL} }} }}"},
        headers=TOKEN,
    )
    assert_report(r)
    assert dump(client) == before


def test_graph_store_put_and_post(client):
    before = dump(client)
    for method in ("PUT", "POST"):
        r = client.request(
            method,
            "/rdf-graphs",
            params={"graph": "http://example.org/g"},
            content=BAD_TTL,
            headers={**TOKEN, "content-type": "text/turtle"},
        )
        assert_report(r)
    assert dump(client) == before


def test_valid_write_passes(client):
    ok = f'<{BAD_NODE}> <{OSEC}wikidataId> "Q12" .\n'
    r = client.put(
        "/rdf-graphs",
        params={"graph": "http://example.org/ok"},
        content=ok,
        headers={**TOKEN, "content-type": "text/turtle"},
    )
    assert r.status_code in (201, 204), r.text


def test_kg_load(tmp_path):
    store = f"oxigraph://{tmp_path / 'store'}"
    env = {**os.environ, "KG_STORE": store}
    good = tmp_path / "good.ttl"
    good.write_text('<http://example.org/a> <http://example.org/p> "x" .\n')
    subprocess.run(
        [sys.executable, "-m", "kg.cli", "load", str(good)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    before = subprocess.run(
        [sys.executable, "-m", "kg.cli", "dump"], env=env, cwd=ROOT, capture_output=True
    ).stdout
    bad = tmp_path / "bad.ttl"
    bad.write_text(BAD_TTL)
    r = subprocess.run(
        [sys.executable, "-m", "kg.cli", "load", str(bad)],
        env={**env, "COLUMNS": "200"},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 1
    assert BAD_NODE in r.stderr + r.stdout and "wikidataId" in r.stderr + r.stdout
    after = subprocess.run(
        [sys.executable, "-m", "kg.cli", "dump"], env=env, cwd=ROOT, capture_output=True
    ).stdout
    assert after == before
    # the operator's explicit way around the gate is logged
    r = subprocess.run(
        [sys.executable, "-m", "kg.cli", "load", "--no-validate", str(bad)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0 and "without SHACL validation" in r.stderr
