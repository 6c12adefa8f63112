"""The engines that read batches, behind one interface (:class:`~mlgate.engines.base.BatchEngine`).

``mlgate check --current``, ``mlgate monitor`` and ``mlgate predict`` each choose their engine
once, here, from ``batches:`` in params.yaml and their ``--engine``/``--scheduler`` options, and
call only the interface: no command or stage below asks which engine it has.
"""

from __future__ import annotations

from mlgate.config import BatchesConfig
from mlgate.engines.base import BatchEngine
from mlgate.engines.dask_engine import DaskEngine
from mlgate.engines.pandas_engine import PandasEngine

__all__ = ["BatchEngine", "DaskEngine", "PandasEngine", "engine_for"]


def engine_for(batches: BatchesConfig, *, engine: str | None, scheduler: str | None) -> BatchEngine:
    """The engine a command reads its batch with: ``--engine``/``--scheduler`` over ``batches``."""
    chosen = batches.chosen(engine=engine, scheduler=scheduler)
    if chosen.distributed:
        return DaskEngine(chosen.scheduler)
    return PandasEngine()
