"""Params of the performance checks (``checks.performance.<name>`` in ``params.yaml``)."""

from __future__ import annotations

from pydantic import Field

from mlgate.config.checks.base import BootstrapConfig, MetricName
from mlgate.config.data import DataConfig


class MetricsConfig(BootstrapConfig):
    """Lower limits (``min``) and upper limits (``max``) per metric."""

    min: dict[MetricName, float] = Field(
        default_factory=dict,
        description="Metric -> lower limit: met when the interval's lower bound is at or above "
        "it (one result per metric).",
    )
    max: dict[MetricName, float] = Field(
        default_factory=dict,
        description="Metric -> upper limit (e.g. `log_loss`, `brier_score`): met when the "
        "interval's upper bound is at or under it.",
    )

    def item_ids(self, check_id: str, data: DataConfig) -> tuple[str, ...]:  # noqa: D102
        return tuple(f"{check_id}.{metric}" for metric in (*self.min, *self.max))


class SlicesConfig(BootstrapConfig):
    """The metric, its lower limit per group, and the smallest group that is judged."""

    metric: MetricName = Field(
        "roc_auc", description="The metric computed, with its interval, for each group."
    )
    min_value: float = Field(0.8, description="Each judged group's lower bound must reach it.")
    min_group_size: int = Field(
        200,
        ge=10,
        description="Groups with fewer rows (or holding one class) are listed with their "
        "counts, not judged.",
    )

    def item_ids(self, check_id: str, data: DataConfig) -> tuple[str, ...]:  # noqa: D102
        return tuple(f"{check_id}.{feature}" for feature in data.sensitive_features)


class TrivialBaselineConfig(BootstrapConfig):
    """The margin by which the model must beat the trivial baselines."""

    min_margin: float = Field(
        0.0,
        ge=0,
        le=1,
        description="The lower bounds of the model's paired gains (ROC AUC over the best "
        "one-feature rule, Brier score over the base rate) must both exceed it.",
    )
    n_bins: int = Field(10, ge=2, le=100, description="Quantile bins of a numeric rule.")
