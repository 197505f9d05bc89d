"""A/B of ``kg serve`` variants on one store: the same load, one variant at a time, interleaved.

A variant is a name and a ``PYTHONPATH`` prefix (a patched copy of ``kg``/``api``, or extra
packages such as httptools and uvloop), so a proposal can be measured without touching the
working tree. Each round runs every variant once (sequential point lookups, then ``wrk`` at 32
connections); rounds interleave the variants so that a machine whose load drifts shifts them
alike. The load average is recorded with each measurement.

    python -m bench.ab_serve --triples 100k --rounds 3 \\
        base= httptools=/tmp/extra patched=/tmp/pw:/tmp/extra
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import plan as qplan
from bench.generate import generate, parse_size
from bench.loadgen import paths_for, run_load
from bench.run import ROOT, Client, PeakMemory, free_port, loadavg, server, tree_cpu_s, wait_ready


def measure(env: dict[str, str], texts: list[str], cfg: argparse.Namespace, log: Path) -> dict:
    port = free_port()
    cmd = [sys.executable, "-m", "kg.cli", "serve", "--port", str(port), "--log-level", "warning"]
    with server(cmd, env, log) as proc, PeakMemory(proc.pid):
        wait_ready(port, "/sparql", proc, 300)
        c = Client(port, "/sparql")
        for t in texts[:50]:
            c.query(t, "SELECT")
        lat = []
        for t in texts[: cfg.lookups]:
            t0 = time.perf_counter()
            c.query(t, "SELECT")
            lat.append(time.perf_counter() - t0)
        c.close()
        la0 = loadavg()
        cpu0 = tree_cpu_s(proc.pid)
        thr = run_load(
            f"http://127.0.0.1:{port}", paths_for("/sparql", texts), 32, cfg.duration, "auto"
        )
        cpu = tree_cpu_s(proc.pid) - cpu0
    return {
        "lookup_median_ms": round(statistics.median(lat) * 1000, 3),
        "rps": thr["rps"],
        "p99_ms": thr["p99_ms"],
        "errors": thr["errors"],
        "server_cpu_ms_per_request": round(cpu * 1000 / max(1, thr["requests"]), 3),
        "loadavg": [la0, loadavg()],
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="bench.ab_serve")
    ap.add_argument("variants", nargs="+", help="NAME=PYTHONPATH (empty: the working tree)")
    ap.add_argument("--triples", default="100k")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=float, default=8.0)
    ap.add_argument("--lookups", type=int, default=500)
    ap.add_argument("--out", type=Path)
    cfg = ap.parse_args(argv)
    variants = [v.split("=", 1) for v in cfg.variants]
    triples = parse_size(cfg.triples)
    query = next(q for q in qplan.load_queries() if q.name == "01-point-lookup")
    texts = qplan.texts(query, triples, 5000, 43)
    results: dict[str, list[dict]] = {name: [] for name, _ in variants}
    with tempfile.TemporaryDirectory(prefix="kg-ab-") as tmp:
        data = Path(tmp) / "g.nq"
        generate(data, triples)
        store = Path(tmp) / "store"
        env = {**os.environ, "KG_STORE": f"oxigraph://{store}", "KG_LOAD_BUNDLED_DATA": "false"}
        subprocess.run(
            [sys.executable, "-m", "kg.cli", "load", "--no-validate", str(data)],
            env=env,
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        for r in range(cfg.rounds):
            for name, path in variants:
                venv = {**env, "PYTHONPATH": path} if path else env
                res = measure(venv, texts, cfg, Path(tmp) / f"{name}-{r}.log")
                results[name].append(res)
                print(name, r, res, flush=True)
    summary = {
        name: {
            key: round(statistics.median(x[key] for x in runs), 3)
            for key in ("lookup_median_ms", "rps", "p99_ms", "server_cpu_ms_per_request")
        }
        for name, runs in results.items()
    }
    out = {"triples": triples, "variants": dict(variants), "summary": summary, "runs": results}
    print(json.dumps(summary, indent=2))
    if cfg.out:
        cfg.out.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
