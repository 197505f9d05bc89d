"""The parent's side of the query workers: dispatch, timeouts that kill, replacement.

Requests wait in one queue; the idle worker that freed up last takes the oldest (last in,
first out: under light traffic one worker answers them all with warm caches while the others
sleep; point lookups sent one at a time took 0.1-0.2 ms less than when requests went round).
When requests queue faster than workers free up, an idle worker takes several in one frame
(a *batch*: at most ``BATCH_MAX``, and never more than its share of the queue), which saves a
round of system calls and a process wake-up per request; that is what bounds throughput on a
small machine.
A worker sends its answers as they are ready, in batches of its own while they come fast.

If no answer comes before a request's timeout (``kg.timers``, in steps of ``DEADLINE_STEP``),
its worker is killed (its CPU use stops at once) and the zygote forks a replacement, which
costs milliseconds because the fork already holds the replica. The other requests that
worker held and had not answered go back to the head of the queue: they are reads, so
running one again is harmless. A worker that dies on its own (its memory cap) is charged to
no request at first: what it held goes back to the queue, each request alone in its next
batch, so a request that kills a second worker is the one that needed the memory. Every
committed change is sent to every live worker and to the zygote in commit order, on the same
channel as the requests, so a worker answers each request from the newest state committed
before the request was sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import errors
from kg.procenv import child_env
from kg.store import wire
from kg.store.alloc import worker_env
from kg.store.jobs import _LOST, BATCH_MAX, DEADLINE_STEP, PoolStats, _Channel, _Job, _Worker
from kg.store.replica import Copies, ReplicaDelta, dump_for_replica
from kg.store.zygote import command as zygote_command
from kg.timers import CoarseTimers

log = logging.getLogger(__name__)


class WorkerPool:
    """``size`` query workers forked from one zygote; every method runs on one event loop."""

    def __init__(
        self,
        size: int,
        memory_mb: int = 1024,
        shapes: bool = False,
        copies: Copies = Copies(),
        allocator: str = "system",
    ) -> None:
        self.size = max(1, size)
        self.allocator = allocator
        self.memory_mb = memory_mb
        self.shapes = shapes
        self.copies = copies
        self.stats = PoolStats()
        self._tmp = tempfile.TemporaryDirectory(prefix="kg-pool-")
        self._socket_path = str(Path(self._tmp.name) / "workers.sock")
        self._idle: deque[_Worker] = deque()  # last in, first out: the warmest worker first
        self._queue: deque[_Job] = deque()  # requests no worker holds yet, oldest first
        self._next_id = 0
        self._workers: dict[int, _Worker] = {}
        self._exits: dict[int, int] = {}
        self._exit_waiters: dict[int, asyncio.Future[int]] = {}
        self._forked_versions: dict[int, int] = {}  # forked, not yet connected
        #: connected before the zygote's word that it forked them came (two channels)
        self._early_hellos: set[int] = set()
        self._history: list[ReplicaDelta] = []  # deltas a new worker may still need
        self._zygote_version = 0
        self._server: asyncio.AbstractServer | None = None
        self._zygote: asyncio.subprocess.Process | None = None
        self._events: asyncio.Task[None] | None = None
        self._ready: asyncio.Future[int] | None = None
        self._closing = False
        self._timers: CoarseTimers | None = None  # request deadlines, on the running loop

    # -- life cycle -------------------------------------------------------------------
    async def start_from(
        self,
        primary: ox.Store,
        lock: threading.Lock,
        version: Callable[[], int],
        merge: Sequence[str] | None = None,
    ) -> None:
        """Start on a dump of ``primary``, taken under ``lock`` (no commit in between) at the
        commit ``version()`` names.

        ``merge``: when not None, the primary's default graph is the merge of its named
        graphs but these; it is left out of the dump and rebuilt in the replica.
        """
        with tempfile.TemporaryDirectory(prefix="kg-dump-") as tmp:
            parts = max(1, min(4, os.cpu_count() or 1))

            def dump() -> tuple[list[Path], Path, int]:
                # the lock is taken in the dumping thread: a commit made on the event loop
                # meanwhile waits for the dump, where it would wait forever for a lock held
                # by a coroutine that needs the loop to go on
                with lock:
                    dumps, graphs = dump_for_replica(primary, Path(tmp), merge is None, parts)
                    return dumps, graphs, version()

            dumps, graphs, n = await asyncio.to_thread(dump)
            await self.start(dumps, n, merge, graphs)

    async def start(
        self,
        dumps: Sequence[Path],
        version: int,
        merge: Sequence[str] | None = None,
        graphs: Path | None = None,
    ) -> None:
        """Start the zygote on dumps (N-Quads) of the primary at ``version``; fork workers.

        ``merge``: see :meth:`start_from`; ``graphs``: the named graphs' names, one a line
        (the empty ones are in no dump)."""
        loop = asyncio.get_running_loop()
        self._zygote_version = version
        self._server = await loop.create_unix_server(lambda: _Channel(self), path=self._socket_path)
        self._ready = loop.create_future()
        # The zygote must run the same ``kg`` as this process, whatever the working directory
        # holds: -P keeps the directory off sys.path, PYTHONPATH leads to our package.
        env = worker_env(self.allocator, child_env())  # jemalloc, when asked and installed
        args = zygote_command(
            self._socket_path,
            version,
            self.memory_mb,
            dumps,
            graphs,
            merge,
            self.shapes,
            self.copies,
        )
        self._zygote = await asyncio.create_subprocess_exec(
            *args,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            start_new_session=True,
            env=env,
        )
        for delta in self._history:  # committed after the dump, while the pool started
            if delta.version > version:
                self._zygote_send(("delta", delta))
        self._events = asyncio.create_task(self._read_events())
        await self._ready
        for _ in range(self.size):
            self._fork()
        while len(self._idle) < self.size:  # wait until all have said hello
            if self._zygote.returncode is not None:
                raise errors.StoreUnavailable("the query worker zygote stopped while starting")
            await asyncio.sleep(0.005)

    async def close(self) -> None:
        """Stop the workers and the zygote; requests in flight get an error."""
        self._closing = True
        self._fail_queued()
        if self._zygote and self._zygote.returncode is None:
            with contextlib.suppress(Exception):
                self._zygote_send(("exit",))
            try:
                await asyncio.wait_for(self._zygote.wait(), 5)
            except TimeoutError:
                self._zygote.kill()
                await self._zygote.wait()
        for w in list(self._workers.values()):
            self._close_channel(w)
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
        """Queue one request for the workers; its answer, or the error it raised.

        Raises :class:`QueryTimeout` (its worker killed and replaced) or
        :class:`QueryMemoryExceeded` when it made workers die on their memory cap.
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        job = _Job(message, loop.create_future(), timeout)
        self._queue.append(job)
        self._dispatch()
        if self._timers is None:
            self._timers = CoarseTimers(loop, DEADLINE_STEP)
        timer = self._timers.call_at(deadline, self._expire, job)
        try:
            reply = await job.answer
        finally:
            timer.cancel()
            if not job.answer.done():  # the caller went away: nobody wants the answer
                self._forget(job)
        if reply is _LOST:
            status = await self._exit_status(job.lost_pid)
            if status in (-signal.SIGABRT, -signal.SIGSEGV, -signal.SIGKILL, 134):
                raise errors.QueryMemoryExceeded(
                    f"the query was stopped: it needed more than the {self.memory_mb} MiB "
                    "a query worker may use",
                    memory_mb=self.memory_mb,
                )
            raise errors.KgError(f"the query worker stopped unexpectedly (status {status})")
        if reply[0] == "ok":
            if loop.time() > deadline:  # the answer and the deadline came in one turn of the loop
                raise errors.QueryTimeout(
                    f"the query ran past the timeout of {timeout:g} s", timeout=timeout
                )
            return reply[1]
        _, name, text, extra = reply
        raise getattr(errors, name, errors.KgError)(text, **extra)

    def _dispatch(self) -> None:
        """Hand queued requests to idle workers: an even share each, at most ``BATCH_MAX``."""
        queue, idle = self._queue, self._idle
        while queue and idle:
            worker = idle.pop()
            if worker.pid not in self._workers:
                continue  # it died while idle
            share = min(BATCH_MAX, -(-len(queue) // (len(idle) + 1)))
            batch: list[tuple[int, Any]] = []
            while queue and len(batch) < share:
                job = queue[0]
                if job.lost and batch:
                    break  # a request that was on a dying worker goes alone
                queue.popleft()
                self._next_id += 1
                job.worker = worker
                worker.jobs[self._next_id] = job
                batch.append((self._next_id, job.message))
                if job.lost:
                    break
            worker.send(("batch", batch))
            self.stats.batches += 1
            self.stats.requests += len(batch)

    def _forget(self, job: _Job) -> None:
        """Drop a request nobody waits for; a worker that holds it answers into the void."""
        with contextlib.suppress(ValueError):
            self._queue.remove(job)

    def _expire(self, job: _Job) -> None:
        if job.answer.done():
            return
        timeout = job.timeout
        worker = job.worker
        if worker is None:  # still queued
            self._forget(job)
            job.answer.set_exception(
                errors.QueryTimeout(
                    f"no query worker became free within {timeout:g} s", timeout=timeout
                )
            )
            return
        self.stats.killed_on_timeout += 1
        job.answer.set_exception(
            errors.QueryTimeout(
                f"the query ran past the timeout of {timeout:g} s and was stopped", timeout=timeout
            )
        )
        self._kill(worker)

    def publish(self, delta: ReplicaDelta) -> None:
        """Send a committed change to the zygote and every worker, in commit order.

        Before the zygote runs (the pool is starting), the change is only kept: :meth:`start`
        sends on those its dump does not hold."""
        self._history.append(delta)
        if self._zygote is None:
            return
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
        self._lost(worker, killed=True)

    def _lost(self, worker: _Worker, killed: bool = False) -> None:
        """``worker`` is gone: replace it; what it held goes back to the head of the queue.

        A request that was on two workers that died on their own is charged with their deaths.
        """
        if self._workers.pop(worker.pid, None) is not None:
            self.stats.lost += 1
            self._close_channel(worker)
            self._fork()
        with contextlib.suppress(ValueError):
            self._idle.remove(worker)
        held, worker.jobs = worker.jobs, {}
        back = []
        for job in held.values():
            if job.answer.done():
                continue
            job.worker = None
            if not killed:
                job.lost += 1
                job.lost_pid = worker.pid
                if job.lost > 1:
                    job.answer.set_result(_LOST)
                    continue
            back.append(job)
        self.stats.requeued += len(back)
        self._queue.extendleft(reversed(back))
        if self._closing:
            self._fail_queued()
        else:
            self._dispatch()

    def _fail_queued(self) -> None:
        while self._queue:
            job = self._queue.popleft()
            if not job.answer.done():
                job.answer.set_exception(errors.StoreUnavailable("the query service is stopping"))

    @staticmethod
    def _close_channel(worker: _Worker) -> None:
        if worker.channel.transport is not None:
            worker.channel.transport.close()

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

    def _on_message(self, channel: _Channel, message: Any) -> None:
        worker = channel.worker
        if worker is None:  # the first frame on a connection: ("hello", pid, version)
            self._on_hello(channel, message)
            return
        jobs = worker.jobs
        worker.answered += len(message[1])
        doubt = False
        for rid, reply in message[1]:  # ("done", [(request id, reply), ...])
            job = jobs.pop(rid, None)
            if job is not None and not job.answer.done():
                job.answer.set_result(reply)
            doubt = doubt or reply[:2] == ("error", "QueryMemoryExceeded")
        if doubt and worker.pid in self._workers:
            # A Python-side MemoryError leaves the worker's heap in doubt: replace it before
            # it takes another request (what it still holds goes to another worker).
            self._kill(worker)
            return
        if not jobs and worker.pid in self._workers:
            self._idle.append(worker)
            self._dispatch()

    def _on_lost(self, channel: _Channel) -> None:
        if channel.worker is not None:
            self._lost(channel.worker)

    def _on_hello(self, channel: _Channel, hello: Any) -> None:
        _, pid, version = hello
        if self._forked_versions.pop(pid, None) is None:
            self._early_hellos.add(pid)
        worker = _Worker(pid, version, channel)
        channel.worker = worker
        for delta in self._history:  # what came after the zygote forked it
            if delta.version > version:
                worker.send(("delta", delta))
                worker.version = delta.version
        self._workers[pid] = worker
        self.stats.started += 1
        self._prune()
        self._idle.appendleft(worker)  # cold: the last choice of the idle
        self._dispatch()

    def _on_forked(self, pid: int, version: int) -> None:
        """The zygote forked ``pid`` at ``version``: keep the changes after it until the
        worker connects (it may have connected already: its word and this come apart)."""
        if pid in self._early_hellos:
            self._early_hellos.discard(pid)
        else:
            self._forked_versions[pid] = version

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
                    self._on_forked(event[1], event[2])
                elif kind == "applied":
                    self._zygote_version = event[1]
                    self._prune()
                elif kind == "exited":
                    pid, status = event[1], event[2]
                    self._forked_versions.pop(pid, None)  # died before it connected
                    self._prune()
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
