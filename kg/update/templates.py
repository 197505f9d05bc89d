"""Quad templates of an update operation, converted from rdflib's parse, and their instantiation.

A template position holds a pyoxigraph term, an ``ox.Variable``, or a ``Label`` (a blank node
label of an ``INSERT`` template, replaced by a fresh blank node per solution). A template
graph of ``None`` means "outside ``GRAPH``": the target depends on ``WITH`` and the mode.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib import Variable as RVariable

from kg.update.errors import UpdateSyntaxError

_PROBE = ox.NamedNode("urn:x-kg:probe")


@dataclass(frozen=True)
class Label:
    """A blank node label in a template."""

    name: str


Position = Any  # ox term | ox.Variable | Label
TemplateQuad = tuple[Position, Position, Position, Position | None]


def canonical(term: ox.Literal) -> ox.Literal:
    """The literal as the store keeps it (Oxigraph normalises numbers, dates, language tags)."""
    scratch = ox.Store()
    scratch.add(ox.Quad(_PROBE, _PROBE, term))
    return next(iter(scratch)).object


def resolver(prologue: str, base_iri: str | None) -> Callable[[str], ox.NamedNode]:
    """Resolve an IRI rdflib left relative, against the request's BASE declarations."""

    def resolve(iri: str) -> ox.NamedNode:
        try:
            return ox.NamedNode(iri)
        except ValueError:
            pass
        doc = f"{prologue}\n<{iri}> <{iri}> <{iri}> ."
        try:
            quad = next(iter(ox.parse(doc, format=ox.RdfFormat.TURTLE, base_iri=base_iri)))
        except (SyntaxError, ValueError, StopIteration) as exc:
            raise UpdateSyntaxError(f"invalid IRI <{iri}>: {exc}") from exc
        return quad.predicate

    return resolve


def convert(term: Any, resolve: Callable[[str], ox.NamedNode] = ox.NamedNode) -> Position:
    """An rdflib term of a parsed template as a template position."""
    if isinstance(term, RVariable):
        return ox.Variable(str(term))
    if isinstance(term, URIRef):
        return resolve(str(term))
    if isinstance(term, BNode):
        return Label(str(term))
    if isinstance(term, Literal):
        try:
            if term.language:
                lit = ox.Literal(str(term), language=term.language)
            elif term.datatype is not None:
                lit = ox.Literal(str(term), datatype=resolve(str(term.datatype)))
            else:
                lit = ox.Literal(str(term))
        except ValueError as exc:
            raise UpdateSyntaxError(f"invalid literal {term.n3()}: {exc}") from exc
        return canonical(lit)
    raise UpdateSyntaxError(f"unsupported term in a template: {term!r}")


def from_parse(
    clause: dict[str, Any] | None, resolve: Callable[[str], ox.NamedNode] = ox.NamedNode
) -> list[TemplateQuad]:
    """Template quads of an rdflib ``quads``/``triples`` clause (``None`` graph: no GRAPH)."""
    if not clause:
        return []
    out: list[TemplateQuad] = []
    for s, p, o in dict.get(clause, "triples") or ():
        out.append((convert(s, resolve), convert(p, resolve), convert(o, resolve), None))
    for g, triples in (dict.get(clause, "quads") or {}).items():
        graph = convert(g, resolve)
        for s, p, o in triples:
            out.append((convert(s, resolve), convert(p, resolve), convert(o, resolve), graph))
    return out


def check_ground(template: Iterable[TemplateQuad], what: str, *, blank_ok: bool) -> None:
    """Reject variables (in data) and blank nodes (in DELETE forms), as the grammar does."""
    for quad in template:
        for pos in quad:
            if isinstance(pos, ox.Variable) and what.endswith("DATA"):
                raise UpdateSyntaxError(f"variables are not allowed in {what}: ?{pos.value}")
            if isinstance(pos, Label) and not blank_ok:
                raise UpdateSyntaxError(f"blank nodes are not allowed in {what}")


def variables(*templates: Iterable[TemplateQuad]) -> list[str]:
    names = {pos.value for t in templates for q in t for pos in q if isinstance(pos, ox.Variable)}
    return sorted(names)


_SUBJECT = (ox.NamedNode, ox.BlankNode)
_OBJECT = (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)


def instantiate(
    template: Iterable[TemplateQuad],
    binding: Mapping[str, Any],
    default: ox.NamedNode | ox.DefaultGraph | None,
    fresh: dict[str, ox.BlankNode] | None,
) -> Iterator[tuple[ox.Triple, ox.NamedNode | ox.DefaultGraph | None]]:
    """Ground triples and their graph for one solution; ill-formed or unbound ones are skipped.

    ``default`` is the graph for triples outside ``GRAPH`` (``None``: every graph, for deletes
    in union mode). ``fresh`` maps blank node labels to this solution's fresh blank nodes.
    """
    for s, p, o, g in template:
        terms = []
        for pos in (s, p, o):
            if isinstance(pos, ox.Variable):
                pos = binding.get(pos.value)
            elif isinstance(pos, Label):
                pos = None if fresh is None else fresh.setdefault(pos.name, ox.BlankNode())
            terms.append(pos)
        ts, tp, to = terms
        graph: Any
        if g is None:
            graph = default
        elif isinstance(g, ox.Variable):
            graph = binding.get(g.value)
            if not isinstance(graph, ox.NamedNode):
                continue
        else:
            graph = g
        if not (isinstance(ts, _SUBJECT) and isinstance(tp, ox.NamedNode)):
            continue
        if not isinstance(to, _OBJECT):
            continue
        yield ox.Triple(ts, tp, to), graph
