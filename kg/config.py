"""Settings of the library, the CLI and the service, read from ``KG_*`` environment variables.

Every setting has a safe default: loopback bind, read-only (no write token), a query timeout,
a row cap, two query workers with a memory cap each, no outbound fetches.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_BASE_IRI = "https://w3id.org/osec-kg/"


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/osec-kg``, or ``~/.local/share/osec-kg`` when that is unset."""
    root = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(root) / "osec-kg"


class Settings(BaseSettings):
    """All settings; each field ``name`` is read from the variable ``KG_NAME``."""

    model_config = SettingsConfigDict(env_prefix="KG_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    store: str | None = Field(
        default=None,
        description="Store URL: 'memory:' or 'oxigraph:///path'. Default: <data_dir>/store.",
    )
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = Field(default=30.0, gt=0, description="Seconds; bounds updates too.")
    row_cap: int = Field(
        default=10_000, gt=0, description="Most rows (or triples) a query returns."
    )
    workers: int = Field(default=2, ge=0, description="Query worker processes (0: in process).")
    result_cache_mb: int = Field(
        default=64,
        ge=0,
        description="Memory for answers given again until the data changes (0: none).",
    )
    result_cache_min_ms: float = Field(
        default=2.0,
        ge=0,
        description="Answers computed faster than this are not kept in the result cache.",
    )
    worker_memory_mb: int = Field(
        default=1024, gt=0, description="Memory a query worker may add above its loaded replica."
    )
    replica_default_copy: bool = Field(
        default=True,
        description="Query workers also keep the default graph alone, for faster default-graph "
        "queries (memory: one more copy of the default graph).",
    )
    replica_named_copy: bool = Field(
        default=True,
        description="Query workers also keep the named graphs alone, for faster queries that "
        "read only GRAPH blocks (memory: one more copy of the named graphs).",
    )
    worker_allocator: Literal["jemalloc", "system"] = Field(
        default="jemalloc",
        description="Allocator of the query workers: jemalloc when installed (much faster "
        "queries in forked workers), else the system's.",
    )
    write_token: str | None = Field(
        default=None, description="Bearer token for writes; none: read-only."
    )
    base_iri: str = DEFAULT_BASE_IRI
    union_default_graph: bool = Field(
        default=True, description="The default graph that queries see is the union of named graphs."
    )
    load_bundled_data: bool = Field(
        default=True, description="Load ontology/ and data/ on first start when the store is empty."
    )
    allow_service: list[str] = Field(
        default_factory=list, description="IRI prefixes SERVICE and LOAD may reach; empty: none."
    )
    cors_origins: list[str] = Field(default_factory=lambda: ["*"])

    def store_url(self) -> str:
        """The store URL in force: the explicit one, or the on-disk store under ``data_dir``."""
        if self.store:
            return self.store
        return "oxigraph://" + str((self.data_dir / "store").resolve())
