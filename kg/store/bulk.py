"""Fast all-or-nothing loads into an on-disk store: copy, bulk-load the copy, swap.

pyoxigraph's ``bulk_load`` is about twice as fast as its transactional ``load`` but is not
atomic. So the load goes into a checkpoint of the store (``Store.backup`` hard-links the
RocksDB files, so the copy is cheap), and only a finished, flushed copy replaces the store, by
an atomic rename of a symbolic link: ``<dir>/store`` points at ``<dir>/store.<id>``. A crash
at any point leaves either the old store or the new one, never a mixture; a crash after the
copy was finished but before the link moved is completed the next time the store is opened.

Entailments (the inferred graph) are recomputed on the copy before the swap. Blank nodes get
fresh identities per load. Triples outside a named graph land in the source's target graph
(``--graph``, else the file's IRI); in TriG the default graph's triples stay in the default
graph, which the union default graph shows too.
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox

from kg import errors
from kg.loading import Source, rdf_syntax_error


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


def _rebuild_merge(copy: ox.Store, folder: Path, unmerged: Sequence[str]) -> None:
    """Rebuild the default graph as the merge of the named graphs, in Rust: each graph is
    written out as N-Triples and the lot bulk-loaded into the default graph (a SPARQL
    ``INSERT … WHERE`` of a million quads took 90% of a load)."""
    skip = {ox.NamedNode(g) for g in unmerged}
    triples = folder.parent / f".{folder.name}.merge.nt"
    try:
        with triples.open("wb") as out:
            for g in copy.named_graphs():
                if g not in skip:
                    copy.dump(out, format=ox.RdfFormat.N_TRIPLES, from_graph=g)
        copy.clear_graph(ox.DefaultGraph())
        copy.bulk_load(path=str(triples), format=ox.RdfFormat.N_TRIPLES)
    finally:
        triples.unlink(missing_ok=True)


def _source_quads(store: ox.Store, inferred_graph: str | None) -> int:
    """Quads in source graphs (not the derived default graph, not the entailments)."""
    skip = f"FILTER(?g != <{inferred_graph}>)" if inferred_graph else ""
    rows = store.query(f"SELECT (COUNT(*) AS ?n) {{ GRAPH ?g {{ ?s ?p ?o }} {skip} }}")
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        n = row["n"]
        assert isinstance(n, ox.Literal)
        return int(n.value)
    return 0


def prepare(
    store: ox.Store,
    link: Path,
    sources: Sequence[Source],
    inferred_graph: str | None,
    merged_default: bool = False,
    unmerged: Sequence[str] = (),
) -> tuple[Path, int]:
    """Load ``sources`` into a checkpoint copy of ``store`` (open at ``link``).

    Returns the copy's folder, finished and flushed, and the number of quads added; the caller
    closes ``store`` and calls :func:`swap`. On any error the copy is removed.
    """
    new = link.parent / f"{link.name}.{secrets.token_hex(4)}"
    store.flush()
    store.backup(str(new))
    try:
        copy = ox.Store(str(new))
        before = _source_quads(copy, inferred_graph)
        for src in sources:
            kwargs: dict[str, object] = {"format": src.format.rdf}
            if src.path is not None:
                kwargs["path"] = str(src.path)
            else:
                kwargs["input"] = src.data or b""
            if src.base_iri:
                kwargs["base_iri"] = src.base_iri
            if not src.format.has_graphs:
                kwargs["to_graph"] = src.target_graph()
            try:
                copy.bulk_load(**kwargs)  # type: ignore[arg-type]
            except SyntaxError as exc:
                raise rdf_syntax_error(exc, src.name) from None
            except OSError as exc:
                raise errors.RdfSyntaxError(f"{src.name}: {exc}", file=src.name) from None
        if inferred_graph:
            from kg.inference import Inference

            inference = Inference(inferred_graph)
            inference.skip_default = merged_default
            add, remove = inference.recompute(copy)
            for q in remove:
                copy.remove(q)
            copy.bulk_extend(add)
        if merged_default:  # the default graph is the merge of the named graphs: rebuild it
            _rebuild_merge(copy, new, unmerged)
        added = _source_quads(copy, inferred_graph) - before
        copy.flush()
        del copy
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    return new, added
