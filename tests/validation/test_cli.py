"""``kg validate`` as a real process: exit codes per kg.errors, the table, JSON and Turtle."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from kg.store import EmbeddedStore

FIX = Path(__file__).parent / "fixtures"
SHAPES = str(FIX / "shapes.ttl")
EX = "http://example.org/"
# b1 enacted before it was introduced: one lessThan Violation on ex:introduced
BAD = (
    "@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
    'ex:b9 a ex:Bill ; <http://www.w3.org/2000/01/rdf-schema#label> "Stop Act" ;\n'
    '  ex:introduced "2024-01-01"^^xsd:date ; ex:enacted "2023-01-01"^^xsd:date .\n'
)


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", "validate", "--shapes", SHAPES, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


@pytest.fixture(scope="module")
def bad_file(tmp_path_factory) -> Path:
    p = tmp_path_factory.mktemp("cli") / "bad.ttl"
    p.write_text(BAD)
    return p


def test_valid_file_exits_0():
    r = kg(str(FIX / "data.ttl"))
    assert r.returncode == 0, r.stdout + r.stderr
    assert "conforms" in r.stdout


def test_violations_exit_1_with_a_table_naming_entity_and_path(bad_file):
    r = kg(str(FIX / "data.ttl"), str(bad_file))
    assert r.returncode == 1, r.stdout + r.stderr
    row = next(line for line in r.stdout.splitlines() if "Violation" in line)
    assert "Stop Act" in row  # the focus node, by its label
    assert "introduced" in row  # the path
    assert "2024-01-01" in row  # the value


def test_json_format(bad_file):
    r = kg("--format", "json", str(FIX / "data.ttl"), str(bad_file))
    assert r.returncode == 1, r.stderr
    doc = json.loads(r.stdout)
    assert doc["conforms"] is False and doc["violations"] == 1
    (res,) = doc["results"]
    assert res["focus_node"] == f"<{EX}b9>"
    assert res["path"] == f"<{EX}introduced>"
    assert res["component"] == "LessThanConstraintComponent"


def test_turtle_format_is_a_shacl_report(bad_file):
    r = kg("--format", "turtle", str(FIX / "data.ttl"), str(bad_file))
    assert r.returncode == 1, r.stderr
    g = Graph().parse(data=r.stdout, format="turtle")
    report = next(g.subjects(RDF.type, SH.ValidationReport))
    assert g.value(report, SH.conforms).toPython() is False
    (res,) = g.objects(report, SH.result)
    assert g.value(res, SH.focusNode) == URIRef(EX + "b9")
    assert g.value(res, SH.resultPath) == URIRef(EX + "introduced")


def test_warnings_alone_exit_0(tmp_path):
    p = tmp_path / "w.ttl"
    p.write_text("<http://example.org/p9> a <http://example.org/Person> .")
    r = kg("--format", "json", str(p))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["conforms"] is True and doc["shaclConforms"] is False and doc["warnings"] == 1


@pytest.mark.parametrize(
    "args,code,says",
    [
        (["{bad_syntax}"], 1, "bad.ttl"),  # rejected input: cannot be parsed
        (["{missing}"], 1, "no such file"),  # rejected input: nothing to read
        (["--format", "yaml", "{good}"], 1, "unknown format"),
        (["--store", "oxigraph:///{locked}"], 2, "error"),  # not input: the store is busy
    ],
)
def test_errors_follow_kg_errors(tmp_path, args, code, says):
    (tmp_path / "bad.ttl").write_text("<http://e/a> <http://e/b> .")
    locked = EmbeddedStore(f"oxigraph://{tmp_path / 'store'}")
    try:
        paths = {
            "bad_syntax": str(tmp_path / "bad.ttl"),
            "missing": str(tmp_path / "nope.ttl"),
            "good": str(FIX / "data.ttl"),
            "locked": str(tmp_path / "store").lstrip("/"),
        }
        r = kg(*(a.format(**paths) for a in args))
    finally:
        locked.close()
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    assert says in r.stderr
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("valid", [True, False])
def test_whole_store(tmp_path, valid):
    url = f"oxigraph://{tmp_path / 'store'}"
    st = EmbeddedStore(url)  # no gate: the store may hold what the shapes refuse
    g = ox.NamedNode(EX + "g")
    st.primary.load(path=str(FIX / "data.ttl"), format=ox.RdfFormat.TURTLE, to_graph=g)
    if not valid:
        st.primary.add(
            ox.Quad(
                ox.NamedNode(EX + "b1"), ox.NamedNode(EX + "sponsor"), ox.NamedNode(EX + "r1"), g
            )
        )
    st.close()
    r = kg("--store", url, "--format", "json")
    assert r.returncode == (0 if valid else 1), r.stdout + r.stderr
    doc = json.loads(r.stdout)
    assert doc["conforms"] is valid
    if not valid:
        assert [(x["focus_node"], x["component"]) for x in doc["results"]] == [
            (f"<{EX}b1>", "ClassConstraintComponent")
        ]
