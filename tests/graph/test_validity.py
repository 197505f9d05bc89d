"""The bundled data conforms to the shapes, and the shapes to SHACL-for-SHACL."""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
import rdflib
from rdflib.namespace import SH

from .conftest import ONTOLOGY, SHAPES, materialize, translated_sparql_once, union_graph

SHACL_SHACL = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"


def validate(data: rdflib.Graph) -> rdflib.Graph:
    # parsed fresh each time: pyshacl mutates its shapes graph
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    with translated_sparql_once():
        _conforms, report, _text = pyshacl.validate(
            data, shacl_graph=shapes, advanced=True, inference="none", allow_warnings=True
        )
    return report


def results(report: rdflib.Graph, severity: rdflib.URIRef) -> list[str]:
    out = []
    for r in report.objects(None, SH.result):
        if report.value(r, SH.resultSeverity) != severity:
            continue
        out.append(
            f"{report.value(r, SH.focusNode)} {report.value(r, SH.resultPath)}: "
            f"{report.value(r, SH.resultMessage)}"
        )
    return sorted(out)


@pytest.fixture(scope="module")
def report(data_graph: rdflib.Graph) -> rdflib.Graph:
    return validate(data_graph)


def test_bundled_data_has_no_violation(report: rdflib.Graph) -> None:
    violations = results(report, SH.Violation)
    assert violations == [], "\n".join(violations)


def test_bundled_data_warnings_are_the_known_ones(report: rdflib.Graph) -> None:
    # Warnings are for curators; pin their number so a new one is noticed.
    warnings = results(report, SH.Warning)
    assert len(warnings) == 40, "\n".join(warnings)


def test_materialized_data_has_no_violation(data_graph: rdflib.Graph, ontology_graph) -> None:
    # The store materializes the subclass/subproperty closure; the shapes must hold there too.
    closed = data_graph + materialize(data_graph, ontology_graph)
    violations = results(validate(closed), SH.Violation)
    assert violations == [], "\n".join(violations)


def test_shapes_conform_to_shacl_shacl() -> None:
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    meta = rdflib.Graph().parse(SHACL_SHACL, format="turtle")
    conforms, _report, text = pyshacl.validate(shapes, shacl_graph=meta, inference="none")
    assert conforms, text


def test_every_data_file_parses_alone() -> None:
    for path in sorted((Path(ONTOLOGY).parents[1] / "data").glob("*.trig")):
        assert len(union_graph([path])) > 0, path
