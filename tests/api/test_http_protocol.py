"""The HTTP protocol ``kg serve`` runs: each response leaves in one write.

The transport under test records what reaches it; everything above it (uvicorn's protocol,
the app) is real, on a real event loop and a real TCP connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket

from api.http import CoalescingTransport, HttpToolsProtocol


class Recording:
    """The real transport's side: what was written, in how many calls."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False
        self.aborted = False

    def write(self, data: bytes) -> None:
        self.writes.append(bytes(data))

    def is_closing(self) -> bool:
        return self.closed or self.aborted

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True

    def get_write_buffer_size(self) -> int:
        return 0

    def get_extra_info(self, name: str, default=None):
        return ("127.0.0.1", 1) if name in ("sockname", "peername") else default


def answering(body: bytes):
    """An ASGI app that answers every request with ``body``."""

    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        length = str(len(body)).encode()
        await send(
            {"type": "http.response.start", "status": 200, "headers": [(b"content-length", length)]}
        )
        await send({"type": "http.response.body", "body": body})

    return app


@contextlib.asynccontextmanager
async def serving(app, http, **options):
    """A real uvicorn server on a free loopback port, running ``http``; yields the port."""
    import uvicorn

    config = uvicorn.Config(app, host="127.0.0.1", port=0, http=http, log_level="error", **options)
    server = uvicorn.Server(config)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        config.port = s.getsockname()[1]
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        yield config.port
    finally:
        server.should_exit = True
        await task


def test_writes_of_one_turn_leave_as_one_and_later_turns_separately():
    async def run():
        rec = Recording()
        t = CoalescingTransport(rec, asyncio.get_running_loop())
        t.write(b"HTTP/1.1 200 OK\r\n\r\n")
        t.write(b"")
        t.write(b"body")
        assert rec.writes == []  # nothing before the turn ends
        assert t.get_write_buffer_size() == len(b"HTTP/1.1 200 OK\r\n\r\nbody")
        await asyncio.sleep(0)
        assert rec.writes == [b"HTTP/1.1 200 OK\r\n\r\nbody"]
        t.write(b"more")
        await asyncio.sleep(0)
        assert rec.writes[1:] == [b"more"]
        assert t.get_extra_info("peername") == ("127.0.0.1", 1)  # the rest: the real one

    asyncio.run(run())


def test_close_sends_what_is_held_and_abort_drops_it():
    async def run():
        loop = asyncio.get_running_loop()
        rec = Recording()
        t = CoalescingTransport(rec, loop)
        t.write(b"last words")
        t.close()
        assert rec.writes == [b"last words"] and rec.closed
        await asyncio.sleep(0)
        assert rec.writes == [b"last words"]  # the scheduled flush finds nothing more
        rec2 = Recording()
        t2 = CoalescingTransport(rec2, loop)
        t2.write(b"unsent")
        t2.abort()
        await asyncio.sleep(0)
        assert rec2.writes == [] and rec2.aborted

    asyncio.run(run())


def test_uvicorn_sends_a_whole_response_in_one_write_on_a_real_connection():
    """Status line, headers and body of a response reach the socket in one ``write``."""
    writes: list[bytes] = []

    class Spy(HttpToolsProtocol):
        def connection_made(self, transport):
            real_write = transport.write

            def write(data):
                writes.append(bytes(data))
                real_write(data)

            transport.write = write  # the socket's own transport: count its writes
            super().connection_made(transport)

    async def run():
        async with serving(answering(b"hello"), Spy) as port:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            for _ in range(3):  # keep-alive: every response alike
                writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                head = await reader.readuntil(b"\r\n\r\n")
                assert await reader.readexactly(5) == b"hello"
                assert head.startswith(b"HTTP/1.1 200")
            writer.close()
        return writes

    got = asyncio.run(run())
    assert len(got) == 3
    assert all(w.startswith(b"HTTP/1.1 200") and w.endswith(b"hello") for w in got)


def test_coarse_timers_fire_in_their_step_and_cancel():
    from api.http import STEP, coarse_timers

    async def run():
        loop = asyncio.get_running_loop()
        timers = coarse_timers(loop)
        assert coarse_timers(loop) is timers  # one set per loop
        fired: list[tuple[str, float]] = []
        t0 = loop.time()
        keep = [timers.call_later(0.2, lambda n=n: fired.append((n, loop.time()))) for n in "abc"]
        gone = timers.call_later(0.2, lambda: fired.append(("cancelled", loop.time())))
        gone.cancel()
        assert gone.cancelled() and not keep[0].cancelled()
        assert timers.pending == 3 and len(timers._steps) <= 2  # one step, or two at an edge
        await asyncio.sleep(0.2 + STEP + 0.1)
        assert sorted(n for n, _ in fired) == ["a", "b", "c"]
        assert all(0.2 <= t - t0 <= 0.2 + STEP + 0.05 for _, t in fired)
        assert timers.pending == 0 and not timers._steps

    asyncio.run(run())


def test_idle_keep_alive_connections_close_and_busy_ones_stay_open():
    """uvicorn's keep-alive timeout, on the coarse timers, on a real connection."""
    import time

    from api.http import STEP

    async def ask(reader, writer):
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        await reader.readuntil(b"\r\n\r\n")
        assert await reader.readexactly(2) == b"ok"

    async def run():
        async with serving(answering(b"ok"), HttpToolsProtocol, timeout_keep_alive=1) as port:
            idle = await asyncio.open_connection("127.0.0.1", port)
            busy = await asyncio.open_connection("127.0.0.1", port)
            await ask(*idle)
            t0 = time.monotonic()

            async def until_closed():
                rest = await idle[0].read()  # EOF: the server closed it
                return rest, time.monotonic() - t0

            closing = asyncio.create_task(until_closed())
            for _ in range(10):  # a request every 0.25 s keeps re-arming the timeout
                await ask(*busy)
                await asyncio.sleep(0.25)
            await ask(*busy)  # still open after 2.5 s of use
            closed, waited = await asyncio.wait_for(closing, 1)
            busy[1].close()
        return closed, waited

    closed, waited = asyncio.run(run())
    assert closed == b""
    assert 1.0 <= waited <= 1 + STEP + 0.3
