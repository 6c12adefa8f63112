"""Every artefact mlgate reads or writes: parquet tables, JSON, YAML, figures.

Models are read and written by :mod:`mlgate.model.files`, through the audit of every file.

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
import secrets
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from mlgate.errors import ConfigError, DataError, OutputError

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa


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
        while True:  # not mkstemp: its 0600 would outlive the rename; the umask gives the mode
            tmp = path.parent / f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
            with contextlib.suppress(FileExistsError):
                os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
                return tmp
    except OSError as exc:
        raise _output_error(path, exc) from None


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
    write_bytes(path, json_bytes(payload))


def json_bytes(payload: Any) -> bytes:
    """``payload`` as the bytes :func:`write_json` writes: indented, key-sorted, no NaN."""
    return (json.dumps(payload, indent=2, sort_keys=True, allow_nan=False) + "\n").encode("utf-8")


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


def write_parquet_stream(
    path: str | Path,
    tables: Iterable[pa.Table],
    *,
    schema: pa.Schema,
    row_group_rows: int,
    footer: Callable[[], dict[str, str]] | None = None,
) -> int:
    """Write a stream of tables to one parquet file, atomically, holding one row group at most.

    Rows are written in row groups of exactly ``row_group_rows`` (the last one shorter), however
    the stream is cut, so the file's bytes depend on its rows alone. If the stream raises, the
    temporary file is removed and ``path`` is left as it was.

    Parameters
    ----------
    path : str or Path
        The file to write.
    tables : iterable of pyarrow.Table
        The rows, in order; each with ``schema``'s columns.
    schema : pyarrow.Schema
        The file's schema.
    row_group_rows : int
        Rows per row group.
    footer : callable, optional
        Called once the stream is exhausted; its key-value pairs go into the file's metadata
        (what is known only at the end, such as counts).

    Returns
    -------
    int
        The number of rows written.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    written = 0
    with atomic_path(path) as tmp, pq.ParquetWriter(tmp, schema, compression="zstd") as writer:
        pending = schema.empty_table()
        for table in tables:
            pending = pa.concat_tables([pending, table.select(schema.names).cast(schema)])
            while pending.num_rows >= row_group_rows:
                # Contiguous arrays: the pages then do not depend on how the stream was cut.
                writer.write_table(pending.slice(0, row_group_rows).combine_chunks())
                pending = pending.slice(row_group_rows)
                written += row_group_rows
        if pending.num_rows:
            writer.write_table(pending.combine_chunks())
            written += pending.num_rows
        if footer is not None:
            writer.add_key_value_metadata(footer())
    return written


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """A DataFrame as the bytes :func:`write_parquet` would write (for :func:`write_files`)."""
    import io as _io

    buffer = _io.BytesIO()
    frame.to_parquet(buffer, index=False, engine="pyarrow", compression="zstd")
    return buffer.getvalue()


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
def open_source(
    url: str, *, named_by: str = "ingest.train_path / ingest.test_path in params.yaml"
) -> Iterator[BinaryIO]:
    """Open a local path or any fsspec URL for reading, decompressing by file extension.

    ``named_by`` says where the path came from, for the message when it does not exist.
    """
    import fsspec

    try:
        with fsspec.open(url, mode="rb", compression="infer") as handle:
            yield handle
    except FileNotFoundError:
        raise DataError(
            f"{url} not found. Check {named_by} (a path relative to the project root, or an "
            "fsspec URL)."
        ) from None
    except IsADirectoryError:
        raise DataError(f"{url} is a folder, not a file. Check {named_by}.") from None


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
