"""Saving and loading models: skops archives, byte-for-byte reproducible, loaded only if audited.

A model file is untrusted input (a pull request can replace it, a cache can be poisoned). It is
read once; its bytes are audited (archive, protocol, every schema node against the allow-list),
deserialised by skops with mlgate's fixed allow-list, and its trees and fitted bookkeeping are
checked before it predicts; a file this project did not just train is first scored on a probe
batch in a child process under memory and time limits (:mod:`mlgate.model.probe`).
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

from mlgate.errors import ConfigError, ModelError
from mlgate.io import write_bytes
from mlgate.model.archive import audit_model_bytes, object_types
from mlgate.model.bookkeeping import check_fitted_bookkeeping
from mlgate.model.mitigation import MitigatedModel
from mlgate.model.probe import PROBE_CACHE, probe_model, remember_trained
from mlgate.model.structure import check_model_structure
from mlgate.model.trusted import MODEL_TYPES, OBJECT_TYPES, TRUSTED_TYPES

#: mlgate's own classes a saved model may hold. Loading and scoring a model runs their code, so
#: they are imported here: every stage that loads a model has them in its code (``dvc.yaml``).
MLGATE_MODEL_CLASSES = (MitigatedModel,)

# A fixed timestamp for every zip entry (the earliest a zip can hold): skops stamps entries with the
# time of writing, which would make two dumps of the same model differ.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def save_model(
    path: str | Path,
    model: Any,
    *,
    extra_types: frozenset[str] = frozenset(),
    probe_cache: Path | None = PROBE_CACHE,
) -> None:
    """Save a fitted estimator with skops, normalised to be byte-for-byte reproducible.

    The bytes pass the same audit loading applies first, so a model that could not be loaded
    again (a type missing from the allow-list) is refused here, before anything is written.
    Their SHA-256 is then recorded in ``probe_cache`` as trained here: this process built the
    model, so loading the file needs no probe.
    """
    import skops.io as sio

    data = normalize_skops(sio.dumps(model))
    missing = sorted(object_types(data) - OBJECT_TYPES - extra_types)
    if missing:
        raise ConfigError(
            f"train.custom.trusted_types: the fitted model holds {missing}, which mlgate would "
            "refuse to load. Review what each does when loaded and when it predicts, then list "
            "them there. Nothing was written."
        )
    audit_model_bytes(data, source=f"the model for {path}", extra_types=extra_types)
    write_bytes(path, data)
    remember_trained(data, extra_types=extra_types, cache=probe_cache)


def load_model(
    path: str | Path,
    *,
    extra_types: frozenset[str] = frozenset(),
    probe_cache: Path | None = PROBE_CACHE,
) -> Any:
    """Load a model that ``mlgate train`` saved, refusing anything else before it can run code.

    The file is read once; those bytes are audited
    (:func:`mlgate.model.archive.audit_model_bytes`: archive, protocol and every schema node
    against :mod:`mlgate.model.trusted`), deserialised by skops with mlgate's fixed allow-list as
    ``trusted=`` (never a list derived from the file), and the trees inside
    (:mod:`mlgate.model.structure`) and every fitted field scoring reads
    (:mod:`mlgate.model.bookkeeping`) are checked before anything predicts. Then, unless
    ``probe_cache`` records that these bytes passed, a child process loads and scores them on a
    probe batch under memory and time limits (:mod:`mlgate.model.probe`).

    ``extra_types`` are the types ``train.custom.trusted_types`` adds for your own estimator.
    ``probe_cache`` is the folder of probe records (None: probe every time, remember nothing).

    Raises
    ------
    ModelError
        When the file is missing or is refused; the message names the offending node, field,
        or what the probe's scoring did.
    RunError
        When the probe's child process could not start.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"model file {path} not found. Run the train stage (dvc repro train).")
    return load_model_bytes(
        path.read_bytes(), source=str(path), extra_types=extra_types, probe_cache=probe_cache
    )


def load_model_bytes(
    data: bytes,
    *,
    source: str,
    extra_types: frozenset[str] = frozenset(),
    probe_cache: Path | None = PROBE_CACHE,
) -> Any:
    """:func:`load_model` for bytes already in memory (the champion read from DVC)."""
    model = load_checked_model(data, source=source, extra_types=extra_types)
    # The checks above bound what building the model allocates and what its fields say; the
    # probe scores it in another process, so that what no check foresaw cannot crash this one.
    probe_model(data, model=model, source=source, extra_types=extra_types, cache=probe_cache)
    return model


def load_checked_model(
    data: bytes, *, source: str, extra_types: frozenset[str] = frozenset()
) -> Any:
    """Audit ``data``, deserialise it and check the model, in this process: all but the probe.

    A probe in a fresh interpreter (:mod:`mlgate.model.probe_child`) loads the file with this.
    """
    import skops.io as sio

    audit_model_bytes(data, source=source, extra_types=extra_types)
    try:
        model = sio.loads(data, trusted=sorted(TRUSTED_TYPES | extra_types))
    except Exception as exc:  # skops raises many kinds on a malformed file: all mean "refused"
        raise ModelError(
            f"{source} could not be loaded by skops: {type(exc).__name__}: {exc}"
        ) from None
    name = f"{type(model).__module__}.{type(model).__qualname__}"
    if name not in MODEL_TYPES:
        raise ModelError(f"{source} holds a {name}, not a model ({sorted(MODEL_TYPES)}).")
    check_model_structure(model, source=source)
    check_fitted_bookkeeping(model, source=source)
    return model


def normalize_skops(data: bytes) -> bytes:
    """Rewrite a skops archive so that the same model always gives the same bytes.

    skops names objects and array files after ``id(obj)`` (a memory address) and stamps zip
    entries with the current time. This renumbers the ids in document order, renames the array
    files to match, and writes the entries sorted, with a fixed timestamp, uncompressed.

    Two equal strings may or may not be one object, depending on the Python build (interning),
    and skops records that sharing through ids. Sharing an immutable value means nothing, so each
    JSON value gets an id of its own; the sharing of arrays and objects, which the model's code
    decides, is kept.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        schema = json.loads(archive.read("schema.json"))
        members = {name: archive.read(name) for name in archive.namelist()}
    renumbered: dict[int, int] = {}
    renamed: dict[str, str] = {}

    def new_id(old: int) -> int:
        return renumbered.setdefault(old, len(renumbered) + 1)

    def unshared_id() -> int:
        # A key no real id can take (ids are addresses, never negative), then numbered as usual.
        return new_id(-1 - len(renumbered))

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            return [walk(item) for item in node]
        if not isinstance(node, dict):
            return node
        out = {key: walk(value) for key, value in node.items()}
        if node.get("__loader__") == "JsonNode":
            out["__id__"] = unshared_id()
        elif isinstance(node.get("__id__"), int):
            out["__id__"] = new_id(node["__id__"])
        file_name = node.get("file")
        if isinstance(file_name, str) and file_name in members:
            stem, dot, suffix = file_name.partition(".")
            if stem.isdigit():
                renamed[file_name] = f"{new_id(int(stem))}{dot}{suffix}"
                out["file"] = renamed[file_name]
        return out

    normalized_schema = walk(schema)
    members.pop("schema.json")
    out_members = {renamed.get(name, name): content for name, content in members.items()}
    out_members["schema.json"] = json.dumps(normalized_schema, indent=2).encode("utf-8")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name in sorted(out_members):
            info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
            info.external_attr = 0o644 << 16
            archive.writestr(info, out_members[name])
    return buffer.getvalue()
