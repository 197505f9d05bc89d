"""The shapes catch bad data: each file in invalid/ breaks a rule and must be reported.

Each file starts with comment lines ``# expect: <focus> <path> <severity>``; ``ex:kind/slug``
stands for ``https://w3id.org/osec-kg/id/kind/slug`` and ``-`` for no path (node-level or
SPARQL-based constraints). The file is validated alone.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import SH

from .conftest import BASE, SHAPES, translated_sparql_once

INVALID = Path(__file__).parent / "invalid"
FLOOR = 100
CURIES = {
    "ex": BASE + "id/",
    "osec": BASE + "ontology#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
}


def expand(curie: str, case: str) -> rdflib.URIRef | None:
    if curie == "-":
        return None
    prefix, local = curie.split(":", 1)
    iri = CURIES[prefix] + local
    return rdflib.URIRef(rename(iri, case))


def rename(iri: str, case: str) -> str:
    """Give each file its own entity IRIs, so that all files can be validated in one run."""
    ids = BASE + "id/"
    return f"{ids}{case}/{iri[len(ids) :]}" if iri.startswith(ids) else iri


def expectations(path: Path) -> list[tuple]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect: "):
            focus, prop, severity = line[len("# expect: ") :].split()
            out.append((expand(focus, path.stem), expand(prop, path.stem), SH[severity]))
    return out


def cases() -> list[Path]:
    return sorted(INVALID.glob("*.trig")) + sorted(INVALID.glob("*.ttl"))


def load(path: Path) -> rdflib.Graph:
    ds = rdflib.Dataset()
    ds.parse(path, format="trig" if path.suffix == ".trig" else "turtle")
    data = rdflib.Graph()

    def term(t):
        return rdflib.URIRef(rename(str(t), path.stem)) if isinstance(t, rdflib.URIRef) else t

    for s, p, o, _g in ds.quads((None, None, None, None)):
        data.add((term(s), p, term(o)))
    return data


@pytest.fixture(scope="module")
def results() -> dict[str, set[tuple]]:
    """All files validated in one pyshacl run (their IRIs kept apart), results grouped by file."""
    data = rdflib.Graph()
    for path in cases():
        data += load(path)
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    with translated_sparql_once():
        _ok, report, _text = pyshacl.validate(
            data, shacl_graph=shapes, advanced=True, inference="none", allow_warnings=True
        )
    grouped: dict[str, set[tuple]] = {p.stem: set() for p in cases()}
    ids = BASE + "id/"
    for r in report.objects(None, SH.result):
        focus = report.value(r, SH.focusNode)
        case = str(focus)[len(ids) :].split("/", 1)[0]
        grouped.setdefault(case, set()).add(
            (focus, report.value(r, SH.resultPath), report.value(r, SH.resultSeverity))
        )
    return grouped


def test_the_suite_has_not_shrunk() -> None:
    assert len(cases()) >= FLOOR, f"only {len(cases())} invalid files"


@pytest.mark.parametrize("path", cases(), ids=lambda p: p.stem)
def test_invalid_file_is_rejected_as_expected(path: Path, results: dict[str, set[tuple]]) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} states no expectation"
    found = results[path.stem]
    for focus, prop, severity in expected:
        hits = {f for f in found if f[0] == focus and f[1] == prop and f[2] == severity}
        assert hits, f"{path.name}: no {severity} on {focus} {prop}; got {sorted(map(str, found))}"
    # the file breaks its rule and nothing else at that severity
    stray = {f for f in found if f[2] == SH.Violation} - set(expected)
    assert not stray, f"{path.name}: other violations {sorted(map(str, stray))}"


def test_one_file_alone_gives_the_same_result(results: dict[str, set[tuple]]) -> None:
    # the merged run must not differ from validating a file on its own
    path = INVALID / "vote-exceeds-committee-size.trig"
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    with translated_sparql_once():
        _ok, report, _text = pyshacl.validate(
            load(path), shacl_graph=shapes, advanced=True, inference="none", allow_warnings=True
        )
    alone = {
        (
            report.value(r, SH.focusNode),
            report.value(r, SH.resultPath),
            report.value(r, SH.resultSeverity),
        )
        for r in report.objects(None, SH.result)
    }
    assert alone == results[path.stem]
