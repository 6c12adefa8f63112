"""Params of the champion-comparison checks (``checks.comparison.<name>`` in ``params.yaml``)."""

from __future__ import annotations

from pydantic import Field

from mlgate.config.checks.base import BootstrapConfig
from mlgate.config.data import DataConfig


class ChampionConfig(BootstrapConfig):
    """Where the champion comes from, and how much worse the challenger may be."""

    baseline_rev: str = Field("main", min_length=1, description="Git revision of the champion.")
    alpha: float = Field(0.05, gt=0, lt=1)
    max_accuracy_drop: float = Field(0.01, ge=0, le=1)
    max_roc_auc_drop: float = Field(0.01, ge=0, le=1)

    def item_ids(self, check_id: str, data: DataConfig) -> tuple[str, ...]:  # noqa: D102
        return (f"{check_id}.accuracy", f"{check_id}.roc_auc")
