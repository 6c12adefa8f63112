"""What a table must be before its rows are read: the rules every reader of a batch shares.

A batch is a flat table: one file (parquet, or text in the source files' format) or, on the Dask
engine, a folder of parquet files; columns of scalars, each named once; at least one row when it
is to be judged. The pandas engine's readers
(:mod:`mlgate.tables.batch_chunks`, :func:`mlgate.tables.read.read_batch`) and the Dask engine's
(:func:`mlgate.distributed.cluster.parquet_partitions`) call these before a value is converted, so
``predict``, ``check --current``, ``monitor`` and ``retrain`` refuse the same batch with the same
message (exit 2) on either engine, where they used to crash on it or read it as something else.
The rules on values (:func:`mlgate.tables.read.validate_table`) then apply to every chunk and
partition.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from mlgate.data.column_names import refuse_duplicated_names
from mlgate.errors import DataError

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq


def open_parquet(handle: IO[bytes], *, source: str) -> pq.ParquetFile:
    """The parquet file ``handle`` holds, once its schema is one of a flat table.

    Raises
    ------
    DataError
        When it is not a parquet file, or breaks :func:`refuse_unreadable_schema`.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(handle)
    except (pa.ArrowException, OSError) as exc:
        raise DataError(
            f"{source} is not a parquet file ({exc}). Give a parquet file a .parquet name, and "
            "a text file in the source files' format any other name."
        ) from None
    refuse_unreadable_schema(parquet.schema_arrow, source=source)
    return parquet


def refuse_unreadable_schema(schema: pa.Schema, *, source: str) -> None:
    """Refuse a column named twice, and columns of lists, structs, maps or unions.

    A nested value is not a number or a category: pandas would hold it as an object no model
    input can take (or fail to convert it at all), so it is refused in every column, declared
    or not, before the table is converted.
    """
    refuse_duplicated_names(schema.names, source=source, where="its schema")
    nested = [f"column {f.name!r} holds {f.type}" for f in schema if _nested(f.type)]
    if nested:
        raise DataError(
            f"{source}: {'; '.join(nested)}: expected one number, text, boolean or date per "
            "row. mlgate reads a flat table: flatten the column into columns of their own, or "
            "drop it, before the batch is read."
        )
    # Bytes are not text: b"Private" equals no category the model learnt, so a batch of them
    # was scored as if every value were new, and nothing said so.
    raw = [f"column {f.name!r} holds {f.type}" for f in schema if _binary(f.type)]
    if raw:
        raise DataError(
            f"{source}: {'; '.join(raw)}: expected text. Write the column as a string column "
            "(decoded from its bytes), or drop it, before the batch is read."
        )


def _binary(arrow_type: pa.DataType) -> bool:
    import pyarrow as pa

    if pa.types.is_dictionary(arrow_type):
        return _binary(arrow_type.value_type)
    return (
        pa.types.is_binary(arrow_type)
        or pa.types.is_large_binary(arrow_type)
        or pa.types.is_fixed_size_binary(arrow_type)
        or pa.types.is_binary_view(arrow_type)
    )


def _nested(arrow_type: pa.DataType) -> bool:
    import pyarrow as pa

    if pa.types.is_dictionary(arrow_type):
        return _nested(arrow_type.value_type)
    return pa.types.is_nested(arrow_type) or pa.types.is_union(arrow_type)


def folder_files(path: str) -> list[str] | None:
    """The files of a batch that is a folder, by name (as Dask skips them, not ``.*``, ``_*``).

    None when ``path`` is not a folder.
    """
    import fsspec

    fs, inner = fsspec.core.url_to_fs(path)
    if not fs.isdir(inner):
        return None
    found = sorted(fs.find(inner))
    return [f for f in found if not f.rsplit("/", 1)[-1].startswith((".", "_"))]


def parquet_folder_files(path: str) -> list[str] | None:
    """The files of a folder batch, each a ``.parquet`` file; None when ``path`` is not a folder.

    Dask reads the parquet files of a folder and passes over the others, so a folder that also
    holds a CSV export would be judged on part of its rows (and hashed on all of its files).

    Raises
    ------
    DataError
        When the folder holds a file that is not parquet, or no file.
    """
    files = folder_files(path)
    if files is None:
        return None
    root = path.rstrip("/")
    others = [f.rsplit("/", 1)[-1] for f in files if not f.endswith(".parquet")]
    if others:
        raise DataError(
            f"{root} holds files that are not parquet: {sorted(others)!r}. A folder batch is "
            "read as one table of its .parquet files: move the other files out of the folder."
        )
    if not files:
        raise DataError(f"{root} is an empty folder: expected .parquet files.")
    return files


def refuse_folder(path: str) -> None:
    """Refuse a folder on the pandas engine, which reads a batch from one file."""
    if folder_files(path) is not None:
        raise DataError(
            f"{path.rstrip('/')} is a folder: the pandas engine reads a batch from one file "
            "(parquet, or text in the source files' format). Give one file, or read a folder "
            "of parquet files with --engine dask."
        )


def no_rows(path: str) -> DataError:
    """The error for a batch without rows where it is to be judged (monitor, check --current).

    An empty batch is most often an export that failed upstream: a verdict on it, even "not
    judged", would pass that failure on as a run that happened.
    """
    return DataError(
        f"{path.rstrip('/')} has no rows: there is nothing to judge. Check that the batch was "
        "exported whole (a header or a schema alone is not a batch)."
    )
