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
from mlgate.errors import DataError, RunError
from mlgate.monitor.summary import BatchSummary, summarise_chunk
from mlgate.stages.ingest import validate_table


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
) -> BatchSummary:
    """The batch's summary, computed by the Dask scheduler at ``scheduler`` (or a local one).

    Parameters
    ----------
    path : str
        A parquet file or folder of parquet files (local or fsspec URL).
    labelled_check, logged : callable or None
        Applied to each validated partition: the labels' check, and the logged scores' reader
        (``None``: score every row).

    Raises
    ------
    DataError
        When the batch is not parquet, or a partition breaks the batch rules.
    RunError
        When the scheduler cannot be reached.
    """
    import dask
    import dask.dataframe as dd

    if not (path.rstrip("/").endswith(".parquet") or "." not in path.rsplit("/", 1)[-1]):
        raise DataError(f"{path}: the dask engine reads parquet (a file or a folder of files).")
    client = _client(scheduler)
    try:
        # A partition per row group: memory per task follows the row group, not the file.
        partitions = dd.read_parquet(path, split_row_groups=True).to_delayed()
        summarise = dask.delayed(_summarise_partition, pure=True)
        # One key each in the graph: shipped to a worker once, not once per partition.
        shared = [
            dask.delayed(value, traverse=False)
            for value in (model, fingerprint, cfg, labelled_check, challenger, logged)
        ]
        parts = [summarise(part, *shared) for part in partitions]
        summaries = dask.compute(*parts, scheduler=client.get if client else None)
    finally:
        if client is not None:
            client.close()
    merged = BatchSummary()
    for summary in summaries:
        merged = merged.merge(summary)
    return merged


def _client(scheduler: str | None) -> Any:
    from distributed import Client

    if scheduler is None:
        return None  # the threads of this process (dask's local scheduler)
    try:
        return Client(scheduler, timeout="10s")
    except OSError as exc:
        raise RunError(f"the Dask scheduler at {scheduler} cannot be reached: {exc}") from None


def _summarise_partition(
    frame: Any,
    model: Any,
    fingerprint: dict,
    cfg: Config,
    labelled_check: Any,
    challenger: Any,
    logged: Any,
) -> BatchSummary:
    import pyarrow as pa

    # Through Arrow and back, as the pandas path reads a chunk: dask's text columns hold pd.NA
    # where that path holds NaN, and a model's preprocessing tells the two apart.
    table = pa.Table.from_pandas(frame, preserve_index=False)
    frame = table.replace_schema_metadata(None).to_pandas()
    chunk = validate_table(
        frame, source="a partition", ingest=cfg.ingest, data=cfg.data, batch=True
    )
    if labelled_check is not None:
        labelled_check(chunk)
    scores = logged(chunk) if logged is not None else None
    return summarise_chunk(
        chunk, model, fingerprint, data=cfg.data, challenger=challenger, scores=scores
    )
