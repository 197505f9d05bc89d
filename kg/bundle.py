"""The bundled graph: the ontology and the curated data shipped with the package."""

from __future__ import annotations

from pathlib import Path

from kg.loading import Source
from kg.resources import bundled


def bundled_sources(base_iri: str) -> list[Source]:
    """The ontology (in its own named graph) and every TriG file of ``data/``, in order."""
    sources: list[Source] = []
    ontology = bundled("ontology") / "osec.ttl"
    if ontology.is_file():
        sources.append(Source.file(ontology, graph=base_iri + "graph/ontology"))
    data: Path = bundled("data")
    if data.is_dir():
        sources.extend(Source.file(p) for p in sorted(data.glob("*.trig")))
    return sources
