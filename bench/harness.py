"""The harness the benchmark's engines share: ports, servers started and awaited, peak memory
and CPU of a process tree, one keep-alive HTTP client, and a query mix measured over HTTP."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from httptools import HttpResponseParser

from bench.loadgen import paths_for, run_load
from bench.timing import cpu_per_call, run_series

ROOT = Path(__file__).resolve().parent.parent
THROUGHPUT_QUERY = "01-point-lookup"
ACCEPT = {
    "SELECT": "application/sparql-results+json",
    "ASK": "application/sparql-results+json",
    "CONSTRUCT": "application/n-triples",
    "DESCRIBE": "application/n-triples",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def code_state() -> dict[str, Any]:
    """The commit measured, and whether kg/ or api/ had uncommitted changes at the time."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "kg", "api"], cwd=ROOT, capture_output=True, text=True
        ).stdout.split("\n")
        return {"commit": head, "uncommitted_in_kg_api": [d[3:] for d in dirty if d.strip()]}
    except OSError:
        return {}


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# -- memory of a process tree ------------------------------------------------------------


class PeakMemory:
    """Samples the summed PSS (RSS where PSS is unreadable) of a process and its children."""

    def __init__(self, pid: int, every_s: float = 0.25) -> None:
        self.pid, self.every_s, self.peak_mib = pid, every_s, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> float:
        import psutil

        try:
            root = psutil.Process(self.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return 0.0
        total = 0
        for p in procs:
            try:
                try:
                    total += p.memory_full_info().pss
                except (psutil.AccessDenied, AttributeError):
                    total += p.memory_info().rss
            except psutil.Error:
                pass
        return total / 2**20

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_mib = max(self.peak_mib, self._sample())
            self._stop.wait(self.every_s)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)


# -- HTTP --------------------------------------------------------------------------------


class _Response:
    """httptools callbacks for one response: its size, the start of its body, its end."""

    def __init__(self, parser_class: Any) -> None:
        self.parser = parser_class(self)
        self.size, self.head = 0, b""
        self.headers_done = self.complete = self.keep_alive = False
        self.framed = False  # a Content-Length or a chunked body: it ends by itself
        self.retry = False  # the server had closed the kept connection: send again

    def on_header(self, name: bytes, value: bytes) -> None:
        name = name.lower()
        if name == b"content-length" or (
            name == b"transfer-encoding" and b"chunked" in value.lower()
        ):
            self.framed = True

    def on_headers_complete(self) -> None:
        self.headers_done = True

    def on_body(self, body: bytes) -> None:
        if len(self.head) < 200:
            self.head += body[:200]
        self.size += len(body)

    def on_message_complete(self) -> None:
        self.complete = True
        # asked here: once the message is done the parser has reset, and answers no
        self.keep_alive = self.parser.should_keep_alive()


class Client:
    """One keep-alive connection: a raw socket, the request written whole, the response parsed
    by httptools (C, the parser uvicorn uses).

    The per-request figures are the server's time plus the client's, so the client must be
    lean: ``http.client`` spends ~0.3 ms of CPU a request (its headers go through the
    ``email`` package), more than half the 0.5 ms a point lookup may add over in process.
    ``cpu_s`` sums this client's own CPU time (the calling thread's) for the record.

    A request on a kept connection that the server has closed meanwhile (no byte of an answer
    came) is sent once more on a new one: a GET is safe to repeat.
    """

    def __init__(self, port: int, path: str, timeout: float = 60.0) -> None:
        self.port, self.path, self.timeout = port, path, timeout
        self.sock: socket.socket | None = None
        self.cpu_s = 0.0
        self.connections = 0
        self._encoded: dict[tuple[str, str], bytes] = {}

    def _connect(self) -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=self.timeout)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.connections += 1
        return sock

    def prepare(self, texts: list[str], form: str) -> None:
        """Encode the requests for ``texts`` now, outside the timed calls (percent-encoding a
        point lookup's text costs ~50 us), as ``wrk`` does with its paths."""
        for text in texts:
            self._request(text, form)

    def _request(self, text: str, form: str) -> bytes:
        request = self._encoded.get((text, form))
        if request is None:
            request = self._encoded[text, form] = (
                f"GET {self.path}?query={quote(text, safe='')} HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{self.port}\r\nAccept: {ACCEPT[form]}\r\n\r\n"
            ).encode()
        return request

    def query(self, text: str, form: str) -> int:
        cpu0 = time.thread_time()
        request = self._request(text, form)
        try:
            response = self._exchange(request)
            if response.retry:
                response = self._exchange(request)
        finally:
            self.cpu_s += time.thread_time() - cpu0
        status = response.parser.get_status_code()
        if status != 200:
            raise RuntimeError(f"HTTP {status}: {response.head[:200]!r}")
        return response.size

    def _exchange(self, request: bytes) -> _Response:
        response = _Response(HttpResponseParser)
        reused, got = self.sock is not None, False
        try:
            if self.sock is None:
                self.sock = self._connect()
            self.sock.sendall(request)
            while not response.complete:
                data = self.sock.recv(262144)
                if not data:
                    if response.headers_done and not response.framed:
                        break  # a body that the end of the connection ends
                    raise ConnectionError("the server closed the connection mid-response")
                got = True
                response.parser.feed_data(data)
            if not response.keep_alive:
                self.close()
        except ConnectionError:
            self.close()
            if reused and not got:
                response.retry = True
                return response
            raise
        except BaseException:  # a timeout, a parse error, an interrupt: never reuse the socket
            self.close()
            raise
        return response

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def tree_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its live children."""
    import psutil

    try:
        root = psutil.Process(pid)
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for p in procs:
        with contextlib.suppress(psutil.Error):
            t = p.cpu_times()
            total += t.user + t.system
    return total


def wait_ready(port: int, path: str, proc: subprocess.Popen[Any], limit_s: float) -> float:
    """Seconds until ``path`` answers a query; raises if the server exits or ``limit_s`` passes."""
    t0 = time.perf_counter()
    deadline = t0 + limit_s
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode} while starting")
        try:
            c = Client(port, path, timeout=5)
            c.query("ASK { ?s ?p ?o }", "ASK")
            c.close()
            return time.perf_counter() - t0
        except Exception:
            time.sleep(0.1)
    raise RuntimeError(f"server not ready within {limit_s:g} s")


@contextlib.contextmanager
def server(cmd: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[Any]]:
    with log.open("wb") as fh:
        proc = subprocess.Popen(
            cmd, env=env, cwd=ROOT, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            yield proc
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(10)


# -- one engine --------------------------------------------------------------------------


def measure_http(
    name: str,
    port: int,
    path: str,
    proc: subprocess.Popen[Any],
    cfg: argparse.Namespace,
    workload: dict[str, Any],
    after: Callable[[int], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Per-query latency, then throughput, then ``after(port)``, under one peak-memory watch."""
    out: dict[str, Any] = {}
    with PeakMemory(proc.pid) as mem:
        out["ready_s"] = round(wait_ready(port, path, proc, cfg.start_limit), 3)
        client = Client(port, path, timeout=cfg.request_timeout)
        queries = {}
        for q in workload["queries"]:
            texts = workload["texts"][q.name]
            client.prepare(texts, q.form)
            cpu0, own0 = tree_cpu_s(proc.pid), client.cpu_s
            series = run_series(
                lambda t, form=q.form: client.query(t, form), texts, cfg.reps, cfg.budget
            )
            series["server_cpu_ms"] = cpu_per_call(tree_cpu_s(proc.pid) - cpu0, series)
            series["client_cpu_ms"] = cpu_per_call(client.cpu_s - own0, series)
            queries[q.name] = series
        client.close()
        out["queries"] = queries
        if cfg.duration > 0:
            paths = paths_for(path, workload["throughput_texts"])
            try:
                cpu0 = tree_cpu_s(proc.pid)
                out["throughput"] = run_load(
                    f"http://127.0.0.1:{port}", paths, cfg.connections, cfg.duration, cfg.tool
                )
                n = out["throughput"].get("requests") or 0
                cpu = tree_cpu_s(proc.pid) - cpu0
                # CPU per request is what a busy machine distorts least
                out["throughput"]["server_cpu_ms_per_request"] = (
                    round(cpu * 1000 / n, 3) if n else None
                )
            except Exception as exc:
                out["throughput"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        if after is not None:
            out.update(after(port))
    out["peak_memory_mib"] = round(mem.peak_mib, 1)
    return out
