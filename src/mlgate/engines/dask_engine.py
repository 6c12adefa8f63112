"""The Dask engine: a parquet batch's partitions read, counted and scored on a cluster."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from mlgate.checks.context import CheckContext, Need
from mlgate.config import TableRules
from mlgate.distributed.check_tallies import tally_on_dask
from mlgate.distributed.fold import fold_on_dask
from mlgate.distributed.predict import predict_on_dask
from mlgate.engines.base import PieceWork, Summary
from mlgate.errors import OutputError
from mlgate.scoring.predict import Predictions, Scorer
from mlgate.tables.batch_chunks import batch_row_count


class DaskEngine:
    """A parquet file or folder, a partition per row group, on the scheduler at ``scheduler``.

    ``scheduler`` None is dask's threads in this process.
    """

    name = "dask"

    def __init__(self, scheduler: str | None) -> None:
        self.scheduler = scheduler

    def check_output(self, output: Path) -> None:
        """A folder of files, one per partition: a file is refused.

        Raises
        ------
        OutputError
            When ``output`` is a file.
        """
        if output.is_file():
            raise OutputError(
                f"{output.resolve()} is a file: with the dask engine, --output is a folder."
            )

    def rows_known(self, path: str, *, named_by: str) -> int | None:
        """A parquet file's row count from its footer; None for a folder."""
        return batch_row_count(path, named_by=named_by)

    def score(
        self,
        path: str,
        output: Path,
        scorer: Scorer,
        *,
        rules: TableRules,
        scored_at: datetime,
        chunk_rows: int,
        on_rows: Callable[[int], None],
    ) -> Predictions:
        """A folder of audit files, one per partition (:mod:`mlgate.distributed.predict`).

        ``chunk_rows`` does not apply: a partition is a row group.
        """
        result = predict_on_dask(
            path, output, scorer, rules=rules, scored_at=scored_at, scheduler=self.scheduler
        )
        on_rows(result.rows)
        return result

    def current_context(
        self,
        ctx: CheckContext,
        path: str,
        *,
        rules: TableRules,
        checks: dict[str, Any],
        needs: frozenset[Need],
        suites: set[str],
    ) -> CheckContext:
        """The batch's columns and no rows, with its checks' tallies counted on the cluster.

        See :mod:`mlgate.distributed.check_tallies`.
        """
        return tally_on_dask(
            ctx, path, checks=checks, rules=rules, suites=suites, scheduler=self.scheduler
        )

    def fold(
        self,
        path: str,
        work: PieceWork,
        *,
        start: Summary,
        rules: TableRules,
        chunk_rows: int,
        named_by: str,
        on_rows: Callable[[int], None],
    ) -> Summary:
        """Each partition on a worker, its rows numbered from 0, its position given to ``work``.

        ``chunk_rows`` does not apply: a partition is a row group.
        """
        rows, merged = fold_on_dask(
            path, work, start=start, rules=rules, named_by=named_by, scheduler=self.scheduler
        )
        on_rows(rows)
        return merged

    def pieces_recorded(self, chunk_rows: int) -> str:
        """``partitions``: a partition is a row group of the file."""
        return "partitions"
