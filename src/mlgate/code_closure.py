"""Which of mlgate's source files a module runs: its static import closure.

Two things depend on knowing it exactly. DVC reruns a stage only when a dependency changes, so each
stage in ``dvc.yaml`` must list every file its command imports (a test holds it to this closure).
And the gate refuses evidence made by other code, so the evidence records a hash of every file the
``check`` command runs (:func:`mlgate.provenance.evidence_code_sha256`).

The closure follows ``import`` statements anywhere in a module (functions included) and counts a
package's ``__init__`` for every module imported from it, as Python runs it. Only mlgate's own
modules are followed.
"""

from __future__ import annotations

import ast
from pathlib import Path

#: The folder of the ``mlgate`` package.
PACKAGE_DIR = Path(__file__).resolve().parent


def module_file(name: str, *, package_dir: Path = PACKAGE_DIR) -> Path | None:
    """The source file of mlgate module ``name`` (``mlgate.x.y``), or None if there is none."""
    parts = name.split(".")
    if parts[0] != "mlgate":
        return None
    base = package_dir.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def imported_modules(
    name: str, *, package_dir: Path = PACKAGE_DIR, with_parents: bool = True
) -> set[str]:
    """The mlgate modules that module ``name`` imports directly.

    ``from a.b import c`` names ``a.b.c`` when that is a module, else ``a.b``. With
    ``with_parents``, the packages above each are included too, as Python runs their
    ``__init__`` first; without, only the modules the code names (the import graph's edges).
    """
    path = module_file(name, package_dir=package_dir)
    if path is None:
        return set()
    is_package = path.name == "__init__.py"
    named: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(name, node, is_package=is_package)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                is_module = module_file(submodule, package_dir=package_dir) is not None
                named.add(submodule if is_module else base)
    found = {m for m in named if module_file(m, package_dir=package_dir) is not None}
    if with_parents:
        found = {parent for m in found for parent in _with_parents(m)}
    found.discard(name)
    return found


def import_closure(*names: str, package_dir: Path = PACKAGE_DIR) -> set[str]:
    """Every mlgate module that importing ``names`` runs, ``names`` and their packages included."""
    todo = [parent for name in names for parent in _with_parents(name)]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or module_file(name, package_dir=package_dir) is None:
            continue
        seen.add(name)
        todo.extend(imported_modules(name, package_dir=package_dir) - seen)
    return seen


def closure_files(*names: str, package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """The source files of :func:`import_closure`, sorted."""
    modules = import_closure(*names, package_dir=package_dir)
    return sorted(path for m in modules if (path := module_file(m, package_dir=package_dir)))


def _absolute(module: str, node: ast.ImportFrom, *, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]
