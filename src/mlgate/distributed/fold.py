"""A summary of a batch on Dask: one part per partition, computed on the workers, merged in order.

What a part is comes from the caller (the monitor's counts over the fingerprint's bins,
:mod:`mlgate.monitor.run`): here each partition of ``dask.dataframe.read_parquet`` goes through
the batch rules on a worker, becomes a part there, and the client merges the parts in partition
order. The parts add, so the result does not depend on the number of partitions or on which
worker computed which (a test holds the two engines to the same counts and p-values).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mlgate.config import TableRules
from mlgate.distributed.cluster import as_read, parquet_partitions, scheduler_of


@dataclass(frozen=True)
class _PartitionWork:
    """What every partition's task reads besides its rows: shipped to each worker once."""

    work: Any
    rules: TableRules


def fold_on_dask(
    path: str, work: Any, *, start: Any, rules: TableRules, named_by: str, scheduler: str | None
) -> tuple[int, Any]:
    """The batch's rows and ``work`` on each of its partitions, merged in order onto ``start``.

    Parameters
    ----------
    path : str
        A parquet file or folder of parquet files (local or fsspec URL), with rows.
    work : callable
        ``work(rows, position)`` on each validated partition (rows numbered from 0 in it);
        it must pickle, as it is shipped to the workers.
    scheduler : str, optional
        The Dask scheduler's address; None: the threads of this process.

    Raises
    ------
    DataError
        When the batch is not parquet, has no rows, or a partition breaks the batch rules.
    RunError
        When the scheduler cannot be reached.
    """
    import dask

    frame = parquet_partitions(path, named_by=named_by, require_rows=True)
    partitions = frame.to_delayed()
    compute = dask.delayed(_on_partition, pure=True)
    # One key in the graph: shipped to a worker once, not once per partition.
    shared = dask.delayed(_PartitionWork(work, rules), traverse=False)
    tasks = [compute(part, position, shared) for position, part in enumerate(partitions)]
    with scheduler_of(scheduler) as get:
        parts = dask.compute(*tasks, scheduler=get)
    merged, rows = start, 0
    for length, part in parts:
        merged, rows = merged.merge(part), rows + length
    return rows, merged


def _on_partition(frame: Any, position: int, shared: _PartitionWork) -> tuple[int, Any]:
    rows = as_read(frame, shared.rules)
    return len(rows), shared.work(rows, position)
