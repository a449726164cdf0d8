"""The shape of the code, checked: no module of Station imports itself back through others.

import-linter holds the arrows between layers and features (pyproject.toml); this holds the
rest: a cycle inside a layer (as `services.reference` and `services.reference_store` once
had) makes start-up order fragile and the modules impossible to read one at a time.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Every group of modules that import one another in a ring (Tarjan's algorithm)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    rings: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in order:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], order[imported])
        if low[module] == order[module]:
            ring = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                ring.append(member)
                if member == module:
                    break
            if len(ring) > 1:
                rings.append(sorted(ring))

    for module in sorted(graph.modules):
        if module not in order:
            visit(module)
    return rings


def test_no_module_imports_itself_back() -> None:
    assert _cycles(grimp.build_graph("station_app")) == []


def test_the_check_finds_a_ring() -> None:
    graph = grimp.ImportGraph()
    for name in ("a", "a.one", "a.two", "a.three"):
        graph.add_module(name)
    graph.add_import(importer="a.one", imported="a.two")
    graph.add_import(importer="a.two", imported="a.one")
    graph.add_import(importer="a.three", imported="a.one")
    assert _cycles(graph) == [["a.one", "a.two"]]


def _test_module_imports(root: Path) -> list[str]:
    """Every import, in any test file under `root/tests`, of a module of `tests` other than
    the shared helpers in `tests.fixtures`: 'path:line imports module', for the failure."""
    tests = root / "tests"

    def module_of(path: Path) -> str:
        parts = path.relative_to(root).with_suffix("").parts
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)

    def is_module(name: str) -> bool:
        path = root.joinpath(*name.split("."))
        return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()

    def forbidden(name: str) -> bool:
        if not name.startswith("tests."):
            return False  # `tests` itself is the empty package pytest imports anyway
        return name != "tests.fixtures" and not name.startswith("tests.fixtures.")

    found = []
    for path in sorted(tests.rglob("*.py")):
        package = module_of(path) if path.name == "__init__.py" else module_of(path.parent)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        imports = [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]
        for node in sorted(imports, key=lambda node: node.lineno):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, *([base] if base else [])])
                # `from tests.x import helpers` reaches module tests.x.helpers, if there is one.
                targets = [
                    f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}") else base
                    for alias in node.names
                ]
            for target in dict.fromkeys(targets):
                if forbidden(target):
                    where = path.relative_to(root)
                    found.append(f"{where}:{node.lineno} imports {target}")
    return found


def test_tests_share_helpers_only_through_fixtures() -> None:
    """A helper one test module takes from another breaks when that module is renamed or
    split, and runs the other module's import-time set-up; shared helpers live in
    tests/fixtures (issue 9)."""
    root = Path(__file__).resolve().parents[2]
    found = _test_module_imports(root)
    assert not found, "move these helpers into tests/fixtures:\n" + "\n".join(found)


def test_the_check_finds_an_import_of_a_test_module(tmp_path: Path) -> None:
    files = {
        "tests/__init__.py": "",
        "tests/conftest.py": "class Keyring: ...\n",
        "tests/fixtures/__init__.py": "",
        "tests/fixtures/pdfs.py": "def small_pdf(): ...\n",
        "tests/unit/__init__.py": "",
        "tests/unit/helpers.py": "",
        "tests/unit/test_a.py": "def made(): ...\n",
        "tests/unit/test_b.py": (
            "import os\n"
            "from tests.fixtures.pdfs import small_pdf\n"
            "from tests.fixtures import pdfs\n"
            "from tests.unit.test_a import made\n"
            "from tests.conftest import Keyring\n"
            "def later():\n"
            "    import tests.unit.helpers\n"
            "from tests.unit import helpers\n"
            "from . import test_a\n"
        ),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert _test_module_imports(tmp_path) == [
        "tests/unit/test_b.py:4 imports tests.unit.test_a",
        "tests/unit/test_b.py:5 imports tests.conftest",
        "tests/unit/test_b.py:7 imports tests.unit.helpers",
        "tests/unit/test_b.py:8 imports tests.unit.helpers",
        "tests/unit/test_b.py:9 imports tests.unit.test_a",
    ]
