"""The 10M run: ``kg load --no-validate`` of a generated file, then ``kg serve`` on the store and
the 12 queries of ``bench/queries`` once each over ``/sparql``. Peak memory is the largest sum
of the RSS of the process and all its children, sampled every 0.5 s.

Usage: ``python bench/results/10M/measure.py DATA.nq DATA_DIR [--triples N] [--port P]``;
prints one JSON object.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from bench import plan  # noqa: E402


class Peak:
    """The peak RSS (MiB) of a process tree, sampled in a thread."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
                total = 0
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
                self.peak = max(self.peak, total / 2**20)
            except psutil.Error:
                pass
            time.sleep(0.5)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return round(self.peak)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("data_dir")
    ap.add_argument("--triples", type=int, default=10_000_000)
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()
    env = {
        **os.environ,
        "KG_DATA_DIR": args.data_dir,
        "KG_PORT": str(args.port),
        "KG_LOAD_BUNDLED_DATA": "false",
        "KG_QUERY_TIMEOUT": str(args.timeout),
    }
    env.pop("KG_STORE", None)
    out: dict = {"triples_requested": args.triples, "load_average_1min": [os.getloadavg()[0]]}

    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "load", "--no-validate", args.data],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    peak = Peak(proc.pid)
    _, err = proc.communicate()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    out["load"] = {
        "wall_s": round(time.perf_counter() - t0, 1),
        "cpu_s": round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 1),
        "peak_rss_mib": peak.stop(),
        "exit": proc.returncode,
        "message": err.decode().strip().splitlines()[-1:],
    }
    out["load_average_1min"].append(os.getloadavg()[0])
    print(json.dumps(out), flush=True)
    if proc.returncode:
        return

    t0 = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "serve", "--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    peak = Peak(server.pid)
    url = f"http://127.0.0.1:{args.port}"
    try:
        deadline = time.monotonic() + 1200
        while time.monotonic() < deadline:
            try:
                if httpx.get(url + "/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None:
                raise RuntimeError("kg serve exited")
            time.sleep(0.5)
        out["serve_ready_s"] = round(time.perf_counter() - t0, 1)
        queries = []
        with httpx.Client(timeout=args.timeout + 30) as client:
            for q in plan.load_queries():
                text = plan.texts(q, args.triples, 1, 42)[0]
                accept = "application/sparql-results+json" if q.form == "SELECT" else "text/turtle"
                t1 = time.perf_counter()
                r = client.post(url + "/sparql", data={"query": text}, headers={"Accept": accept})
                queries.append(
                    {
                        "query": q.name,
                        "seconds": round(time.perf_counter() - t1, 3),
                        "status": r.status_code,
                        "bytes": len(r.content),
                        "truncated": r.headers.get("x-kg-truncated"),
                    }
                )
                print(json.dumps(queries[-1]), flush=True)
        out["queries"] = queries
    finally:
        server.terminate()
        try:
            server.wait(120)
        except subprocess.TimeoutExpired:
            server.kill()
        out["serve_peak_rss_mib"] = peak.stop()
        out["load_average_1min"].append(os.getloadavg()[0])
    print(json.dumps(out, indent=2), flush=True)


if __name__ == "__main__":
    main()
