"""The layout docs/architecture.md describes: imports only along index -> qa -> ui (the CLI
and tooling compose), no import cycle (function-level imports count), small modules, and a
core install without evaluation, benchmark or test packages."""

from __future__ import annotations

import ast
import tomllib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("index", "qa", "ui")
ORDER = {"index": 0, "qa": 1, "ui": 2, "tooling": 3}
MAX_LINES = 300


def _modules() -> dict[str, Path]:
    found = {}
    for top in ORDER:
        for path in sorted((ROOT / top).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def _imports(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Each module's imports of project modules, wherever in the file they are."""
    edges: dict[str, set[str]] = defaultdict(set)
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, *([node.module] if node.module else [])])
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base
                    for a in node.names
                ]
            else:
                continue
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != name:
                    edges[name].add(target)
    return edges


def test_imports_follow_the_data_flow() -> None:
    edges = _imports(_modules())
    against = sorted(
        (source, target)
        for source, targets in edges.items()
        for target in targets
        if not source.startswith(("qa.cli", "tooling"))
        and ORDER[target.split(".")[0]] > ORDER[source.split(".")[0]]
    )
    assert against == []


def test_no_import_cycles() -> None:
    edges = _imports(_modules())
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for module in sorted(_modules()):
        if module not in state:
            visit(module, [module])
    assert cycles == []


def test_no_product_module_is_over_300_lines() -> None:
    long = {
        name: n
        for name, path in _modules().items()
        if name.split(".")[0] in PRODUCT
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_core_install_carries_no_evaluation_benchmark_or_test_package() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core = {d.split(">")[0].split("=")[0].split("[")[0].lower() for d in project["dependencies"]}
    extras = project["optional-dependencies"]
    tooling = {
        d.split(">")[0].split("=")[0].split("[")[0].lower()
        for extra in ("eval", "bench", "test")
        for d in extras[extra]
        if not d.startswith("newsqa")
    }
    assert core & tooling == set()
    assert {"ir-measures", "scikit-learn", "pytest", "langchain-community"} <= tooling
