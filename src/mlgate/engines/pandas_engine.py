"""The pandas engine: this process reads the batch, in chunks where the format allows."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from mlgate.checks.context import CheckContext, Need
from mlgate.config import TableRules
from mlgate.engines.base import PieceWork, Summary
from mlgate.errors import OutputError
from mlgate.model.estimators import positive_scores
from mlgate.model.preprocessing import features_and_labels
from mlgate.scoring.predict import Predictions, Scorer, predict_batch
from mlgate.tables.batch_chunks import batch_row_count, read_batch_chunks
from mlgate.tables.read import read_batch


class PandasEngine:
    """A batch read here: a parquet file or folder, or text in the source files' format."""

    name = "pandas"

    def check_output(self, output: Path) -> None:
        """One audit file: a folder is refused.

        Raises
        ------
        OutputError
            When ``output`` is a folder (the dask engine's output is one).
        """
        if output.is_dir():
            raise OutputError(f"--output {output} is a folder: name a file.")

    def rows_known(self, path: str, *, named_by: str) -> int | None:
        """A parquet file's row count from its footer; None for text or a folder."""
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
        """One audit file, written chunk by chunk (:func:`mlgate.scoring.predict.predict_batch`).

        Raises
        ------
        OutputError
            When ``output`` is a folder (the dask engine's output is one).
        """
        self.check_output(output)
        return predict_batch(
            path,
            output,
            scorer,
            ingest=rules.ingest,
            scored_at=scored_at,
            chunk_rows=chunk_rows,
            on_rows=on_rows,
        )

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
        """The batch's rows, its labels when it has them, and its scores when a check needs them."""
        current = read_batch(path, ingest=rules.ingest, data=rules.data)
        y_true = None
        if rules.data.target in current.columns:
            _, y_true = features_and_labels(current, rules.data)
        scores = None
        if ctx.model is not None and Need.SCORES in needs and len(current):
            scores = positive_scores(ctx.model, current)
        return dataclasses.replace(ctx, current=current, y_true=y_true, current_scores=scores)

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
        """Each chunk of ``chunk_rows`` rows, indexed by its rows' numbers in the batch."""
        merged = start
        chunks = read_batch_chunks(
            path,
            ingest=rules.ingest,
            data=rules.data,
            chunk_rows=chunk_rows,
            named_by=named_by,
            require_rows=True,
        )
        for chunk in chunks:
            merged = merged.merge(work(chunk, 0))
            on_rows(len(chunk))
        return merged

    def pieces_recorded(self, chunk_rows: int) -> int:
        """The rows per chunk."""
        return chunk_rows
