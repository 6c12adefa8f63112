"""Params of the champion-comparison checks (``checks.comparison.<name>`` in ``params.yaml``)."""

from __future__ import annotations

from pydantic import Field

from mlgate.config.checks.base import BootstrapConfig
from mlgate.config.data import DataConfig


class ChampionConfig(BootstrapConfig):
    """Where the champion comes from, and how much worse the challenger may be."""

    baseline_rev: str = Field("main", min_length=1, description="Git revision of the champion.")
    alpha: float = Field(
        0.05,
        gt=0,
        lt=1,
        description="Level of McNemar's exact test that the challenger is less accurate: a "
        "one-sided p-value below it fails the accuracy result.",
    )
    max_accuracy_drop: float = Field(
        0.01,
        ge=0,
        le=1,
        description="The accuracy result fails when the challenger's accuracy is more than "
        "this below the champion's, even if the test is not significant.",
    )
    max_roc_auc_drop: float = Field(
        0.01,
        ge=0,
        le=1,
        description="The ROC AUC result fails when the challenger's estimate is more than this "
        "below the champion's, or when the whole paired interval of the difference is below 0.",
    )

    def item_ids(self, check_id: str, data: DataConfig) -> tuple[str, ...]:  # noqa: D102
        return (f"{check_id}.accuracy", f"{check_id}.roc_auc")
