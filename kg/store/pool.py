"""The parent's side of the query workers: dispatch, timeouts that kill, replacement.

A request goes to an idle worker; if no answer comes before the timeout, the worker is killed
(its CPU use stops at once) and the zygote forks a replacement, which costs milliseconds
because the fork already holds the replica. Every committed change is sent to every live
worker and to the zygote in commit order, on the same channel as the requests, so a worker
answers each request from the newest state committed before the request was sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg import errors
from kg.store import wire
from kg.store.replica import ReplicaDelta

log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Worker:
    pid: int
    version: int
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    busy: bool = False

    def send(self, message: Any) -> None:
        self.writer.write(wire.pack(message))


@dataclass
class PoolStats:
    started: int = 0
    killed_on_timeout: int = 0
    lost: int = 0
    versions: dict[int, int] = field(default_factory=dict)


class WorkerPool:
    """``size`` query workers forked from one zygote; every method runs on one event loop."""

    def __init__(self, size: int, memory_mb: int = 1024, shapes: bool = False) -> None:
        self.size = max(1, size)
        self.memory_mb = memory_mb
        self.shapes = shapes
        self.stats = PoolStats()
        self._tmp = tempfile.TemporaryDirectory(prefix="kg-pool-")
        self._socket_path = str(Path(self._tmp.name) / "workers.sock")
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._workers: dict[int, _Worker] = {}
        self._exits: dict[int, int] = {}
        self._exit_waiters: dict[int, asyncio.Future[int]] = {}
        self._forked_versions: dict[int, int] = {}  # forked, not yet connected
        self._history: list[ReplicaDelta] = []  # deltas a new worker may still need
        self._zygote_version = 0
        self._version = 0
        self._server: asyncio.AbstractServer | None = None
        self._zygote: asyncio.subprocess.Process | None = None
        self._events: asyncio.Task[None] | None = None
        self._ready: asyncio.Future[int] | None = None
        self._closing = False

    # -- life cycle -------------------------------------------------------------------
    async def start(self, dump: Path | None, version: int) -> None:
        """Start the zygote on a dump (N-Quads) of the primary at ``version``; fork workers."""
        loop = asyncio.get_running_loop()
        self._version = self._zygote_version = version
        self._server = await asyncio.start_unix_server(self._on_connect, path=self._socket_path)
        self._ready = loop.create_future()
        args = [
            sys.executable,
            "-m",
            "kg.store.zygote",
            "--socket",
            self._socket_path,
            "--version",
            str(version),
            "--memory-mb",
            str(self.memory_mb),
        ]
        if dump is not None:
            args += ["--dump", str(dump)]
        if self.shapes:
            args.append("--shapes")
        self._zygote = await asyncio.create_subprocess_exec(
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            start_new_session=True,
        )
        self._events = asyncio.create_task(self._read_events())
        await self._ready
        for _ in range(self.size):
            self._fork()
        while self._idle.qsize() < self.size:  # wait until all have said hello
            if self._zygote.returncode is not None:
                raise errors.StoreUnavailable("the query worker zygote stopped while starting")
            await asyncio.sleep(0.005)

    async def close(self) -> None:
        """Stop the workers and the zygote; requests in flight get an error."""
        self._closing = True
        if self._zygote and self._zygote.returncode is None:
            with contextlib.suppress(Exception):
                self._zygote_send(("exit",))
            try:
                await asyncio.wait_for(self._zygote.wait(), 5)
            except TimeoutError:
                self._zygote.kill()
                await self._zygote.wait()
        for w in list(self._workers.values()):
            w.writer.close()
        if self._server:
            self._server.close()
        if self._events:
            self._events.cancel()
        self._tmp.cleanup()

    @property
    def alive(self) -> int:
        return len(self._workers)

    @property
    def pids(self) -> list[int]:
        return list(self._workers)

    # -- requests ---------------------------------------------------------------------
    async def call(self, message: Any, timeout: float) -> Any:
        """Send one request to an idle worker; its answer, or the error it raised.

        Raises :class:`QueryTimeout` (worker killed and replaced) or
        :class:`QueryMemoryExceeded` when the worker died on its memory cap.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            worker = await asyncio.wait_for(self._idle.get(), timeout)
        except TimeoutError:
            raise errors.QueryTimeout(
                f"no query worker became free within {timeout:g} s", timeout=timeout
            ) from None
        if worker.pid not in self._workers:  # died while idle
            return await self.call(message, max(0.001, deadline - loop.time()))
        worker.busy = True
        try:
            worker.send(message)
            reply = await asyncio.wait_for(wire.read_async(worker.reader), deadline - loop.time())
        except TimeoutError:
            self.stats.killed_on_timeout += 1
            self._kill(worker)
            raise errors.QueryTimeout(
                f"the query ran past the timeout of {timeout:g} s and was stopped", timeout=timeout
            ) from None
        except (asyncio.IncompleteReadError, ConnectionError):
            status = await self._exit_status(worker.pid)
            self._lost(worker)
            if status in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGKILL, 134):
                raise errors.QueryMemoryExceeded(
                    f"the query was stopped: it needed more than the {self.memory_mb} MiB "
                    "a query worker may use",
                    memory_mb=self.memory_mb,
                ) from None
            raise errors.KgError(
                f"the query worker stopped unexpectedly (status {status})"
            ) from None
        worker.busy = False
        self._idle.put_nowait(worker)
        if reply[0] == "ok":
            return reply[1]
        _, name, text, extra = reply
        cls = getattr(errors, name, errors.KgError)
        if cls is errors.QueryMemoryExceeded:
            # A Python-side MemoryError leaves the worker's heap in doubt: replace it.
            self._kill(worker)
        raise cls(text, **extra)

    def publish(self, delta: ReplicaDelta) -> None:
        """Send a committed change to the zygote and every worker, in commit order."""
        self._version = delta.version
        self._history.append(delta)
        self._zygote_send(("delta", delta))
        for w in self._workers.values():
            w.send(("delta", delta))
            w.version = delta.version

    # -- internals --------------------------------------------------------------------
    def _zygote_send(self, message: Any) -> None:
        assert self._zygote and self._zygote.stdin
        self._zygote.stdin.write(wire.pack(message))

    def _fork(self) -> None:
        if not self._closing:
            self._zygote_send(("fork",))

    def _kill(self, worker: _Worker) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(worker.pid, signal.SIGKILL)
        self._lost(worker)

    def _lost(self, worker: _Worker) -> None:
        if self._workers.pop(worker.pid, None) is not None:
            self.stats.lost += 1
            worker.writer.close()
            self._fork()

    async def _exit_status(self, pid: int) -> int | None:
        if pid in self._exits:
            return self._exits.pop(pid)
        fut = asyncio.get_running_loop().create_future()
        self._exit_waiters[pid] = fut
        try:
            return await asyncio.wait_for(fut, 1.0)
        except TimeoutError:
            return None
        finally:
            self._exit_waiters.pop(pid, None)

    async def _on_connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        hello = await wire.read_async(reader)
        _, pid, version = hello
        self._forked_versions.pop(pid, None)
        worker = _Worker(pid, version, reader, writer)
        for delta in self._history:  # what came after the zygote forked it
            if delta.version > version:
                worker.send(("delta", delta))
                worker.version = delta.version
        self._workers[pid] = worker
        self.stats.started += 1
        self._prune()
        self._idle.put_nowait(worker)

    def _prune(self) -> None:
        floor = min([self._zygote_version, *self._forked_versions.values()])
        self._history = [d for d in self._history if d.version > floor]

    async def _read_events(self) -> None:
        assert self._zygote and self._zygote.stdout
        out = self._zygote.stdout
        try:
            while True:
                event = await wire.read_async(out)
                kind = event[0]
                if kind == "ready" and self._ready and not self._ready.done():
                    self._ready.set_result(event[1])
                elif kind == "forked":
                    self._forked_versions[event[1]] = event[2]
                elif kind == "applied":
                    self._zygote_version = event[1]
                    self._prune()
                elif kind == "exited":
                    pid, status = event[1], event[2]
                    fut = self._exit_waiters.get(pid)
                    if fut and not fut.done():
                        fut.set_result(status)
                    else:
                        self._exits[pid] = status
                        if len(self._exits) > 1000:
                            self._exits.clear()
        except (asyncio.IncompleteReadError, asyncio.CancelledError):
            if self._ready and not self._ready.done():
                self._ready.set_exception(
                    errors.StoreUnavailable("the query worker zygote failed to start")
                )
