"""pyoxigraph in process (the floor): load a file, run the plan, print JSON on stdout.

Run as a child of the runner (``python -m bench.inproc PLAN.json``) so its peak memory is its
own. The plan names the data file, the mode (``memory`` or ``disk``) and the texts per query.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from bench.timing import cpu_per_call, run_series

JSON = ox.QueryResultsFormat.JSON


def answer(store: ox.Store, text: str) -> int:
    """Evaluate and serialize like an endpoint would (JSON results, N-Triples graphs)."""
    result = store.query(text, use_default_graph_as_union=True)
    if isinstance(result, ox.QueryTriples):
        body = ox.serialize(result, format=ox.RdfFormat.N_TRIPLES) or b""
    else:
        body = result.serialize(format=JSON) or b""
    return len(body)


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text())
    tmp = tempfile.TemporaryDirectory(prefix="bench-ox-")
    store = ox.Store() if plan["mode"] == "memory" else ox.Store(tmp.name)
    t0 = time.perf_counter()
    store.bulk_load(path=plan["data"], format=ox.RdfFormat.N_QUADS)
    if plan["mode"] == "disk":
        store.flush()
    load_s = time.perf_counter() - t0
    queries = {}
    for name, texts in plan["queries"].items():
        cpu0 = time.process_time()
        series = run_series(
            lambda text, st=store: answer(st, text), texts, plan["reps"], plan["budget_s"]
        )
        series["server_cpu_ms"] = cpu_per_call(time.process_time() - cpu0, series)
        queries[name] = series
    out = {
        "load_s": load_s,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "queries": queries,
    }
    del store
    tmp.cleanup()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
