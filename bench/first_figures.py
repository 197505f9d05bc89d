"""First figures for the foundation, measured in one run on this machine.

1. Load throughput: N generated triples through ``kg load --no-validate`` (all-or-nothing),
   beside pyoxigraph's own ``Store.load`` and ``bulk_load`` on the same file.
2. Point-lookup latency: the same lookups (the text varies per request) through ``/sparql`` of a
   real ``kg serve`` (one connection, sequential) and by pyoxigraph called in process.

Usage: ``python bench/first_figures.py [--triples 1000000] [--lookups 2000]``; writes
``bench/results/first-figures.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
EX = "https://w3id.org/osec-kg/id/"


def generate(path: Path, n: int) -> None:
    with path.open("w") as fh:
        for i in range(n // 4):
            s = f"<{EX}organization/org-{i}>"
            g = f"<{EX}source/src-{i % 100}>"
            fh.write(
                f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/ns/org#Organization> {g} .\n"
            )
            fh.write(f'{s} <http://www.w3.org/2000/01/rdf-schema#label> "Organization {i}" {g} .\n')
            fh.write(
                f"{s} <http://www.w3.org/ns/org#subOrganizationOf> <{EX}organization/org-{i // 10}> {g} .\n"
            )
            fh.write(
                f'{s} <http://schema.org/foundingDate> "{1950 + i % 70}-01-01"^^<http://www.w3.org/2001/XMLSchema#date> {g} .\n'
            )


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def lookup(i: int) -> str:
    return f"SELECT ?p ?o WHERE {{ <{EX}organization/org-{i}> ?p ?o }}"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--triples", type=int, default=1_000_000)
    ap.add_argument("--lookups", type=int, default=2000)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kg-bench-"))
    try:
        data = work / "data.nq"
        generate(data, args.triples)
        n = sum(1 for _ in data.open())
        env = {
            **os.environ,
            "KG_STORE": f"oxigraph://{work / 'kg'}",
            "KG_LOAD_BUNDLED_DATA": "false",
        }
        kg_load = timed(
            lambda: subprocess.run(
                [sys.executable, "-m", "kg.cli", "load", "--no-validate", str(data)],
                env=env,
                check=True,
                capture_output=True,
            )
        )
        ox_load = timed(
            lambda: ox.Store(str(work / "ox-load")).load(
                path=str(data), format=ox.RdfFormat.N_QUADS
            )
        )
        ox_bulk = timed(
            lambda: ox.Store(str(work / "ox-bulk")).bulk_load(
                path=str(data), format=ox.RdfFormat.N_QUADS
            )
        )

        mem = ox.Store()
        mem.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        ids = [random.Random(7).randrange(n // 4) for _ in range(args.lookups)]
        in_process = []
        for i in ids:
            t0 = time.perf_counter()
            mem.query(lookup(i), use_default_graph_as_union=True).serialize(
                format=ox.QueryResultsFormat.JSON
            )
            in_process.append(time.perf_counter() - t0)

        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "kg.cli",
                "serve",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline:
                try:
                    if httpx.get(url + "/health", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.2)
            over_http = []
            with httpx.Client() as client:
                for i in ids[:50]:
                    client.get(url + "/sparql", params={"query": lookup(i)})
                for i in ids:
                    t0 = time.perf_counter()
                    r = client.get(url + "/sparql", params={"query": lookup(i)})
                    over_http.append(time.perf_counter() - t0)
                    assert r.status_code == 200
        finally:
            server.terminate()
            server.wait(60)

        def ms(xs: list[float]) -> dict[str, float]:
            xs = sorted(xs)
            return {
                "median_ms": round(statistics.median(xs) * 1000, 3),
                "p99_ms": round(xs[int(len(xs) * 0.99) - 1] * 1000, 3),
            }

        result = {
            "machine": {
                "cpus": os.cpu_count(),
                "python": platform.python_version(),
                "pyoxigraph": ox.__version__ if hasattr(ox, "__version__") else "0.5",
            },
            "triples": n,
            "load_seconds": {
                "kg load --no-validate (copy, bulk load, merge, swap; disk)": round(kg_load, 2),
                "pyoxigraph Store.load (disk)": round(ox_load, 2),
                "pyoxigraph bulk_load (disk)": round(ox_bulk, 2),
            },
            "load_triples_per_second": {
                "kg load": round(n / kg_load),
                "pyoxigraph Store.load": round(n / ox_load),
                "pyoxigraph bulk_load": round(n / ox_bulk),
            },
            "point_lookup": {
                "in process (pyoxigraph in memory)": ms(in_process),
                "through /sparql (kg serve, 1 connection)": ms(over_http),
            },
        }
        result["point_lookup_added_ms"] = round(
            result["point_lookup"]["through /sparql (kg serve, 1 connection)"]["median_ms"]
            - result["point_lookup"]["in process (pyoxigraph in memory)"]["median_ms"],
            3,
        )
        out = ROOT / "bench" / "results" / "first-figures.json"
        out.write_text(json.dumps(result, indent=2) + "\n")
        print(json.dumps(result, indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
