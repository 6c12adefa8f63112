"""The Dask engine's common parts: a client for the scheduler, a batch's partitions, each read.

``batches.engine: dask`` in params.yaml (or ``--engine dask``) reads a parquet batch as a
``dask.dataframe``, one partition per row group, so the memory a task needs follows the row
group and not the file. Each partition is read back as the pandas path reads a table, then
checked by the same batch rules (:func:`mlgate.tables.read.validate_table`).
"""

from __future__ import annotations

import hashlib
import itertools
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from mlgate.config import TableRules
from mlgate.errors import DataError, RunError
from mlgate.tables.read import validate_table
from mlgate.tables.rules import no_rows, open_parquet, parquet_folder_files

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pandas as pd


def parquet_partitions(path: str, *, named_by: str, require_rows: bool = False) -> Any:
    """The batch at ``path`` as a ``dask.dataframe``, a partition per row group.

    ``named_by`` says where the path came from (``the --input path``), for the message when it
    does not exist. Each file's schema is checked from its footer before Dask reads a value
    (:mod:`mlgate.tables.rules`), and so is its row count with ``require_rows`` (a batch
    to be judged).

    Raises
    ------
    DataError
        When ``path`` does not exist, is not a parquet file or a folder of only parquet files,
        has a column that is nested or named twice, or (``require_rows``) has no rows.
    """
    import dask.dataframe as dd
    import fsspec

    if not (path.rstrip("/").endswith(".parquet") or "." not in path.rsplit("/", 1)[-1]):
        raise DataError(f"{path}: the dask engine reads parquet (a file or a folder of files).")
    fs, inner = fsspec.core.url_to_fs(path)
    if not fs.exists(inner):
        raise DataError(
            f"{path} not found. Check {named_by} (a parquet file or folder: a path relative to "
            "the project root, or an fsspec URL)."
        )
    files = parquet_folder_files(path) or [inner]
    rows = 0
    for file in files:
        name = file[len(inner) :].lstrip("/")
        with fs.open(file, "rb") as handle:
            source = f"{path.rstrip('/')}/{name}" if name else path
            rows += open_parquet(handle, source=source).metadata.num_rows
    if require_rows and rows == 0:
        raise no_rows(path)
    return dd.read_parquet(path, split_row_groups=True)


def folder_sha256(path: str, files: list[str]) -> str:
    """One SHA-256 of a folder batch's files: each one's name in the folder and content hash."""
    import fsspec

    fs, inner = fsspec.core.url_to_fs(path)
    digest = hashlib.sha256()
    for file in files:
        content = hashlib.sha256()
        with fs.open(file, "rb") as handle:
            for block in iter(lambda handle=handle: handle.read(1 << 20), b""):
                content.update(block)
        digest.update(f"{file[len(inner) :].lstrip('/')}\0{content.hexdigest()}\n".encode())
    return digest.hexdigest()


def partitions_and_starts(frame: Any, path: str, get: Any) -> tuple[list[tuple[Any, int]], int]:
    """Each partition of ``frame`` (:func:`parquet_partitions`) with its first row's number; rows.

    The rows are counted on a read of one column whose graph is not optimised: Dask fuses the
    partitions of a read of few columns, and the counts must be those of the partitions the
    whole table is read in (a mismatch is refused).

    Raises
    ------
    RunError
        When the two reads do not cut the batch alike.
    """
    import dask
    import dask.dataframe as dd

    one_column = dd.read_parquet(path, split_row_groups=True, columns=[frame.columns[0]])
    parts = one_column.to_delayed(optimize_graph=False)
    lengths = dask.compute(*[dask.delayed(len)(part) for part in parts], scheduler=get)
    partitions = frame.to_delayed()
    if len(partitions) != len(lengths):
        raise RunError(f"{path}: Dask read {len(partitions)} partitions, then {len(lengths)}.")
    starts = itertools.accumulate(lengths[:-1], initial=0)
    return list(zip(partitions, (int(start) for start in starts), strict=True)), int(sum(lengths))


@contextmanager
def scheduler_of(address: str | None) -> Iterator[Any]:
    """The ``scheduler=`` for ``dask.compute``: the cluster at ``address``, or this process's.

    Raises
    ------
    RunError
        When the scheduler cannot be reached.
    """
    if address is None:
        yield None  # the threads of this process (dask's local scheduler)
        return
    from distributed import Client

    try:
        client = Client(address, timeout="10s", set_as_default=False)
    except OSError as exc:
        raise RunError(f"the Dask scheduler at {address} cannot be reached: {exc}") from None
    try:
        yield client.get
    finally:
        client.close()


def as_read(
    partition: pd.DataFrame, rules: TableRules, *, first_row: int = 0, source: str = "a partition"
) -> pd.DataFrame:
    """A partition as the pandas path reads and checks a batch.

    Messages name ``source`` and count rows in the whole batch, from ``first_row``.
    """
    import pyarrow as pa

    # Through Arrow and back, as the pandas path reads a table: dask's text columns hold pd.NA
    # where that path holds NaN, and a model's preprocessing tells the two apart.
    table = pa.Table.from_pandas(partition, preserve_index=False)
    frame = table.replace_schema_metadata(None).to_pandas()
    return validate_table(
        frame,
        source=source,
        ingest=rules.ingest,
        data=rules.data,
        batch=True,
        first_row=first_row,
    )
