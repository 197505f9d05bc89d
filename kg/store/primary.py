"""Opening the primary store: in memory, or RocksDB on disk with a clear error when another
process holds it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg import errors


def open_primary(url: str) -> tuple[ox.Store, Path | None]:
    """The store ``url`` names (``memory:`` or ``oxigraph:///path``), and its folder."""
    if url in ("memory:", "memory://"):
        return ox.Store(), None
    if not url.startswith("oxigraph://"):
        raise errors.KgError(f"unknown store URL {url!r}; use 'memory:' or 'oxigraph:///path'")
    path = Path(url[len("oxigraph://") :])
    from kg.store.bulk import recover

    recover(path)
    path.mkdir(parents=True, exist_ok=True)
    try:
        return ox.Store(str(path)), path
    except OSError as exc:
        if "lock" in str(exc).lower():
            raise errors.StoreUnavailable(
                f"the store at {path} is in use by another process (a running 'kg serve'?); "
                "stop it, or work through its HTTP API",
                path=str(path),
            ) from None
        raise errors.StoreUnavailable(f"cannot open the store at {path}: {exc}") from None
