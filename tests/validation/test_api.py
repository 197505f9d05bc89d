"""POST /validate through the app."""

import time

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph
from rdflib.namespace import SH

from api.app import create_app
from kg.config import Settings


@pytest.fixture(scope="module")
def client():
    app = create_app(Settings(store="memory:", workers=0, load_bundled_data=False))
    with TestClient(app) as c:
        yield c


def test_validate_json_summary_and_conneg(client):
    data = "<http://e/x> a <http://e/C> ."
    shapes = (
        "@prefix sh: <http://www.w3.org/ns/shacl#> . <http://e/S> a sh:NodeShape ; "
        "sh:targetClass <http://e/C> ; sh:property [ sh:path <http://e/p> ; sh:minCount 1 ] ."
    )
    r = client.post("/validate", json={"data": data, "format": "turtle", "shapes": shapes})
    assert r.status_code == 200 and r.json()["conforms"] is False
    r = client.post(
        "/validate",
        files={"data": ("d.ttl", data, "text/turtle"), "shapes": ("s.ttl", shapes, "text/turtle")},
        headers={"accept": "text/turtle"},
    )
    g = Graph().parse(data=r.text, format="turtle")
    assert len(list(g.subjects(RDF.type, SH.ValidationResult))) == 1


def test_refusals_are_problems(client):
    r = client.post(
        "/validate",
        json={
            "data": "<a:b> <a:c> <a:d> .",
            "shapes": "<x:s> <http://www.w3.org/2002/07/owl#imports> <http://e/o> .",
        },
    )
    assert r.status_code == 403 and r.headers["content-type"] == "application/problem+json"
    r = client.post("/validate", json={"data": "not rdf ."})
    assert r.status_code == 400
    r = client.post(
        "/validate", content=b"x" * (6 * 1024 * 1024), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413


CARTESIAN_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
  sh:sparql [ sh:select "SELECT $this WHERE { $this ?p ?o . ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?q }" ] .
"""
CARTESIAN_DATA = "\n".join(
    f"<http://e/x{i}> a <http://e/C> ; <http://e/v> {i} ." for i in range(40)
)


def _runaway(client, **extra):
    t0 = time.monotonic()
    r = client.post("/validate", json={"data": CARTESIAN_DATA, "shapes": CARTESIAN_SHAPES, **extra})
    return r, time.monotonic() - t0


def test_runaway_sparql_shape_is_stopped_at_the_clients_limit(client):
    r, took = _runaway(client, timeout=2)
    assert r.status_code == 503, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert "2 s" in r.json()["detail"]
    assert took < 15  # stopped by the 2 s limit, not the server's 20 s one
    # the service keeps answering
    ok = client.post("/validate", json={"data": "<http://e/a> <http://e/b> <http://e/c> ."})
    assert ok.status_code == 200 and ok.json()["conforms"] is True


def test_the_server_limit_caps_what_a_client_asks(client):
    state = client.app.fastapi.state
    state.validate_timeout = 2
    try:
        r, took = _runaway(client, timeout=600)
    finally:
        del state.validate_timeout
    assert r.status_code == 503 and "2 s" in r.json()["detail"], r.text
    assert took < 15
    bad = client.post(
        "/validate", json={"data": "<http://e/a> <http://e/b> 1 .", "timeout": "soon"}
    )
    assert bad.status_code == 400
