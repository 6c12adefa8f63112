"""What an engine does with a batch: the one interface ``check``, ``monitor`` and ``predict`` call.

A command chooses its engine once (:func:`mlgate.engines.engine_for`, from ``batches:`` and its
``--engine``/``--scheduler`` options) and hands it down. Each operation is one the three commands
need, and each engine does it its own way:

- :meth:`BatchEngine.score`: the audit file of ``mlgate predict``;
- :meth:`BatchEngine.current_context`: the batch side of ``mlgate check --current`` (the rows, or
  the tallies counted on the cluster);
- :meth:`BatchEngine.fold`: a summary that adds, computed per chunk or per partition and merged
  in order: what ``mlgate monitor`` judges.

The engine knows nothing of what it folds or which checks count what: the monitor hands it the
work for one piece of the batch, so the engine stays below the commands that use it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, Self, TypeVar, runtime_checkable

if TYPE_CHECKING:
    import pandas as pd

    from mlgate.checks.context import CheckContext, Need
    from mlgate.config import TableRules
    from mlgate.scoring.predict import Predictions, Scorer


class Mergeable(Protocol):
    """A summary of some rows that adds to the summary of the rows after them."""

    def merge(self, other: Self) -> Self:
        """The summary of both parts' rows, this part's first."""
        ...


Summary = TypeVar("Summary", bound=Mergeable)

#: The work done on one validated piece of the batch: its rows, and its partition's position
#: (0 for every chunk the pandas engine reads: its rows are numbered in the whole batch).
PieceWork = Callable[["pd.DataFrame", int], Summary]


@runtime_checkable
class BatchEngine(Protocol):
    """How a batch is read, counted and scored: pandas in this process, or a Dask cluster."""

    #: ``pandas`` or ``dask``, as ``batches.engine`` names it.
    name: str

    def check_output(self, output: Path) -> None:
        """Refuse an output ``score`` cannot write (a file or a folder), before any work."""
        ...

    def rows_known(self, path: str, *, named_by: str) -> int | None:
        """The batch's row count when it is known before it is read (progress), else None."""
        ...

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
        """Score the batch at ``path`` into the audit output ``output``, all or nothing."""
        ...

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
        """``ctx`` (the reference side) with the batch at ``path`` as the side under test.

        ``checks`` are the configured checks: the Dask engine counts what those of ``suites``
        read.
        """
        ...

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
        """``work`` on every validated piece of the batch, merged in row order onto ``start``.

        The batch must have rows; ``named_by`` says where its path came from (for messages).
        """
        ...

    def pieces_recorded(self, chunk_rows: int) -> int | str:
        """What the evidence records of the pieces read: rows per chunk, or ``partitions``."""
        ...
