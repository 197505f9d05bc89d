"""A query worker's replica of the store, and the change a commit made, in the form replicas
apply it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import sparqltext
from kg.store.nquads import write_nquads

if TYPE_CHECKING:
    from kg.execute import QueryRequest

NQ = ox.RdfFormat.N_QUADS


def merge_update(unmerged: Sequence[str] = ()) -> str:
    """The update that adds to the default graph every triple of the named graphs but
    ``unmerged``: the merge a store with a derived default graph keeps there."""
    where = ""
    if unmerged:
        where = " FILTER(?g NOT IN (" + ", ".join(f"<{g}>" for g in unmerged) + "))"
    return f"INSERT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }}{where} }}"


def dump_for_replica(
    store: ox.Store, directory: Path, with_default: bool = True, parts: int = 2
) -> tuple[list[Path], Path]:
    """Write ``store`` as N-Quads files for a replica, ``parts`` of them, one thread each
    (Oxigraph reads the store without the GIL, and that reading is most of the time), and
    the names of its named graphs, one term a line (N-Quads cannot hold an empty graph).

    ``with_default=False`` leaves out the default graph: a store whose default graph is the
    merge of its named graphs dumps only them, and the replica rebuilds the merge in memory
    (:func:`merge_update`), which is much faster than reading it back from disk.
    Blank node labels are kept, so later deltas name the same nodes.
    """
    graphs = list(store.named_graphs())
    names = directory / "graphs.txt"
    names.write_text("".join(f"{g}\n" for g in graphs))
    paths = [directory / f"replica-{i}.nq" for i in range(max(1, parts))]

    def work(i: int) -> None:
        with paths[i].open("wb") as out:
            write_nquads(store, out, graphs[i :: len(paths)], i == 0 and with_default)

    with ThreadPoolExecutor(len(paths), thread_name_prefix="kg-replica-dump") as pool:
        list(pool.map(work, range(len(paths))))  # an error in any part is raised here
    return paths, names


def read_graph_names(path: str | Path) -> list[ox.NamedNode | ox.BlankNode]:
    """The graph names :func:`dump_for_replica` wrote (``<iri>`` or ``_:label`` a line)."""
    out: list[ox.NamedNode | ox.BlankNode] = []
    for line in Path(path).read_text().splitlines():
        if line.startswith("<") and line.endswith(">"):
            out.append(ox.NamedNode(line[1:-1]))
        elif line.startswith("_:"):
            out.append(ox.BlankNode(line[2:]))
        elif line:
            raise ValueError(f"not a graph name: {line[:80]!r}")
    return out


@dataclass(frozen=True)
class Copies:
    """Which partial copies a replica keeps beside the full store (see :class:`Replica`)."""

    default: bool = False
    named: bool = False


@dataclass(frozen=True)
class ReplicaDelta:
    """Quads removed and added by commit ``version``, as N-Quads (blank node labels kept)."""

    version: int
    added: bytes = b""
    removed: bytes = b""
    created_graphs: tuple[str, ...] = ()
    dropped_graphs: tuple[str, ...] = ()

    @classmethod
    def of(
        cls,
        version: int,
        added: Iterable[ox.Quad] = (),
        removed: Iterable[ox.Quad] = (),
        created_graphs: Iterable[str] = (),
        dropped_graphs: Iterable[str] = (),
    ) -> ReplicaDelta:
        added, removed = list(added), list(removed)
        return cls(
            version,
            ox.serialize(added, format=NQ) or b"" if added else b"",
            ox.serialize(removed, format=NQ) or b"" if removed else b"",
            tuple(created_graphs),
            tuple(dropped_graphs),
        )

    def quads(self) -> tuple[list[ox.Quad], list[ox.Quad]]:
        """The quads removed and added, parsed (blank node labels kept)."""
        return (
            list(ox.parse(self.removed, format=NQ)) if self.removed else [],
            list(ox.parse(self.added, format=NQ)) if self.added else [],
        )

    def apply(
        self,
        store: ox.Store,
        quads: tuple[list[ox.Quad], list[ox.Quad]] | None = None,
        graphs: bool = True,
    ) -> None:
        """Apply to an in-memory store: drops, removals, then creations and additions.

        ``quads``: the (removed, added) quads to apply, when a store takes only part of them;
        ``graphs``: whether graphs are dropped and created (not in a default-graph copy).
        """
        removed, added = quads if quads is not None else self.quads()
        if graphs:
            for g in self.dropped_graphs:
                store.remove_graph(ox.NamedNode(g))
        for quad in removed:
            store.remove(quad)
        if graphs:
            for g in self.created_graphs:
                store.add_graph(ox.NamedNode(g))
        store.extend(added)

    @property
    def size(self) -> int:
        return len(self.added) + len(self.removed)


def _in_default(quad: ox.Quad) -> bool:
    return isinstance(quad.graph_name, ox.DefaultGraph)


class Replica:
    """Every quad of the store in memory and, on request, two partial copies: the default
    graph alone (``default_copy``) and the named graphs alone (``named_copy``).

    Oxigraph's in-memory store, scanning for a pattern in one graph (or in every named
    graph), walks the matching entries of every graph, the default one included. Where the
    default graph holds the merge of the named graphs, a query so visits each triple twice:
    the benchmark's heavy default-graph queries ran 1.3x to 1.5x slower on a store holding
    both than on one holding the default graph alone, and its ``GRAPH ?g`` query 1.4x to
    1.7x slower than on one holding the named graphs alone. A query that can read nothing
    but one part runs on that part's copy.
    """

    def __init__(
        self,
        full: ox.Store,
        default_copy: bool = False,
        named_copy: bool = False,
        merge: Sequence[str] | None = None,
    ) -> None:
        """``merge``: when not None, ``full`` holds the named graphs only, and its default
        graph is first filled with their merge, leaving out the graphs ``merge`` names."""
        self.full = full
        self.default: ox.Store | None = None
        self.named: ox.Store | None = None
        with ThreadPoolExecutor(1, thread_name_prefix="kg-replica-merge") as pool:
            # Oxigraph runs the update without the GIL: the named copy is built meanwhile.
            merging = pool.submit(full.update, merge_update(merge)) if merge is not None else None
            if named_copy:
                self.named = ox.Store()
                for g in full.named_graphs():
                    self.named.add_graph(g)
                    self.named.extend(full.quads_for_pattern(None, None, None, g))
            if merging is not None:
                merging.result()  # its error, if any, is raised here
        if default_copy:
            self.default = ox.Store()
            self.default.extend(full.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def apply(self, delta: ReplicaDelta) -> None:
        """Apply ``delta`` to the full store and to each copy its part (parsed once)."""
        removed, added = delta.quads()
        delta.apply(self.full, (removed, added))
        if self.default is not None:
            default = ([q for q in removed if _in_default(q)], [q for q in added if _in_default(q)])
            delta.apply(self.default, default, graphs=False)
        if self.named is not None:
            named = (
                [q for q in removed if not _in_default(q)],
                [q for q in added if not _in_default(q)],
            )
            delta.apply(self.named, named)

    def for_query(self, request: QueryRequest, info: sparqltext.Request | None = None) -> ox.Store:
        """The store to run ``request`` on (``info``: its text, tokenized, when at hand).

        Only a request without a dataset and without the union option can go to a copy. The
        default-graph copy takes a query with neither GRAPH nor FROM anywhere in its text (a
        blunt test: the word inside an IRI or a literal sends the query to the full store,
        which answers it as well, only slower). The named-graph copy takes a SELECT or ASK
        whose top-level group holds nothing but GRAPH blocks, filters and data
        (:func:`kg.sparqltext.reads_named_graphs_only`).
        """
        if request.default_graph_uris or request.named_graph_uris or request.union_default_graph:
            return self.full
        low = request.query.lower()
        if "graph" not in low and "from" not in low:
            return self.default if self.default is not None else self.full
        if self.named is not None and "graph" in low:
            if info is None or info.text != request.query:
                info = sparqltext.inspect(request.query)
            if sparqltext.reads_named_graphs_only(info):
                return self.named
        return self.full
