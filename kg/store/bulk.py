"""Fast all-or-nothing loads into an on-disk store: copy, bulk-load the copy, swap.

pyoxigraph's ``bulk_load`` is about twice as fast as its transactional ``load`` but is not
atomic. So the load goes into a checkpoint of the store (``Store.backup`` hard-links the
RocksDB files, so the copy is cheap), and only a finished, flushed copy replaces the store, by
an atomic rename of a symbolic link: ``<dir>/store`` points at ``<dir>/store.<id>``. A crash
at any point leaves either the old store or the new one, never a mixture; a crash after the
copy was finished but before the link moved is completed the next time the store is opened.

The files are read once, in one stream handed to ``bulk_extend``: each quad, its copy in the
default graph (the merge of the named graphs, when the store keeps one) and what it entails
under the store's class and property hierarchy (its quad in the inferred graph and that
quad's copy). Equal quads are stored once, so repeats cost nothing but loader time. The bulk
loader sorts its batches of a million quads on two threads while this one parses. A file that
changes the hierarchy itself (``rdfs:subClassOf`` …) makes the inferred graph recomputed from
the loaded copy instead. The result is what the transactional path commits for the same files:
blank nodes get fresh identities per file, triples outside a named graph land in the source's
target graph (``--graph``, else the file's IRI), and the store's own graphs (entailments,
validation results) cannot be written.
"""

from __future__ import annotations

import gc
import os
import secrets
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox

from kg import errors
from kg.inference import RDF_TYPE, SCHEMA_PREDICATES, Inference
from kg.loading import Source, rdf_syntax_error
from kg.store.writes import default_graph_change


def swap_link(link: Path) -> Path:
    return link.parent / f".{link.name}.swap"


def recover(link: Path) -> None:
    """Finish a swap that a crash interrupted after the new copy was complete."""
    pending = swap_link(link)
    if pending.is_symlink() and not link.exists() and not link.is_symlink():
        os.replace(pending, link)


def swap(link: Path, new: Path) -> None:
    """Make ``link`` point at ``new`` atomically, then remove what it pointed at before."""
    old = link.resolve() if link.exists() else None
    pending = swap_link(link)
    if pending.is_symlink() or pending.exists():
        pending.unlink()
    pending.symlink_to(new.name)
    if link.exists() and not link.is_symlink():  # first swap: the store is a plain folder
        old = link.parent / f"{link.name}.{secrets.token_hex(4)}"
        os.rename(link, old)
    os.replace(pending, link)
    if old is not None and old != new.resolve():
        shutil.rmtree(old, ignore_errors=True)


class _Stream:
    """The quads to bulk-load for ``sources``: each quad with what the store derives from it."""

    def __init__(
        self,
        sources: Sequence[Source],
        inference: Inference | None,
        hierarchy_source: ox.Store,
        merged_default: bool,
        maintained: Sequence[str],
        unmerged: Sequence[str],
    ) -> None:
        self.sources = sources
        self.inference = inference
        self.merged_default = merged_default
        self.maintained = {ox.NamedNode(g) for g in maintained}
        self.unmerged = {ox.NamedNode(g) for g in unmerged}
        self.read = 0  # quads read from the sources
        self.schema_changed = False  # a source states rdfs:subClassOf & co
        #: predicates that need a look: rdf:type, the hierarchy's own, and those it entails
        #: from (0: schema, 1: rdf:type, 2: a sub-property)
        self.watch: dict[ox.NamedNode, int] = {p: 0 for p in SCHEMA_PREDICATES}
        self.classes: dict = {}
        self.properties: dict = {}
        if inference is not None:
            h = inference.hierarchy(hierarchy_source)
            self.classes, self.properties = h.classes, h.properties
            for p in self.properties:
                self.watch.setdefault(p, 2)
            if self.classes:
                self.watch[RDF_TYPE] = 1
            elif self.watch.get(RDF_TYPE) == 2:
                del self.watch[RDF_TYPE]

    def __iter__(self) -> Iterator[ox.Quad]:
        for src in self.sources:
            kwargs: dict[str, object] = {"format": src.format.rdf, "rename_blank_nodes": True}
            if src.path is not None:
                kwargs["path"] = str(src.path)
            else:
                kwargs["input"] = src.data or b""
            if src.base_iri:
                kwargs["base_iri"] = src.base_iri
            try:
                yield from self._quads(src, ox.parse(**kwargs))  # type: ignore[arg-type]
            except SyntaxError as exc:
                raise rdf_syntax_error(exc, src.name) from None
            except OSError as exc:
                raise errors.RdfSyntaxError(
                    f"{src.name}: {exc.strerror or exc}", file=src.name
                ) from None

    def _quads(self, src: Source, parsed: Iterator[ox.Quad]) -> Iterator[ox.Quad]:
        # ``Quad(s, p, o)`` lands in the default graph; passing ``DefaultGraph()`` explicitly
        # costs pyoxigraph several failed conversions (~4 µs a quad, measured)
        quad, default_graph = ox.Quad, ox.DefaultGraph
        target: ox.NamedNode | None = None
        special = self.maintained | self.unmerged
        merged = self.merged_default
        watch, inferred = self.watch, self.inference.graph if self.inference else None
        n = 0
        for q in parsed:
            n += 1
            s, p, o, g = q.subject, q.predicate, q.object, q.graph_name
            if type(g) is default_graph:
                if target is None:
                    target = src.target_graph()
                g = target
                q = quad(s, p, o, g)
            yield q
            if g in special:
                if g in self.maintained:
                    raise errors.UpdateRejected(
                        f"the graph {getattr(g, 'value', g)} is maintained by the store (entailments or "
                        "validation results); it cannot be written"
                    )
            elif merged:
                yield quad(s, p, o)
            kind = watch.get(p)
            if kind is None or inferred is None:
                continue
            if kind == 0:
                self.schema_changed = True
                continue
            supers = self.classes.get(o, ()) if kind == 1 else self.properties.get(p, ())
            for d in supers:
                t = quad(s, RDF_TYPE, d, inferred) if kind == 1 else quad(s, d, o, inferred)
                yield t
                if merged:
                    yield quad(t.subject, t.predicate, t.object)
        self.read += n


def prepare(
    store: ox.Store,
    link: Path,
    sources: Sequence[Source],
    inferred_graph: str | None,
    merged_default: bool = False,
    unmerged: Sequence[str] = (),
) -> tuple[Path, int]:
    """Load ``sources`` into a checkpoint copy of ``store`` (open at ``link``).

    Returns the copy's folder, finished and flushed, and the number of quads read; the caller
    closes ``store`` and calls :func:`swap`. On any error the copy is removed.
    """
    new = link.parent / f"{link.name}.{secrets.token_hex(4)}"
    store.flush()
    store.backup(str(new))
    try:
        copy = ox.Store(str(new))
        inference = None
        if inferred_graph:
            inference = Inference(inferred_graph)
            inference.skip_default = merged_default
        maintained = [*([inferred_graph] if inferred_graph else []), *unmerged]
        stream = _Stream(sources, inference, copy, merged_default, maintained, unmerged)
        collecting = gc.isenabled()
        gc.disable()  # millions of short-lived terms: no cycles to find, only time to lose
        try:
            copy.bulk_extend(stream)
        finally:
            if collecting:
                gc.enable()
        if inference is not None and stream.schema_changed:
            add, remove = inference.recompute(copy)
            if merged_default:
                dg_add, dg_remove = default_graph_change(
                    copy, add, remove, {ox.NamedNode(g) for g in unmerged}
                )
                add, remove = add + dg_add, remove + dg_remove
            for q in remove:
                copy.remove(q)
            copy.bulk_extend(add)
        copy.flush()
        del copy
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    return new, stream.read
