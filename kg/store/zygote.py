"""The zygote and its query workers: processes that hold an in-memory replica of the store.

The zygote is started once (``python -m kg.store.zygote``), loads the replica from a dump of
the primary, and then only forks: each query worker is a fork of it, so a new worker has the
whole replica at once (copy-on-write) and replacing a killed one costs milliseconds at any
store size. The zygote applies every committed change in order, like the workers, so a worker
forked later starts from the newest state it has seen; the parent sends it whatever came since.

The zygote speaks frames (``kg.store.wire``) on stdin/stdout with its parent::

    parent → zygote: ("fork",) | ("delta", ReplicaDelta) | ("exit",)
    zygote → parent: ("ready", version) | ("forked", pid, version)
                     | ("applied", version) | ("exited", pid, status)

A worker connects to the parent's Unix socket and answers one request at a time::

    parent → worker: ("batch", [(id, request), ...]) | ("delta", ReplicaDelta)  (no answer)
    worker → parent: ("hello", pid, version), then ("done", [(id, reply), ...])

    request: ("query", QueryRequest fields[, sparqltext.Request fields]) (wire.query_message)
             | ("update", text, options)
             | ("gate", added N-Quads, removed N-Quads) | ("ping",)
    reply:   ("ok", value) | ("error", kind, text, extra)

Every request of a batch is answered, in order; the answers may come in several frames.

Each worker caps its own address space (``RLIMIT_AS``) at its size after the fork plus the
configured allowance, so a runaway query fails its allocation and the worker dies instead of
the machine; the parent reports it and forks another.
"""

from __future__ import annotations

import argparse
import os
import resource
import select
import signal
import socket
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from kg import execute
from kg.errors import KgError
from kg.store import wire
from kg.store.replica import NQ, Copies, Replica, ReplicaDelta, read_graph_names

MiB = 1024 * 1024
_GATE: Any = None  # a kg.validation.ShaclGate, parsed once in the zygote when asked


def _vm_size() -> int:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


#: a worker holds back answers while they come this fast (seconds), to send them in one frame
FLUSH_AFTER = 0.002


def serve_requests(store: Replica, conn: socket.socket, version: int) -> None:
    """A worker's loop: answer requests on ``conn`` until it closes."""
    rfile = conn.makefile("rb")
    conn.sendall(wire.pack(("hello", os.getpid(), version)))
    while True:
        try:
            message = wire.read_blocking(rfile)
        except EOFError:
            return
        if message[0] == "delta":
            delta: ReplicaDelta = message[1]
            store.apply(delta)
            version = delta.version
            continue
        # ("batch", [(request id, request), ...]): answer each; send what is ready whenever
        # the answers held back have waited FLUSH_AFTER
        done: list[tuple[int, Any]] = []
        since = time.monotonic()
        for rid, request in message[1]:
            done.append((rid, answer(store, request, version)))
            now = time.monotonic()
            if now - since >= FLUSH_AFTER:
                conn.sendall(wire.pack(("done", done)))
                done, since = [], now
        if done:
            conn.sendall(wire.pack(("done", done)))


def answer(replica: Replica, message: Any, version: int) -> tuple[Any, ...]:
    """One request's reply: ``("ok", value)`` or ``("error", kind, text, extra)``."""
    kind = message[0]
    store = replica.full
    try:
        if kind == "query":
            request, info = wire.read_query(message)  # info: tokenized by the parent
            value: Any = execute.run_query(replica.for_query(request, info), request, info)
        elif kind == "update":
            from kg.store.changes import delta_for_update

            value = delta_for_update(store, message[1], **message[2])
        elif kind == "gate":
            added = list(ox.parse(message[1], format=NQ)) if message[1] else []
            removed = list(ox.parse(message[2], format=NQ)) if message[2] else []
            if _GATE is None:
                raise ValueError("this worker has no shapes")
            # raises ValidationFailed; else returns what to record with the change
            extra = _GATE.gate_for(store)(added, removed) or ((), ())
            value = tuple(ox.serialize(list(qs), format=NQ) if qs else b"" for qs in extra)
        elif kind == "ping":
            value = version
        else:
            raise ValueError(f"unknown request {kind!r}")
        return ("ok", value)
    except KgError as exc:
        return ("error", type(exc).__name__, exc.message, exc.extra)
    except MemoryError:
        return ("error", "QueryMemoryExceeded", "the query needed more memory than allowed", {})
    except Exception as exc:  # an engine error: report it, keep serving
        traceback.print_exc()
        return ("error", "KgError", f"{type(exc).__name__}: {exc}", {})


def _become_worker(store: Replica, socket_path: str, memory_mb: int, version: int) -> None:
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when workers stop
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(2, 1)  # never write into the zygote's channel
    limit = _vm_size() + memory_mb * MiB
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(socket_path)
    try:
        serve_requests(store, conn, version)
    finally:
        os._exit(0)


def run_zygote(
    socket_path: str,
    dumps: list[str],
    version: int,
    memory_mb: int,
    shapes: bool = False,
    default_copy: bool = False,
    named_copy: bool = False,
    merge: list[str] | None = None,
    graphs: str | None = None,
) -> None:
    global _GATE
    if shapes:  # parsed once here, so every forked worker has them
        from kg.validation import ShaclGate, load_shapes

        _GATE = ShaclGate(load_shapes()).prepare()
    full = ox.Store()
    for dump in dumps:
        # parse() keeps blank node labels, so later deltas name the same nodes as the primary.
        full.extend(ox.parse(path=dump, format=NQ))
    if graphs:  # the named graphs, the empty ones included
        for graph in read_graph_names(graphs):
            full.add_graph(graph)
    store = Replica(full, default_copy, named_copy, merge)
    stdin: BinaryIO = os.fdopen(0, "rb", buffering=0)
    stdout: BinaryIO = os.fdopen(os.dup(1), "wb", buffering=0)

    def emit(*event: Any) -> None:
        stdout.write(wire.pack(event))

    emit("ready", version)
    while True:
        readable, _, _ = select.select([stdin], [], [], 0.2)
        _reap(emit)
        if not readable:
            continue
        try:
            message = wire.read_blocking(stdin)
        except EOFError:
            return
        if message[0] == "fork":
            pid = os.fork()
            if pid == 0:
                _become_worker(store, socket_path, memory_mb, version)
            emit("forked", pid, version)
        elif message[0] == "delta":
            store.apply(message[1])
            version = message[1].version
            emit("applied", version)
        elif message[0] == "exit":
            return


def _reap(emit: Any) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        emit("exited", pid, os.waitstatus_to_exitcode(status))


def command(
    socket_path: str,
    version: int,
    memory_mb: int,
    dumps: Sequence[Path],
    graphs: Path | None,
    merge: Sequence[str] | None,
    shapes: bool,
    copies: Copies,
) -> list[str]:
    """The command line that starts a zygote (see :func:`main` for what each part means)."""
    args = [sys.executable, "-P", "-m", "kg.store.zygote", "--socket", socket_path]
    args += ["--version", str(version), "--memory-mb", str(memory_mb)]
    for dump in dumps:
        args += ["--dump", str(dump)]
    if graphs is not None:
        args += ["--graphs", str(graphs)]
    if merge is not None:
        args.append("--merge-default")
        for graph in merge:
            args += ["--unmerged", graph]
    if shapes:
        args.append("--shapes")
    if copies.default:
        args.append("--default-copy")
    if copies.named:
        args.append("--named-copy")
    return args


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="kg.store.zygote")
    parser.add_argument("--socket", required=True)
    parser.add_argument("--dump", action="append", default=[], help="N-Quads (repeatable)")
    parser.add_argument("--graphs", help="the named graphs' names, one a line")
    parser.add_argument(
        "--merge-default",
        action="store_true",
        help="the dumps leave out the default graph: fill it with the named graphs' merge",
    )
    parser.add_argument(
        "--unmerged", action="append", default=[], help="a graph left out of that merge"
    )
    parser.add_argument("--version", type=int, default=0)
    parser.add_argument("--memory-mb", type=int, default=1024)
    parser.add_argument("--shapes", action="store_true", help="validate writes with our shapes")
    parser.add_argument(
        "--default-copy", action="store_true", help="keep the default graph alone as well"
    )
    parser.add_argument(
        "--named-copy", action="store_true", help="keep the named graphs alone as well"
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group; parent leads
    try:
        run_zygote(
            args.socket,
            args.dump,
            args.version,
            args.memory_mb,
            args.shapes,
            args.default_copy,
            args.named_copy,
            args.unmerged if args.merge_default else None,
            args.graphs,
        )
    finally:
        # Workers are our children: end them with us.
        os.killpg(0, signal.SIGKILL) if os.getpgid(0) == os.getpid() else None
        sys.exit(0)


if __name__ == "__main__":
    main()
