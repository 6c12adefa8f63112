"""Params of the data-validation checks (``checks.data.<name>`` in ``params.yaml``)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from mlgate.config.base import ColumnName
from mlgate.config.checks.base import BootstrapConfig, CheckConfig


class DeniedInputsConfig(CheckConfig):
    """The deny-list: identifiers, sampling weights, proxies of the label, ..."""

    columns: tuple[str, ...] = Field(default=(), description="Columns no model may use.")

    def mentioned_columns(self) -> tuple[str, ...]:
        """The deny-list: never read from the data, so it need not be declared.

        It is held to ``ingest.column_names`` to catch a misspelt name, which would deny nothing.
        """
        return self.columns


class RateConfig(CheckConfig):
    """A limit on a share counted on the rows, judged on the share's one-sided bound."""

    alpha: float = Field(
        0.05,
        gt=0,
        lt=0.5,
        description="One-sided level of the share's bound: how often, at most, rows whose true "
        "share is within the limit fail. With --current, at most batches.false_alarm_budget "
        "shared across the batch's tests.",
    )


class DuplicatesConfig(RateConfig):
    """Limit on the share of exact duplicate rows in the current data."""

    max_duplicate_rate: float = Field(
        0.01,
        ge=0,
        le=1,
        description="Largest share of rows that repeat an earlier row exactly, judged on its "
        "one-sided lower bound.",
    )


class LabelBalanceConfig(RateConfig):
    """The smallest acceptable share of the minority class."""

    min_minority_rate: float = Field(
        0.05,
        gt=0,
        le=0.5,
        description="Smallest share of the labelled rows the rarer class may have, judged on its "
        "one-sided upper bound.",
    )


class LeakageConfig(RateConfig):
    """Limit on the share of current rows identical, in every shared column, to a training row."""

    max_shared_rate: float = Field(
        0.005,
        ge=0,
        le=1,
        description="Largest share of current rows found in the training data beyond chance "
        "(the training rows' own repeat rate), judged on its one-sided lower bound.",
    )


class MissingValuesConfig(RateConfig):
    """Limits on the share of missing values."""

    max_missing_rate: float = Field(0.1, ge=0, le=1, description="Default limit for any column.")
    per_column: dict[str, float] = Field(
        default_factory=dict, description="Limits that override the default for some columns."
    )

    def named_columns(self) -> tuple[str, ...]:  # noqa: D102
        return tuple(self.per_column)


class PersonalDataConfig(CheckConfig):
    """Features reviewed and kept although they look identifying (say, a coarse postcode)."""

    allow: tuple[str, ...] = Field(
        default=(), description="Features a person reviewed and decided to keep as inputs."
    )

    def named_columns(self) -> tuple[str, ...]:  # noqa: D102
        return self.allow


class SchemaConfig(CheckConfig):
    """What every row of every input must satisfy, beyond the declared column types."""

    non_nullable: tuple[str, ...] = Field(
        default=(), description="Columns that must not be missing."
    )
    ranges: dict[str, tuple[float, float]] = Field(
        default_factory=dict, description="Inclusive [min, max] of numeric columns."
    )
    allowed_categories: dict[str, tuple[str, ...]] = Field(
        default_factory=dict, description="The only values a text column may hold."
    )
    max_examples: int = Field(5, ge=1, le=100, description="Failing rows quoted per column.")

    def named_columns(self) -> tuple[str, ...]:  # noqa: D102
        return (*self.non_nullable, *self.ranges, *self.allowed_categories)


class TargetLeakageConfig(BootstrapConfig):
    """How well one input alone may predict the label on the training split, and who may exceed it.

    Two limits, because a strong input is not always a leak: on scikit-learn's breast-cancer
    table seven honest tumour measurements reach a single-feature ROC AUC of 0.93 to 0.97.
    Alone, an input is flagged above ``max_single_feature_auc`` (an id numbered by the label,
    a copy of it); above ``max_suspect_feature_auc`` it is flagged when something else points at
    a leak too: its name or type says it was recorded after the outcome, or it is whether the
    input is missing that predicts the label. On UCI Adult the best honest inputs reach 0.777
    (relationship) and 0.767 (marital-status), on its 32,561 training rows: far below both.
    """

    max_single_feature_auc: float = Field(
        0.97,
        gt=0.5,
        le=1,
        description="An input is flagged when the lower bound of its single-feature ROC AUC "
        "interval is above this.",
    )
    max_suspect_feature_auc: float = Field(
        0.9,
        gt=0.5,
        le=1,
        description="The same limit for an input with a post-outcome hint (its name or type), "
        "and for the ROC AUC of an input's missing-or-present pattern.",
    )
    n_bins: int = Field(10, ge=2, le=100, description="Quantile bins of a numeric rule.")
    n_folds: int = Field(5, ge=2, le=20, description="Folds the rule is cross-fitted over.")
    min_samples: int = Field(200, ge=50, description="Fewer training rows: not judged.")
    min_class_rows: int = Field(
        30, ge=5, description="Fewer training rows of either class: not judged."
    )
    allow: dict[ColumnName, Annotated[str, Field(min_length=1)]] = Field(
        default_factory=dict,
        description="Inputs a person reviewed and kept although they predict the label alone: "
        "column -> the reason, recorded in the evidence and the model card.",
    )

    def named_columns(self) -> tuple[str, ...]:  # noqa: D102
        return tuple(self.allow)


class UnseenCategoriesConfig(RateConfig):
    """Limit on the share of rows, per column, whose category training never saw."""

    max_unseen_rate: float = Field(
        0.01,
        ge=0,
        le=1,
        description="Largest share of a column's rows holding a category training never saw, "
        "judged on its one-sided lower bound; within it, an unseen category only warns.",
    )
    max_listed: int = Field(10, ge=1, le=100, description="New categories named per column.")
