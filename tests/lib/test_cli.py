"""The ``kg`` command, run as a user runs it: a real process, real files, real stores."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.timeout(600)


def kg(*args: str, store: str, check: bool = False, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "KG_STORE": store}
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args],
        env=env,
        capture_output=True,
        cwd=ROOT,
        check=check,
        **kw,
    )


@pytest.fixture
def store(tmp_path: Path) -> str:
    return f"oxigraph://{tmp_path / 'store'}"


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


GOOD = "@prefix ex: <http://example.org/> .\nex:a ex:p 1 .\nex:b ex:p 2 .\n"


def test_load_query_stats_dump(tmp_path, store):
    f = write(tmp_path, "good.ttl", GOOD)
    r = kg("load", str(f), "--graph", "http://example.org/g", store=store)
    assert r.returncode == 0, r.stderr
    assert b"loaded 2 quads" in r.stderr
    r = kg(
        "query",
        "SELECT (COUNT(*) AS ?n) { GRAPH <http://example.org/g> { ?s ?p ?o } }",
        "--format",
        "csv",
        store=store,
    )
    assert r.returncode == 0 and r.stdout.splitlines()[-1] == b"2"
    r = kg("stats", store=store)
    assert b"triples: 2" in r.stdout and b"named graphs: 1" in r.stdout
    r = kg("dump", "--format", "nquads", store=store)
    assert r.stdout.count(b"<http://example.org/g> .") == 2


def test_triples_without_a_graph_go_to_the_files_graph(tmp_path, store):
    f = write(tmp_path, "good.ttl", GOOD)
    kg("load", str(f), store=store, check=True)
    r = kg("query", "SELECT DISTINCT ?g { GRAPH ?g { ?s ?p ?o } }", "--format", "tsv", store=store)
    assert f.resolve().as_uri().encode() in r.stdout


def test_malformed_rdf_exits_1_names_file_line_column_and_changes_nothing(tmp_path, store):
    kg("load", str(write(tmp_path, "good.ttl", GOOD)), store=store, check=True)
    before = kg("dump", store=store).stdout
    bad = write(tmp_path, "bad.ttl", GOOD + "ex:c ex:p .\n")
    good2 = write(tmp_path, "good2.ttl", "<http://example.org/z> <http://example.org/p> 3 .\n")
    r = kg("load", str(good2), str(bad), store=store)
    assert r.returncode == 1
    message = r.stderr.decode()
    assert "bad.ttl:4:" in message, message
    assert kg("dump", store=store).stdout == before


def test_unknown_extension_and_missing_file_are_rejected(tmp_path, store):
    assert kg("load", str(write(tmp_path, "x.unknown", GOOD)), store=store).returncode == 1
    assert kg("load", str(tmp_path / "nope.ttl"), store=store).returncode == 1


def test_malformed_query_exits_1(store):
    r = kg("query", "SELECT * WHERE {", store=store)
    assert r.returncode == 1 and b"error" in r.stderr


def test_query_from_file(tmp_path, store):
    kg("load", str(write(tmp_path, "good.ttl", GOOD)), store=store, check=True)
    rq = write(tmp_path, "q.rq", "# title: count\nASK { ?s ?p 2 }\n")
    r = kg("query", "-f", str(rq), store=store)
    assert b"true" in r.stdout


def test_backup(tmp_path, store):
    kg("load", str(write(tmp_path, "good.ttl", GOOD)), store=store, check=True)
    dest = tmp_path / "backup"
    assert kg("backup", str(dest), store=store).returncode == 0
    r = kg("stats", store=f"oxigraph://{dest}")
    assert b"triples: 2" in r.stdout


@pytest.mark.slow
@pytest.mark.parametrize(
    ("flags", "marker"), [((), b"committing"), (("--no-validate",), b"bulk loading")]
)
def test_kill_9_in_the_middle_of_a_large_load_leaves_the_last_commit(
    tmp_path, store, flags, marker
):
    kg("load", str(write(tmp_path, "good.ttl", GOOD)), store=store, check=True)
    before = kg("dump", "--format", "nquads", store=store).stdout
    big = tmp_path / "big.nq"
    with big.open("w") as fh:
        for i in range(400_000):
            fh.write(
                f'<http://example.org/s{i}> <http://example.org/p> "{i}" <http://example.org/big> .\n'
            )
    env = {**os.environ, "KG_STORE": store}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "load", str(big)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    # wait until it is committing (the parse is done), then kill it
    deadline = time.monotonic() + 120
    buf = b""
    os.set_blocking(proc.stderr.fileno(), False)
    while time.monotonic() < deadline and marker not in buf and proc.poll() is None:
        chunk = proc.stderr.read() or b""
        buf += chunk
        time.sleep(0.02)
    time.sleep(0.3)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = kg("dump", "--format", "nquads", store=store).stdout
    big_quads = after.count(b"<http://example.org/big> .")
    assert big_quads in (0, 400_000), big_quads
    assert set(before.splitlines()) <= set(after.splitlines())


@pytest.mark.slow
def test_bulk_load_adds_entailments_and_keeps_earlier_data(tmp_path, store):
    kg("load", str(write(tmp_path, "good.ttl", GOOD)), store=store, check=True)
    ont = write(
        tmp_path,
        "ont.ttl",
        "<http://example.org/NGO> <http://www.w3.org/2000/01/rdf-schema#subClassOf> "
        "<http://www.w3.org/ns/org#Organization> .\n",
    )
    data = write(
        tmp_path,
        "d.nq",
        "<http://example.org/ijm> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<http://example.org/NGO> <http://example.org/src> .\n",
    )
    r = kg("load", "--no-validate", str(ont), str(data), store=store)
    assert r.returncode == 0, r.stderr
    r = kg(
        "query",
        "ASK { <http://example.org/ijm> a <http://www.w3.org/ns/org#Organization> . "
        "<http://example.org/a> ?p 1 }",
        store=store,
    )
    assert b"true" in r.stdout
    bad = write(tmp_path, "bad.nq", "<http://example.org/x> <http://example.org/p> .\n")
    before = kg("dump", "--format", "nquads", store=store).stdout
    r = kg("load", "--no-validate", str(bad), store=store)
    assert r.returncode == 1 and b"bad.nq:1:" in r.stderr
    assert kg("dump", "--format", "nquads", store=store).stdout == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith("store") and p.is_dir()]
    assert leftovers == ["store"] or sorted(leftovers)[0] == "store" and len(leftovers) == 2
