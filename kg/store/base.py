"""The store interface: what every backend (embedded Oxigraph, a remote SPARQL server) offers.

It speaks in SPARQL text, RDF bytes and pyoxigraph's model terms (``Quad``, ``NamedNode``),
which any backend can produce by parsing; nothing in it is specific to the embedded engine.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import pyoxigraph as ox

from kg.execute import QueryRequest, QueryResult


@dataclass(frozen=True)
class Change:
    """What one committed write did."""

    version: str
    added: int = 0
    removed: int = 0
    graphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoreStats:
    triples: int
    graphs: int
    classes: list[tuple[str, int]] = field(default_factory=list)


@runtime_checkable
class Store(Protocol):
    """A quad store with SPARQL 1.1; writes are all-or-nothing; one writer at a time."""

    #: names of optional abilities, e.g. ``"kill-on-timeout"``, ``"workers"``, ``"backup"``
    capabilities: frozenset[str]

    @property
    def version(self) -> str:
        """A tag that changes with every commit (and every restart)."""

    @property
    def last_modified(self) -> float:
        """Time (epoch seconds) of the last commit, or of opening."""

    async def start(self) -> None:
        """Start background parts (query workers); queries work without it, in process."""

    def query(self, request: QueryRequest) -> QueryResult:
        """Run a query in the caller's thread, without a timeout (CLI, tests)."""

    async def aquery(
        self, request: QueryRequest, timeout: float | None = None, info: Any = None
    ) -> QueryResult:
        """Run a query where its timeout can stop it."""

    async def aupdate(
        self,
        update: str,
        *,
        using_graph_uris: Sequence[str] = (),
        using_named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
    ) -> Change:
        """Apply a SPARQL Update as one transaction."""

    def add(self, quads: Iterable[ox.Quad]) -> Change:
        """Add quads in one transaction."""

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> Change:
        """Replace a named graph's content in one transaction (creates it if absent)."""

    def drop_graph(self, graph: str) -> Change:
        """Remove a named graph and its quads."""

    def graphs(self) -> list[str]:
        """The named graphs."""

    def dump(self, format: ox.RdfFormat, graph: str | None = None) -> Iterator[bytes]:
        """The dataset (or one graph) serialized, in chunks."""

    def stats(self) -> StoreStats:
        """Triples, graphs and instances per class."""

    def close(self) -> None:
        """Release the store; safe to call twice."""
