"""The train and test tables from the configured source files (stage ``ingest``).

With ``ingest.test_path``, each file is read and validated; without it, the one file is read and a
seeded test split, stratified on the target, is held out of it. Labelled batches that
``mlgate retrain`` put under ``ingest.retrain_dir`` are then added to the training rows. Columns
declared personal data (``data.personal``) are dropped as soon as a file is read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from mlgate import io
from mlgate.config import DataConfig, IngestConfig
from mlgate.errors import DataError
from mlgate.tables.read import read_source, validate_table
from mlgate.tables.rules import open_parquet
from mlgate.tables.splits import stratified_split

if TYPE_CHECKING:
    import pandas as pd


def ingest_tables(
    ingest: IngestConfig, data: DataConfig, *, on_read=None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the source files into ``(train, test)``; both are validated before either is returned.

    Parameters
    ----------
    ingest : IngestConfig
        Where the files are and how they are written; ``test_path``, or ``test_size`` and
        ``seed`` for a split.
    data : DataConfig
        The declared schema.
    on_read : callable, optional
        Called with ``(source, table)`` after each file is read (progress).
    """
    tables = []
    for source in filter(None, (ingest.train_path, ingest.test_path)):
        with io.open_source(source) as handle:
            table = read_source(handle, source=source, ingest=ingest, data=data)
        if on_read is not None:
            on_read(source, table)
        tables.append(table)
    if ingest.test_path is not None:
        train, test = tables
    else:
        train, test = split_test(
            tables[0], target=data.target, test_size=ingest.test_size, seed=ingest.seed
        )
    # Added batches join the training rows only: the test set stays the yardstick it was, so a
    # retrained model is compared with its champion on the same rows.
    return with_added_rows(train, ingest, data, on_read=on_read), test


def added_batches(ingest: IngestConfig) -> list[Path]:
    """The labelled batches under ``ingest.retrain_dir``, in name order.

    None without the setting or the folder (git keeps no empty folder; DVC, whose ingest stage
    depends on it, says so itself when it is missing).
    """
    if ingest.retrain_dir is None or not Path(ingest.retrain_dir).is_dir():
        return []
    return sorted(Path(ingest.retrain_dir).glob("*.parquet"))


def with_added_rows(
    train: pd.DataFrame, ingest: IngestConfig, data: DataConfig, *, on_read=None
) -> pd.DataFrame:
    """``train`` followed by the rows of every added batch, each labelled on every row."""
    import pandas as pd

    added = []
    for path in added_batches(ingest):
        with path.open("rb") as handle:
            open_parquet(handle, source=str(path))  # its schema, before pandas converts a value
        table = validate_table(
            pd.read_parquet(path), source=str(path), ingest=ingest, data=data, batch=True
        )
        if data.target not in table.columns:
            raise DataError(
                f"{path} has no {data.target!r} column: a batch added to the training rows must "
                "be labelled on every row (`mlgate retrain --with BATCH` checks this)."
            )
        missing = [column for column in train.columns if column not in table.columns]
        if missing:
            raise DataError(
                f"{path} lacks the columns {missing} that the training rows have: an added batch "
                "holds every column of the source files (extra columns are dropped)."
            )
        if on_read is not None:
            on_read(str(path), table)
        added.append(table.loc[:, list(train.columns)].astype(train.dtypes.to_dict()))
    return pd.concat([train, *added], ignore_index=True) if added else train


def split_test(
    frame: pd.DataFrame, *, target: str, test_size: float, seed: int
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A seeded split of ``frame`` into ``(train, test)``, stratified on ``target``."""
    return stratified_split(
        frame,
        target=target,
        size=test_size,
        seed=seed,
        what=f"hold out a test set of {test_size:.0%} of {len(frame)} rows (add rows, change "
        "ingest.test_size, or give ingest.test_path)",
    )
