"""The embedded backend: a pyoxigraph store (on disk or in memory) that this process writes,
and query workers that read in-memory replicas of it.

One writer owns the primary. Every write is computed as a change (quads added and removed)
before anything is committed, passes the gate (SHACL, when one is set), is committed in one
transaction, and is then sent to the replicas in commit order.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import errors, sparqltext
from kg.execute import QueryRequest, QueryResult, run_query
from kg.inference import Inference
from kg.store import wire
from kg.store.base import Change, StoreStats
from kg.store.dumps import stream_dump
from kg.store.layout import known_layout, layout_of, write_layout
from kg.store.primary import open_primary
from kg.store.replica import NQ, Copies, ReplicaDelta, merge_update
from kg.store.writes import apply_atomically, default_graph_change

log = logging.getLogger(__name__)

#: called with (added, removed) before a commit; raises ValidationFailed to refuse it
Gate = Callable[[list[ox.Quad], list[ox.Quad]], Any]


class EmbeddedStore:
    """The embedded store. ``url`` is ``memory:`` or ``oxigraph:///path/to/dir``."""

    capabilities = frozenset({"kill-on-timeout", "workers", "memory-cap", "backup"})

    def __init__(
        self,
        url: str = "memory:",
        *,
        workers: int = 0,
        worker_memory_mb: int = 1024,
        replica_copies: Copies = Copies(default=True, named=True),
        worker_allocator: str = "jemalloc",
        union_default_graph: bool = True,
        row_cap: int = 10_000,
        query_timeout: float = 30.0,
        inferred_graph: str | None = None,
        unmerged_graphs: Sequence[str] = (),
    ) -> None:
        self.url = url
        self.primary, self.path = open_primary(url)
        self.union_default_graph = union_default_graph
        self.row_cap = row_cap
        self.query_timeout = query_timeout
        self.workers = workers
        self.worker_memory_mb = worker_memory_mb
        self.replica_copies = replica_copies  # kg.store.replica.Replica
        self.worker_allocator = worker_allocator  # kg.store.alloc
        self.gate: Gate | None = None
        #: run the SHACL gate in the query workers (killable at the timeout) once they start
        self.gate_in_workers = False
        self.inference = Inference(inferred_graph) if inferred_graph else None
        #: the default graph holds the merge of the named graphs (kept at every commit), so
        #: queries see each triple once however many sources state it
        self.merged_default = union_default_graph
        #: named graphs left out of that merge (validation results)
        self.unmerged_graphs: list[str] = list(unmerged_graphs)
        #: graphs only the store itself writes (entailments, and the unmerged ones)
        self.maintained_graphs: list[str] = [
            *([inferred_graph] if inferred_graph else []),
            *self.unmerged_graphs,
        ]
        #: the rule an on-disk store is known to have been kept under (kg.store.layout)
        self._layout: dict[str, Any] | None = None
        if self.path is not None:
            layout = layout_of(self.merged_default, self.unmerged_graphs)
            self._layout = layout if known_layout(self.path, layout, self.is_empty()) else None
        if self.inference is not None:
            self.inference.skip_default = self.merged_default
        self.pool: Any = None  # a WorkerPool once started
        #: the pool while it starts: commits made meanwhile are handed to it (it sends on
        #: those its dump did not hold), while queries still run here until it is ready
        self._starting: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._commit_lock = threading.Lock()
        self._update_lock: asyncio.Lock | None = None
        self._epoch = secrets.token_hex(4)
        self._n = 0  # commits made
        #: the commit whose data queries are answered from: with workers, once its change has
        #: been handed to them, so that a request that reads a version (its ETag, the result
        #: cache's key) is never answered from the data before it
        self._visible = 0
        self._modified = time.time()
        self._closed = False
        self._local_gate: Gate | None = None

    @property
    def default_is_merge(self) -> bool:
        """Whether the default graph is known to be the merge of the named graphs: always, in
        memory; on disk, where the layout record says so."""
        return self.merged_default and (self.path is None or self._layout is not None)

    # -- identity -----------------------------------------------------------------------
    @property
    def version(self) -> str:
        return f"{self._epoch}-{self._visible}"

    @property
    def last_modified(self) -> float:
        return self._modified

    def is_empty(self) -> bool:
        return not bool(self.primary.query("ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"))

    # -- life cycle ---------------------------------------------------------------------
    async def start(self) -> None:
        """Start the query workers on a dump of the primary (no-op when ``workers == 0``)."""
        from kg.store.pool import WorkerPool

        self._loop = asyncio.get_running_loop()
        self._update_lock = asyncio.Lock()
        if self.workers <= 0 or self.pool is not None:
            return
        if self._starting is not None:
            raise errors.StoreUnavailable("the query workers are already starting")
        pool = WorkerPool(
            self.workers,
            self.worker_memory_mb,
            self.gate_in_workers,
            self.replica_copies,
            self.worker_allocator,
        )
        # the replica rebuilds the default graph only where it is known to be the merge
        merge = list(self.unmerged_graphs) if self.default_is_merge else None
        self._starting = pool
        try:
            await pool.start_from(self.primary, self._commit_lock, lambda: self._n, merge)
            self.pool = pool
        finally:
            self._starting = None
        if self.gate_in_workers:
            self._local_gate, self.gate = self.gate, self._worker_gate

    def _worker_gate(
        self, added: list[ox.Quad], removed: list[ox.Quad]
    ) -> tuple[list[ox.Quad], list[ox.Quad]] | None:
        """Validate a change in a query worker, whose replica holds the pre-change state, so
        the timeout stops a validation that runs too long. Called under the commit lock."""
        loop = self._loop
        if loop is None or self.pool is None or _on_loop(loop):
            return self._local_gate(added, removed) if self._local_gate is not None else None
        message = (
            "gate",
            ox.serialize(added, format=NQ) if added else b"",
            ox.serialize(removed, format=NQ) if removed else b"",
        )
        future = asyncio.run_coroutine_threadsafe(self.pool.call(message, self.query_timeout), loop)
        extra_added, extra_removed = future.result()
        return (
            list(ox.parse(extra_added, format=NQ)) if extra_added else [],
            list(ox.parse(extra_removed, format=NQ)) if extra_removed else [],
        )

    async def stop(self) -> None:
        if self.pool is not None:
            await self.pool.close()
            self.pool = None

    def close(self) -> None:
        """Flush and let go of the primary: on disk, RocksDB's lock goes with the last
        reference, so the store can be opened again, by this process or another."""
        if not self._closed:
            self._closed = True
            with contextlib.suppress(Exception):
                self.primary.flush()
            del self.primary
            # A SPARQL Update parsed by rdflib (pyparsing) leaves dead frames in reference
            # cycles, and one of them holds the store as a local until the cyclic collector
            # runs: run it now, so that RocksDB's lock goes with close() (close is rare)
            if self.path is not None:
                gc.collect()

    # -- reads --------------------------------------------------------------------------
    def _request(self, request: QueryRequest) -> QueryRequest:
        # With the merge kept in the real default graph, the engine needs no union option.
        union = self.union_default_graph and not self.merged_default
        if request.row_cap > self.row_cap or request.union_default_graph != union:
            from dataclasses import replace

            return replace(
                request, row_cap=min(request.row_cap, self.row_cap), union_default_graph=union
            )
        return request

    def query(self, request: QueryRequest) -> QueryResult:
        return run_query(self.primary, self._request(request))

    async def aquery(
        self,
        request: QueryRequest,
        timeout: float | None = None,
        info: sparqltext.Request | None = None,
    ) -> QueryResult:
        """Run ``request``; ``info`` is what ``sparqltext.inspect`` found in its text, when the
        caller already has it (tokenizing once per request, not once per process it crosses).
        """
        request = self._request(request)
        if self.pool is None:
            return await asyncio.to_thread(run_query, self.primary, request, info)
        message = wire.query_message(request, info)
        result: QueryResult = await self.pool.call(message, timeout or self.query_timeout)
        return result

    # -- writes -------------------------------------------------------------------------
    def _commit(
        self,
        added: list[ox.Quad],
        removed: list[ox.Quad],
        created: Sequence[str] = (),
        dropped: Sequence[str] = (),
        expect: int | None = None,
    ) -> Change | None:
        """Gate, commit in one transaction, publish. ``None`` if ``expect`` is stale."""
        with self._commit_lock:
            if expect is not None and expect != self._n:
                return None
            self._refuse_maintained_graphs(added, removed, created, dropped)
            if self.merged_default:  # the default graph is derived: writers name graphs
                added = [q for q in added if not isinstance(q.graph_name, ox.DefaultGraph)]
                removed = [q for q in removed if not isinstance(q.graph_name, ox.DefaultGraph)]
            counts = (len(added), len(removed))  # what the writer asked for, before derived quads
            if self.inference is not None and (added or removed):
                inf_added, inf_removed = self.inference.change(self.primary, added, removed)
                added, removed = added + inf_added, removed + inf_removed
            if self.merged_default and (added or removed):
                dg_added, dg_removed = self._merge_default(added, removed)
                added, removed = added + dg_added, removed + dg_removed
            if self.gate is not None and (added or removed):
                # the gate may return quads of its own to record (Warnings, in their graph)
                extra_added, extra_removed = self.gate(added, removed) or ((), ())
                added, removed = [*added, *extra_added], [*removed, *extra_removed]
            apply_atomically(self.primary, added, removed, created, dropped)
            if self.inference is not None:
                self.inference.committed()
            self._n += 1
            n = self._n
            self._modified = time.time()
            # _starting first: start-up sets self.pool before it clears _starting
            starting = self._starting
            pool = self.pool if self.pool is not None else starting
            if pool is not None and self._loop is not None:
                delta = ReplicaDelta.of(n, added, removed, created, dropped)
                if threading.current_thread() is threading.main_thread() and _on_loop(self._loop):
                    self._publish(pool, delta)
                else:
                    self._loop.call_soon_threadsafe(self._publish, pool, delta)
            else:
                self._visible = n
            graphs = sorted({_graph_name(q) for q in added[:1000]} - {""})
            return Change(f"{self._epoch}-{n}", counts[0], counts[1], tuple(graphs))

    def _publish(self, pool: Any, delta: ReplicaDelta) -> None:
        """On the event loop: hand a committed change to the workers, then answer at its
        version (a request sent to a worker from now on reaches it after the change)."""
        pool.publish(delta)
        self._visible = max(self._visible, delta.version)

    def _merge_default(
        self, added: list[ox.Quad], removed: list[ox.Quad]
    ) -> tuple[list[ox.Quad], list[ox.Quad]]:
        """The default graph's change: it is the merge (a set of triples) of the named graphs.

        An added triple enters it; a removed one leaves it when no named graph holds it after
        the change. Validation results stay in their own graph only.
        """
        keep_out = {ox.NamedNode(g) for g in self.unmerged_graphs}
        return default_graph_change(self.primary, added, removed, keep_out)

    def rebuild_default(self) -> int:
        """Fill the derived default graph from the named graphs (a store from before it)."""
        if not self.merged_default:
            return 0
        with self._commit_lock:
            self.primary.update(
                "DELETE { ?s ?p ?o } WHERE { ?s ?p ?o } ; " + merge_update(self.unmerged_graphs)
            )
            self._n += 1
            self._visible = self._n
        return self._n

    def _refuse_maintained_graphs(
        self,
        added: list[ox.Quad],
        removed: list[ox.Quad],
        created: Sequence[str],
        dropped: Sequence[str],
    ) -> None:
        """The inferred and validation graphs are the store's own: no write may touch them."""
        maintained = set(self.maintained_graphs)
        if not maintained:
            return
        named = {
            str(q.graph_name.value)
            for q in (*added, *removed)
            if isinstance(q.graph_name, ox.NamedNode)
        }
        touched = maintained & (named | set(created) | set(dropped))
        if touched:
            graph = sorted(touched)[0]
            raise errors.UpdateRejected(
                f"the graph {graph} is maintained by the store (entailments or validation "
                "results); it cannot be written"
            )

    def add(self, quads: Iterable[ox.Quad]) -> Change:
        change = self._commit(list(quads), [])
        assert change is not None
        return change

    def bulk_load(self, sources: Sequence[Any]) -> Change:
        """Load files fast and all-or-nothing, without the gate (an operator's choice).

        On disk: a checkpoint copy is bulk-loaded, then swapped in (see ``kg.store.bulk``).
        Only for a store that no server holds, before :meth:`start`.
        """
        from kg.store import bulk

        if self.pool is not None or self._starting is not None:
            raise errors.StoreUnavailable("bulk loads need a store without query workers")
        if self.path is None:
            from kg.loading import read_quads

            return self._commit_unchecked([q for src in sources for q in read_quads(src)])
        inferred = str(self.inference.graph.value) if self.inference else None
        with self._commit_lock:
            new, added = bulk.prepare(
                self.primary,
                self.path,
                sources,
                inferred,
                self.merged_default,
                self.unmerged_graphs,
            )
            del self.primary
            bulk.swap(self.path, new)
            self.primary = ox.Store(str(self.path))
            if self.inference is not None:
                self.inference = Inference(inferred or "")
                self.inference.skip_default = self.merged_default
            self._n += 1
            self._visible = self._n
            self._modified = time.time()
            return Change(self.version, added, 0)

    def _commit_unchecked(self, quads: list[ox.Quad]) -> Change:
        gate, self.gate = self.gate, None
        try:
            return self.add(quads)
        finally:
            self.gate = gate

    def replace_graph(self, graph: str, quads: Iterable[ox.Quad]) -> Change:
        g = ox.NamedNode(graph)
        new = [ox.Quad(q.subject, q.predicate, q.object, g) for q in quads]
        with self._commit_lock:  # re-entrant use below is avoided by reading first
            old = list(self.primary.quads_for_pattern(None, None, None, g))
        new_set = set(new)
        old_set = set(old)
        change = self._commit(
            [q for q in new if q not in old_set],
            [q for q in old if q not in new_set],
            created=() if old or new else (graph,),
        )
        assert change is not None
        return change

    def drop_graph(self, graph: str) -> Change:
        g = ox.NamedNode(graph)
        if not self.primary.contains_named_graph(g):
            raise errors.KgError(f"no graph {graph}", graph=graph)
        old = list(self.primary.quads_for_pattern(None, None, None, g))
        change = self._commit([], old, dropped=(graph,))
        assert change is not None
        return change

    async def aupdate(
        self,
        update: str,
        *,
        using_graph_uris: Sequence[str] = (),
        using_named_graph_uris: Sequence[str] = (),
        timeout: float | None = None,
        allow: Sequence[str] = (),
    ) -> Change:
        """Compute the update's change where the timeout can stop it, then commit it."""
        info = sparqltext.inspect(update)
        target = info.outbound(tuple(allow))
        if target is not None:
            raise errors.Forbidden(
                f"this service does not fetch remote data ({target})", target=target
            )
        options: dict[str, Any] = {
            "union_default_graph": self.union_default_graph,
            "using_graph_uris": tuple(using_graph_uris),
            "using_named_graph_uris": tuple(using_named_graph_uris),
        }
        assert self._update_lock is not None, "call start() first"
        async with self._update_lock:
            for _ in range(5):
                expect = self._n
                if self.pool is not None:
                    computed = await self.pool.call(
                        ("update", update, options), timeout or self.query_timeout
                    )
                else:
                    from kg.store.changes import delta_for_update

                    computed = await asyncio.to_thread(
                        delta_for_update, self.primary, update, **options
                    )
                added, removed, created, dropped = computed.quads()
                change = await asyncio.to_thread(
                    self._commit, added, removed, created, dropped, expect
                )
                if change is not None:
                    return change
        raise errors.StoreUnavailable("the store kept changing during the update; try again")

    # -- whole-store operations ---------------------------------------------------------
    def graphs(self) -> list[str]:
        return sorted(
            str(g.value) for g in self.primary.named_graphs() if isinstance(g, ox.NamedNode)
        )

    def dump(
        self, format: ox.RdfFormat = NQ, graph: str | None = None, include_inferred: bool = False
    ) -> Iterator[bytes]:
        """Stream the dataset (or one graph) in ``format``, 64 KiB at a time.

        The inferred graph is left out of a whole-dataset dump unless ``include_inferred``.
        """
        skip = self.inference.graph if self.inference and not include_inferred else None
        # the merge is derived: a load rebuilds it, so a dump leaves it out
        return stream_dump(self.primary, format, graph, skip, self.merged_default)

    def _rows(self, sparql: str) -> list[ox.QuerySolution]:
        result = self.primary.query(sparql)
        assert isinstance(result, ox.QuerySolutions)
        return list(result)

    def stats(self) -> StoreStats:
        count = (
            "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"  # the merge: each triple once
            if self.merged_default
            else "SELECT (COUNT(*) AS ?n) { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
        )
        triples = int(self._rows(count)[0]["n"].value)
        graphs = len(self.graphs())
        per_class = (
            "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) { GRAPH ?g { ?s a ?c } } "
            "GROUP BY ?c ORDER BY DESC(?n) ?c"
        )
        classes = [(str(row["c"].value), int(row["n"].value)) for row in self._rows(per_class)]
        return StoreStats(triples, graphs, classes)

    def backup(self, dest: str | Path) -> None:
        """A consistent copy of the on-disk store (a RocksDB checkpoint, hard links)."""
        dest = Path(dest)
        if self.path is None:
            dest.parent.mkdir(parents=True, exist_ok=True)
            self.primary.dump(str(dest), NQ)
            return
        if dest.exists() and any(dest.iterdir()):
            raise errors.InputError(f"{dest} exists and is not empty")
        self.primary.backup(str(dest))
        if self._layout is not None:  # the copy was kept under the same rule
            write_layout(dest, self._layout)


def _graph_name(quad: ox.Quad) -> str:
    g = quad.graph_name
    return "" if isinstance(g, ox.DefaultGraph) else str(g.value)


def _on_loop(loop: asyncio.AbstractEventLoop) -> bool:
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False
