"""Warnings and Infos of committed changes, kept as data in the validation graph.

A Violation refuses a change; Warnings and Infos let it through, and are recorded here so
entity pages and queries can show them. Each result becomes a ``sh:ValidationResult`` in one
named graph (:data:`VALIDATION_GRAPH` by default) with a stable IRI derived from what it says,
so recording the same report twice changes nothing::

    SELECT ?focus ?message WHERE {
      GRAPH <https://w3id.org/osec-kg/graph/validation> {
        ?r sh:focusNode ?focus ; sh:resultSeverity sh:Warning ; sh:resultMessage ?message } }

:func:`record_delta` turns a gate report into the quads to add and remove: the results the
report's checked focus nodes had are replaced by the new ones (all results after a full
validation). The store commits that delta in the same transaction as the change it belongs to.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib.namespace import SH

from kg.validation.report import ValidationReport, ValidationResult

VALIDATION_GRAPH = "https://w3id.org/osec-kg/graph/validation"
Delta = tuple[list[ox.Quad], list[ox.Quad]]

_SH = str(SH)
_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_FOCUS = ox.NamedNode(_SH + "focusNode")


def term(n3: str) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The term an N3/Turtle form names, read by Oxigraph's parser (ill-typed literals kept)."""
    if n3.startswith("<") and n3.endswith(">"):
        return ox.NamedNode(n3[1:-1])
    if n3.startswith("_:"):
        return ox.BlankNode(n3[2:])
    quad = next(iter(ox.parse(f"<x:s> <x:p> {n3} .", format=ox.RdfFormat.TURTLE)))
    obj = quad.object
    assert isinstance(obj, ox.Literal | ox.NamedNode | ox.BlankNode)
    return obj


def result_iri(graph: str, r: ValidationResult) -> ox.NamedNode:
    key = "\x1f".join(
        x or "" for x in (r.focus_node, r.source_shape, r.component, r.path, r.value, r.severity)
    )
    return ox.NamedNode(f"{graph}/result/{hashlib.sha1(key.encode()).hexdigest()[:20]}")


def result_quads(results: Iterable[ValidationResult], graph: str) -> list[ox.Quad]:
    """Quads describing ``results`` (Violations included if given) in ``graph``.

    Blank-node shapes and paths are left out: their labels mean nothing outside one report.
    """
    g = ox.NamedNode(graph)
    out: list[ox.Quad] = []
    for r in results:
        node = result_iri(graph, r)

        def add(
            p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal, node: ox.NamedNode = node
        ) -> None:
            out.append(ox.Quad(node, ox.NamedNode(_SH + p), o, g))

        out.append(ox.Quad(node, _TYPE, ox.NamedNode(_SH + "ValidationResult"), g))
        add("focusNode", term(r.focus_node))
        add("resultSeverity", ox.NamedNode(_SH + r.severity))
        add("sourceConstraintComponent", ox.NamedNode(_SH + r.component))
        if r.source_shape and not r.source_shape.startswith("_:"):
            add("sourceShape", term(r.source_shape))
        if r.path:
            add("resultPath", term(r.path))
        if r.value is not None:
            add("value", term(r.value))
        add("resultMessage", ox.Literal(r.text, language="en"))
    return out


def record_delta(store: ox.Store, report: ValidationReport, graph: str = VALIDATION_GRAPH) -> Delta:
    """What to add to and remove from ``graph`` so it holds ``report``'s Warnings and Infos.

    The results of the focus nodes the report checked (``report.checked``; every result when
    it is ``None``, a full validation) are replaced. Violations are not recorded: a report with
    one refuses its change.
    """
    g = ox.NamedNode(graph)
    if report.checked is None:
        stale = {q.subject for q in store.quads_for_pattern(None, _TYPE, None, g)}
    else:
        stale = {
            q.subject
            for n3 in report.checked
            for q in store.quads_for_pattern(None, _FOCUS, term(n3), g)
        }
    old = {q for s in stale for q in store.quads_for_pattern(s, None, None, g)}
    new = set(result_quads((r for r in report.results if r.severity != "Violation"), graph))
    return sorted(new - old, key=str), sorted(old - new, key=str)
