"""The train and test tables from the configured source files (stage ``ingest``).

With ``ingest.test_path``, each file is read and validated; without it, the one file is read and a
seeded test split, stratified on the target, is held out of it. Columns declared personal data
(``data.personal``) are dropped as soon as a file is read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlgate import io
from mlgate.config import DataConfig, IngestConfig
from mlgate.stages.ingest import read_source
from mlgate.stages.prepare import stratified_split

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
        return tables[0], tables[1]
    return split_test(tables[0], target=data.target, test_size=ingest.test_size, seed=ingest.seed)


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
