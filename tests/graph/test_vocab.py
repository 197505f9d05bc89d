"""kg/vocab.py is generated from the ontology and stays in step with it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import rdflib
from rdflib import RDF
from rdflib.compare import isomorphic

from kg import vocabgen

from .conftest import CONTEXT, DATA, ONTOLOGY, ROOT


def test_vocab_is_up_to_date() -> None:
    generated = vocabgen.render(ONTOLOGY)
    assert (ROOT / "kg" / "vocab.py").read_text(encoding="utf-8") == generated, (
        "kg/vocab.py is stale: run python -m kg.vocabgen"
    )


def test_check_mode_reports_up_to_date() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "kg.vocabgen", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


def test_every_ontology_term_has_a_python_name() -> None:
    from kg.vocab import OSEC

    graph = rdflib.Graph().parse(ONTOLOGY, format="turtle")
    ns = str(OSEC._NS)
    terms = {str(s) for s in graph.subjects(RDF.type, None) if str(s).startswith(ns)}
    assert terms, "no terms found"
    for term in terms:
        assert str(getattr(OSEC, term[len(ns) :])) == term


def test_a_typo_fails() -> None:
    from kg.vocab import OSEC

    assert str(OSEC.TierPlacement).endswith("#TierPlacement")
    with pytest.raises(AttributeError):
        _ = OSEC.TierPlacment


def test_context_is_up_to_date() -> None:
    assert CONTEXT.read_text(encoding="utf-8") == vocabgen.render_context(ONTOLOGY), (
        "ontology/context.jsonld is stale: run python -m kg.vocabgen"
    )


def test_context_names_every_term_once() -> None:
    ctx = json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    graph = rdflib.Graph().parse(ONTOLOGY, format="turtle")
    ns = "https://w3id.org/osec-kg/ontology#"
    for term in {str(s) for s in graph.subjects(RDF.type, None) if str(s).startswith(ns)}:
        name = term[len(ns) :]
        value = ctx[name]
        assert (value if isinstance(value, str) else value["@id"]) == "osec:" + name
    clashes = set(vocabgen.CONTEXT_EXTRA) & {
        str(s)[len(ns) :] for s in graph.subjects(RDF.type, None) if str(s).startswith(ns)
    }
    assert not clashes


@pytest.mark.parametrize(
    "name", ["inocencio-2025-guest-essay.trig", "congress-legislators-dfa9622.trig"]
)
def test_context_round_trips_the_data(name: str) -> None:
    ds = rdflib.Dataset()
    ds.parse(DATA / name, format="trig")
    graph = rdflib.Graph()
    for s, p, o, _g in ds.quads((None, None, None, None)):
        graph.add((s, p, o))
    ctx = json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    text = graph.serialize(format="json-ld", context=ctx, auto_compact=True)
    doc = json.loads(text)
    back = rdflib.Graph().parse(data=json.dumps({**doc, "@context": ctx}), format="json-ld")
    assert isomorphic(graph, back)
    assert '"prefLabel"' in text or '"label"' in text
