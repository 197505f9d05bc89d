"""What the pool keeps of its workers and requests: each worker's connection, the requests
it holds, and the figures the pool counts. :mod:`kg.store.pool` does the dispatching."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from kg.store import wire

if TYPE_CHECKING:
    from kg.store.pool import WorkerPool


class _Channel(asyncio.Protocol):
    """The parent's end of one worker's connection: frames in, parsed without a stream reader."""

    def __init__(self, pool: WorkerPool) -> None:
        self.pool = pool
        self.transport: asyncio.Transport | None = None
        self.worker: _Worker | None = None
        self._frames = wire.FrameBuffer()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's are not subclasses

    def data_received(self, data: bytes) -> None:
        for message in self._frames.feed(data):
            self.pool._on_message(self, message)

    def connection_lost(self, exc: Exception | None) -> None:
        self.pool._on_lost(self)


#: the most requests one frame carries to a worker
BATCH_MAX = 8

#: request deadlines are checked in steps of this many seconds, with one loop timer per step
#: rather than one per request (arming and cancelling a uvloop timer costs ~5 us)
DEADLINE_STEP = 0.05


@dataclass(eq=False)
class _Job:
    """One request, from the queue until its answer."""

    message: Any
    answer: asyncio.Future[Any]
    timeout: float = 0.0
    #: set while a worker holds it
    worker: _Worker | None = None
    #: workers that died while holding it, and the last of them
    lost: int = 0
    lost_pid: int = 0


@dataclass(eq=False)
class _Worker:
    pid: int
    version: int
    channel: _Channel
    #: what it holds and has not answered, by request id
    jobs: dict[int, _Job] = field(default_factory=dict)
    #: requests it has answered
    answered: int = 0

    def send(self, message: Any) -> None:
        assert self.channel.transport is not None
        self.channel.transport.write(wire.pack(message))


_LOST = object()  # a worker's connection ended before its answer came


@dataclass
class PoolStats:
    started: int = 0
    killed_on_timeout: int = 0
    lost: int = 0
    #: frames of requests sent to workers, and the requests they carried
    batches: int = 0
    requests: int = 0
    #: requests sent again because the worker holding them died or was killed
    requeued: int = 0
    versions: dict[int, int] = field(default_factory=dict)
