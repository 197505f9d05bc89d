"""Reading RDF files into quads, with errors that name the file, line and column.

Every triple lands in a named graph: the one a TriG or N-Quads file gives it, else ``graph``,
else a graph named after the file (``file:///abs/path``), so "who says so?" always has an
answer. Blank node labels are made fresh per file, so ``_:b1`` in two files is two nodes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import RdfSyntaxError
from kg.formats import Format, rdf_format_for

_POS = re.compile(r"line (\d+) column (\d+)")


@dataclass(frozen=True)
class Source:
    """One input: a file (``path``) or bytes (``data`` with a ``name`` for messages)."""

    name: str
    format: Format
    path: Path | None = None
    data: bytes | None = None
    graph: str | None = None
    base_iri: str | None = None

    @classmethod
    def file(cls, path: str | Path, format: str | None = None, graph: str | None = None) -> Source:
        p = Path(path)
        return cls(
            str(p),
            rdf_format_for(str(p), format),
            path=p,
            graph=graph,
            base_iri=p.resolve().as_uri(),
        )

    def target_graph(self) -> ox.NamedNode:
        if self.graph:
            return ox.NamedNode(self.graph)
        if self.path is not None:
            return ox.NamedNode(self.path.resolve().as_uri())
        raise RdfSyntaxError(f"{self.name}: triples outside a named graph need a target graph")


def read_quads(source: Source) -> Iterator[ox.Quad]:
    """Parse ``source``; raise :class:`RdfSyntaxError` naming file, line and column."""
    fmt = source.format.rdf
    assert fmt is not None
    kwargs: dict[str, object] = {"format": fmt}
    if source.base_iri:
        kwargs["base_iri"] = source.base_iri
    if source.path is not None:
        kwargs["path"] = str(source.path)
    else:
        kwargs["input"] = source.data or b""
    default_target: ox.NamedNode | None = None
    fresh: dict[str, ox.BlankNode] = {}

    def relabel(term: object) -> object:
        if isinstance(term, ox.BlankNode):
            node = fresh.get(term.value)
            if node is None:
                node = fresh[term.value] = ox.BlankNode()
            return node
        return term

    try:
        for quad in ox.parse(**kwargs):  # type: ignore[arg-type]
            s, p, o, g = quad.subject, quad.predicate, quad.object, quad.graph_name
            if isinstance(g, ox.DefaultGraph):
                if default_target is None:
                    default_target = source.target_graph()
                g = default_target
            if (
                isinstance(s, ox.BlankNode)
                or isinstance(o, ox.BlankNode)
                or isinstance(g, ox.BlankNode)
            ):
                s, o, g = relabel(s), relabel(o), relabel(g)
            yield ox.Quad(s, p, o, g)
    except SyntaxError as exc:
        raise rdf_syntax_error(exc, source.name) from None
    except OSError as exc:
        raise RdfSyntaxError(f"{source.name}: {exc.strerror or exc}", file=source.name) from None


def rdf_syntax_error(exc: SyntaxError, name: str) -> RdfSyntaxError:
    message = str(exc.args[0]) if exc.args else str(exc)
    line, column = exc.lineno, exc.offset
    if line is None:
        m = _POS.search(message)
        if m:
            line, column = int(m.group(1)), int(m.group(2))
    where = f"{name}:{line}:{column}" if line is not None else name
    return RdfSyntaxError(f"{where}: {message}", file=name, line=line, column=column)
