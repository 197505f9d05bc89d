"""Where a query's time goes on its way through ``kg serve``, one layer at a time, in process.

On one in-memory store holding what ``kg serve`` holds (the generated graph plus the
entailments the store materializes), per query of the mix, CPU medians of:

- ``engine``: ``store.query(text)`` + serialization (what the floor does);
- ``inspect``: ``kg.sparqltext.inspect`` (the tokenizer every request passes);
- ``run_query``: ``kg.execute.run_query`` (the tokenizer, the row-cap wrapper, counting rows
  when the answer is long enough to exceed the cap, serialization): what a query worker does
  when it is not handed the tokenizer's findings;
- ``pickle``: the request and the answer through pickle (the pipe to a worker carries them).

CPU time (``time.process_time``) rather than wall time, so that a busy machine shifts these
figures less; pyoxigraph evaluates on the calling thread.

    python -m bench.path --triples 100k --out bench/results/path-100k.json
"""

from __future__ import annotations

import argparse
import json
import pickle
import statistics
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from bench import plan as qplan
from bench.generate import generate, parse_size

JSON_FMT = ox.QueryResultsFormat.JSON


def cpu_median_us(fn, reps: int, budget_s: float) -> float:  # type: ignore[no-untyped-def]
    fn()
    xs = []
    deadline = time.perf_counter() + budget_s
    for _ in range(reps):
        t0 = time.process_time()
        fn()
        xs.append(time.process_time() - t0)
        if time.perf_counter() > deadline:
            break
    return round(statistics.median(xs) * 1e6, 1)


def main(argv: list[str] | None = None) -> None:
    from kg.execute import QueryRequest, run_query
    from kg.sparqltext import inspect
    from kg.store import EmbeddedStore

    ap = argparse.ArgumentParser(prog="bench.path")
    ap.add_argument("--triples", default="100k")
    ap.add_argument("--reps", type=int, default=50)
    ap.add_argument("--budget", type=float, default=3.0)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    triples = parse_size(args.triples)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "g.nq"
        generate(data, triples, seed=args.seed)
        st = EmbeddedStore("memory:", inferred_graph="https://w3id.org/osec-kg/graph/inferred")
        st.add(ox.parse(path=str(data), format=ox.RdfFormat.N_QUADS))
    store = st.primary
    out: dict[str, object] = {"triples": triples, "unit": "CPU microseconds, median", "queries": {}}
    for q in qplan.load_queries():
        text = qplan.texts(q, triples, 1, args.seed)[0]
        fmt = "json" if q.form == "SELECT" else "ntriples"

        def engine(text: str = text, q: qplan.Query = q) -> None:
            r = store.query(text, use_default_graph_as_union=True)
            if q.form == "SELECT":
                r.serialize(format=JSON_FMT)
            else:
                ox.serialize(r, format=ox.RdfFormat.N_TRIPLES)

        req = QueryRequest(text, fmt)
        result = run_query(store, req)
        row = {
            "engine": cpu_median_us(engine, args.reps, args.budget),
            "inspect": cpu_median_us(lambda t=text: inspect(t), args.reps, 0.5),
            "run_query": cpu_median_us(lambda r=req: run_query(store, r), args.reps, args.budget),
            "pickle": cpu_median_us(
                lambda r=req, a=result: pickle.loads(pickle.dumps((r, a))), args.reps, 0.5
            ),
            "bytes": len(result.body),
            "rows_counted": q.form == "SELECT" and len(result.body) >= 3 * (req.row_cap + 1) - 1,
        }
        row["run_query_over_engine"] = round(row["run_query"] / max(row["engine"], 0.1), 2)
        out["queries"][q.name] = row  # type: ignore[index]
        print(q.name, row, flush=True)
    if args.out:
        args.out.write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
