"""A/B of ``kg serve`` variants on one store: the same load, one variant at a time, interleaved.

A variant is a name and a ``PYTHONPATH`` prefix (a patched copy of ``kg``/``api``, or extra
packages such as httptools and uvloop), so a proposal can be measured without touching the
working tree; the value ``@oxigraph`` names the reference instead, ``oxigraph serve
--union-default-graph`` on the same data. Each round runs every variant once (sequential point
lookups, then ``wrk`` at 32 connections); rounds interleave the variants so that a machine
whose load drifts shifts them alike. The load average is recorded with each measurement, and
the CPU per request is split between the process that speaks HTTP and its children (query
workers), which noise distorts less than requests per second.

    python -m bench.ab_serve --triples 100k --rounds 3 \\
        base=/tmp/base work= oxigraph=@oxigraph
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import plan as qplan
from bench.generate import generate, parse_size
from bench.harness import (
    ROOT,
    Client,
    PeakMemory,
    free_port,
    loadavg,
    server,
    tree_cpu_s,
    wait_ready,
)
from bench.loadgen import paths_for, run_load

OXIGRAPH = "@oxigraph"


def own_cpu_s(pid: int) -> float:
    import psutil

    t = psutil.Process(pid).cpu_times()
    return float(t.user + t.system)


def measure(
    env: dict[str, str],
    texts: list[str],
    cfg: argparse.Namespace,
    log: Path,
    oxigraph: Path | None = None,
) -> dict:
    port = free_port()
    if oxigraph is not None:
        exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
        cmd = [exe, "serve", "--location", str(oxigraph), "--bind", f"127.0.0.1:{port}"]
        cmd += ["--union-default-graph"]
        path = "/query"
    else:
        # -P: the server's working directory (the checkout) must not shadow the variant's tree
        cmd = [sys.executable, "-P", "-m", "kg.cli", "serve", "--port", str(port)]
        cmd += ["--log-level", "warning"]
        path = "/sparql"
    with server(cmd, env, log) as proc, PeakMemory(proc.pid):
        wait_ready(port, path, proc, 300)
        c = Client(port, path)
        c.prepare(texts[: max(50, cfg.lookups)], "SELECT")
        for t in texts[:50]:
            c.query(t, "SELECT")
        lat = []
        for t in texts[: cfg.lookups]:
            t0 = time.perf_counter()
            c.query(t, "SELECT")
            lat.append(time.perf_counter() - t0)
        c.close()
        la0 = loadavg()
        cpu0, own0 = tree_cpu_s(proc.pid), own_cpu_s(proc.pid)
        thr = run_load(f"http://127.0.0.1:{port}", paths_for(path, texts), 32, cfg.duration, "auto")
        cpu, own = tree_cpu_s(proc.pid) - cpu0, own_cpu_s(proc.pid) - own0
    n = max(1, thr["requests"])
    return {
        "lookup_median_ms": round(statistics.median(lat) * 1000, 3),
        "rps": thr["rps"],
        "p99_ms": thr["p99_ms"],
        "errors": thr["errors"],
        "server_cpu_ms_per_request": round(cpu * 1000 / n, 3),
        "http_process_cpu_ms_per_request": round(own * 1000 / n, 3),
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
        oxigraph = None
        if any(path == OXIGRAPH for _, path in variants):
            exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
            oxigraph = Path(tmp) / "oxigraph"
            subprocess.run(
                [exe, "load", "--location", str(oxigraph), "--file", str(data)],
                check=True,
                capture_output=True,
            )
        for r in range(cfg.rounds):
            for name, path in variants:
                venv = {**env, "PYTHONPATH": path} if path and path != OXIGRAPH else env
                log = Path(tmp) / f"{name}-{r}.log"
                res = measure(venv, texts, cfg, log, oxigraph if path == OXIGRAPH else None)
                results[name].append(res)
                print(name, r, res, flush=True)
    summary = {
        name: {
            key: round(statistics.median(x[key] for x in runs), 3)
            for key in (
                "lookup_median_ms",
                "rps",
                "p99_ms",
                "server_cpu_ms_per_request",
                "http_process_cpu_ms_per_request",
            )
        }
        for name, runs in results.items()
    }
    if OXIGRAPH in dict(variants).values():
        ref = next(name for name, path in variants if path == OXIGRAPH)
        for s in summary.values():
            s["rps_over_oxigraph"] = round(s["rps"] / max(summary[ref]["rps"], 1e-9), 3)
    out = {"triples": triples, "variants": dict(variants), "summary": summary, "runs": results}
    print(json.dumps(summary, indent=2))
    if cfg.out:
        cfg.out.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
