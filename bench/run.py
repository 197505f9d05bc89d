"""The benchmark: every engine on the same graphs and the same query mix, one at a time, in one run.

    python -m bench.run --sizes 10k,100k --out bench/results/

Engines (``--engines``, default all):

- ``kg``: ``kg load --no-validate`` then ``kg serve`` at its defaults (query workers, SHACL
  gate, bearer-token auth, timeout, row cap), over HTTP on a free loopback port; also the gate
  on a small write and a full ``kg validate`` of the file.
- ``oxigraph-memory`` / ``oxigraph-disk``: pyoxigraph in process (``bulk_load``), the floor.
- ``oxigraph-memory-jemalloc``: the floor again with jemalloc preloaded, the allocator ``kg
  serve``'s query workers run with when it is installed: what pyoxigraph itself gains from it.
- ``oxigraph-serve``: ``oxigraph load`` then ``oxigraph serve --union-default-graph`` (PyPI
  ``oxigraph``), on disk.
- ``rdflib-endpoint``: the Python peer (PyPI ``rdflib-endpoint``), rdflib in memory.

For each: load time, peak memory, per-query latency (sequential, one keep-alive connection,
bounded in count and time), and for servers throughput with p50/p99 on varied point lookups
at ``--connections``. The load average is recorded at the start and end of each engine.
Writes ``results.json``, ``results.md`` and ``results.png`` under ``--out``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import plan as qplan
from bench.generate import generate, parse_size
from bench.harness import (  # noqa: F401  (re-exported for bench.ab_serve)
    ACCEPT,
    ROOT,
    THROUGHPUT_QUERY,
    Client,
    PeakMemory,
    code_state,
    free_port,
    loadavg,
    measure_http,
    server,
    tree_cpu_s,
    wait_ready,
)
from bench.loadgen import paths_for, run_load
from kg.store.alloc import jemalloc_path, worker_env

ENGINES = (
    "kg",
    "oxigraph-memory",
    "oxigraph-memory-jemalloc",
    "oxigraph-disk",
    "oxigraph-serve",
    "rdflib-endpoint",
)
TOKEN = "bench-write-token"


def gate_writes(port: int, cfg: argparse.Namespace) -> dict[str, Any]:
    """A small valid change (one new organization, 4 triples) through the gate, N times."""
    import httpx

    times = []
    status = None
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=cfg.request_timeout) as c:
        for i in range(cfg.gate_writes):
            s = f"<https://w3id.org/osec-kg/id/organization/bench-new-{i}>"
            update = (
                "PREFIX osec: <https://w3id.org/osec-kg/ontology#>\n"
                "INSERT DATA { GRAPH <https://w3id.org/osec-kg/id/source/gen-0> { "
                f'{s} a osec:NonGovernmentalOrganization ; <http://www.w3.org/2000/01/rdf-schema#label> "Bench {i}" ; '
                "osec:jurisdiction <https://w3id.org/osec-kg/id/country/c0> ; "
                "<http://www.w3.org/ns/org#subOrganizationOf> <https://w3id.org/osec-kg/id/organization/org-0> } }"
            )
            t0 = time.perf_counter()
            r = c.post(
                "/sparql",
                content=update,
                headers={
                    "Content-Type": "application/sparql-update",
                    "Authorization": f"Bearer {TOKEN}",
                },
            )
            times.append(time.perf_counter() - t0)
            status = r.status_code
    from bench.timing import summary_ms

    return {**summary_ms(times), "last_status": status, "triples_per_write": 4}


#: the query the result cache's figure repeats: an aggregate, as a dashboard sends
REPEATED_QUERY = "04-bills-per-party"


def repeated_query(port: int, cfg: argparse.Namespace, workload: dict[str, Any]) -> dict[str, Any]:
    """One aggregate sent again and again, one at a time, then from ``--connections`` (at
    most 5 s): what kg's result cache gives. Every other figure sends unique texts."""
    from bench.timing import run_series

    text = workload["texts"][REPEATED_QUERY][0]
    out: dict[str, Any] = {"query": REPEATED_QUERY}
    client = Client(port, "/sparql", timeout=cfg.request_timeout)
    try:
        client.prepare([text], "SELECT")
        out["sequential"] = run_series(
            lambda t: client.query(t, "SELECT"), [text], cfg.reps, cfg.budget
        )
        if cfg.duration > 0:
            out["throughput"] = run_load(
                f"http://127.0.0.1:{port}",
                paths_for("/sparql", [text]),
                cfg.connections,
                min(cfg.duration, 5.0),
                cfg.tool,
                unique=False,
            )
    except Exception as exc:  # reported, not raised: the other figures stand
        out["error"] = f"{type(exc).__name__}: {exc}"[:300]
    finally:
        client.close()
    return out


def run_kg(data: Path, work: Path, cfg: argparse.Namespace, workload: dict[str, Any]) -> dict:
    store = work / "kg-store"
    env = {
        **os.environ,
        "KG_STORE": f"oxigraph://{store}",
        "KG_LOAD_BUNDLED_DATA": "false",
        "KG_WRITE_TOKEN": TOKEN,
    }
    kg = [sys.executable, "-m", "kg.cli"]
    t0 = time.perf_counter()
    p = subprocess.run([*kg, "load", "--no-validate", str(data)], env=env, capture_output=True)
    load_s = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(f"kg load failed: {p.stderr.decode()[-500:]}")
    out: dict[str, Any] = {"load_s": round(load_s, 3), "load_tool": "kg load --no-validate"}
    port = free_port()
    cmd = [*kg, "serve", "--port", str(port), "--log-level", "warning"]
    with server(cmd, env, work / "kg-serve.log") as proc:
        out.update(
            measure_http(
                "kg",
                port,
                "/sparql",
                proc,
                cfg,
                workload,
                after=lambda p: {
                    "repeated_query": repeated_query(p, cfg, workload),
                    "gate_write": gate_writes(p, cfg),
                },
            )
        )
    shutil.rmtree(store, ignore_errors=True)
    out["full_validation"] = full_validation(data, cfg)
    return out


def full_validation(data: Path, cfg: argparse.Namespace) -> dict[str, Any]:
    """``kg validate FILE`` (the shapes compiled to SPARQL, on the whole graph): wall time and
    the child's own peak RSS (``wait4``), bounded by ``--validate-limit``."""
    if cfg.validate_limit <= 0:
        return {"skipped": "--validate-limit 0"}
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kg.cli", "validate", "--format", "json", str(data)],
            stdout=out,
            stderr=subprocess.DEVNULL,
        )
        deadline = t0 + cfg.validate_limit
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                return {"seconds": None, "timed_out_after_s": cfg.validate_limit}
            time.sleep(0.05)
        seconds = time.perf_counter() - t0
        out.seek(0)
        body = out.read()
    code = os.waitstatus_to_exitcode(status)
    fig: dict[str, Any] = {
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "exit": code,
    }
    try:
        report = json.loads(body)
        fig.update(violations=report.get("violations"), warnings=report.get("warnings"))
    except ValueError:
        fig["output"] = body[-300:].decode(errors="replace")
    return fig


def run_inproc(
    mode: str,
    data: Path,
    work: Path,
    cfg: argparse.Namespace,
    workload: dict,
    jemalloc: bool = False,
) -> dict:
    plan = {
        "data": str(data),
        "mode": mode,
        "reps": cfg.reps,
        "budget_s": cfg.budget,
        "queries": workload["texts"],
    }
    pfile = work / f"plan-{mode}.json"
    pfile.write_text(json.dumps(plan))
    env = worker_env("jemalloc", dict(os.environ)) if jemalloc else dict(os.environ)
    p = subprocess.run(
        [sys.executable, "-m", "bench.inproc", str(pfile)],
        capture_output=True,
        cwd=ROOT,
        timeout=cfg.engine_limit,
        env=env,
    )
    if p.returncode != 0:
        raise RuntimeError(p.stderr.decode()[-800:])
    out = json.loads(p.stdout)
    out["load_s"] = round(out["load_s"], 3)
    out["load_tool"] = f"pyoxigraph bulk_load ({mode}{', jemalloc' if jemalloc else ''})"
    out["peak_memory_mib"] = round(out.pop("peak_rss_mib"), 1)
    return out


def run_oxigraph_serve(data: Path, work: Path, cfg: argparse.Namespace, workload: dict) -> dict:
    exe = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    loc = work / "oxigraph-serve"
    t0 = time.perf_counter()
    p = subprocess.run(
        [exe, "load", "--location", str(loc), "--file", str(data)], capture_output=True
    )
    load_s = time.perf_counter() - t0
    if p.returncode != 0:
        raise RuntimeError(p.stderr.decode()[-500:])
    out: dict[str, Any] = {"load_s": round(load_s, 3), "load_tool": "oxigraph load"}
    port = free_port()
    cmd = [exe, "serve", "--location", str(loc), "--bind", f"127.0.0.1:{port}"]
    cmd += ["--union-default-graph"]  # its defaults otherwise (--timeout-s costs it throughput)
    with server(cmd, dict(os.environ), work / "oxigraph-serve.log") as proc:
        out.update(measure_http("oxigraph-serve", port, "/query", proc, cfg, workload))
    shutil.rmtree(loc, ignore_errors=True)
    return out


def run_rdflib_endpoint(data: Path, work: Path, cfg: argparse.Namespace, workload: dict) -> dict:
    exe = shutil.which("rdflib-endpoint") or str(Path(sys.executable).parent / "rdflib-endpoint")
    port = free_port()
    cmd = [exe, "serve", str(data), "--host", "127.0.0.1", "--port", str(port)]
    # its load happens at start; the time to the first answer is its load time
    with server(cmd, dict(os.environ), work / "rdflib-endpoint.log") as proc:
        out = measure_http("rdflib-endpoint", port, "/", proc, cfg, workload)
    out["load_s"] = out["ready_s"]
    out["load_tool"] = "rdflib Dataset.parse at start (time to first answer)"
    return out


RUNNERS = {
    "kg": run_kg,
    "oxigraph-memory": lambda d, w, c, q: run_inproc("memory", d, w, c, q),
    "oxigraph-memory-jemalloc": lambda d, w, c, q: run_inproc("memory", d, w, c, q, True),
    "oxigraph-disk": lambda d, w, c, q: run_inproc("disk", d, w, c, q),
    "oxigraph-serve": run_oxigraph_serve,
    "rdflib-endpoint": run_rdflib_endpoint,
}


def available(engine: str) -> str | None:
    """Why an engine cannot run here (a peer not installed), or None."""
    if engine == "oxigraph-serve" and not (
        shutil.which("oxigraph") or (Path(sys.executable).parent / "oxigraph").exists()
    ):
        return "oxigraph (PyPI) not installed: pip install -e '.[bench]'"
    if engine == "rdflib-endpoint" and not (
        shutil.which("rdflib-endpoint")
        or (Path(sys.executable).parent / "rdflib-endpoint").exists()
    ):
        return "rdflib-endpoint (PyPI) not installed: pip install -e '.[bench]'"
    if engine == "oxigraph-memory-jemalloc" and jemalloc_path() is None:
        return "jemalloc not installed (Debian: libjemalloc2)"
    return None


def run_size(size: str, cfg: argparse.Namespace, work: Path) -> dict[str, Any]:
    triples = parse_size(size)
    data = work / f"graph-{size}.nq"
    t0 = time.perf_counter()
    summary = generate(data, triples, seed=cfg.seed)
    gen_s = time.perf_counter() - t0
    queries = qplan.load_queries()
    workload = {
        "queries": queries,
        # a text per timed request (the warm-up's included): no request repeats another's text
        "texts": {
            q.name: qplan.unique(qplan.texts(q, triples, cfg.variants, cfg.seed), cfg.reps + 1)
            for q in queries
        },
        "throughput_texts": qplan.texts(
            next(q for q in queries if q.name == THROUGHPUT_QUERY), triples, 5000, cfg.seed + 1
        ),
    }
    result: dict[str, Any] = {
        "triples": summary["triples"],
        "sources": summary["sources"],
        "generate_s": round(gen_s, 2),
        "engines": {},
    }
    for engine in cfg.engines:
        why = available(engine)
        if why:
            result["engines"][engine] = {"skipped": why}
            continue
        print(f"[{size}] {engine} …", file=sys.stderr, flush=True)
        start = loadavg()
        t0 = time.perf_counter()
        try:
            figures = RUNNERS[engine](data, work, cfg, workload)
        except Exception as exc:
            figures = {"error": f"{type(exc).__name__}: {exc}"[:1000]}
        figures["wall_s"] = round(time.perf_counter() - t0, 1)
        figures["loadavg_start"] = start
        figures["loadavg_end"] = loadavg()
        result["engines"][engine] = figures
    data.unlink(missing_ok=True)
    return result


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="bench.run", description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10k,100k", help="graph sizes: 2k, 10k, 100k, 1M, 10M")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    ap.add_argument("--engines", default=",".join(ENGINES), help="comma-separated subset")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--reps", type=int, default=300, help="timed runs per query, at most")
    ap.add_argument("--budget", type=float, default=5.0, help="seconds per query, at most")
    ap.add_argument("--variants", type=int, default=50, help="texts per parametrised query")
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--duration", type=float, default=10.0, help="seconds of load; 0: none")
    ap.add_argument("--tool", choices=("auto", "wrk", "httpx"), default="auto")
    ap.add_argument("--gate-writes", type=int, default=10)
    ap.add_argument("--validate-limit", type=float, default=120.0, help="0: skip")
    ap.add_argument("--request-timeout", type=float, default=60.0)
    ap.add_argument("--start-limit", type=float, default=600.0)
    ap.add_argument("--engine-limit", type=float, default=3600.0)
    ap.add_argument("--smoke", action="store_true", help="tiny and quick: 2k, kg and the floor")
    args = ap.parse_args(argv)
    if args.smoke:
        args.sizes = "2k"
        if args.engines == ",".join(ENGINES):
            args.engines = "kg,oxigraph-memory"
        args.reps, args.budget, args.variants = 3, 0.5, 5
        args.duration, args.gate_writes, args.validate_limit = 1.0, 2, 60.0
    args.engines = [e for e in args.engines.split(",") if e]
    unknown = set(args.engines) - set(ENGINES)
    if unknown:
        ap.error(f"unknown engines: {', '.join(sorted(unknown))}")
    return args


def main(argv: list[str] | None = None) -> dict[str, Any]:
    cfg = parse_args(argv)
    import pyoxigraph

    from bench.report import write_reports

    results: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "pyoxigraph": getattr(pyoxigraph, "__version__", None),
            "loadavg_start": loadavg(),
        },
        "code": code_state(),
        "config": {k: v for k, v in vars(cfg).items() if k not in ("out",) and not callable(v)},
        "sizes": {},
    }
    cfg.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        for size in cfg.sizes.split(","):
            results["sizes"][size] = run_size(size, cfg, Path(tmp))
            write_reports(results, cfg.out)  # after every size: a long run keeps what it has
    results["machine"]["loadavg_end"] = loadavg()
    write_reports(results, cfg.out)
    print(f"wrote {cfg.out}/results.json, results.md, results.png", file=sys.stderr)
    return results


if __name__ == "__main__":
    main()
