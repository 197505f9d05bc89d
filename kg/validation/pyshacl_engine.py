"""pySHACL, the reference engine: shapes read once and checked for network access, the data
as rdflib graphs, SPARQL-based constraints parsed once per text."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rdflib import OWL, Graph, URIRef
from rdflib.namespace import SH

from kg import errors
from kg.validation.terms import to_rdflib

Triple = tuple[Any, Any, Any]

_SERVICE = re.compile(r"\bSERVICE\b|\bLOAD\b", re.I)


class PreparedQueryGraph(Graph):
    """A graph whose SPARQL queries are parsed once per text, not once per call.

    pySHACL runs each ``sh:sparql`` constraint as a query string per focus node with ``$this``
    bound (``initBindings``); rdflib re-parses the text every time (tens of ms each). The
    parsed query is kept (per text and prefix bindings) and evaluated the same way.
    """

    _prepared: dict[tuple[str, tuple[tuple[str, str], ...]], Any] = {}

    def query(
        self,
        query_object: Any,
        processor: Any = "sparql",
        result: Any = "sparql",
        initNs: Any = None,  # noqa: N803
        initBindings: Any = None,  # noqa: N803
        use_store_provided: bool = True,
        **kwargs: Any,
    ) -> Any:
        if isinstance(query_object, str) and processor == "sparql" and not initNs and not kwargs:
            from rdflib.plugins.sparql.processor import prepareQuery

            ns = tuple(sorted((p, str(u)) for p, u in self.namespaces()))
            key = (query_object, ns)
            prepared = self._prepared.get(key)
            if prepared is None:
                prepared = prepareQuery(query_object, initNs=dict(ns))
                if len(self._prepared) < 512:
                    self._prepared[key] = prepared
            query_object = prepared
        return super().query(
            query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
        )


def to_graph(triples: Iterable[Triple]) -> Graph:
    g = PreparedQueryGraph()
    for s, p, o in triples:
        g.add((to_rdflib(s), to_rdflib(p), to_rdflib(o)))
    return g


def check_safe_shapes(shapes: Graph) -> None:
    """Refuse shapes that would reach the network: ``owl:imports`` or SPARQL ``SERVICE``."""
    imp = next(shapes.objects(None, OWL.imports), None)
    if imp is not None:
        raise errors.Forbidden(f"shapes may not use owl:imports ({imp})", target=str(imp))
    for pred in (SH.select, SH.ask, SH.construct, SH.update):
        for q in shapes.objects(None, pred):
            if _SERVICE.search(str(q)):
                raise errors.Forbidden("shapes may not use SERVICE or LOAD in SPARQL")


def load_shapes(
    path: str | Path | None = None, data: str | None = None, fmt: str = "turtle"
) -> Graph:
    """Parse shapes once (default: the bundled ``ontology/shapes.ttl``); never fetch."""
    g = Graph()
    try:
        if data is not None:
            g.parse(data=data, format=fmt)
        else:
            g.parse(str(path or default_shapes_path()), format=fmt)
    except Exception as exc:
        raise errors.RdfSyntaxError(f"cannot read the shapes: {exc}") from None
    check_safe_shapes(g)
    return g


def default_shapes_path() -> Path:
    here = Path(__file__).resolve().parents[2] / "ontology" / "shapes.ttl"
    if here.exists():
        return here
    return Path(__file__).resolve().parents[1] / "_bundled" / "ontology" / "shapes.ttl"


def run_pyshacl(data: Graph, shapes: Graph, focus: list[URIRef] | None = None) -> Graph:
    """pySHACL on ``data``, no inference, no imports; returns the results graph.

    ``focus`` (IRIs only: pySHACL drops blank-node focus nodes) restricts every shape's
    targets to those nodes; it must not be empty, which pySHACL reads as "no restriction".
    """
    from pyshacl import validate

    _, results, _ = validate(
        data,
        shacl_graph=shapes,
        inference="none",
        do_owl_imports=False,
        allow_warnings=False,  # sh:conforms as the spec says; the gate reads the results
        focus_nodes=list(focus) if focus else None,
    )
    return results
