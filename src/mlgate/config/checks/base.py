"""What every check's params share, and the metric names a check may be configured to judge."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import Field

from mlgate.config.base import Section

if TYPE_CHECKING:
    from mlgate.config.data import DataConfig

#: The classification metrics mlgate reports and resamples, in the order reports show them.
METRIC_NAMES = (
    "accuracy",
    "balanced_accuracy",
    "precision",
    "recall",
    "f1",
    "roc_auc",
    "log_loss",
    "brier_score",
    "positive_rate",
)

MetricName = Literal[METRIC_NAMES]  # type: ignore[valid-type]  (the names, one source)


class CheckConfig(Section):
    """Base of every check's params: strict, frozen, and ``required`` by default."""

    required: bool = Field(
        True,
        description="Whether a fail or error of this check blocks: `mlgate check` exits 1 and "
        "the gate rejects, as it does for a skip unless `gate.allow_skip` lists the check. "
        "`false`: the result is shown as evidence only, and takes no share of "
        "`batches.false_alarm_budget`.",
    )

    def named_columns(self) -> tuple[str, ...]:
        """Columns this check reads from the data: each must be declared under ``data``."""
        return ()

    def mentioned_columns(self) -> tuple[str, ...]:
        """Every column the params name; each must be in ``ingest.column_names`` when given."""
        return self.named_columns()

    def item_ids(self, check_id: str, data: DataConfig) -> tuple[str, ...]:
        """The result ids the check gives when it judges item by item (one per metric, slice...).

        Empty for a check that gives one result under its own id. Either way, a check that could
        not run at all gives one ``skip`` or ``error`` under its own id. The gate holds evidence to
        these ids, computed from ``params.yaml``, never from the evidence itself.
        """
        return ()

    def blocks(self, result_id: str) -> bool:
        """Whether the result ``result_id`` stops the verdict when it does not pass."""
        return self.required

    def not_applicable(self, data: DataConfig) -> str | None:
        """Why the check cannot apply to what ``data`` declares, or None when it applies.

        Said by ``params.yaml`` alone, so the gate and the check agree: a check that does not
        apply reports a skip that blocks nothing, with this reason (the template's checks on a
        table without, say, a categorical sensitive input must not make a reject reason).
        """
        return None


class BootstrapConfig(CheckConfig):
    """Bootstrap settings shared by the checks that compute confidence intervals."""

    n_bootstrap: int = Field(
        1000,
        ge=100,
        le=100_000,
        description="Bootstrap resamples behind each interval: more makes the interval's ends "
        "less noisy, and the check slower.",
    )
    confidence: float = Field(
        0.95,
        gt=0.5,
        lt=1,
        description="Level of the bootstrap intervals the check judges on: higher widens them, "
        "so what an interval must show (a limit met, a leak, a drop) needs more rows.",
    )
    seed: int = Field(
        0,
        ge=0,
        description="Seed of the bootstrap resampling (and of `data.target_leakage`'s folds): the "
        "same rows and seed give the same intervals.",
    )
    min_samples: int = Field(100, ge=10, description="Fewer labelled rows: not judged.")
