"""Audit a skops model file before anything in it is deserialised.

A model file is untrusted input: it may come from a pull request, a DVC cache or a remote. skops
rebuilds objects by importing and calling what its ``schema.json`` names, so the schema decides
what code runs. :func:`audit_model_bytes` therefore checks, on the bytes alone:

- the archive: every member stored uncompressed (no zip bomb), named like a skops array file or
  ``schema.json`` (no path, no pickle, no stray file), referenced by the schema, sizes consistent;
- the schema: written with the skops protocol mlgate writes (an older protocol switches skops to
  older, laxer node classes), and every node, wherever it sits, of a kind and type allowed by
  :mod:`mlgate.model.trusted` (:mod:`mlgate.model.schema_audit`);
- every array file: a plain ``.npy`` whose dtype holds no Python object (no pickle inside) and
  takes bytes (a zero-byte dtype lets any length pass for no data), holding exactly the bytes its
  shape declares (counted without overflow).

Each refusal names the offending node by its path in ``schema.json``.
"""

from __future__ import annotations

import io
import json
import math
import zipfile

from mlgate.errors import ModelError
from mlgate.model.schema_audit import MEMBER_NAME, Node, SchemaAudit

#: The skops protocol mlgate writes and the only one it reads.
SKOPS_PROTOCOL = 2
#: Larger model files are refused before they are opened (a random forest of 300 deep trees on
#: Adult is about 100 MB).
MAX_MODEL_BYTES = 2 << 30


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
        for name in sorted(referenced - set(members)):
            raise ModelError(f"{source}: a node reads archive member {name!r}, which is absent.")
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
        if info.filename != "schema.json" and not MEMBER_NAME.fullmatch(info.filename):
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
    # Python integers: a product in 64 bits wraps (2**32 x 2**32 elements would "hold" 0 bytes).
    count = math.prod(int(n) for n in shape)
    if dtype.itemsize == 0:
        raise ModelError(
            f"{source}: {name} declares {count} elements of dtype {dtype.str}, 0 bytes each, so "
            "its size says nothing of its length, and numpy walks every element when it is used. "
            "mlgate's models hold no array of a zero-byte dtype."
        )
    expected = count * dtype.itemsize
    if len(content) - buffer.tell() != expected:
        each = "1 byte" if dtype.itemsize == 1 else f"{dtype.itemsize} bytes"
        raise ModelError(
            f"{source}: {name} declares {count} elements of {each} ({expected} bytes) but holds "
            f"{len(content) - buffer.tell()} bytes of data."
        )
