"""What one monitoring run is given about a batch: how to read it, what to record, the shadow."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mlgate.engines import BatchEngine, PandasEngine
from mlgate.monitor.training_rows import TrainedRows


def _no_progress(rows: int) -> None:
    """Progress that nobody watches."""


@dataclass(frozen=True)
class BatchReading:
    """One batch, as a run reads it.

    Attributes
    ----------
    path : str
        The batch: parquet (a file or a folder) or text in the source files' format (``ingest:``).
    labelled : bool
        Judge with the batch's labels: every row must carry one.
    chunk_rows : int
        Rows read and scored at a time (the pandas engine).
    scores_column : str, optional
        A column holding the model's scores, logged when the rows were served: used instead of
        scoring every row, once a sample of each chunk, scored again, matches it.
    scores_seed : int, optional
        The seed that draws the rows re-scored (:mod:`.logged`); None: a new one from the
        operating system's randomness, so that a logger cannot know which rows are checked.
    on_rows : callable
        Called with each chunk's row count (progress).
    engine : BatchEngine
        The engine that reads it (:func:`mlgate.engines.engine_for`; pandas when not given).
    """

    path: str
    labelled: bool
    chunk_rows: int
    scores_column: str | None = None
    scores_seed: int | None = None
    on_rows: Callable[[int], None] = _no_progress
    engine: BatchEngine = field(default_factory=PandasEngine)


@dataclass(frozen=True)
class RunRecord:
    """What the evidence records of a run beside what it judged.

    Attributes
    ----------
    batch : dict
        ``id`` and ``sha256`` of the batch.
    model : dict
        ``sha256``, ``version``, ``tag`` and ``commit`` of the model.
    monitored_at : str
        When the run started (ISO 8601, UTC): the history's time axis.
    previous : float
        The alert statistic the last run of this model carried (1 for its first).
    """

    batch: dict[str, Any]
    model: dict[str, Any]
    monitored_at: str
    previous: float


@dataclass(frozen=True)
class Shadow:
    """A challenger scored beside the model on the same rows (no alert comes of it).

    Attributes
    ----------
    model : estimator
        The challenger.
    trained_rows : TrainedRows
        The rows it was trained on: the comparison counts them.
    """

    model: Any
    trained_rows: TrainedRows
