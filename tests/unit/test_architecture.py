"""The shape of the code: imports point one way, nothing cycles, and modules stay small.

``cli → registry → report → gate, monitor → stages → distributed → scoring → checks, tables →
model, data, stats → config → io, git, errors, paths``. A module may import its own package or any
layer below it, never one above, and another package of its own layer only where :data:`SIDEWAYS`
says so; the import graph has no cycle; mlgate's own modules are imported at module level (only
third-party libraries are imported inside functions, for start-up speed); and no module is over 300
lines.
"""

from __future__ import annotations

import ast

import pytest

from mlgate.code_closure import PACKAGE_DIR, imported_modules

#: Each part of the package and its layer: a module may import its own package, any lower layer,
#: and, within its layer, only the packages :data:`SIDEWAYS` allows. ``mlgate`` itself (the
#: package's ``__init__``) is matched by its exact name only: a new top-level module is in no layer
#: until it is added here.
LAYERS = {
    "mlgate": 0,
    "mlgate.errors": 0,
    "mlgate.paths": 0,
    "mlgate.io": 0,
    "mlgate.git": 0,
    "mlgate.code_closure": 0,
    "mlgate.config": 1,
    "mlgate.revisions": 1,  # a DVC output at a git revision, held to its dvc.lock
    "mlgate.versioned": 1,  # reading the versioned files through their models
    "mlgate.model": 2,
    "mlgate.mitigation": 2,  # where 0.1.0 saved MitigatedModel: a re-export from mlgate.model
    "mlgate.data": 2,
    "mlgate.stats": 2,
    "mlgate.checks": 3,
    "mlgate.tables": 3,  # reading source files and batches
    "mlgate.scoring": 4,  # scoring rows with the saved model
    "mlgate.distributed": 5,  # the Dask engine: counting and scoring partitions
    "mlgate.engines": 5,  # the one interface the commands read batches through
    "mlgate.stages": 6,  # the DVC stages only
    "mlgate.provenance": 6,
    "mlgate.project": 6,
    "mlgate.gate": 7,
    "mlgate.monitor": 7,
    "mlgate.report": 8,  # renders evidence; reads the gate's decisions and the monitor's tests
    "mlgate.registry": 9,  # above the gate it asks and the card it renders
    "mlgate.cli": 10,
    "mlgate.__main__": 10,
    "mlgate.reference": 11,  # the documentation's generated pages: they read every registry
}

#: The only imports allowed between two packages of one layer (importer, imported).
SIDEWAYS = {
    ("mlgate.__main__", "mlgate.cli"),
    ("mlgate.io", "mlgate.errors"),
    ("mlgate.git", "mlgate.errors"),
    ("mlgate.mitigation", "mlgate.model"),
    ("mlgate.model", "mlgate.data"),  # a row's sensitive group, for mitigation
    ("mlgate.data", "mlgate.stats"),
    ("mlgate.stages", "mlgate.provenance"),
    ("mlgate.engines", "mlgate.distributed"),  # the Dask engine's operations
}

MAX_LINES = 300


def all_modules() -> dict[str, object]:
    modules = {}
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def package_of(module: str, layers: dict[str, int] = LAYERS) -> str:
    """The entry of ``layers`` a module belongs to (``mlgate`` by its exact name only)."""
    prefixes = [p for p in layers if module == p or (p != "mlgate" and module.startswith(p + "."))]
    if not prefixes:
        raise AssertionError(f"{module} is in no layer: add its package to LAYERS")
    return max(prefixes, key=len)


def layer_of(module: str, layers: dict[str, int] = LAYERS) -> int:
    return layers[package_of(module, layers)]


def violations(
    graph: dict[str, set[str]],
    layers: dict[str, int] = LAYERS,
    sideways: set[tuple[str, str]] = SIDEWAYS,
) -> list[str]:
    """Every import that points up a layer, or sideways without being allowed."""
    found = []
    for module, targets in graph.items():
        for target in sorted(targets):
            source, imported = package_of(module, layers), package_of(target, layers)
            if source == imported:
                continue
            if layers[imported] > layers[source]:
                found.append(f"{module} (layer {layers[source]}) imports {target} (layer up)")
            elif layers[imported] == layers[source] and (source, imported) not in sideways:
                found.append(f"{module} imports {target} sideways: not in SIDEWAYS")
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return {name: imported_modules(name, with_parents=False) for name in all_modules()}


def test_imports_point_down_the_layers(graph):
    assert violations(graph) == []


def test_every_allowed_sideways_edge_is_used(graph):
    used = {
        (package_of(module), package_of(target))
        for module, targets in graph.items()
        for target in targets
    }
    assert SIDEWAYS - used == set(), "an allowance nothing needs: remove it"


def test_the_layer_rule_catches_what_it_must():
    layers = {"mlgate": 0, "mlgate.low": 0, "mlgate.mid": 1, "mlgate.high": 2, "mlgate.peer": 2}
    allowed = {("mlgate.high", "mlgate.low")}  # harmless: low is below anyway
    assert violations({"mlgate.high.a": {"mlgate.mid.b", "mlgate.low"}}, layers, allowed) == []
    assert violations({"mlgate.high.a": {"mlgate.high.b"}}, layers, allowed) == []
    upward = violations({"mlgate.mid.b": {"mlgate.high.a"}}, layers, allowed)
    assert upward == ["mlgate.mid.b (layer 1) imports mlgate.high.a (layer up)"]
    sideways = violations({"mlgate.high.a": {"mlgate.peer.c"}}, layers, allowed)
    assert sideways == ["mlgate.high.a imports mlgate.peer.c sideways: not in SIDEWAYS"]
    assert (
        violations({"mlgate.peer.c": {"mlgate.high.a"}}, layers, {("mlgate.peer", "mlgate.high")})
        == []
    )
    # No catch-all: a new top-level module is in no layer, and says so.
    with pytest.raises(AssertionError, match=r"mlgate\.newcomer is in no layer"):
        violations({"mlgate.newcomer": {"mlgate.low"}}, layers, allowed)


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


#: The most parameters a function below the command line may take: more is a record waiting to
#: be named (a command's options are click's, one parameter each).
MAX_PARAMETERS = 7

#: The functions allowed more, and why.
MANY_PARAMETERS = {
    # scikit-learn's estimator contract: every hyper-parameter is an __init__ argument, so that
    # get_params, clone and skops see them.
    "mlgate.model.mitigation:MitigatedModel.__init__",
}


def functions_with_many_parameters() -> dict[str, int]:
    found = {}
    for name, path in all_modules().items():
        if name == "mlgate.cli" or name.startswith("mlgate.cli."):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for owner in ast.walk(tree):
            for node in ast.iter_child_nodes(owner):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                args = node.args
                named = [
                    a.arg
                    for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)
                    if a.arg not in ("self", "cls")
                ]
                if len(named) > MAX_PARAMETERS:
                    where = (
                        f"{owner.name}.{node.name}"
                        if isinstance(owner, ast.ClassDef)
                        else node.name
                    )
                    found[f"{name}:{where}"] = len(named)
    return found


def test_no_function_below_the_command_line_takes_more_than_seven_parameters():
    assert set(functions_with_many_parameters()) == MANY_PARAMETERS


def is_stub(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A protocol's method: a docstring and ``...``, nothing run."""
    body = [
        n
        for n in function.body
        if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))
    ]
    return not body


def whole_config_readers() -> dict[str, list[str]]:
    """Functions below the command line that take the whole ``Config``: the sections they read.

    A function that hands the config on whole (to a call, a record) is listed with ``*``.
    """
    found = {}
    for name, path in all_modules().items():
        if name.startswith(("mlgate.cli", "mlgate.reference")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or is_stub(node):
                continue
            args = node.args
            for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs):
                if arg.annotation is None or ast.unparse(arg.annotation).strip("'\"") != "Config":
                    continue
                read = {
                    n.attr
                    for n in ast.walk(node)
                    if isinstance(n, ast.Attribute)
                    and isinstance(n.value, ast.Name)
                    and n.value.id == arg.arg
                }
                attributes = {id(n.value) for n in ast.walk(node) if isinstance(n, ast.Attribute)}
                handed_on = any(
                    isinstance(n, ast.Name) and n.id == arg.arg and id(n) not in attributes
                    for n in ast.walk(node)
                    if n is not arg
                )
                found[f"{name}:{node.name}"] = sorted(read) + (["*"] if handed_on else [])
    return found


#: The most sections of the config a function below the command line may read and still take
#: the whole config: fewer are named (``checks``, ``data``; ``table_rules`` for ``data`` and
#: ``ingest``), so what a function depends on is in its signature.
MAX_SECTIONS_NAMED = 2


def test_a_function_that_reads_two_sections_of_the_config_or_fewer_takes_only_those():
    """A function reading ``cfg.checks`` and ``cfg.data`` takes ``checks`` and ``data``."""
    few = {
        function: sections
        for function, sections in whole_config_readers().items()
        if "*" not in sections and len(sections) <= MAX_SECTIONS_NAMED
    }
    assert few == {}


def test_the_config_reader_finds_one_section_and_a_config_handed_on():
    found = whole_config_readers()
    assert found["mlgate.gate.expected:current_fingerprint"] == ["*"]
    assert found["mlgate.stages.train:train_model"] == ["data", "evaluate", "prepare", "train"]
    assert "mlgate.gate.expected:expected_checks" not in found  # it takes checks and data


def test_only_the_engines_choose_or_run_an_engine():
    """No command or stage asks which engine it has: it calls the one it was handed."""
    engine_modules = {"mlgate.distributed.predict", "mlgate.distributed.check_tallies"}
    engine_modules |= {"mlgate.distributed.fold"}
    asks = {}
    for name, path in all_modules().items():
        if name.startswith(("mlgate.engines", "mlgate.config", "mlgate.distributed")):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = imported_modules(name, with_parents=False) & engine_modules
        reads = {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and node.attr in ("distributed", "chosen")
        }
        if imported or reads:
            asks[name] = sorted(imported | reads)
    assert asks == {}


#: The most branch points (if, loop, conditional expression, except) a command may have: a
#: command parses, calls and reports; deciding belongs below it.
MAX_COMMAND_BRANCHES = 5


def command_branches() -> dict[str, int]:
    found = {}
    for name, path in all_modules().items():
        if not name.startswith("mlgate.cli."):
            continue
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name.endswith("_cmd"):
                found[f"{name}:{node.name}"] = sum(
                    isinstance(n, ast.If | ast.IfExp | ast.For | ast.While | ast.ExceptHandler)
                    for n in ast.walk(node)
                )
    return found


def test_commands_are_thin():
    branches = command_branches()
    assert len(branches) > 20  # every command is seen
    assert {name: n for name, n in branches.items() if n > MAX_COMMAND_BRANCHES} == {}
