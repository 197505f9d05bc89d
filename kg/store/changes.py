"""A SPARQL Update turned into the change it would make, in a form that crosses processes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from kg import errors
from kg.store.replica import NQ


@dataclass(frozen=True)
class ComputedChange:
    added: bytes
    removed: bytes
    created: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()

    def quads(self) -> tuple[list[ox.Quad], list[ox.Quad], tuple[str, ...], tuple[str, ...]]:
        added = list(ox.parse(self.added, format=NQ)) if self.added else []
        removed = list(ox.parse(self.removed, format=NQ)) if self.removed else []
        return added, removed, self.created, self.dropped


def _syntax_error(exc: Exception) -> errors.QuerySyntaxError:
    extra = {k: getattr(exc, k) for k in ("line", "column") if getattr(exc, k, None) is not None}
    return errors.QuerySyntaxError(getattr(exc, "message", str(exc)), **extra)


def _engine_syntax_error(update: str) -> errors.QuerySyntaxError | None:
    """Oxigraph's own message and position, which name the line of the error; the update
    parser's are often 'Expected end of text' at 1:1. Only on the error path, on an empty
    scratch store; outbound targets were refused before any parsing."""
    from kg.execute import syntax_error

    try:
        ox.Store().update(update)
    except SyntaxError as exc:
        return syntax_error(exc)
    except Exception:
        return None
    return None


def delta_for_update(
    store: ox.Store,
    update: str,
    *,
    union_default_graph: bool = True,
    using_graph_uris: Sequence[str] = (),
    using_named_graph_uris: Sequence[str] = (),
    base_iri: str | None = None,
) -> ComputedChange:
    """The change ``update`` would make to ``store``, which is left as it was."""
    from kg import delta as engine

    try:
        d = engine.compute_delta(
            store,
            update,
            base_iri=base_iri,
            union_default_graph=union_default_graph,
            using_graph_uris=using_graph_uris,
            using_named_graph_uris=using_named_graph_uris,
        )
    except engine.UpdateSyntaxError as exc:
        raise _engine_syntax_error(update) or _syntax_error(exc) from None
    except (engine.UpdateRefused, engine.UpdateFailed) as exc:
        raise errors.UpdateRejected(str(exc)) from None
    added = sorted(d.added, key=str)
    removed = sorted(d.removed, key=str)
    return ComputedChange(
        ox.serialize(added, format=NQ) or b"" if added else b"",
        ox.serialize(removed, format=NQ) or b"" if removed else b"",
        tuple(str(g.value) for g in getattr(d, "created_graphs", ()) or ()),
        tuple(str(g.value) for g in getattr(d, "dropped_graphs", ()) or ()),
    )
