"""pyoxigraph terms as rdflib terms, the way the validation reports write them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_XSD_STRING = ox.NamedNode(str(XSD.string))


def to_rdflib(t: object) -> Node:
    """A pyoxigraph term as an rdflib term (``xsd:string`` literals become plain ones)."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        if t.datatype == _XSD_STRING:
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    raise TypeError(f"unsupported term {t!r}")


def to_oxigraph(t: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term."""
    if isinstance(t, URIRef):
        return ox.NamedNode(str(t))
    if isinstance(t, BNode):
        return ox.BlankNode(str(t))
    if isinstance(t, Literal):
        if t.language:
            return ox.Literal(str(t), language=t.language)
        return ox.Literal(str(t), datatype=ox.NamedNode(str(t.datatype or XSD.string)))
    raise TypeError(f"unsupported term {t!r}")


def graph_to_store(triples: object) -> ox.Store:
    """rdflib triples (a Graph) in the default graph of a new in-memory store."""
    st = ox.Store()
    st.extend(
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]
        for s, p, o in triples  # type: ignore[attr-defined]
    )
    return st


def superclasses(c: object, parents: Callable[[object], Iterable[object]], memo: dict) -> set[str]:
    """``c`` and every class above it (IRIs as strings), following ``parents``; memoized."""
    got = memo.get(c)
    if got is None:
        got, todo = set(), [c]
        while todo:
            x = todo.pop()
            if isinstance(x, ox.NamedNode) and x.value not in got:
                got.add(x.value)
                todo += list(parents(x))
        memo[c] = got
    return got
