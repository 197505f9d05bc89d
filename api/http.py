"""uvicorn's HTTP protocol (httptools), sending each response in one write.

uvicorn writes a response's status line and headers as soon as the app starts the response,
then the body as a second write: two system calls, and on a loopback client often two
wake-ups, per request. For the short answers most SPARQL requests get, that second call is a
large share of the whole request's cost. Here the connection's transport holds what is written
until the end of the current turn of the event loop, then hands it over as one piece; closing
the connection sends what is held first. Streamed answers still go out as they are produced:
each turn's pieces leave at the end of that turn.

uvicorn also arms a keep-alive timer on the event loop after every response and cancels it
when the next request comes (a uvloop timer costs ~5 us to arm and cancel, on every request).
Here those timers are coarse (``kg.timers``, in half-second steps): an idle connection
closes up to half a second after its keep-alive timeout.

``kg serve`` passes ``http="api.http:HttpToolsProtocol"`` to uvicorn.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base

from kg.timers import CoarseTimers


class CoalescingTransport:
    """A transport that joins the writes of one loop turn into one ``write``."""

    __slots__ = ("_transport", "_loop", "_held", "_scheduled")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []
        self._scheduled = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        self._held.append(bytes(data))
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self.flush)

    def writelines(self, chunks: Any) -> None:
        for chunk in chunks:
            self.write(chunk)

    def flush(self) -> None:
        self._scheduled = False
        held, self._held = self._held, []
        if held and not self._transport.is_closing():
            self._transport.write(held[0] if len(held) == 1 else b"".join(held))

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._held = []
        self._transport.abort()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(map(len, self._held))

    def __getattr__(self, name: str) -> Any:  # everything else: the real transport
        return getattr(self._transport, name)


#: keep-alive timers fall due at the end of the step of this many seconds they land in
STEP = 0.5

_TIMERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, CoarseTimers] = (
    weakref.WeakKeyDictionary()
)


def coarse_timers(loop: asyncio.AbstractEventLoop) -> CoarseTimers:
    """The keep-alive timers of ``loop`` (one set per event loop)."""
    timers = _TIMERS.get(loop)
    if timers is None:
        timers = _TIMERS[loop] = CoarseTimers(loop, STEP)
    return timers


class _ProtocolLoop:
    """The event loop as uvicorn's protocol sees it: its timers coarse, all else the loop's."""

    __slots__ = ("_loop", "call_later", "create_task")

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self.call_later = coarse_timers(loop).call_later
        self.create_task = loop.create_task

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loop, name)


class HttpToolsProtocol(_Base):
    """uvicorn's httptools protocol on a :class:`CoalescingTransport`, with coarse
    keep-alive timers."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = CoalescingTransport(self.transport, self.loop)  # type: ignore[assignment]
        self.loop = _ProtocolLoop(self.loop)  # type: ignore[assignment]
