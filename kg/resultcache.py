"""Answers of recent queries, kept for the data version they were computed at.

Pages and dashboards send the same queries again and again, and the curated graph changes
seldom: an answer computed once can be given again until the next commit. An entry is keyed
by everything that shapes the answer (the query's text, the result format, the dataset, the
row cap, the union option) and held for one data version: the first lookup at a new version
empties the cache. Entries go least recently used first once they exceed the size allowed
(each counts its answer, its key and a fixed overhead); an answer larger than an eighth of it
is not kept.

Only answers that took at least ``min_seconds`` to compute are kept (2 ms by default: the
aggregates and joins a dashboard repeats, not point lookups, which a worker answers in a
fraction of a millisecond). A server that gets a stream of distinct cheap queries (a crawler,
a benchmark) would otherwise fill the cache with answers nobody asks for again, and pay for
keeping them: at 100k triples, with every answer kept, distinct point lookups at 32
connections ran ~15% slower and the server held the whole allowance.

Requests for the same answer that arrive while it is being computed wait for that one
computation instead of starting their own; a failure (a timeout, a syntax error) reaches each
of them and is not kept.

Some queries must not be answered from memory: those whose answer changes with each run
(``RAND``, ``NOW``, ``UUID``, ``STRUUID``, ``BNODE``) and those that reach other endpoints
(``SERVICE``). :func:`cacheable` tells them apart by the tokenizer's findings and a look
for those names in any case followed by a parenthesis or a comment, anywhere after the
prologue, strings and IRIs included (so it errs towards computing again; ``foaf:knows`` is
no call of ``NOW``).

The cache belongs to one event loop (the server's); it takes no locks. Its keys and entries
are plain tuples of strings, bytes and numbers, which the cyclic garbage collector stops
tracking: tens of thousands of entries held as objects made each full collection walk them
(p99 at 32 connections 19-21 ms without the cache, 47-62 ms with it, at 100k triples).
"""

from __future__ import annotations

import asyncio
import operator
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, fields
from typing import Any

from kg.execute import QueryRequest, QueryResult
from kg.sparqltext import Request

#: a request as a tuple of its fields (strings, tuples of strings, numbers): the cache's key
request_key = operator.attrgetter(*(f.name for f in fields(QueryRequest)))
_RESULT_FIELDS = operator.attrgetter(*(f.name for f in fields(QueryResult)))

#: calls whose value differs between two runs of one query on the same data: the name as a
#: word of its own, then its parenthesis, or a comment (which may stand between the two)
_VOLATILE = re.compile(r"\b(?:rand|now|uuid|struuid|bnode)\s*[(#]", re.IGNORECASE)


def cacheable(info: Request) -> bool:
    """Whether the answer to ``info`` may be given again for the same data."""
    if info.services or info.loads:
        return False
    text = info.text[info.prologue_end :]
    if text.isascii():  # most texts name none of them: a quick look first
        low = text.lower()
        if not ("rand" in low or "now" in low or "uuid" in low or "bnode" in low):
            return True
    return _VOLATILE.search(text) is None


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0  # computed (and kept, when allowed)
    kept: int = 0  # answers stored
    joined: int = 0  # waited for the same answer being computed for another request


#: what an entry costs beyond its answer's and its key's bytes (the tuples, the dict slot)
ENTRY_OVERHEAD = 256


def _cost(key: Hashable, body: bytes) -> int:
    """An entry's bytes: its answer, the strings of its key, and the overhead."""
    n = len(body) + ENTRY_OVERHEAD
    for part in key if isinstance(key, tuple) else (key,):
        if isinstance(part, (str, bytes)):
            n += len(part)
        elif isinstance(part, tuple):
            n += sum(len(x) for x in part if isinstance(x, (str, bytes)))
    return n


class ResultCache:
    """Query answers for the current data version, at most ``max_bytes`` of entries; only
    answers that took at least ``min_seconds`` to compute are kept."""

    def __init__(self, max_bytes: int, min_seconds: float = 0.0) -> None:
        self.max_bytes = max_bytes
        self.min_seconds = min_seconds
        self.stats = CacheStats()
        self._version: str | None = None
        self._entries: OrderedDict[Hashable, tuple[Any, ...]] = OrderedDict()
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
        entry = self._entries.get(key)
        if entry is None:
            return None
        self._entries.move_to_end(key)
        return QueryResult(*entry[:-1])

    def put(self, key: Hashable, version: str, result: QueryResult) -> None:
        """Keep ``result``, unless a lookup at another version came since ``version`` was
        read (the data moved on while it was computed)."""
        if self._version is None:
            self._at(version)
        elif version != self._version:
            return
        size = _cost(key, result.body)
        if size * 8 > self.max_bytes or key in self._entries:
            return
        self._entries[key] = (*_RESULT_FIELDS(result), size)  # flat: untracked at once
        self._bytes += size
        self.stats.kept += 1
        while self._bytes > self.max_bytes:
            _, old = self._entries.popitem(last=False)
            self._bytes -= old[-1]

    async def fetch(
        self, key: Hashable, version: str, compute: Callable[[], Awaitable[QueryResult]]
    ) -> QueryResult:
        """The answer kept for ``key`` at ``version``, else the one ``compute`` gives (kept).

        The first request for an answer computes it in its own task (no task of its own for
        the computation: most answers are wanted once); requests that come for it meanwhile
        wait for that computation. Should the first go away (its task cancelled), the
        computation stops with it, and the waiting requests compute the answer anew.
        """
        slot = (version, key)
        while True:
            found = self.get(key, version)
            if found is not None:
                self.stats.hits += 1
                return found
            running = self._running.get(slot)
            if running is None:
                break
            self.stats.joined += 1
            try:
                return await asyncio.shield(running)
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if not running.cancelled() or (task is not None and task.cancelling()):
                    raise  # this request was cancelled, not the one computing
        self.stats.misses += 1
        future: asyncio.Future[QueryResult] = asyncio.get_running_loop().create_future()
        self._running[slot] = future
        try:
            result = await compute()
        except BaseException as exc:
            del self._running[slot]
            if isinstance(exc, asyncio.CancelledError):
                future.cancel()
            else:
                future.set_exception(exc)
                future.exception()  # retrieved: no warning when nobody was waiting
            raise
        del self._running[slot]
        future.set_result(result)
        if result.seconds >= self.min_seconds:
            self.put(key, version, result)
        return result
