"""First figures for the foundation, measured in one run on this machine.

1. Load throughput: N triples from ``bench.generate`` through ``kg load --no-validate``
   (all-or-nothing, with the merged default graph and the entailments) and pyoxigraph's own
   ``bulk_load`` on the same file, each in a fresh process, interleaved over ``--rounds``
   rounds (the machine is shared: wall and CPU seconds of each run are kept, the medians
   reported); pyoxigraph's ``Store.load`` once beside them.
2. Point-lookup latency: the same lookups (the text varies per request) through ``/sparql`` of a
   real ``kg serve`` (one connection, sequential) and by pyoxigraph called in process.

Usage: ``python bench/first_figures.py [--triples 1000000] [--rounds 3] [--lookups 2000]``;
writes ``bench/results/first-figures.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
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
    subprocess.run(
        [sys.executable, "-m", "bench.generate", "--triples", str(n), "--out", str(path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def measured(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall and CPU seconds (user + system, all threads) of ``cmd`` in a fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu}


def ox_bulk_load(store: Path, data: Path) -> list[str]:
    code = (
        "import sys, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
        "s.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_QUADS); s.flush()"
    )
    return [sys.executable, "-c", code, str(store), str(data)]


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
    ap.add_argument("--rounds", type=int, default=3)
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
        kg_cmd = [sys.executable, "-m", "kg.cli", "load", "--no-validate", str(data)]
        loadavg = [round(os.getloadavg()[0], 2)]
        runs: dict[str, list[dict[str, float]]] = {"kg": [], "bulk": []}
        for r in range(args.rounds):
            for name in ("bulk", "kg") if r % 2 == 0 else ("kg", "bulk"):
                if name == "kg":  # the store is a link to its current folder
                    for old in work.glob("kg.*"):
                        shutil.rmtree(old, ignore_errors=True)
                    (work / "kg").unlink(missing_ok=True)
                else:
                    shutil.rmtree(work / "ox-bulk", ignore_errors=True)
                cmd = kg_cmd if name == "kg" else ox_bulk_load(work / "ox-bulk", data)
                runs[name].append(measured(cmd, env if name == "kg" else None))
            loadavg.append(round(os.getloadavg()[0], 2))
        ox_load = timed(
            lambda: ox.Store(str(work / "ox-load")).load(
                path=str(data), format=ox.RdfFormat.N_QUADS
            )
        )
        shutil.rmtree(work / "ox-load", ignore_errors=True)
        kg_load = statistics.median(x["wall"] for x in runs["kg"])
        ox_bulk = statistics.median(x["wall"] for x in runs["bulk"])

        mem = ox.Store()
        mem.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
        orgs = sum(
            1
            for line in data.open()
            if line.startswith(f"<{EX}organization/") and "22-rdf-syntax-ns#type" in line
        )
        rng = random.Random(7)
        ids = [rng.randrange(orgs) for _ in range(args.lookups)]
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
            "data": f"python -m bench.generate --triples {args.triples}",
            "load_seconds": {
                "kg load --no-validate (copy, one bulk stream with the default graph and "
                "entailments, swap; disk)": round(kg_load, 2),
                "pyoxigraph Store.load (disk)": round(ox_load, 2),
                "pyoxigraph bulk_load (disk)": round(ox_bulk, 2),
            },
            "load_runs": {
                "order": "interleaved, a fresh process each; medians above",
                "load_average_1min": loadavg,
                "kg load": [{k: round(v, 2) for k, v in x.items()} for x in runs["kg"]],
                "pyoxigraph bulk_load": [
                    {k: round(v, 2) for k, v in x.items()} for x in runs["bulk"]
                ],
                "kg_over_bulk_load": {
                    "wall": round(kg_load / ox_bulk, 2),
                    "cpu": round(
                        statistics.median(x["cpu"] for x in runs["kg"])
                        / statistics.median(x["cpu"] for x in runs["bulk"]),
                        2,
                    ),
                },
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
