"""Answers of recent queries, kept for the data version they were computed at.

Pages and dashboards send the same queries again and again, and the curated graph changes
seldom: an answer computed once can be given again until the next commit. An entry is keyed
by everything that shapes the answer (the query's text, the result format, the dataset, the
row cap, the union option) and held for one data version: the first lookup at a new version
empties the cache. Entries go least recently used first once their bodies exceed the size
allowed; an answer larger than an eighth of it is not kept.

Requests for the same answer that arrive while it is being computed wait for that one
computation instead of starting their own; a failure (a timeout, a syntax error) reaches each
of them and is not kept.

Some queries must not be answered from memory: those whose answer changes with each run
(``RAND``, ``NOW``, ``UUID``, ``STRUUID``, ``BNODE``) and those that reach other endpoints
(``SERVICE``). :func:`cacheable` tells them apart by the tokenizer's findings and a look for
those names in any case, anywhere in the text (so it errs towards computing again).

The cache belongs to one event loop (the server's); it takes no locks.
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass

from kg.execute import QueryResult
from kg.sparqltext import Request

#: function names whose value differs between two runs of one query on the same data
_VOLATILE = re.compile(r"rand|now|uuid|bnode", re.IGNORECASE)


def cacheable(info: Request) -> bool:
    """Whether the answer to ``info`` may be given again for the same data."""
    if info.services or info.loads:
        return False
    text = info.text[info.prologue_end :]
    if text.isascii():
        low = text.lower()
        return not ("rand" in low or "now" in low or "uuid" in low or "bnode" in low)
    return _VOLATILE.search(text) is None


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0  # computed (and kept, when allowed)
    joined: int = 0  # waited for the same answer being computed for another request


class ResultCache:
    """Query answers for the current data version, at most ``max_bytes`` of bodies."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.stats = CacheStats()
        self._version: str | None = None
        self._entries: OrderedDict[Hashable, QueryResult] = OrderedDict()
        self._bytes = 0
        self._running: dict[tuple[str, Hashable], asyncio.Future[QueryResult]] = {}

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def _at(self, version: str) -> None:
        if version != self._version:
            self._version = version
            self._entries.clear()
            self._bytes = 0

    def get(self, key: Hashable, version: str) -> QueryResult | None:
        self._at(version)
        result = self._entries.get(key)
        if result is not None:
            self._entries.move_to_end(key)
        return result

    def put(self, key: Hashable, version: str, result: QueryResult) -> None:
        """Keep ``result``, unless a lookup at another version came since ``version`` was
        read (the data moved on while it was computed)."""
        if self._version is None:
            self._at(version)
        elif version != self._version:
            return
        size = len(result.body)
        if size * 8 > self.max_bytes or key in self._entries:
            return
        self._entries[key] = result
        self._bytes += size
        while self._bytes > self.max_bytes:
            _, old = self._entries.popitem(last=False)
            self._bytes -= len(old.body)

    async def fetch(
        self, key: Hashable, version: str, compute: Callable[[], Awaitable[QueryResult]]
    ) -> QueryResult:
        """The answer kept for ``key`` at ``version``, else the one ``compute`` gives (kept).

        The computation runs as a task of its own, so a request that goes away does not
        cancel it for the others waiting on it."""
        found = self.get(key, version)
        if found is not None:
            self.stats.hits += 1
            return found
        running = self._running.get((version, key))
        if running is not None:
            self.stats.joined += 1
            return await asyncio.shield(running)
        self.stats.misses += 1
        task = asyncio.ensure_future(compute())
        self._running[(version, key)] = task
        task.add_done_callback(lambda t: self._done((version, key), t))
        return await asyncio.shield(task)

    def _done(self, slot: tuple[str, Hashable], task: asyncio.Future[QueryResult]) -> None:
        self._running.pop(slot, None)
        if not task.cancelled() and task.exception() is None:
            self.put(slot[1], slot[0], task.result())
