"""The benchmark runs end to end on a tiny graph and writes every figure (no thresholds)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench.generate import generate
from bench.plan import load_queries, texts

ROOT = Path(__file__).resolve().parents[2]


def test_generator_is_deterministic(tmp_path: Path) -> None:
    a, b = tmp_path / "a.nq", tmp_path / "b.nq"
    generate(a, 3000, seed=7)
    generate(b, 3000, seed=7)
    assert a.read_bytes() == b.read_bytes()
    summary = generate(tmp_path / "d.nq", 3000, seed=7, defects=4)
    assert len(summary["defects"]) == 4  # type: ignore[arg-type]


def test_every_query_parses_and_binds() -> None:
    import pyoxigraph as ox

    queries = load_queries()
    assert len(queries) == 12
    store = ox.Store()
    for q in queries:
        for text in texts(q, 10_000, 2, seed=1):
            store.query(text, use_default_graph_as_union=True)


@pytest.mark.timeout(180)
def test_smoke_run_writes_every_figure(tmp_path: Path) -> None:
    # Smoke mode: 2k triples, 1 s of load, our service and pyoxigraph in process only (the
    # peers need the bench extra; the smoke run leaves them out by configuration).
    subprocess.run(
        [sys.executable, "-m", "bench.run", "--smoke", "--out", str(tmp_path)],
        cwd=ROOT,
        check=True,
        timeout=170,
    )
    results = json.loads((tmp_path / "results.json").read_text())
    size = results["sizes"]["2k"]
    kg, floor = size["engines"]["kg"], size["engines"]["oxigraph-memory"]
    for engine in (kg, floor):
        assert "error" not in engine, engine.get("error")
        for key in ("load_s", "peak_memory_mib", "loadavg_start", "loadavg_end", "queries"):
            assert engine[key] is not None, key
        assert len(engine["queries"]) == 12
        for name, q in engine["queries"].items():
            assert q["error"] is None, (name, q["error"])
            assert q["median_ms"] is not None, name
    for key in ("rps", "p50_ms", "p99_ms", "server_cpu_ms_per_request"):
        assert kg["throughput"][key] is not None, key
    assert kg["gate_write"]["last_status"] == 204
    repeated = kg["repeated_query"]
    assert "error" not in repeated and repeated["sequential"]["median_ms"] is not None
    assert repeated["throughput"]["rps"] is not None
    assert kg["full_validation"]["seconds"] is not None
    assert (tmp_path / "results.md").read_text().startswith("# osec-kg benchmark")


@pytest.mark.timeout(240)
def test_gate_benchmark_smoke(tmp_path: Path) -> None:
    """The gate benchmark runs end to end on a small store and records every figure."""
    r = subprocess.run(
        [
            sys.executable, "-m", "bench.gate_bench", "--sizes", "3k", "--changes", "1,100",
            "--repeat", "1", "--pyshacl-max", "5000", "--out", str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=230,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr[-2000:]
    (row,) = json.loads((tmp_path / "gate.json").read_text())["rows"]
    assert row["gate_100"]["mode"] == "focus" and row["gate_100"]["violations"] == 0
    assert row["pyshacl_results_equal"] is True
    assert row["kg_validate_file"]["exit"] == 0
    assert "| store triples |" in (tmp_path / "gate.md").read_text()
