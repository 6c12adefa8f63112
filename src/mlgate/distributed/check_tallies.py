"""A batch's data and drift checks on Dask: each partition tallied on a worker, merged in order.

The checks of the batch suites read the rows under test only through tallies
(:mod:`mlgate.checks.tally`). Here the tallies every check to run declares are counted on each
partition of ``dask.dataframe.read_parquet`` by the cluster, merged in partition order, and the
checks run on a context that holds the merged tallies and no rows.
The checks' code after the tally is the pandas path's, so the evidence is the same (a test holds
the two engines to the same bytes, whatever the partitioning). The tallies are merged on the
workers, neighbours first, so neither a worker nor the client holds one per partition.
"""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from mlgate.checks.context import CheckContext
from mlgate.checks.runner import load_registry
from mlgate.checks.tally import Tally, TallySpec
from mlgate.config import TableRules
from mlgate.distributed.cluster import (
    as_read,
    parquet_partitions,
    partitions_and_starts,
    scheduler_of,
)
from mlgate.errors import ConfigError

if TYPE_CHECKING:
    import pandas as pd


def tally_on_dask(
    ctx: CheckContext,
    path: str,
    *,
    checks: dict[str, Any],
    rules: TableRules,
    suites: set[str],
    scheduler: str | None,
) -> CheckContext:
    """``ctx`` with the rows of the batch at ``path`` counted by Dask for the checks of ``suites``.

    Parameters
    ----------
    ctx : CheckContext
        The reference side: reference rows, model and reference scores; ``current`` is
        replaced by the batch's columns with no rows.
    suites : set of str
        The suites to run (of :data:`mlgate.checks.BATCH_SUITES`).
    scheduler : str, optional
        The Dask scheduler's address; None: the threads of this process.

    Raises
    ------
    ConfigError
        When a check to run reads rows the tallies cannot hold (alibi-detect's feature tests).
    DataError
        When the batch is not parquet, or a partition breaks the batch rules.
    RunError
        When the scheduler cannot be reached.
    """
    import dask

    features = checks.get("drift.features")
    if features is not None and "drift" in suites and features.engine == "alibi":
        raise ConfigError(
            "checks.drift.features.engine is alibi, which reads every row: it runs on the pandas "
            "engine only. Use engine: scipy (the default) with the dask engine."
        )
    frame = parquet_partitions(path, named_by="the --current path", require_rows=True)
    with scheduler_of(scheduler) as get:
        partitions, rows = partitions_and_starts(frame, path, get)
        # Dask's metadata: an empty table with the batch's columns and types.
        columns = as_read(frame._meta, rules)
        ctx = dataclasses.replace(ctx, current=columns, current_rows=rows)
        specs = _specs(ctx, checks, suites)
        counted = [spec for spec in specs if spec.whole is None]
        count = dask.delayed(_count_partition, pure=True)
        # One key each in the graph: shipped to a worker once, not once per partition.
        shared = [dask.delayed(value, traverse=False) for value in (counted, rules, path)]
        parts = [count(part, start, *shared) for part, start in partitions]
        tallies = dask.compute(_merge_tree(parts), scheduler=get)[0] if parts else {}
        validated = frame.map_partitions(as_read, rules, source=path, meta=columns)

        def compute(*collections: Any) -> tuple:
            return dask.compute(*collections, scheduler=get)

        for spec in specs:
            if spec.whole is not None:
                tallies[spec.key] = spec.whole(validated, compute)
    return dataclasses.replace(ctx, tallies=tallies)


def _specs(ctx: CheckContext, checks: dict[str, Any], suites: set[str]) -> list[TallySpec]:
    """Every tally the checks of ``suites`` declare, once each (two checks may share one)."""
    registry = load_registry()
    specs: dict[str, TallySpec] = {}
    for check_id, check_cfg in checks.items():
        entry = registry[check_id]
        if entry.suite not in suites or entry.tallies is None:
            continue
        for spec in entry.tallies(ctx, check_cfg):
            specs.setdefault(spec.key, spec)
    return list(specs.values())


def _count_partition(
    partition: pd.DataFrame, first_row: int, specs: list[TallySpec], rules: TableRules, source: str
) -> dict[str, Tally]:
    rows = as_read(partition, rules, first_row=first_row, source=source)
    return {spec.key: spec.count(rows, first_row) for spec in specs}


def _merge_tree(parts: list[Any]) -> Any:
    """The merge of the partitions' tallies, in order, as a tree of tasks on the workers.

    Neighbours are merged pairwise, level by level: a worker holds a few tallies at a time, and
    the client receives one, however many partitions there are.
    """
    import dask

    merge = dask.delayed(_merge_pair, pure=True)
    while len(parts) > 1:
        pairs = [parts[i : i + 2] for i in range(0, len(parts), 2)]
        parts = [merge(*pair) if len(pair) == 2 else pair[0] for pair in pairs]
    return parts[0]


def _merge_pair(earlier: dict[str, Tally], later: dict[str, Tally]) -> dict[str, Tally]:
    return {key: tally.merge(later[key]) for key, tally in earlier.items()}
