"""The shape of the code: imports point one way, nothing cycles, and modules stay small.

``cli → report, gate → stages → checks → model, data, stats → config → io, git, errors, paths``.
A module may import its own layer or any layer below it, never one above; the import graph has
no cycle; mlgate's own modules are imported at module level (only third-party libraries are
imported inside functions, for start-up speed); and no module is over 300 lines.
"""

from __future__ import annotations

import ast

import pytest

from mlgate.code_closure import PACKAGE_DIR, imported_modules

#: Each part of the package and its layer: a module may import only its own layer or lower ones.
LAYERS = {
    "mlgate": 0,
    "mlgate.errors": 0,
    "mlgate.paths": 0,
    "mlgate.io": 0,
    "mlgate.git": 0,
    "mlgate.code_closure": 0,
    "mlgate.config": 1,
    "mlgate.model": 2,
    "mlgate.mitigation": 2,  # where 0.1.0 saved MitigatedModel: a re-export from mlgate.model
    "mlgate.data": 2,
    "mlgate.stats": 2,
    "mlgate.checks": 3,
    "mlgate.stages": 4,
    "mlgate.provenance": 4,
    "mlgate.project": 4,
    "mlgate.report": 5,
    "mlgate.gate": 5,
    "mlgate.registry": 5,
    "mlgate.monitor": 5,
    "mlgate.cli": 6,
    "mlgate.__main__": 6,
}

MAX_LINES = 300


def all_modules() -> dict[str, object]:
    modules = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def layer_of(module: str) -> int:
    prefixes = [p for p in LAYERS if module == p or module.startswith(p + ".")]
    if not prefixes:
        raise AssertionError(f"{module} is in no layer: add its package to LAYERS")
    return LAYERS[max(prefixes, key=len)]


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return {name: imported_modules(name, with_parents=False) for name in all_modules()}


def test_imports_point_down_the_layers(graph):
    upward = [
        f"{module} (layer {layer_of(module)}) imports {target} (layer {layer_of(target)})"
        for module, targets in graph.items()
        for target in sorted(targets)
        if layer_of(target) > layer_of(module)
    ]
    assert upward == []


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm: the groups of modules that import each other, directly or not."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            groups.append(group)

    for node in graph:
        if node not in index:
            visit(node)
    return groups


def test_no_import_cycles(graph):
    cycles = [sorted(group) for group in strongly_connected(graph) if len(group) > 1]
    assert cycles == []


def test_the_cycle_finder_finds_a_cycle():
    cyclic = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert [g for g in strongly_connected(cyclic) if len(g) > 1] == [{"a", "b", "c"}]


def test_mlgate_modules_are_imported_at_module_level():
    hidden = []
    for name, path in all_modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                module = node.module if isinstance(node, ast.ImportFrom) else None
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                if (module or "").startswith("mlgate") or any(
                    n.startswith("mlgate") for n in names
                ):
                    hidden.append(f"{name}:{node.lineno}")
    assert hidden == []


def test_no_module_is_over_300_lines():
    long = {
        name: lines
        for name, path in all_modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}
