"""Batch predictions on Dask: each partition scored on a worker into its own audit file.

``mlgate predict --engine dask`` reads a parquet batch in partitions (a row group each,
:mod:`mlgate.distributed.cluster`); each worker scores its partition with the pandas path's code
(:func:`mlgate.scoring.predict.write_predictions`) into ``part-NNNNN.parquet`` of a hidden folder
beside the output. The folder takes the output's name only once every partition is written, so
a failure anywhere leaves the output as it was. Rows keep their number in the whole batch, so
the folder read as one table holds the rows the pandas path writes to one file, in order.

The workers write the files themselves: on a cluster of several machines the output must be on
storage they all see, at the same path (a shared file system).
"""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mlgate.config import TableRules
from mlgate.distributed.cluster import (
    as_read,
    parquet_partitions,
    partitions_and_starts,
    scheduler_of,
)
from mlgate.errors import OutputError
from mlgate.scoring.predict import Predictions, Scorer, write_predictions

if TYPE_CHECKING:
    import pandas as pd


def predict_on_dask(
    path: str,
    output: Path,
    scorer: Scorer,
    *,
    rules: TableRules,
    scored_at: datetime,
    scheduler: str | None,
) -> Predictions:
    """Score the parquet batch at ``path`` into the folder ``output``, all or nothing.

    Parameters are those of :func:`mlgate.scoring.predict.predict_batch`, with ``rules`` (how a
    partition is read) and ``scheduler``, the Dask scheduler's address (None: the threads of this
    process).

    Raises
    ------
    DataError
        When the batch is not parquet, or a partition breaks the ingest rules.
    OutputError
        When ``output`` is a file, or its folder cannot be written.
    RunError
        When the scheduler cannot be reached.
    """
    import dask

    # Absolute: the workers write the files, and their working folder is not this process's.
    output = output.resolve()
    if output.is_file():
        raise OutputError(f"{output} is a file: with the dask engine, --output is a folder.")
    frame = parquet_partitions(path, named_by="the --input path")
    with scheduler_of(scheduler) as get:
        partitions, _ = partitions_and_starts(frame, path, get)
        settings = {"source": path, "scored_at": scored_at}
        write = dask.delayed(_write_partition, pure=True)
        with _replaced_folder(output) as folder:
            # One key each in the graph: shipped to a worker once, not once per partition.
            shared = [dask.delayed(value, traverse=False) for value in (scorer, rules, settings)]
            parts = [
                write(part, start, str(folder / f"part-{number:05d}.parquet"), *shared)
                for number, (part, start) in enumerate(partitions)
            ]
            written = dask.compute(*parts, scheduler=get)
            # Every task has ended (none raises: see _write_partition): no worker still writes
            # into the folder when it is removed. The first failure in row order is reported.
            failed = next((part for part in written if isinstance(part, Exception)), None)
            if failed is not None:
                raise failed
    return Predictions(
        output,
        sum(part.rows for part in written),
        sum(part.positives for part in written),
        next((part.shap for part in written if part.shap is not None), None),
    )


def _write_partition(
    partition: pd.DataFrame,
    first_row: int,
    file: str,
    scorer: Scorer,
    rules: TableRules,
    settings: dict,
) -> Predictions | Exception:
    """Score one partition into ``file``; what went wrong is returned, not raised."""
    import pandas as pd

    try:
        rows = as_read(partition, rules, first_row=first_row, source=settings["source"])
        rows.index = pd.RangeIndex(first_row, first_row + len(rows))
        return write_predictions([rows], Path(file), scorer, **settings)
    except Exception as exc:  # returned: the client waits for every task before cleaning up
        return exc


def _new_folder_beside(output: Path, *, kind: str = "") -> Path:
    """A new hidden folder beside ``output``, with the mode the umask gives (mkdtemp's is 0700)."""
    while True:
        folder = output.parent / f".{output.name}.{kind}{secrets.token_hex(4)}"
        with suppress(FileExistsError):
            folder.mkdir(mode=0o777)
            return folder


@contextmanager
def _replaced_folder(output: Path) -> Iterator[Path]:
    """A hidden folder beside ``output`` that replaces it on success and is removed otherwise."""
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        folder = _new_folder_beside(output)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}.") from None
    try:
        yield folder
        if output.exists():
            # Moved aside, then removed: the output is never half old, half new.
            old = _new_folder_beside(output, kind="old.")
            os.replace(output, old / output.name)
            os.replace(folder, output)
            shutil.rmtree(old)
        else:
            os.replace(folder, output)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
