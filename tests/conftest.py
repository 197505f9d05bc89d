"""Shared fixtures: small real datasets, real stores, free ports, a real server process."""

from __future__ import annotations

import gc
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

EX = "http://example.org/"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _unfreeze_gc() -> Iterator[None]:
    """An app started in this process freezes what start-up built (``gc.freeze``), which is
    right for a server process, not for a test run that starts many: give it back after."""
    yield
    if gc.get_freeze_count():
        gc.unfreeze()


def quad(s: str, p: str, o: str | int, g: str = "g1") -> ox.Quad:
    obj = ox.Literal(o) if isinstance(o, (str, int)) and not str(o).startswith("ex:") else None
    if isinstance(o, str) and o.startswith("ex:"):
        obj = ox.NamedNode(EX + o[3:])
    elif isinstance(o, int):
        obj = ox.Literal(str(o), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert obj is not None
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + p), obj, ox.NamedNode(EX + g))


def numbered(n: int, graph: str = "g1") -> list[ox.Quad]:
    """``n`` quads: ex:i ex:value i, in one graph."""
    return [quad(f"s{i}", "value", i, graph) for i in range(n)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """``kg serve`` as a subprocess on a free loopback port."""

    def __init__(self, tmp: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / f"serve-{self.port}.log"
        full_env = {**os.environ, "KG_DATA_DIR": str(tmp / "data"), **(env or {})}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "serve", "--port", str(self.port), *args],
            env=full_env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()}")
            try:
                if httpx.get(self.url + "/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.05)
        raise TimeoutError(self.log.read_text())

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[type]:
    started: list[Server] = []

    def make(*args: str, env: dict[str, str] | None = None) -> Server:
        srv = Server(tmp_path, *args, env=env)
        started.append(srv)
        srv.wait_ready()
        return srv

    yield make  # type: ignore[misc]
    for srv in started:
        srv.stop()
