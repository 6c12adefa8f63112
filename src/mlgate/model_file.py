"""Audit a skops model file before anything in it is deserialised.

A model file is untrusted input: it may come from a pull request, a DVC cache or a remote. skops
rebuilds objects by importing and calling what its ``schema.json`` names, so the schema decides
what code runs. :func:`audit_model_bytes` therefore checks, on the bytes alone:

- the archive: every member stored uncompressed (no zip bomb), named like a skops array file or
  ``schema.json`` (no path, no pickle, no stray file), referenced by the schema, sizes consistent;
- the schema: written with the skops protocol mlgate writes (an older protocol switches skops to
  older, laxer node classes), and every node, wherever it sits, of a kind and type allowed by
  :mod:`mlgate.trusted`. Nodes that call a function or method are refused outright, dict keys may
  only be rebuilt with ``str`` or ``int``, and an id shared by two nodes must name one object;
- every array file: a plain ``.npy`` whose dtype holds no Python object (no pickle inside).

Each refusal names the offending node by its path in ``schema.json``.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from mlgate import trusted
from mlgate.errors import ModelError

#: The skops protocol mlgate writes and the only one it reads.
SKOPS_PROTOCOL = 2
#: Larger model files are refused before they are opened (a random forest of 300 deep trees on
#: Adult is about 100 MB).
MAX_MODEL_BYTES = 2 << 30
_MEMBER_NAME = re.compile(r"[0-9]{1,40}\.npy")
_BASE_KEYS = frozenset({"__class__", "__module__", "__loader__", "__id__"})
_CALLING = ("FunctionNode", "MethodNode", "PartialNode", "OperatorFuncNode")
_CALLING += ("ConstructorFromReduceNode", "ReduceNode", "DefaultDictNode")

Node = dict[str, Any]
Child = tuple[Any, str, str | None]  # (node, path, the loader it must have, if any)


def audit_model_bytes(
    data: bytes, *, source: str, extra_types: frozenset[str] = frozenset()
) -> None:
    """Raise :class:`ModelError` unless ``data`` is a skops file mlgate may deserialise.

    Parameters
    ----------
    data : bytes
        The whole file, read once: the bytes audited are the bytes loaded.
    source : str
        Where the bytes came from, quoted in every message.
    extra_types : frozenset of str
        Classes an object node may also be (``train.custom.trusted_types``).
    """
    if len(data) > MAX_MODEL_BYTES:
        raise ModelError(f"{source} is {len(data)} bytes, over the {MAX_MODEL_BYTES} allowed.")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ModelError(
            f"{source} is not a skops file (not a zip archive). mlgate loads models saved with "
            "skops only; pickle and joblib files are refused because loading them runs code."
        ) from None
    with archive:
        members = _audit_members(archive, len(data), source=source)
        schema = _read_schema(archive, source=source)
        referenced = SchemaAudit(schema, source=source, extra_types=extra_types).run()
        for name in sorted(set(members) - referenced):
            raise ModelError(f"{source}: archive member {name!r} is not used by any node.")
        for name in sorted(referenced):
            _audit_array_member(archive.read(name), name, source=source)


def object_types(data: bytes) -> set[str]:
    """Every class an object node of the skops file ``data`` names (no audit, no loading)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        pending = [json.loads(archive.read("schema.json"))]
    found = set()
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if node.get("__loader__") == "ObjectNode":
                found.add(f"{node.get('__module__')}.{node.get('__class__')}")
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return found


def _audit_members(archive: zipfile.ZipFile, size: int, *, source: str) -> list[str]:
    infos = archive.infolist()
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise ModelError(f"{source}: the archive holds two members with one name.")
    if "schema.json" not in names:
        raise ModelError(f"{source} is not a skops file: it has no schema.json.")
    for info in infos:
        if info.filename != "schema.json" and not _MEMBER_NAME.fullmatch(info.filename):
            raise ModelError(
                f"{source}: archive member {info.filename!r} is not a skops data entry "
                "(schema.json or NUMBER.npy); refusing the file."
            )
        if info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1:
            raise ModelError(
                f"{source}: archive member {info.filename!r} is compressed or encrypted; mlgate "
                "writes models uncompressed, and a compressed member could expand without bound."
            )
        if info.file_size != info.compress_size:
            raise ModelError(f"{source}: archive member {info.filename!r} declares two sizes.")
    if sum(info.compress_size for info in infos) > size:
        raise ModelError(f"{source}: archive members declare more bytes than the file holds.")
    return [name for name in names if name != "schema.json"]


def _read_schema(archive: zipfile.ZipFile, *, source: str) -> Node:
    try:
        schema = json.loads(archive.read("schema.json"))
    except (ValueError, RecursionError, zipfile.BadZipFile) as exc:
        raise ModelError(f"{source}: schema.json is not readable JSON ({exc}).") from None
    if not isinstance(schema, dict):
        raise ModelError(f"{source}: schema.json is not an object.")
    protocol = schema.get("protocol")
    if type(protocol) is not int or protocol != SKOPS_PROTOCOL:
        raise ModelError(
            f"{source}: schema.json declares skops protocol {protocol!r}; mlgate writes and reads "
            f"protocol {SKOPS_PROTOCOL} only (an older protocol makes skops use older, laxer "
            "loaders). Retrain the model with this mlgate."
        )
    return schema


def _audit_array_member(content: bytes, name: str, *, source: str) -> None:
    import numpy as np

    buffer = io.BytesIO(content)
    readers = {
        (1, 0): np.lib.format.read_array_header_1_0,
        (2, 0): np.lib.format.read_array_header_2_0,
    }
    try:
        reader = readers.get(np.lib.format.read_magic(buffer))
        if reader is None:
            raise ValueError("a .npy format version numpy writes for numbers is 1.0 or 2.0")
        shape, _, dtype = reader(buffer)
    except (ValueError, SyntaxError, TypeError) as exc:
        raise ModelError(f"{source}: {name} is not a .npy array ({exc}).") from None
    if dtype.hasobject:
        raise ModelError(
            f"{source}: {name} is an array of Python objects (dtype {dtype}); reading it would "
            "unpickle them. mlgate's models hold no such array."
        )
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(content) - buffer.tell() != expected:
        raise ModelError(f"{source}: {name} holds a different number of bytes than it declares.")


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
        if not isinstance(name, str) or not _MEMBER_NAME.fullmatch(name):
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
    yield reduce["args"], f"{path}.__reduce__.args", "TupleNode"
    yield node.get("content"), f"{path}.content", None


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
