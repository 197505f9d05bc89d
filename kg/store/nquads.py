"""N-Quads of a store written by Oxigraph graph by graph, without a Python object per quad.

``Store.dump`` of a whole dataset reads it in one thread, and serializing quads gathered in
Python (to leave a graph out) costs a Python object per quad. Dumping one graph at a time as
N-Triples, and appending the graph's name to each line, gives the same N-Quads for any choice
of graphs, from several threads at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import pyoxigraph as ox

NT = ox.RdfFormat.N_TRIPLES


class Sink(Protocol):
    def write(self, data: bytes, /) -> int: ...


class NamedLines:
    """A writer that takes one graph's N-Triples and writes them as N-Quads of ``graph``.

    Every N-Triples line, as Oxigraph writes it, ends with `` .\\n``, and no term can hold a
    raw line break (N-Triples escapes it), so each line ending is a statement's end.
    """

    def __init__(self, out: Sink, graph: ox.NamedNode | ox.BlankNode) -> None:
        self.out = out
        self.end = f" {graph} .\n".encode()
        self.tail = b""

    def write(self, chunk: bytes) -> int:
        data = self.tail + bytes(chunk)
        cut = data.rfind(b"\n") + 1
        self.tail = data[cut:]
        if cut:
            self.out.write(data[:cut].replace(b" .\n", self.end))
        return len(chunk)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        if self.tail:
            raise ValueError(f"a dump ended inside a statement: {self.tail[:80]!r}")


def write_nquads(
    store: ox.Store,
    out: Sink,
    graphs: Iterable[ox.NamedNode | ox.BlankNode],
    with_default: bool = False,
) -> None:
    """Write the default graph (when ``with_default``) and then ``graphs`` to ``out``."""
    if with_default:
        store.dump(out, format=NT, from_graph=ox.DefaultGraph())  # type: ignore[arg-type]
    for graph in graphs:
        lines = NamedLines(out, graph)
        store.dump(lines, format=NT, from_graph=graph)  # type: ignore[arg-type]
        lines.close()
