"""A batch summarised on a Dask cluster: one partial summary per partition, merged in order.

The summary is counts over the fingerprint's frozen bins, which add (:mod:`.summary`): each
partition of ``dask.dataframe.read_parquet`` goes through the batch rules and becomes a
:class:`BatchSummary` on a worker, and the client adds them. The tests that follow are the same
code as for a batch read in chunks, so the verdict does not depend on the engine, the number of
partitions or their order (a test holds the two engines to the same counts and p-values).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlgate.config import Config
from mlgate.distributed.cluster import as_read, parquet_partitions, scheduler_of
from mlgate.monitor.batch_run import Shadow
from mlgate.monitor.summary import BatchSummary, summarise_chunk


@dataclass(frozen=True)
class _PartitionWork:
    """What every partition's task reads besides its rows: shipped to each worker once."""

    model: Any
    fingerprint: dict
    cfg: Config
    labelled_check: Any
    logged: Any
    shadow: Shadow | None


def summarise_on_dask(
    path: str,
    model: Any,
    fingerprint: dict,
    *,
    cfg: Config,
    labelled_check: Any,
    logged: Any | None = None,
    shadow: Shadow | None = None,
) -> BatchSummary:
    """The batch's summary, computed by the Dask scheduler at ``batches.scheduler`` (or locally).

    Parameters
    ----------
    path : str
        A parquet file or folder of parquet files (local or fsspec URL).
    labelled_check, logged : callable or None
        Applied to each validated partition: the labels' check, and the logged scores' reader
        (``None``: score every row).
    shadow : Shadow, optional
        A challenger scored beside the model, and the rows it was trained on
        (:mod:`.training_rows`), counted in the batch.

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
    # One key in the graph: shipped to a worker once, not once per partition.
    work = _PartitionWork(model, fingerprint, cfg, labelled_check, logged, shadow)
    shared = dask.delayed(work, traverse=False)
    parts = [summarise(part, position, shared) for position, part in enumerate(partitions)]
    with scheduler_of(cfg.batches.scheduler) as get:
        summaries = dask.compute(*parts, scheduler=get)
    merged = BatchSummary()
    for summary in summaries:
        merged = merged.merge(summary)
    return merged


def _summarise_partition(frame: Any, position: int, work: _PartitionWork) -> BatchSummary:
    chunk = as_read(frame, work.cfg)
    if work.labelled_check is not None:
        work.labelled_check(chunk)
    # Its position draws its own rows to re-score: every partition is read from row 0.
    scores = work.logged(chunk, partition=position) if work.logged is not None else None
    shadow = work.shadow
    return summarise_chunk(
        chunk,
        work.model,
        work.fingerprint,
        data=work.cfg.data,
        challenger=shadow.model if shadow is not None else None,
        scores=scores,
        trained_rows=shadow.trained_rows if shadow is not None else None,
    )
