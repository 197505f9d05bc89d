"""The query workers' allocator: jemalloc when installed, else the system's."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from kg.store import EmbeddedStore, alloc


def test_jemalloc_is_preloaded_beside_what_was_there_once(monkeypatch):
    monkeypatch.setattr(alloc, "jemalloc_path", lambda: "/lib/libjemalloc.so.2")
    env = alloc.worker_env("jemalloc", {"LD_PRELOAD": "/lib/other.so", "X": "1"})
    assert env["LD_PRELOAD"] == "/lib/libjemalloc.so.2 /lib/other.so"
    assert env["X"] == "1"
    assert alloc.worker_env("jemalloc", env) == env  # not twice
    assert alloc.worker_env("system", {"X": "1"}) == {"X": "1"}


def test_without_jemalloc_the_workers_keep_the_system_allocator_and_say_so(monkeypatch, caplog):
    monkeypatch.setattr(alloc, "jemalloc_path", lambda: None)
    with caplog.at_level(logging.WARNING, logger="kg.store.alloc"):
        assert alloc.worker_env("jemalloc", {"X": "1"}) == {"X": "1"}
    assert "libjemalloc2" in caplog.text


def test_a_worker_runs_with_the_allocator_asked_for():
    found = alloc.jemalloc_path()
    assert found is None or Path(found).is_file()

    async def mapped(allocator: str) -> bool:
        st = EmbeddedStore("memory:", workers=1, worker_allocator=allocator)
        await st.start()
        try:
            (pid,) = st.pool.pids
            return "libjemalloc" in Path(f"/proc/{pid}/maps").read_text()
        finally:
            await st.stop()
            st.close()

    assert asyncio.run(mapped("jemalloc")) is (found is not None)
    assert asyncio.run(mapped("system")) is False
