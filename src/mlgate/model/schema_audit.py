"""Audit the node tree of a skops ``schema.json``: every node's kind, type, keys and children.

skops rebuilds each node by its ``__loader__`` (its kind), importing and calling what the node
names. :class:`SchemaAudit` walks every node, wherever it sits, and accepts it only when its kind
has a rule below and its type is on that rule's list in :mod:`mlgate.model.trusted`. Kinds that
call a function or method (function, method, partial, operator, reduce, constructor and defaultdict
nodes) have no rule. A dict's keys may be rebuilt only with ``str`` or ``int``; a random generator
may name only a numpy bit generator; and nodes that share an id (skops hands the first to every
later one) must be of one kind and type. Each refusal names the node by its path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from mlgate.errors import ModelError
from mlgate.model import trusted

#: Archive members an array node may read: what skops writes (an object id, then ``.npy``).
MEMBER_NAME = re.compile(r"[0-9]{1,40}\.npy")
_BASE_KEYS = frozenset({"__class__", "__module__", "__loader__", "__id__"})
_CALLING = ("FunctionNode", "MethodNode", "PartialNode", "OperatorFuncNode")
_CALLING += ("ConstructorFromReduceNode", "ReduceNode", "DefaultDictNode")

Node = dict[str, Any]
Child = tuple[Any, str, str | None]  # (node, path, the loader it must have, if any)


class SchemaAudit:
    """Walk every node of a skops schema and refuse anything mlgate's models never hold."""

    def __init__(
        self, schema: Node, *, source: str, extra_types: frozenset[str] = frozenset()
    ) -> None:
        self.schema = schema
        self.source = source
        self.extra_types = extra_types
        self.seen: dict[int, tuple] = {}  # node id -> kind and type of the first node with it
        self.files: set[str] = set()

    def run(self) -> set[str]:
        """Audit the whole tree; return the archive members its array nodes read."""
        name = f"{self.schema.get('__module__')}.{self.schema.get('__class__')}"
        if name not in trusted.MODEL_TYPES:
            raise self.refuse("$", self.schema, f"is not a model ({sorted(trusted.MODEL_TYPES)})")
        pending: list[Child] = [(self.schema, "$", "ObjectNode")]
        while pending:
            node, path, expected = pending.pop()
            pending.extend(self.audit(node, path, expected))
        return self.files

    def refuse(self, path: str, node: Any, why: str) -> ModelError:
        """The error naming the offending node."""
        name = ""
        if isinstance(node, dict):
            name = f" ({node.get('__loader__')} {node.get('__module__')}.{node.get('__class__')})"
        return ModelError(
            f"{self.source}: schema.json node {path}{name} {why}. Refusing to load the model: "
            "mlgate loads only the objects its own models hold."
        )

    def audit(self, node: Any, path: str, expected: str | None) -> Iterator[Child]:
        """Check one node against the rules of its kind; yield its children to check."""
        if not isinstance(node, dict):
            raise self.refuse(path, node, f"is a {type(node).__name__}, not a node")
        loader = node.get("__loader__")
        if loader in _CALLING:
            raise self.refuse(path, node, "calls a function or method when loaded")
        rule = _RULES.get(loader) if isinstance(loader, str) else None
        if rule is None:
            raise self.refuse(path, node, "is of a node kind mlgate's models never hold")
        if expected is not None and loader != expected:
            raise self.refuse(path, node, f"stands where a {expected} belongs")
        allowed_types, extra_keys = rule.types, rule.keys
        if path == "$":
            extra_keys = extra_keys | {"protocol", "_skops_version"}
        unknown = sorted(set(node) - _BASE_KEYS - extra_keys)
        if unknown:
            raise self.refuse(path, node, f"has keys no {loader} has: {unknown}")
        module, cls = node.get("__module__"), node.get("__class__")
        if not isinstance(module, str) or not isinstance(cls, str):
            raise self.refuse(path, node, "does not name its type with two strings")
        name = f"{module}.{cls}"
        extra = self.extra_types if loader == "ObjectNode" else frozenset()
        if allowed_types is not None and name not in allowed_types and name not in extra:
            raise self.refuse(
                path,
                node,
                "names a type that is not on mlgate's allow-list (for your own estimator, "
                "review it and list it in train.custom.trusted_types)",
            )
        self.remember_id(node, path)
        yield from rule.children(self, node, path)

    def remember_id(self, node: Node, path: str) -> None:
        """Check that every node sharing an id is of one kind: skops hands them all the first.

        Each node is audited where it stands, so a later node may differ in content (skops writes
        a shared object out again each time), but not in kind or type: otherwise a node that
        passed as, say, a dict key's type could stand for an object of another kind.
        """
        node_id = node.get("__id__")
        if node_id is None:
            return
        if type(node_id) is not int:
            raise self.refuse(path, node, "has an id that is not an integer")
        kind = (node.get("__loader__"), node.get("__module__"), node.get("__class__"))
        if self.seen.setdefault(node_id, kind) != kind:
            raise self.refuse(path, node, f"reuses id {node_id} of a node of another kind")

    def content(self, node: Node, path: str, kind: type) -> Any:
        """``node["content"]``, which must be of ``kind``."""
        value = node.get("content")
        if not isinstance(value, kind):
            raise self.refuse(path, node, f"has content that is not a {kind.__name__}")
        return value


def _items(audit: SchemaAudit, node: Node, path: str) -> Iterator[Child]:
    for index, item in enumerate(audit.content(node, path, list)):
        yield item, f"{path}.content[{index}]", None


def _dict(audit: SchemaAudit, node: Node, path: str) -> Iterator[Child]:
    content = audit.content(node, path, dict)
    key_types = node.get("key_types")
    if not isinstance(key_types, dict) or key_types.get("__loader__") != "ListNode":
        raise audit.refuse(f"{path}.key_types", key_types, "is not a list of key types")
    kinds = audit.content(key_types, f"{path}.key_types", list)
    if len(kinds) != len(content):
        raise audit.refuse(path, node, "has a different number of keys and key types")
    for index, kind in enumerate(kinds):
        kind_path = f"{path}.key_types.content[{index}]"
        if not isinstance(kind, dict) or kind.get("__loader__") != "TypeNode":
            raise audit.refuse(kind_path, kind, "rebuilds a key with something other than a type")
        if f"{kind.get('__module__')}.{kind.get('__class__')}" not in trusted.DICT_KEY_TYPES:
            raise audit.refuse(kind_path, kind, "rebuilds a key with a type other than str or int")
    yield key_types, f"{path}.key_types", "ListNode"
    for key, value in content.items():
        yield value, f"{path}.content[{key!r}]", None


def _object(audit: SchemaAudit, node: Node, path: str) -> Iterator[Child]:
    # The attributes: a dict node, or a JSON value for an object whose state is plain JSON.
    if "content" in node:
        attributes = node["content"]
        if not isinstance(attributes, dict) or attributes.get("__loader__") not in (
            "DictNode",
            "JsonNode",
        ):
            raise audit.refuse(f"{path}.content", attributes, "is not an attribute dict")
        yield attributes, f"{path}.content", None


def _array(audit: SchemaAudit, node: Node, path: str) -> Iterator[Child]:
    kind = node.get("type")
    if kind == "numpy":
        name = node.get("file")
        if not isinstance(name, str) or not MEMBER_NAME.fullmatch(name):
            raise audit.refuse(path, node, f"reads an archive member named {name!r}")
        audit.files.add(name)
    elif kind == "json":
        # An array of Python objects (strings, or estimators in an ensemble), item by item.
        for index, item in enumerate(audit.content(node, path, list)):
            yield item, f"{path}.content[{index}]", None
        yield node.get("shape"), f"{path}.shape", "TupleNode"
    else:
        raise audit.refuse(path, node, f"has array type {kind!r}, not 'numpy' or 'json'")


def _dtype(audit: SchemaAudit, node: Node, path: str) -> Iterator[Child]:
    yield node.get("content"), f"{path}.content", "NdArrayNode"


def _json(audit: SchemaAudit, node: Node, path: str) -> Iterator[Child]:
    audit.content(node, path, str)
    if node.get("is_json") is not True:
        raise audit.refuse(path, node, "is not marked as JSON")
    return iter(())


def _slice(audit: SchemaAudit, node: Node, path: str) -> Iterator[Child]:
    bounds = audit.content(node, path, dict)
    if set(bounds) != {"start", "stop", "step"} or not all(
        value is None or type(value) is int for value in bounds.values()
    ):
        raise audit.refuse(path, node, "is not a slice of integers")
    return iter(())


def _generator(audit: SchemaAudit, node: Node, path: str) -> Iterator[Child]:
    content = audit.content(node, path, dict)
    if set(content) != {"bit_generator", "seed_seq"}:
        raise audit.refuse(path, node, "is not a random generator's state")
    try:
        name = json.loads(content["bit_generator"]["content"]["bit_generator"]["content"])
    except (KeyError, TypeError, ValueError):
        name = None
    if name not in trusted.BIT_GENERATORS:
        raise audit.refuse(path, node, f"names bit generator {name!r}, not a numpy bit generator")
    yield content["bit_generator"], f"{path}.content.bit_generator", "DictNode"
    yield content["seed_seq"], f"{path}.content.seed_seq", "DictNode"


def _random_state(audit: SchemaAudit, node: Node, path: str) -> Iterator[Child]:
    # skops builds numpy's RandomState (the one type allowed here) and sets the state's dict;
    # numpy refuses a state for another bit generator.
    yield node.get("content"), f"{path}.content", "DictNode"


def _reduced(audit: SchemaAudit, node: Node, path: str) -> Iterator[Child]:
    # skops rebuilds these with a constructor it fixes itself (the node's own, allow-listed type).
    reduce = node.get("__reduce__")
    if not isinstance(reduce, dict) or set(reduce) != {"args"}:
        raise audit.refuse(path, node, "has a __reduce__ other than its constructor arguments")
    if node.get("__loader__") == "TreeNode":
        _tree_arguments(audit, reduce["args"], f"{path}.__reduce__.args")
    yield reduce["args"], f"{path}.__reduce__.args", "TupleNode"
    yield node.get("content"), f"{path}.content", None


def _tree_arguments(audit: SchemaAudit, args: Any, path: str) -> None:
    """``Tree(n_features, n_classes, n_outputs)`` allocates ``n_outputs`` entries before any check.

    mlgate's trees predict one target, so ``n_outputs`` must be 1: building a tree then allocates
    nothing the file's own arrays do not size (``n_outputs`` 2**33 asked for 64 GiB).
    """
    items = args.get("content") if isinstance(args, dict) else None
    values = []
    for index in (0, 2):
        item = items[index] if isinstance(items, list) and len(items) == 3 else None
        try:
            values.append(json.loads(item["content"]) if item["__loader__"] == "JsonNode" else None)
        except (TypeError, KeyError, ValueError):
            values.append(None)
    n_features, n_outputs = values
    if (
        type(n_features) is not int
        or n_features < 1
        or n_outputs != 1
        or type(n_outputs) is not int
    ):
        raise audit.refuse(
            path,
            args,
            f"builds a tree of {n_features!r} features and {n_outputs!r} outputs: mlgate's trees "
            "have at least one feature and exactly one output",
        )


def _leaf(audit: SchemaAudit, node: Node, path: str) -> Iterator[Child]:
    return iter(())


class _Rule:
    def __init__(
        self,
        types: frozenset[str] | None,
        keys: set[str],
        children: Callable[[SchemaAudit, Node, str], Iterator[Child]],
    ) -> None:
        self.types, self.keys, self.children = types, frozenset(keys), children


def _one(name: str) -> frozenset[str]:
    return frozenset({name})


# Per node kind: the types it may name, the keys it may have, and where its children are.
_RULES: dict[str, _Rule] = {
    "ObjectNode": _Rule(trusted.OBJECT_TYPES, {"content"}, _object),
    "DictNode": _Rule(_one("builtins.dict"), {"content", "key_types"}, _dict),
    "ListNode": _Rule(_one("builtins.list"), {"content"}, _items),
    "TupleNode": _Rule(_one("builtins.tuple"), {"content"}, _items),
    "JsonNode": _Rule(_one("builtins.str"), {"content", "is_json"}, _json),
    "TypeNode": _Rule(trusted.TYPE_VALUES, set(), _leaf),
    "NdArrayNode": _Rule(trusted.ARRAY_TYPES, {"content", "file", "shape", "type"}, _array),
    "DTypeNode": _Rule(_one("numpy.dtype"), {"content"}, _dtype),
    "SliceNode": _Rule(_one("builtins.slice"), {"content"}, _slice),
    "RandomGeneratorNode": _Rule(
        _one("numpy.random._generator.Generator"), {"content"}, _generator
    ),
    "RandomStateNode": _Rule(_one("numpy.random.mtrand.RandomState"), {"content"}, _random_state),
    "LossNode": _Rule(trusted.LOSS_TYPES, {"content", "__reduce__"}, _reduced),
    "TreeNode": _Rule(trusted.TREE_TYPES, {"content", "__reduce__"}, _reduced),
}
