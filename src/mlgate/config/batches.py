"""``batches``: how the commands that read a new batch read it (monitor, check, predict)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mlgate.config.base import Section


class BatchesConfig(Section):
    """The engine that reads batches, and the Dask scheduler it uses."""

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
