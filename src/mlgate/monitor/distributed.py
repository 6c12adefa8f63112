"""A batch summarised on a Dask cluster: one partial summary per partition, merged in order.

The summary is counts over the fingerprint's frozen bins, which add (:mod:`.summary`): each
partition of ``dask.dataframe.read_parquet`` goes through the batch rules and becomes a
:class:`BatchSummary` on a worker, and the client adds them. The tests that follow are the same
code as for a batch read in chunks, so the verdict does not depend on the engine, the number of
partitions or their order (a test holds the two engines to the same counts and p-values).
"""

from __future__ import annotations

from typing import Any

from mlgate.config import Config
from mlgate.distributed.cluster import as_read, parquet_partitions, scheduler_of
from mlgate.monitor.summary import BatchSummary, summarise_chunk
from mlgate.monitor.training_rows import TrainedRows


def summarise_on_dask(
    path: str,
    model: Any,
    fingerprint: dict,
    *,
    cfg: Config,
    scheduler: str | None,
    labelled_check: Any,
    challenger: Any | None = None,
    logged: Any | None = None,
    trained_rows: TrainedRows | None = None,
) -> BatchSummary:
    """The batch's summary, computed by the Dask scheduler at ``scheduler`` (or a local one).

    Parameters
    ----------
    path : str
        A parquet file or folder of parquet files (local or fsspec URL).
    labelled_check, logged : callable or None
        Applied to each validated partition: the labels' check, and the logged scores' reader
        (``None``: score every row).
    trained_rows : TrainedRows, optional
        The rows the challenger was trained on, counted in the batch (:mod:`.training_rows`).

    Raises
    ------
    DataError
        When the batch is not parquet, or a partition breaks the batch rules.
    RunError
        When the scheduler cannot be reached.
    """
    import dask

    frame = parquet_partitions(path, named_by="the BATCH argument", require_rows=True)
    partitions = frame.to_delayed()
    summarise = dask.delayed(_summarise_partition, pure=True)
    # One key each in the graph: shipped to a worker once, not once per partition.
    shared = [
        dask.delayed(value, traverse=False)
        for value in (model, fingerprint, cfg, labelled_check, challenger, logged, trained_rows)
    ]
    parts = [summarise(part, position, *shared) for position, part in enumerate(partitions)]
    with scheduler_of(scheduler) as get:
        summaries = dask.compute(*parts, scheduler=get)
    merged = BatchSummary()
    for summary in summaries:
        merged = merged.merge(summary)
    return merged


def _summarise_partition(
    frame: Any,
    position: int,
    model: Any,
    fingerprint: dict,
    cfg: Config,
    labelled_check: Any,
    challenger: Any,
    logged: Any,
    trained_rows: TrainedRows | None,
) -> BatchSummary:
    chunk = as_read(frame, cfg)
    if labelled_check is not None:
        labelled_check(chunk)
    # Its position draws its own rows to re-score: every partition is read from row 0.
    scores = logged(chunk, partition=position) if logged is not None else None
    return summarise_chunk(
        chunk,
        model,
        fingerprint,
        data=cfg.data,
        challenger=challenger,
        scores=scores,
        trained_rows=trained_rows,
    )
