"""Gate time for changes of 1, 100 and 10,000 triples on stores of 10k, 100k (and 1M)
triples, against a full pySHACL validation of the same store.

The stores are the bundled graph's data replicated: the ontology graph once, then copies of
every source graph with the entities each copy describes renamed (``…-c7``), so every copy is
valid under ``ontology/shapes.ttl`` exactly as the bundled data is. A change is the first
N triples of one more copy (whole entities first, so most changes conform).

    python bench/gate_bench.py                 # 10k and 100k
    python bench/gate_bench.py --sizes 10000,100000,1000000 --no-full-above 100000
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

import pyoxigraph as ox

from kg.bundle import bundled_sources
from kg.loading import read_quads
from kg.validation import ShaclGate, load_shapes
from kg.validation.gate import to_graph

BASE = "https://w3id.org/osec-kg/"
ONTOLOGY = ox.NamedNode(BASE + "graph/ontology")
OUT = Path(__file__).parent / "results"


def template() -> tuple[list[ox.Quad], list[ox.Quad], set[ox.NamedNode]]:
    quads = [q for src in bundled_sources(BASE) for q in read_quads(src)]
    onto = [q for q in quads if q.graph_name == ONTOLOGY]
    data = [q for q in quads if q.graph_name != ONTOLOGY]
    fixed = {q.subject for q in onto}
    movable = {q.subject for q in data if q.subject not in fixed}
    movable |= {q.graph_name for q in data if isinstance(q.graph_name, ox.NamedNode)}
    data.sort(key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))
    return onto, data, movable  # type: ignore[return-value]


def copy(data: list[ox.Quad], movable: set[ox.NamedNode], k: int) -> list[ox.Quad]:
    def r(t: object) -> object:
        return ox.NamedNode(f"{t.value}-c{k}") if t in movable else t  # type: ignore[attr-defined]

    return [ox.Quad(r(q.subject), q.predicate, r(q.object), r(q.graph_name)) for q in data]  # type: ignore[arg-type]


def timed(fn: object) -> tuple[float, object]:
    t = time.perf_counter()
    out = fn()  # type: ignore[operator]
    return time.perf_counter() - t, out


def run(sizes: list[int], changes: list[int], full_max: int) -> dict[str, object]:
    onto, data, movable = template()
    gate = ShaclGate(load_shapes())
    rows = []
    for size in sizes:
        store = ox.Store()
        store.extend(onto)
        k = 0
        while len(store) < size:
            part = copy(data, movable, k)
            need = size - len(store)
            if need < len(part):  # cut the last copy at an entity's end
                while need < len(part) and part[need].subject == part[need - 1].subject:
                    need += 1
                part = part[:need]
            store.extend(part)
            k += 1
        n = len(store)
        extra: list[ox.Quad] = []
        while len(extra) < max(changes):
            extra += copy(data, movable, 10_000 + len(extra))
        row: dict[str, object] = {"store_triples": n, "load_avg_before": os.getloadavg()}
        for c in changes:
            secs, rep = timed(lambda c=c, s=store, x=extra: gate.check(s, x[:c], []))
            row[f"gate_{c}_s"] = round(secs, 3)
            row[f"gate_{c}_focus_nodes"] = rep.focus_nodes  # type: ignore[attr-defined]
            row[f"gate_{c}_mode"] = rep.mode  # type: ignore[attr-defined]
            row[f"gate_{c}_conforms"] = rep.conforms  # type: ignore[attr-defined]
            print(size, c, row[f"gate_{c}_s"], rep.focus_nodes, rep.mode, flush=True)  # type: ignore[attr-defined]
        if n <= full_max:
            graph = to_graph((q.subject, q.predicate, q.object) for q in store)
            secs, rep = timed(lambda graph=graph: gate.validate_graph(graph))
            row["full_pyshacl_s"] = round(secs, 2)
            row["full_conforms"] = rep.conforms  # type: ignore[attr-defined]
            row["full_results"] = len(rep.results)  # type: ignore[attr-defined]
            print(size, "full", row["full_pyshacl_s"], flush=True)
        else:
            row["full_pyshacl_s"] = None
            row["full_note"] = "not run: full pySHACL does not finish at this size (> 25 min)"
        row["load_avg_after"] = os.getloadavg()
        rows.append(row)
    return {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "pyoxigraph": ox.__version__ if hasattr(ox, "__version__") else "?",
            "platform": platform.platform(),
            "note": "2 cores shared with other work while measured: see the load averages",
        },
        "bench": "gate.check on a change vs pySHACL on the whole store (in-memory pyoxigraph)",
        "rows": rows,
    }


def markdown(doc: dict[str, object], changes: list[int]) -> str:
    head = "| store triples | " + " | ".join(f"gate, {c} triples" for c in changes)
    head += " | full pySHACL | load avg (1/5/15 min) |\n"
    head += "|" + "---|" * (len(changes) + 3) + "\n"
    body = ""
    for r in doc["rows"]:  # type: ignore[attr-defined]
        cells = [f"{r[f'gate_{c}_s']:.2f} s ({r[f'gate_{c}_focus_nodes']} focus)" for c in changes]
        full = f"{r['full_pyshacl_s']:.1f} s" if r["full_pyshacl_s"] is not None else "not run"
        la = "/".join(f"{x:.1f}" for x in r["load_avg_before"])
        body += f"| {r['store_triples']:,} | " + " | ".join(cells) + f" | {full} | {la} |\n"
    return "# Gate benchmark\n\n" + head + body


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--changes", default="1,100,10000")
    ap.add_argument("--no-full-above", type=int, default=200_000)
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    changes = [int(x) for x in a.changes.split(",")]
    doc = run(sizes, changes, a.no_full_above)
    OUT.mkdir(exist_ok=True)
    (OUT / "gate.json").write_text(json.dumps(doc, indent=2) + "\n")
    (OUT / "gate.md").write_text(markdown(doc, changes))
    print(markdown(doc, changes))


if __name__ == "__main__":
    main()
