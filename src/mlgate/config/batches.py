"""``batches``: how the commands that read a new batch read it (monitor, check, predict)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mlgate.config.base import Section


class BatchesConfig(Section):
    """The engine that reads batches, its Dask scheduler, and how often a clean batch may fail."""

    engine: Literal["pandas", "dask"] = Field(
        "pandas",
        description="pandas: this process reads the batch, in chunks where it can. dask: each "
        "partition of a parquet batch is read and counted or scored on a Dask cluster (the "
        "`dask` extra).",
    )
    scheduler: str | None = Field(
        None,
        description="The Dask scheduler's address (tcp://host:8786); empty: dask's threads in "
        "this process.",
    )
    false_alarm_budget: float = Field(
        0.05,
        gt=0,
        lt=1,
        description="How often, at most, `mlgate check --current` fails a clean batch: shared "
        "equally (Bonferroni) among the required checks with a level (`alpha`) in the data "
        "and drift suites, each held at the budget over their number or at its own alpha if "
        "lower.",
    )

    def chosen(self, *, engine: str | None, scheduler: str | None) -> BatchesConfig:
        """How a command reads its batch: ``--engine`` and ``--scheduler`` over these params.

        The one place the choice is made; ``check --current``, ``monitor`` and ``predict`` pass
        the result down whole, and read ``engine`` and ``scheduler`` from it only.
        """
        options = {"engine": engine, "scheduler": scheduler}
        return self.model_copy(update={k: v for k, v in options.items() if v is not None})

    @property
    def distributed(self) -> bool:
        """Whether a batch is read as partitions on a Dask cluster."""
        return self.engine == "dask"
