import json
import os
import subprocess
import sys

from kg.procenv import ROOT, child_env

SHOW = "import json, sys, kg, api; print(json.dumps([kg.__file__, api.__file__, sys.path]))"


def test_the_child_runs_this_kg_and_api_and_never_reads_the_working_directory(tmp_path):
    for name in ("kg", "api"):  # look-alikes in the working directory
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text(f"raise SystemExit('the wrong {name}')\n")
    # empty PYTHONPATH entries stand for the working directory
    env = child_env({**os.environ, "PYTHONPATH": os.pathsep + os.pathsep})
    assert env["PYTHONPATH"] == ROOT
    out = subprocess.run(
        [sys.executable, "-P", "-c", SHOW], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    kg_file, api_file, path = json.loads(out.stdout)
    assert kg_file == os.path.join(ROOT, "kg", "__init__.py")
    assert api_file == os.path.join(ROOT, "api", "__init__.py")
    assert "" not in path and str(tmp_path) not in path


def test_other_pythonpath_entries_are_kept_after_ours():
    env = child_env({"PYTHONPATH": os.pathsep.join(["/opt/a", ROOT, "/opt/b"])})
    assert env["PYTHONPATH"].split(os.pathsep) == [ROOT, "/opt/a", "/opt/b"]
