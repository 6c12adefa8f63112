"""Every artefact mlgate reads or writes: parquet tables, JSON, skops models, figures.

All writes are atomic: the bytes go to a temporary file in the destination's folder, which is then
renamed over the destination, so an interrupted stage never leaves a half-written file for DVC to
cache. Models are written with skops, normalised so that the same model always gives the same bytes,
and read back only if every type they hold is on mlgate's own allow-list.
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from mlgate.errors import ConfigError, DataError, ModelError, OutputError

if TYPE_CHECKING:
    import pandas as pd

# A fixed timestamp for every zip entry (the earliest a zip can hold): skops stamps entries with the
# time of writing, which would make two dumps of the same model differ.
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` only on success.

    The temporary file is hidden (``.NAME.PID.XXXX.tmp``) and carries the writer's process id,
    so that a later write to the same folder removes what a killed writer left behind.

    Parameters
    ----------
    path : str or Path
        The final destination. Its parent folders are created.

    Raises
    ------
    OutputError
        When the folder cannot be created or written to.
    """
    path = Path(path)
    tmp = _temporary_beside(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except PermissionError as exc:
        raise _output_error(path, exc) from None
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def write_files(files: dict[Path, bytes]) -> None:
    """Write several files all or nothing: every temporary file first, then the renames.

    A folder that cannot be written to stops the whole set before any destination changes.
    """
    staged: dict[Path, Path] = {}
    path = next(iter(files), Path("."))
    try:
        for path, data in files.items():
            staged[path] = _temporary_beside(path)
            staged[path].write_bytes(data)
        for path, tmp in staged.items():
            os.replace(tmp, path)
    except OSError as exc:
        raise _output_error(path, exc) from None
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)


def _temporary_beside(path: Path) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(path)
        fd, name = tempfile.mkstemp(
            prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent
        )
    except OSError as exc:
        raise _output_error(path, exc) from None
    os.close(fd)
    return Path(name)


def _output_error(path: Path, exc: OSError) -> OutputError:
    return OutputError(
        f"cannot write {path}: {exc.strerror or exc}. Make {path.parent} writable (or free "
        "space on its disk) and run the command again; nothing was written."
    )


def remove_stale_temporaries(path: Path) -> None:
    """Remove the temporary files of earlier writes to ``path`` whose writer no longer runs."""
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        pid = leftover.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            leftover.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def write_json(path: str | Path, payload: Any) -> None:
    """Write ``payload`` as indented, key-sorted JSON, atomically."""
    text = json.dumps(payload, indent=2, sort_keys=True, allow_nan=False) + "\n"
    write_bytes(path, text.encode("utf-8"))


def read_json(path: str | Path) -> Any:
    """Read a JSON file, with a clear error when it is missing or malformed."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path} not found. Run the stage that writes it (dvc repro).") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{path} is not valid JSON: {exc}.") from None


def write_parquet(path: str | Path, frame: pd.DataFrame) -> None:
    """Write a DataFrame to parquet atomically (no index, deterministic bytes)."""
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False, engine="pyarrow", compression="zstd")


def read_parquet(path: str | Path) -> pd.DataFrame:
    """Read a parquet table written by :func:`write_parquet`."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path} not found. Run the stage that writes it (dvc repro).")
    return pd.read_parquet(path, engine="pyarrow")


def write_figure(path: str | Path, figure: Any) -> None:
    """Save a matplotlib figure as PNG atomically, without metadata that varies between runs."""
    write_bytes(path, figure_png(figure))


def figure_png(figure: Any) -> bytes:
    """A matplotlib figure's PNG bytes, without metadata that varies between runs."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, metadata={"Software": None})
    return buffer.getvalue()


@contextlib.contextmanager
def open_source(url: str) -> Iterator[BinaryIO]:
    """Open a local path or any fsspec URL for reading, decompressing by file extension."""
    import fsspec

    try:
        with fsspec.open(url, mode="rb", compression="infer") as handle:
            yield handle
    except FileNotFoundError:
        raise DataError(
            f"source file {url} not found. Check ingest.train_path / ingest.test_path in "
            "params.yaml (a path relative to the project root, or an fsspec URL)."
        ) from None


def file_sha256(path: str | Path) -> str:
    """Return the SHA-256 of a file's bytes, as hex."""
    return _file_digest(path, hashlib.sha256())


def file_md5(path: str | Path) -> str:
    """Return the MD5 of a file's bytes, as hex: the hash DVC records in ``dvc.lock``."""
    return _file_digest(path, hashlib.md5())


def _file_digest(path: str | Path, digest: Any) -> str:
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ---------------------------------------------------------------------------------------------
# Models


def save_model(path: str | Path, model: Any, *, extra_types: frozenset[str] = frozenset()) -> None:
    """Save a fitted estimator with skops, normalised to be byte-for-byte reproducible.

    The bytes pass the same audit loading applies first, so a model that could not be loaded
    again (a type missing from the allow-list) is refused here, before anything is written.
    """
    import skops.io as sio

    from mlgate.errors import ConfigError
    from mlgate.model_file import audit_model_bytes, object_types
    from mlgate.trusted import OBJECT_TYPES

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


def load_model(path: str | Path, *, extra_types: frozenset[str] = frozenset()) -> Any:
    """Load a model that ``mlgate train`` saved, refusing anything else before it can run code.

    The file is read once; those bytes are audited (:func:`mlgate.model_file.audit_model_bytes`:
    archive, protocol and every schema node against :mod:`mlgate.trusted`), deserialised by skops
    with mlgate's fixed allow-list as ``trusted=`` (never a list derived from the file), and the
    trees inside are checked before anything predicts (:mod:`mlgate.model_structure`).

    ``extra_types`` are the types ``train.custom.trusted_types`` adds for your own estimator.

    Raises
    ------
    ModelError
        When the file is missing or is refused; the message names the offending node.
    """
    path = Path(path)
    if not path.is_file():
        raise ModelError(f"model file {path} not found. Run the train stage (dvc repro train).")
    return load_model_bytes(path.read_bytes(), source=str(path), extra_types=extra_types)


def load_model_bytes(data: bytes, *, source: str, extra_types: frozenset[str] = frozenset()) -> Any:
    """:func:`load_model` for bytes already in memory (the champion read from DVC)."""
    import skops.io as sio

    from mlgate.model_file import audit_model_bytes
    from mlgate.model_structure import check_model_structure
    from mlgate.trusted import MODEL_TYPES, TRUSTED_TYPES

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


def parse_yaml(text: str, *, source: str) -> dict[str, Any]:
    """Parse YAML text the way DVC parses ``params.yaml`` (ruamel.yaml, YAML 1.2, safe).

    Parameters
    ----------
    text : str
        The YAML document.
    source : str
        Where the text came from, for error messages.

    Returns
    -------
    dict
        The parsed mapping (empty for an empty document).
    """
    from ruamel.yaml import YAML
    from ruamel.yaml import YAMLError as RuamelYAMLError

    try:
        data = YAML(typ="safe", pure=True).load(text)
    except RuamelYAMLError as exc:
        raise ConfigError(f"{source} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source} must be a mapping of sections, found {type(data).__name__}.")
    return data
