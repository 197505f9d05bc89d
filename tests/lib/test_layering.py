import subprocess
import sys

from tests.conftest import ROOT

CHECK = """
import sys
import kg, kg.cli, kg.store, kg.execute, kg.sparqltext, kg.loading, kg.delta
bad = sorted(m for m in sys.modules if m.split('.')[0] in {'fastapi', 'starlette', 'uvicorn', 'api'})
print(','.join(bad))
"""


def test_kg_never_imports_the_web_layer():
    out = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == ""
