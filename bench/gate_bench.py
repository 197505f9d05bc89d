"""The SHACL gate and full validation, on generated stores of 10k, 100k and 1M triples.

Stores come from :mod:`bench.generate` (valid under ``ontology/shapes.ttl``). For each size:

- **gate** (``ShaclGate.check``, the shapes compiled to SPARQL) for changes of 1, 100 and
  10,000 triples: the 1-triple change adds an alternative label to an existing organization;
  the others are the next generated sources (whole entities, cut at an entity's end), which
  the store does not hold yet. Median of ``--repeat`` runs.
- **full validation**, compiled: ``kg validate FILE`` in a child process (wall time, peak RSS:
  what a user runs), and ``validate_store`` in process on the loaded store;
- **pySHACL** on the whole store up to ``--pyshacl-max`` triples, and whether its results are
  the compiled engine's (focus node, path, value, severity, constraint).

    python -m bench.gate_bench                      # 10k, 100k, 1M
    python -m bench.gate_bench --sizes 10k --pyshacl-max 10000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench.generate import ID, blocks_for, generate, parse_size
from kg.validation import ShaclGate, load_shapes
from kg.validation.gate import to_graph

OUT = Path(__file__).parent / "results"
ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")


def _split(path: Path, size: int) -> tuple[list[ox.Quad], list[ox.Quad]]:
    """The store's quads (sources gen-0 … gen-(n-1) and the countries), and the rest in order."""
    n = blocks_for(size)
    keep, rest = [], []
    for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        g = q.graph_name.value  # type: ignore[union-attr]
        tail = g.rsplit("gen-", 1)[-1]
        (rest if tail.isdigit() and int(tail) >= n else keep).append(q)
    return keep, rest


def _cut(rest: list[ox.Quad], n: int) -> list[ox.Quad]:
    """The first ``n`` quads of ``rest``, extended to the end of the last entity."""
    while n < len(rest) and rest[n].subject == rest[n - 1].subject:
        n += 1
    return rest[:n]


def _keys(report: Any) -> Counter[tuple[Any, ...]]:
    return Counter((r.focus_node, r.path, r.value, r.severity, r.component) for r in report.results)


def _child_validate(path: Path) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    r = subprocess.run(
        [sys.executable, "-m", "kg.cli", "validate", str(path), "--format", "json"],
        capture_output=True,
        text=True,
    )
    secs = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    doc = json.loads(r.stdout)
    return {
        "seconds": round(secs, 2),
        "peak_rss_mib": round(max(peak, before) / 1024, 1),
        "exit": r.returncode,
        "violations": doc["violations"],
        "warnings": doc["warnings"],
    }


def _rudof(store: ox.Store, tmp: Path, full: Any) -> dict[str, Any]:
    """pyrudof on the same triples in a child process: time, peak RSS, same results?"""
    try:
        import pyrudof  # noqa: F401
    except ImportError:
        return {"skipped": "pyrudof is not installed (pip install '.[bench]')"}
    nt, out = tmp / "rudof.nt", tmp / "rudof.json"
    with nt.open("wb") as fh:
        ox.serialize(
            (ox.Triple(q.subject, q.predicate, q.object) for q in store),
            fh,
            format=ox.RdfFormat.N_TRIPLES,
        )
    shapes = Path(__file__).resolve().parents[1] / "ontology" / "shapes.ttl"
    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.rudof_check", str(nt), str(shapes), str(out)],
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    fig: dict[str, Any] = {
        "seconds": round(time.perf_counter() - t, 2),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
        "exit": os.waitstatus_to_exitcode(status),
    }
    nt.unlink()
    if fig["exit"] == 0:
        doc = json.loads(out.read_text())
        fig.update(load_s=doc["load_s"], validate_s=doc["validate_s"])
        theirs = Counter(tuple(k) for k in doc["results"])
        ours = Counter(
            (
                r.focus_node.strip("<>"),
                r.path.strip("<>") if r.path else None,
                r.component,
                r.severity,
            )
            for r in full.results
        )
        fig["results"] = sum(theirs.values())
        fig["same_results"] = theirs == ours
    return fig


def run(sizes: list[int], changes: list[int], repeat: int, pyshacl_max: int) -> dict[str, Any]:
    gate = ShaclGate(load_shapes()).prepare()  # as in a worker: read before the first change
    assert gate.engine == "sparql", gate.unsupported
    rows = []
    tmp = Path(tempfile.mkdtemp(prefix="gate-bench-"))
    for size in sizes:
        src = tmp / f"g{size}.nq"
        generate(src, size + max(changes) + 2_000)
        keep, rest = _split(src, size)
        store_file = tmp / f"s{size}.nq"
        with store_file.open("wb") as fh:
            ox.serialize(keep, fh, format=ox.RdfFormat.N_QUADS)
        store = ox.Store()
        store.bulk_extend(keep)
        row: dict[str, Any] = {"store_triples": len(store), "load_avg_before": os.getloadavg()}
        org = ox.NamedNode(ID + "organization/org-0")
        for c in changes:
            if c == 1:
                g = next(iter(store.quads_for_pattern(org, None, None))).graph_name
                added = [ox.Quad(org, ALT, ox.Literal("another name"), g)]
            else:
                added = _cut(rest, c)
            times, rep = [], None
            for _ in range(repeat):
                t = time.perf_counter()
                rep = gate.check(store, added, [])
                times.append(time.perf_counter() - t)
            assert rep is not None
            row[f"gate_{c}"] = {
                "triples": len(added),
                "median_ms": round(statistics.median(times) * 1000, 1),
                "focus_nodes": rep.focus_nodes,
                "mode": rep.mode,
                "violations": len(rep.violations),
            }
            print(size, c, row[f"gate_{c}"], flush=True)
        t = time.perf_counter()
        full = gate.validate_store(store, union=True)
        row["full_in_process_s"] = round(time.perf_counter() - t, 2)
        row["full_results"] = len(full.results)
        row["full_violations"] = len(full.violations)
        row["kg_validate_file"] = _child_validate(store_file)
        print(size, "full", row["full_in_process_s"], row["kg_validate_file"], flush=True)
        row["pyrudof"] = _rudof(store, tmp, full)
        print(size, "pyrudof", row["pyrudof"], flush=True)
        if len(store) <= pyshacl_max:
            ref = ShaclGate(load_shapes(), engine="pyshacl")
            data = to_graph((q.subject, q.predicate, q.object) for q in store)
            t = time.perf_counter()
            want = ref.validate_graph(data)
            row["full_pyshacl_s"] = round(time.perf_counter() - t, 2)
            row["pyshacl_results_equal"] = _keys(want) == _keys(full)
            print(size, "pyshacl", row["full_pyshacl_s"], row["pyshacl_results_equal"], flush=True)
        else:
            row["full_pyshacl_s"] = None
            row["pyshacl_note"] = "not run: pySHACL did not finish 1M triples in 25 minutes"
        row["load_avg_after"] = os.getloadavg()
        rows.append(row)
        for f in (src, store_file):
            f.unlink()
    return {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "pyoxigraph": getattr(ox, "__version__", "?"),
            "platform": platform.platform(),
        },
        "bench": "ShaclGate.check on a change (compiled shapes) vs full validation of the store",
        "rows": rows,
    }


def markdown(doc: dict[str, Any], changes: list[int]) -> str:
    head = "| store triples | " + " | ".join(f"gate, {c} triple(s)" for c in changes)
    head += " | full, in process | `kg validate FILE` (peak RSS) | full pySHACL | same results |"
    head += " pyrudof (peak RSS), same results | load avg |\n|" + "---|" * (len(changes) + 7) + "\n"
    body = ""
    for r in doc["rows"]:
        cells = [
            f"{r[f'gate_{c}']['median_ms']:.0f} ms ({r[f'gate_{c}']['focus_nodes']} focus)"
            for c in changes
        ]
        kv = r["kg_validate_file"]
        py = f"{r['full_pyshacl_s']:.1f} s" if r["full_pyshacl_s"] is not None else "not run"
        same = {True: "yes", False: "**no**"}.get(r.get("pyshacl_results_equal"), "-")
        ru = r.get("pyrudof") or {}
        rudof = (
            f"{ru['seconds']:.1f} s ({ru['peak_rss_mib']:.0f} MiB), "
            + {True: "yes", False: "**no**"}.get(ru.get("same_results"), "-")
            if ru.get("seconds") is not None
            else ru.get("skipped", "-")
        )
        la = "/".join(f"{x:.1f}" for x in r["load_avg_before"])
        body += (
            f"| {r['store_triples']:,} | "
            + " | ".join(cells)
            + f" | {r['full_in_process_s']:.2f} s | {kv['seconds']:.1f} s ({kv['peak_rss_mib']:.0f}"
            f" MiB) | {py} | {same} | {rudof} | {la} |\n"
        )
    note = (
        "\nGate: median of repeated `ShaclGate.check` calls on an in-memory store, the change "
        "not yet applied. Full, in process: the compiled shapes over the loaded store. "
        "`kg validate FILE`: a child process that parses the file and validates it.\n"
    )
    return "# Gate benchmark\n\n" + head + body + note


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10k,100k,1M")
    ap.add_argument("--changes", default="1,100,10000")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pyshacl-max", type=int, default=120_000)
    ap.add_argument("--out", type=Path, default=OUT)
    a = ap.parse_args()
    sizes = [parse_size(x) for x in a.sizes.split(",")]
    changes = [int(x) for x in a.changes.split(",")]
    doc = run(sizes, changes, a.repeat, a.pyshacl_max)
    a.out.mkdir(parents=True, exist_ok=True)
    (a.out / "gate.json").write_text(json.dumps(doc, indent=2) + "\n")
    (a.out / "gate.md").write_text(markdown(doc, changes))
    print(markdown(doc, changes))


if __name__ == "__main__":
    main()
