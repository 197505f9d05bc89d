"""Dumps of a store streamed in chunks: a thread writes, the consumer iterates."""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Iterator

import pyoxigraph as ox

from kg.store.nquads import write_nquads

NQ = ox.RdfFormat.N_QUADS


class ChunkWriter:
    """A file-like sink that hands chunks to a consumer thread-safely, with back-pressure."""

    def __init__(self) -> None:
        self.chunks: queue.Queue[bytes | BaseException | None] = queue.Queue(maxsize=8)
        self._buf = bytearray()

    def write(self, data: bytes) -> int:
        self._buf += data
        if len(self._buf) >= 1 << 16:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buf:
            self.chunks.put(bytes(self._buf))
            self._buf.clear()


def stream_dump(
    primary: ox.Store,
    format: ox.RdfFormat,
    graph: str | None = None,
    skip: ox.NamedNode | None = None,
    derived_default: bool = False,
) -> Iterator[bytes]:
    """``primary`` (or its graph ``graph``) in ``format``, 64 KiB at a time, leaving out the
    graph ``skip`` and, when ``derived_default``, the default graph."""
    sink = ChunkWriter()

    def write() -> None:
        if graph is not None:
            primary.dump(sink, format=format, from_graph=ox.NamedNode(graph))  # type: ignore[arg-type]
            return
        graphs = [g for g in primary.named_graphs() if g != skip]
        if (skip is None or not primary.contains_named_graph(skip)) and not derived_default:
            primary.dump(sink, format=format)  # type: ignore[arg-type]
            return
        if format == NQ:  # graph by graph in Oxigraph, no Python object per quad
            write_nquads(primary, sink, graphs, with_default=not derived_default)
            return
        parts = [primary.quads_for_pattern(None, None, None, g) for g in graphs]
        if not derived_default:
            parts.insert(0, primary.quads_for_pattern(None, None, None, ox.DefaultGraph()))
        ox.serialize(itertools.chain(*parts), sink, format=format)  # type: ignore[arg-type]

    def produce() -> None:
        try:
            write()
            sink.flush()
            sink.chunks.put(None)
        except BaseException as exc:  # handed to the consumer
            sink.chunks.put(exc)

    threading.Thread(target=produce, daemon=True).start()
    while True:
        item = sink.chunks.get()
        if item is None:
            return
        if isinstance(item, BaseException):
            raise item
        yield item
