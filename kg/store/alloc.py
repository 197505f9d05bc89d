"""The memory allocator the query workers run with.

With glibc's malloc, pyoxigraph's queries in a forked worker write to memory pages the worker
shares with the zygote (the allocator's bookkeeping lies beside the data), so each query
copies pages the fork had shared: measured on a 1M-triple replica, ~100 page faults per point
lookup, 0.7 ms instead of 0.18 ms in the process that loaded the store, fading only slowly as
pages become private. jemalloc keeps its bookkeeping apart from the data: in the same test a
forked worker took 600 faults on its first 300 lookups and none after, and every lookup ran
in 0.06-0.1 ms. So the zygote, whose forks are the workers, starts with jemalloc preloaded
when the system has it (Debian: ``libjemalloc2``).
"""

from __future__ import annotations

import ctypes.util
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

_CANDIDATES = (
    "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2",
    "/usr/lib/aarch64-linux-gnu/libjemalloc.so.2",
    "/usr/lib64/libjemalloc.so.2",
    "/usr/lib/libjemalloc.so.2",
    "/usr/local/lib/libjemalloc.so.2",
)


def jemalloc_path() -> str | None:
    """The path of libjemalloc on this system, or ``None``."""
    for path in _CANDIDATES:
        if Path(path).is_file():
            return path
    name = ctypes.util.find_library("jemalloc")
    if name:
        for folder in ("/usr/lib", "/usr/lib64", "/usr/local/lib"):
            for found in Path(folder).rglob(name):
                return str(found)
    return None


def worker_env(allocator: str, env: dict[str, str]) -> dict[str, str]:
    """``env`` for the zygote with ``allocator`` ("jemalloc" or "system") preloaded."""
    if allocator != "jemalloc":
        return env
    path = jemalloc_path()
    if path is None:
        log.warning(
            "jemalloc not found: query workers use the system allocator, which makes "
            "queries slower in forked workers (install libjemalloc2)"
        )
        return env
    preload = env.get("LD_PRELOAD", "")
    if path in preload.split(os.pathsep) or path in preload.split():
        return env
    return {**env, "LD_PRELOAD": f"{path} {preload}".strip()}
