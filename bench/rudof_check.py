"""pyrudof (Rust SHACL) on an N-Triples file: its results as comparable keys, for the gate
benchmark to hold the compiled shapes to a second engine where pySHACL does not finish.

    python -m bench.rudof_check DATA.nt SHAPES.ttl OUT.json
"""

from __future__ import annotations

import json
import sys
import time


def main() -> None:
    import pyrudof

    data, shapes, out = sys.argv[1:4]
    r = pyrudof.Rudof(pyrudof.RudofConfig())
    t = time.perf_counter()
    r.read_data(data, format=pyrudof.RDFFormat.NTriples)
    r.read_shacl(shapes)
    loaded = time.perf_counter() - t
    report = r.validate_shacl()

    def local(x: object) -> str:
        return str(x).rsplit("#", 1)[-1]

    keys = [
        [e.focus_node, e.path or None, local(e.constraint_component), local(e.severity)]
        for e in report
    ]
    doc = {"load_s": round(loaded, 2), "validate_s": round(time.perf_counter() - t - loaded, 2)}
    doc["results"] = keys
    with open(out, "w") as fh:
        json.dump(doc, fh)


if __name__ == "__main__":
    main()
