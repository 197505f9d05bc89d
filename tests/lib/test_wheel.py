"""A wheel install carries the ontology, the data and the example queries, not only a checkout."""

from __future__ import annotations

import subprocess
import sys
import zipfile

from tests.conftest import ROOT

CHECK = """
import kg.resources as r, kg.bundle as b
print(r.bundled('data'))
print(len(b.bundled_sources('https://w3id.org/osec-kg/')))
"""


def test_wheel_ships_the_bundled_graph(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("osec_kg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "kg/_bundled/ontology/osec.ttl" in names and "kg/_bundled/ontology/shapes.ttl" in names
    data = [n for n in names if n.startswith("kg/_bundled/data/") and n.endswith(".trig")]
    assert len(data) == len(list((ROOT / "data").glob("*.trig")))
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    out = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
        check=True,
    ).stdout.split()
    assert out[0] == str(target / "kg" / "_bundled" / "data")
    assert int(out[1]) == len(data) + 1  # the ontology and every data file
