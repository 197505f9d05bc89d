"""``kg serve`` as a real process on a free loopback port, queried over HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time

import httpx
import psutil
import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

HEAVY = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_serves_the_bundled_graph_and_survives_a_restart(server_factory):
    srv = server_factory()
    r = httpx.get(srv.url + "/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/sparql-results+json")
    assert r.json()["boolean"] is True
    # the README's example query answers from the bundled graph, each row with its source
    readme = (ROOT / "README.md").read_text()
    example = readme.split("--data-urlencode 'query=", 1)[1].split("'\n```", 1)[0]
    r = httpx.post(srv.url + "/sparql", data={"query": example}, headers={"accept": "text/csv"})
    rows = r.text.strip().splitlines()
    assert r.status_code == 200 and rows[0] == "law,label,source" and len(rows) == 6, r.text
    n = httpx.get(
        srv.url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}
    ).json()
    assert srv.stop() == 0
    again = server_factory()
    n2 = httpx.get(
        again.url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}
    ).json()
    assert n2 == n  # same data, not loaded twice


def test_malformed_sparql_is_a_400_problem(server_factory):
    srv = server_factory()
    r = httpx.get(srv.url + "/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert r.status_code == 400
    assert r.headers["content-type"] == "application/problem+json"
    doc = r.json()
    assert doc["status"] == 400 and doc["line"] == 1 and doc["column"] > 10 and "detail" in doc


def test_safe_defaults(server_factory):
    srv = server_factory()
    r = httpx.get(srv.url + "/health")
    health = r.json()
    assert health["workers"] == 2 and health["read_only"] is True
    assert "server" not in r.headers and "date" in r.headers  # no software banner
    r = httpx.post(
        srv.url + "/sparql", data={"update": "INSERT DATA { GRAPH <x:g> { <x:a> <x:b> <x:c> } }"}
    )
    assert r.status_code == 403
    r = httpx.get(
        srv.url + "/sparql",
        params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"},
    )
    assert r.status_code == 403


def test_timeout_stops_the_query_and_its_cpu_while_lookups_keep_answering(tmp_path, server_factory):
    # 100k triples in an on-disk store, loaded with the CLI before the server starts
    data = tmp_path / "big.nq"
    with data.open("w") as fh:
        for i in range(100_000):
            fh.write(
                f'<http://example.org/s{i}> <http://example.org/p> "{i}" <http://example.org/g> .\n'
            )
    store = f"oxigraph://{tmp_path / 'store'}"
    env = {**os.environ, "KG_STORE": store, "KG_LOAD_BUNDLED_DATA": "false"}
    subprocess.run(
        [sys.executable, "-m", "kg.cli", "load", str(data)], env=env, cwd=ROOT, check=True
    )
    srv = server_factory("--store", store, "--timeout", "2", env={"KG_LOAD_BUNDLED_DATA": "false"})
    server = psutil.Process(srv.proc.pid)
    heavy: dict = {}

    def run_heavy():
        t0 = time.monotonic()
        heavy["response"] = httpx.get(srv.url + "/sparql", params={"query": HEAVY}, timeout=30)
        heavy["seconds"] = time.monotonic() - t0

    thread = threading.Thread(target=run_heavy)
    thread.start()
    latencies = []
    with httpx.Client() as client:
        while thread.is_alive():
            i = len(latencies) % 100_000
            t0 = time.monotonic()
            r = client.get(
                srv.url + "/sparql",
                params={"query": f"SELECT ?o {{ <http://example.org/s{i}> ?p ?o }}"},
            )
            latencies.append(time.monotonic() - t0)
            assert r.status_code == 200 and r.json()["results"]["bindings"][0]["o"]["value"] == str(
                i
            )
            time.sleep(0.01)
    thread.join()
    assert heavy["response"].status_code == 503
    assert heavy["response"].headers["content-type"] == "application/problem+json"
    assert "timeout" in heavy["response"].json()["detail"]
    assert heavy["seconds"] <= 3.0
    assert len(latencies) > 20 and max(latencies) < 0.1, max(latencies)
    # nothing under the server is still burning CPU
    time.sleep(0.5)
    procs = [server, *server.children(recursive=True)]
    for p in procs:
        p.cpu_percent(None)
    time.sleep(1.0)
    busy = {p.pid: p.cpu_percent(None) for p in procs if p.is_running()}
    assert all(v < 20 for v in busy.values()), busy


def test_sigterm_shuts_down_cleanly(server_factory):
    srv = server_factory()
    children = psutil.Process(srv.proc.pid).children(recursive=True)
    assert children  # zygote and workers
    srv.proc.terminate()
    assert srv.proc.wait(30) == 0
    time.sleep(0.5)
    assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
    assert "Application shutdown complete" in srv.log.read_text()


def serve_until_exit(tmp_path, *args: str, timeout: float) -> subprocess.CompletedProcess:
    """``kg serve`` run to its end (for starts that must fail)."""
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", "serve", *args],
        env={**os.environ, "KG_DATA_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def test_a_port_already_taken_is_a_clear_error_with_exit_code_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = serve_until_exit(tmp_path, "--store", "memory:", "--port", str(port), timeout=120)
    assert proc.returncode == 2
    assert "address already in use" in proc.stderr


def test_an_unknown_log_level_is_refused_before_anything_starts(tmp_path):
    proc = serve_until_exit(tmp_path, "--log-level", "loud", timeout=60)
    assert proc.returncode == 2
    assert "--log-level" in proc.stderr and not (tmp_path / "store").exists()
