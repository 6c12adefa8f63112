"""The report package's shape: small modules, one per block, importing mlgate at module level."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPORT = Path(__file__).resolve().parents[3] / "src" / "mlgate" / "report"
MODULES = sorted(REPORT.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(REPORT)))
def test_modules_are_small(path):
    limit = 150 if path.parent.name == "sections" else 300
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= limit, f"{path.name} has {lines} lines (at most {limit})"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(REPORT)))
def test_mlgate_is_imported_at_module_level_only(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hidden = [
        node.lineno
        for function in ast.walk(tree)
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(function)
        if any(name.startswith("mlgate") for name in imported(node))
    ]
    assert not hidden, f"{path.name} imports mlgate inside a function at lines {hidden}"


def imported(node: ast.AST) -> list[str]:
    """The module names an import statement names (none for any other node)."""
    if isinstance(node, ast.ImportFrom):
        return [node.module or ""]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return []
