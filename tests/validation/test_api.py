"""POST /validate through the app."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, BNode, Graph, Namespace
from rdflib.namespace import SH

from api.app import create_app
from api.validate import router
from kg.config import Settings

CORE = Path("/work/shared/conformance/shacl-w3c-tests/core")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")
FLOOR = 97


@pytest.fixture(scope="module")
def client():
    app = create_app(Settings(store="memory:", workers=0, load_bundled_data=False))
    app.fastapi.include_router(router)
    with TestClient(app) as c:
        yield c


def _cases():
    out = []
    for f in sorted(CORE.rglob("*.ttl")):
        g = Graph().parse(f, format="turtle")
        for t in g.subjects(RDF.type, SHT.Validate):
            out.append((f, g, t))
    return out


def _keys(g: Graph):
    keys = set()
    for r in g.subjects(RDF.type, SH.ValidationResult):
        row = []
        for p in (
            SH.focusNode,
            SH.resultPath,
            SH.resultSeverity,
            SH.sourceConstraintComponent,
            SH.value,
        ):
            v = g.value(r, p)
            row.append(None if isinstance(v, BNode) else v)
        keys.add(tuple(row))
    return keys


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
