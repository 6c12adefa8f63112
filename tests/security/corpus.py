"""An adversarial corpus of model files, built in code from a real model (no opaque binaries).

Each builder takes the bytes of a genuine mlgate model and a marker path, and returns the bytes of
a crafted ``models/model.skops``. A file whose attack worked would create the marker (or, for the
tree attacks, read memory out of bounds when the model predicts). Every file here must be refused
with a :class:`mlgate.errors.ModelError` (exit 2) naming the offending part, and the marker must
never appear.
"""

from __future__ import annotations

import io
import json
import pickle
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

Node = dict[str, Any]


# ---------------------------------------------------------------------------------------------
# Reading and writing archives


def unpack(data: bytes) -> tuple[Node, dict[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    return json.loads(members.pop("schema.json")), members


def pack(schema: Node, members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("schema.json", json.dumps(schema))
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def npy(array: np.ndarray, *, allow_pickle: bool = False) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=allow_pickle)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Nodes


class Ids:
    """Fresh node ids, far from the model's own."""

    def __init__(self) -> None:
        self.next = 900_000

    def __call__(self) -> int:
        self.next += 1
        return self.next


def node(loader: str, module: str, cls: str, ids: Ids, **fields: Any) -> Node:
    return {"__loader__": loader, "__module__": module, "__class__": cls, "__id__": ids(), **fields}


def json_node(value: Any, ids: Ids) -> Node:
    return node("JsonNode", "builtins", "str", ids, content=json.dumps(value), is_json=True)


def tuple_node(items: list[Node], ids: Ids) -> Node:
    return node("TupleNode", "builtins", "tuple", ids, content=items)


def trigger(callable_node: Node, argument: str, ids: Ids) -> Node:
    """A dict whose one key skops rebuilds as ``key_type(argument)``: calls ``callable_node``."""
    key_types = node("ListNode", "builtins", "list", ids, content=[callable_node])
    return node(
        "DictNode",
        "builtins",
        "dict",
        ids,
        content={argument: json_node(0, ids)},
        key_types=key_types,
    )


def write_marker_code(marker: Path) -> str:
    return f"open({str(marker)!r}, 'w').write('pwned')"


def inject(model: bytes, payload: Callable[[Ids, dict[str, bytes]], Node]) -> bytes:
    """The genuine model with one extra attribute, ``payload``, on its outermost object."""
    schema, members = unpack(model)
    ids = Ids()
    attributes = schema["content"]
    attributes["content"]["payload"] = payload(ids, members)
    attributes["key_types"]["content"].append(
        {"__loader__": "TypeNode", "__module__": "builtins", "__class__": "str", "__id__": ids()}
    )
    return pack(schema, members)


def standalone(root: Node, members: dict[str, bytes] | None = None, *, protocol: int = 2) -> bytes:
    """A small hand-made file: ``root`` as the whole model, labelled a Pipeline."""
    schema = {**root, "protocol": protocol, "_skops_version": "0.16.0"}
    return pack(schema, members or {})


# ---------------------------------------------------------------------------------------------
# The attacks


def method_tofile(model: bytes, marker: Path) -> bytes:
    """A 2 KB file: a dict key rebuilt by ``ndarray.tofile`` writes the file's bytes to a path."""
    ids = Ids()
    array = node("NdArrayNode", "numpy", "ndarray", ids, type="numpy", file="900.npy", shape=[5])
    method = node("MethodNode", "numpy", "ndarray", ids, content={"func": "tofile", "obj": array})
    attrs = trigger(method, str(marker), ids)
    root = node("ObjectNode", "sklearn.pipeline", "Pipeline", ids, content=attrs)
    return standalone(root, {"900.npy": npy(np.frombuffer(b"pwned", dtype=np.uint8))})


def method_tofile_injected(model: bytes, marker: Path) -> bytes:
    """The same bound-method payload riding as an extra attribute inside the real, working model."""

    def payload(ids: Ids, members: dict[str, bytes]) -> Node:
        members["900.npy"] = npy(np.frombuffer(b"pwned", dtype=np.uint8))
        array = node("NdArrayNode", "numpy", "ndarray", ids, type="numpy", file="900.npy")
        method = node(
            "MethodNode", "numpy", "ndarray", ids, content={"func": "tofile", "obj": array}
        )
        return trigger(method, str(marker), ids)

    return inject(model, payload)


def protocol_downgrade_exec(model: bytes, marker: Path) -> bytes:
    """Protocol 0's function node imports what its content names (``builtins.exec``), while its
    ``__class__``/``__module__`` claim an allow-listed Pipeline."""
    ids = Ids()
    function = node(
        "FunctionNode",
        "sklearn.pipeline",
        "Pipeline",
        ids,
        content={"module_path": "builtins", "function": "exec"},
    )
    attrs = trigger(function, write_marker_code(marker), ids)
    root = node("ObjectNode", "sklearn.pipeline", "Pipeline", ids, content=attrs)
    return standalone(root, protocol=0)


def protocol_newer(model: bytes, marker: Path) -> bytes:
    schema, members = unpack(model)
    schema["protocol"] = 3
    return pack(schema, members)


def called_as_key_type(model: bytes, loader: str, module: str, name: str, argument: str) -> bytes:
    """The real model plus a dict whose key type, `module.name`, is called on `argument`."""
    return inject(model, lambda ids, _: trigger(node(loader, module, name, ids), argument, ids))


def function_exec(model: bytes, marker: Path) -> bytes:
    return called_as_key_type(model, "FunctionNode", "builtins", "exec", write_marker_code(marker))


def function_os_system(model: bytes, marker: Path) -> bytes:
    return called_as_key_type(model, "FunctionNode", "os", "system", f"touch {marker}")


def partial_exec(model: bytes, marker: Path) -> bytes:
    def payload(ids: Ids, _: dict[str, bytes]) -> Node:
        content = {
            "func": node("FunctionNode", "builtins", "exec", ids),
            "args": tuple_node([], ids),
            "kwds": node(
                "DictNode",
                "builtins",
                "dict",
                ids,
                content={},
                key_types=node("ListNode", "builtins", "list", ids, content=[]),
            ),
            "namespace": json_node(None, ids),
        }
        partial = node("PartialNode", "functools", "partial", ids, content=content)
        return trigger(partial, write_marker_code(marker), ids)

    return inject(model, payload)


def operator_methodcaller(model: bytes, marker: Path) -> bytes:
    """``operator.methodcaller('__init__')``-style helpers call whatever they are handed."""

    def payload(ids: Ids, _: dict[str, bytes]) -> Node:
        caller = node(
            "OperatorFuncNode",
            "operator",
            "methodcaller",
            ids,
            attrs=tuple_node([json_node("format", ids)], ids),
        )
        return trigger(caller, str(marker), ids)

    return inject(model, payload)


def constructor_reduce_system(model: bytes, marker: Path) -> bytes:
    """A constructor-from-reduce node calls its type with the arguments the file gives."""
    return inject(
        model,
        lambda ids, _: node(
            "ConstructorFromReduceNode",
            "os",
            "system",
            ids,
            content=tuple_node([json_node(f"touch {marker}", ids)], ids),
        ),
    )


def loss_reduce_system(model: bytes, marker: Path) -> bytes:
    """A loss node's constructor is its own ``__module__.__class__``: here ``os.system``."""
    return inject(
        model,
        lambda ids, _: node(
            "LossNode",
            "os",
            "system",
            ids,
            __reduce__={"args": tuple_node([json_node(f"touch {marker}", ids)], ids)},
            content=json_node({}, ids),
        ),
    )


def type_node_eval(model: bytes, marker: Path) -> bytes:
    """A type node imports any attribute of any module; as a dict key's type, it is called."""
    return called_as_key_type(model, "TypeNode", "builtins", "exec", write_marker_code(marker))


def bit_generator_name(model: bytes, marker: Path) -> bytes:
    """A random generator's bit generator is named by a string that numpy.random resolves."""
    schema, members = unpack(model)
    for found in walk(schema):
        if found.get("__loader__") == "RandomGeneratorNode":
            state = found["content"]["bit_generator"]["content"]["bit_generator"]
            state["content"] = json.dumps("seed")
            return pack(schema, members)
    raise AssertionError("the model holds no random generator")


def id_alias(model: bytes, marker: Path) -> bytes:
    """A dict key type that looks like ``str`` but carries the id of the model's Pipeline."""
    schema, members = unpack(model)
    schema["content"]["key_types"]["content"][0]["__id__"] = schema["__id__"]
    return pack(schema, members)


def object_array_pickle(model: bytes, marker: Path) -> bytes:
    """One array member replaced by an object array: numpy would unpickle its items."""
    schema, members = unpack(model)
    name = next(iter(members))
    members[name] = npy(np.array([Exploit(marker)], dtype=object), allow_pickle=True)
    return pack(schema, members)


def extra_pickle_member(model: bytes, marker: Path) -> bytes:
    schema, members = unpack(model)
    members["payload.pkl"] = pickle.dumps(Exploit(marker))
    return pack(schema, members)


def unreferenced_member(model: bytes, marker: Path) -> bytes:
    schema, members = unpack(model)
    members["999999.npy"] = npy(np.zeros(3))
    return pack(schema, members)


def first_array_file(schema: Node) -> Node:
    """The first array node that reads an archive member."""
    for found in walk(schema):
        if found.get("__loader__") == "NdArrayNode" and found.get("type") == "numpy":
            return found
    raise AssertionError("the model holds no array file")


def missing_member(model: bytes, marker: Path) -> bytes:
    """An array node reading a member the archive does not have."""
    schema, members = unpack(model)
    array = first_array_file(schema)
    members.pop(array["file"])
    array["file"] = "987654.npy"
    return pack(schema, members)


def path_traversal(model: bytes, marker: Path) -> bytes:
    schema, members = unpack(model)
    array = first_array_file(schema)
    escaped = f"../../{array['file']}"
    members[escaped] = members.pop(array["file"])
    array["file"] = escaped
    return pack(schema, members)


def zip_bomb(model: bytes, marker: Path) -> bytes:
    """An array member that inflates to 1 GiB of zeros from 1 MB of deflate stream."""
    schema, members = unpack(model)
    name = next(iter(members))
    block, count = bytes(1 << 24), 64
    # After a full flush, deflate restarts: each 16 MiB block compresses to the same bytes once.
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = chunk * count + compressor.flush()
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    members[name] = stream
    archive = pack(schema, members)
    return _mark_deflated(archive, name, size=len(block) * count, crc=crc)


def _mark_deflated(archive: bytes, name: str, *, size: int, crc: int) -> bytes:
    """Relabel a stored member as deflated, with the inflated size and CRC, in both headers."""
    with zipfile.ZipFile(io.BytesIO(archive)) as reader:
        info = reader.getinfo(name)
    patched = bytearray(archive)
    local = info.header_offset
    struct.pack_into("<H", patched, local + 8, zipfile.ZIP_DEFLATED)
    struct.pack_into("<I", patched, local + 14, crc)
    struct.pack_into("<I", patched, local + 22, size)
    central = archive.index(b"PK\x01\x02")
    while archive[central + 46 : central + 46 + len(name)] != name.encode():
        central = archive.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<H", patched, central + 10, zipfile.ZIP_DEFLATED)
    struct.pack_into("<I", patched, central + 16, crc)
    struct.pack_into("<I", patched, central + 24, size)
    return bytes(patched)


def tree_child_out_of_bounds(model: bytes, marker: Path) -> bytes:
    """A boosting tree whose root points at a child 10⁶ nodes past the end of its array."""
    from sklearn.ensemble._hist_gradient_boosting.common import PREDICTOR_RECORD_DTYPE

    schema, members = unpack(model)
    for name, content in members.items():
        array = np.load(io.BytesIO(content))
        if array.dtype == PREDICTOR_RECORD_DTYPE:
            array = array.copy()
            array["left"][0] = 1_000_000
            members[name] = npy(array)
            return pack(schema, members)
    raise AssertionError("the model holds no boosting tree")


def decision_tree_child_out_of_bounds(model: bytes, marker: Path) -> bytes:
    """A random forest's tree whose root's right child lies past the end of its node array."""
    schema, members = unpack(model)
    for name, content in members.items():
        array = np.load(io.BytesIO(content))
        if array.dtype.names and "right_child" in array.dtype.names:
            array = array.copy()
            array["right_child"][0] = len(array) + 50_000
            members[name] = npy(array)
            return pack(schema, members)
    raise AssertionError("the model holds no decision tree")


def method_as_attribute(model: bytes, marker: Path) -> bytes:
    """A bound method stored as a plain attribute value of the real model."""

    def payload(ids: Ids, members: dict[str, bytes]) -> Node:
        members["900.npy"] = npy(np.frombuffer(b"pwned", dtype=np.uint8))
        array = node("NdArrayNode", "numpy", "ndarray", ids, type="numpy", file="900.npy")
        return node("MethodNode", "numpy", "ndarray", ids, content={"func": "tofile", "obj": array})

    return inject(model, payload)


# ---------------------------------------------------------------------------------------------
# Forged bookkeeping: files every node of which is allowed, whose numbers lie about each other.


def fitted(schema: Node, cls: str, attribute: str) -> Node:
    """The attribute dict of the first fitted ``cls`` object (the one holding ``attribute``)."""
    for found in walk(schema):
        if found.get("__class__") == cls and found.get("__loader__") == "ObjectNode":
            attributes = found["content"]["content"]
            if attribute in attributes:
                return attributes
    raise AssertionError(f"the model holds no fitted {cls}")


def add_to_json(json_node_: Node, delta: int) -> None:
    json_node_["content"] = json.dumps(json.loads(json_node_["content"]) + delta)


def _onehot_widths_moved(model: bytes, delta: int) -> bytes:
    """The first feature's one-hot width grown by ``delta``, the last's shrunk by as much.

    The total width is unchanged, so the classifier still gets as many columns as it expects,
    but every later feature's columns start ``delta`` columns away from where they are.
    """
    schema, members = unpack(model)
    widths = fitted(schema, "OneHotEncoder", "_n_features_outs")["_n_features_outs"]["content"]
    add_to_json(widths[0], delta)
    add_to_json(widths[-1], -delta)
    return pack(schema, members)


def onehot_widths_far_out_of_bounds(model: bytes, marker: Path) -> bytes:
    """Columns 2**33 past the end: scipy's ``toarray`` writes there (a segfault, exit 139)."""
    return _onehot_widths_moved(model, 2**33)


def onehot_widths_shifted(model: bytes, marker: Path) -> bytes:
    """Columns 40 places off: scoring exits 0 with decisions changed, rows writing 40 past."""
    return _onehot_widths_moved(model, -40)


def boosting_tree_count_inflated(model: bytes, marker: Path) -> bytes:
    """No trees, and 2**28 trees per iteration: scoring 2 rows allocates 4 GiB of zeros."""
    schema, members = unpack(model)
    attributes = fitted(schema, "HistGradientBoostingClassifier", "_predictors")
    attributes["_predictors"]["content"] = []
    attributes["n_trees_per_iteration_"]["content"] = json.dumps(2**28)
    used = {n["file"] for n in walk(schema) if isinstance(n.get("file"), str)}
    return pack(schema, {name: content for name, content in members.items() if name in used})


def npy_header(dtype: str, shape: tuple[int, ...]) -> bytes:
    """A ``.npy`` file that declares ``shape`` of ``dtype`` and holds no data bytes."""
    buffer = io.BytesIO()
    descr = np.lib.format.dtype_to_descr(np.dtype(dtype))
    header = {"descr": descr, "fortran_order": False, "shape": shape}
    np.lib.format.write_array_header_1_0(buffer, header)
    return buffer.getvalue()


def _imputer_statistics_replaced(model: bytes, content: bytes) -> bytes:
    """The numeric imputer's ``statistics_`` (an array file; the categorical one's is JSON)."""
    schema, members = unpack(model)
    for found in walk(schema):
        if found.get("__class__") == "SimpleImputer" and found.get("__loader__") == "ObjectNode":
            statistics = found["content"]["content"].get("statistics_")
            if statistics is not None and statistics.get("type") == "numpy":
                members[statistics["file"]] = content
                return pack(schema, members)
    raise AssertionError("the model holds no numeric imputer")


def zero_byte_void_array(model: bytes, marker: Path) -> bytes:
    """2**50 elements of dtype V0: 0 bytes pass the size check; numpy walks them for ever."""
    return _imputer_statistics_replaced(model, npy_header("V0", (2**50,)))


def zero_byte_string_array(model: bytes, marker: Path) -> bytes:
    return _imputer_statistics_replaced(model, npy_header("U0", (2**50,)))


def element_count_overflow(model: bytes, marker: Path) -> bytes:
    """2**32 x 2**32 bytes: the element count wraps to 0 in 64-bit arithmetic, as the data does."""
    return _imputer_statistics_replaced(model, npy_header("u1", (2**32, 2**32)))


def column_inputs_swapped(model: bytes, marker: Path) -> bytes:
    """The numeric transformer told to read its first and last columns swapped."""
    schema, members = unpack(model)
    inputs = fitted(schema, "ColumnTransformer", "_transformer_to_input_indices")
    numeric = inputs["_transformer_to_input_indices"]["content"]["numeric"]["content"]
    numeric[0]["content"], numeric[-1]["content"] = numeric[-1]["content"], numeric[0]["content"]
    return pack(schema, members)


def output_slice_moved(model: bytes, marker: Path) -> bytes:
    """The categorical columns' slice off by one: what ``explain`` maps SHAP columns by."""
    schema, members = unpack(model)
    slices = fitted(schema, "ColumnTransformer", "output_indices_")["output_indices_"]["content"]
    slices["categorical"]["content"]["start"] += 1
    return pack(schema, members)


def imputer_statistics_short(model: bytes, marker: Path) -> bytes:
    """The numeric imputer's medians, one short of its inputs."""
    schema, members = unpack(model)
    for found in walk(schema):
        if found.get("__class__") == "SimpleImputer" and found.get("__loader__") == "ObjectNode":
            statistics = found["content"]["content"].get("statistics_")
            if statistics is not None and statistics.get("type") == "numpy":
                array = np.load(io.BytesIO(members[statistics["file"]]))
                members[statistics["file"]] = npy(array[:-1])
                return pack(schema, members)
    raise AssertionError("the model holds no numeric imputer")


def categories_unsorted(model: bytes, marker: Path) -> bytes:
    """Two categories swapped: rows go to the other's column (3 of 500 decisions change)."""
    schema, members = unpack(model)
    values = fitted(schema, "OneHotEncoder", "categories_")["categories_"]["content"][0]["content"]
    values[0]["content"], values[1]["content"] = values[1]["content"], values[0]["content"]
    return pack(schema, members)


def infrequent_mapping_out_of_range(model: bytes, marker: Path) -> bytes:
    """A category mapped 40 columns past its feature's own: scores change (by 0.2 on Adult)."""
    schema, members = unpack(model)
    mappings = fitted(schema, "OneHotEncoder", "_default_to_infrequent_mappings")
    for mapping in mappings["_default_to_infrequent_mappings"]["content"]:
        if mapping.get("type") == "numpy":
            array = np.load(io.BytesIO(members[mapping["file"]])).copy()
            array[0] += 40
            members[mapping["file"]] = npy(array)
            return pack(schema, members)
    raise AssertionError("the model has no infrequent categories")


def binning_flags_a_category(model: bytes, marker: Path) -> bytes:
    """Feature 0 flagged categorical: scoring sets bits for its thresholds in a 256-bit table."""
    schema, members = unpack(model)
    flags = fitted(schema, "_BinMapper", "is_categorical_")["is_categorical_"]
    array = np.load(io.BytesIO(members[flags["file"]])).copy()
    array[0] = 1
    members[flags["file"]] = npy(array)
    return pack(schema, members)


def forest_class_count_inflated(model: bytes, marker: Path) -> bytes:
    """2**30 classes: scoring allocates rows x 2**30 probabilities."""
    schema, members = unpack(model)
    attributes = fitted(schema, "RandomForestClassifier", "n_classes_")
    attributes["n_classes_"]["content"] = json.dumps(2**30)
    return pack(schema, members)


def tree_outputs_inflated(model: bytes, marker: Path) -> bytes:
    """A tree built for 2**33 outputs: its constructor allocates 64 GiB before anything checks."""
    schema, members = unpack(model)
    for found in walk(schema):
        if found.get("__loader__") == "TreeNode":
            found["__reduce__"]["args"]["content"][2]["content"] = json.dumps(2**33)
            return pack(schema, members)
    raise AssertionError("the model holds no decision tree")


def logistic_coefficients_widened(model: bytes, marker: Path) -> bytes:
    """One coefficient more than the model has inputs."""
    schema, members = unpack(model)
    coef = fitted(schema, "LogisticRegression", "coef_")["coef_"]
    array = np.load(io.BytesIO(members[coef["file"]]))
    members[coef["file"]] = npy(np.hstack([array, array[:, :1]]))
    return pack(schema, members)


class Exploit:
    """Unpickling this runs code: it writes the marker."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (exec, (f"open({self.marker!r}, 'w').write('pwned')",))


def walk(schema: Any):
    pending = [schema]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            if "__loader__" in item:
                yield item
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)


#: Every crafted file, by name: built from a genuine model's bytes and a marker path.
ATTACKS: dict[str, Callable[[bytes, Path], bytes]] = {
    fn.__name__: fn
    for fn in (
        method_tofile,
        method_tofile_injected,
        protocol_downgrade_exec,
        protocol_newer,
        function_exec,
        function_os_system,
        partial_exec,
        operator_methodcaller,
        constructor_reduce_system,
        loss_reduce_system,
        type_node_eval,
        bit_generator_name,
        id_alias,
        object_array_pickle,
        extra_pickle_member,
        unreferenced_member,
        missing_member,
        path_traversal,
        zip_bomb,
        tree_child_out_of_bounds,
        method_as_attribute,
        onehot_widths_far_out_of_bounds,
        onehot_widths_shifted,
        boosting_tree_count_inflated,
        zero_byte_void_array,
        zero_byte_string_array,
        element_count_overflow,
        column_inputs_swapped,
        output_slice_moved,
        imputer_statistics_short,
        categories_unsorted,
        infrequent_mapping_out_of_range,
        binning_flags_a_category,
    )
}

#: Attacks on a random forest's trees: built from a genuine random forest model.
FOREST_ATTACKS: dict[str, Callable[[bytes, Path], bytes]] = {
    "decision_tree_child_out_of_bounds": decision_tree_child_out_of_bounds,
    "forest_class_count_inflated": forest_class_count_inflated,
    "tree_outputs_inflated": tree_outputs_inflated,
}

#: Attacks on a logistic regression: built from a genuine logistic regression model.
LOGISTIC_ATTACKS: dict[str, Callable[[bytes, Path], bytes]] = {
    "logistic_coefficients_widened": logistic_coefficients_widened
}


#: What the refusal of each crafted file must say: the offending node, member or tree.
EXPECTED: dict[str, str] = {
    "method_tofile": r"node \$\.content\.key_types\.content\[0\] \(MethodNode numpy\.ndarray\)",
    "method_tofile_injected": (
        r"node \$\.content\.content\['payload'\]\.key_types\.content\[0\] \(MethodNode numpy"
    ),
    "protocol_downgrade_exec": r"declares skops protocol 0; mlgate writes and reads protocol 2",
    "protocol_newer": r"declares skops protocol 3",
    "function_exec": r"\(FunctionNode builtins\.exec\) rebuilds a key",
    "function_os_system": r"\(FunctionNode os\.system\) rebuilds a key",
    "partial_exec": r"\(PartialNode functools\.partial\) rebuilds a key",
    "operator_methodcaller": r"\(OperatorFuncNode operator\.methodcaller\) rebuilds a key",
    "constructor_reduce_system": r"\(ConstructorFromReduceNode os\.system\) calls a function",
    "loss_reduce_system": r"\(LossNode os\.system\) names a type that is not on mlgate's allow",
    "type_node_eval": r"\(TypeNode builtins\.exec\) rebuilds a key with a type other than str",
    "bit_generator_name": r"RandomGeneratorNode .*names bit generator 'seed'",
    "id_alias": r"\(TypeNode builtins\.str\) reuses id \d+ of a node of another kind",
    "object_array_pickle": r"\d+\.npy is an array of Python objects",
    "extra_pickle_member": r"archive member 'payload\.pkl' is not a skops data entry",
    "unreferenced_member": r"archive member '999999\.npy' is not used by any node",
    "missing_member": r"a node reads archive member '987654\.npy', which is absent",
    "path_traversal": r"archive member '\.\./\.\./\d+\.npy' is not a skops data entry",
    "zip_bomb": r"archive member '\d+\.npy' is compressed or encrypted",
    "tree_child_out_of_bounds": r"boosting tree \d+: node 0 has left child 1000000, outside",
    "method_as_attribute": r"node \$\.content\.content\['payload'\] \(MethodNode numpy\.ndarray\) "
    r"calls a function or method",
    "decision_tree_child_out_of_bounds": r"decision tree: node 0 has right child \d+, outside",
    "onehot_widths_far_out_of_bounds": r"OneHotEncoder at preprocess/categorical/encode: "
    r"_n_features_outs \[8589934\d+, .*\] disagrees with categories_",
    "onehot_widths_shifted": r"OneHotEncoder at preprocess/categorical/encode: "
    r"_n_features_outs \[-\d+, .*\] disagrees with categories_",
    "boosting_tree_count_inflated": r"HistGradientBoostingClassifier at classifier: "
    r"n_trees_per_iteration_ 268435456",
    "zero_byte_void_array": r"\d+\.npy declares 1125899906842624 elements of dtype \|V0, "
    r"0 bytes each",
    "zero_byte_string_array": r"\d+\.npy declares 1125899906842624 elements of dtype <U0, "
    r"0 bytes each",
    "element_count_overflow": r"\d+\.npy declares 18446744073709551616 elements of 1 byte",
    "column_inputs_swapped": r"ColumnTransformer at preprocess: _transformer_to_input_indices"
    r"\['numeric'\] reads columns \['hours-per-week', .*, 'age'\], but the transformer was "
    r"fitted on \['age'",
    "output_slice_moved": r"ColumnTransformer at preprocess: output_indices_\['categorical'\] "
    r"is slice\(6, \d+, None\)",
    "imputer_statistics_short": r"SimpleImputer at preprocess/numeric/impute: statistics_ has "
    r"shape \(4,\), expected \(5,\)",
    "categories_unsorted": r"OneHotEncoder at preprocess/categorical/encode: categories_\[0\] "
    r"is not sorted and distinct",
    "infrequent_mapping_out_of_range": r"OneHotEncoder at preprocess/categorical/encode: "
    r"_default_to_infrequent_mappings\[\d\] disagrees with _infrequent_indices",
    "binning_flags_a_category": r"_BinMapper at classifier/_bin_mapper: is_categorical_ flags",
    "forest_class_count_inflated": r"RandomForestClassifier at classifier: n_outputs_ 1 or "
    r"n_classes_ 1073741824 disagrees with classes_",
    "tree_outputs_inflated": r"\(TupleNode builtins\.tuple\) builds a tree of \d+ features and "
    r"8589934592 outputs",
    "logistic_coefficients_widened": r"LogisticRegression at classifier: coef_ has shape "
    r"\(1, \d+\), expected \(1, \d+\)",
}
