import ast
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


WEB = {"fastapi", "starlette", "uvicorn", "api"}


def _imported_roots(tree: ast.AST) -> set[str]:
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            roots.add(node.args[0].value.split(".")[0])
    return roots


def test_no_kg_module_imports_the_web_layer_even_inside_a_function():
    """What importing kg loads is not all: a command may import lazily when it runs."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(ast.parse(path.read_text())) & WEB)
        for path in sorted((ROOT / "kg").rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_static_check_sees_a_lazy_import():
    tree = ast.parse("def serve():\n    import uvicorn\n    from api.app import create_app\n")
    assert _imported_roots(tree) & WEB == {"uvicorn", "api"}
