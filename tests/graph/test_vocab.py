"""kg/vocab.py is generated from the ontology and stays in step with it."""

from __future__ import annotations

import subprocess
import sys

import pytest
import rdflib
from rdflib import RDF

from kg import vocabgen

from .conftest import ONTOLOGY, ROOT


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
