"""Params of the robustness checks (``checks.robustness.<name>`` in ``params.yaml``)."""

from __future__ import annotations

from pydantic import Field

from mlgate.config.checks.base import CheckConfig
from mlgate.config.data import DataConfig


class CounterfactualConfig(CheckConfig):
    """How many predictions a flipped sensitive attribute may change."""

    max_changed_share: float = Field(
        0.05,
        ge=0,
        le=1,
        description="Largest share, per feature, of (row, other value) pairs whose predicted "
        "label changes when the row is given another value of a categorical sensitive input.",
    )
    max_rows: int = Field(
        5000, ge=100, description="At most this many rows of the data under test: a seeded sample."
    )
    seed: int = Field(0, ge=0, description="Seed of the sample of rows.")

    def not_applicable(self, data: DataConfig) -> str | None:
        """Without a categorical sensitive input there is nothing the model reads to flip."""
        if any(f in data.categorical for f in data.sensitive_features):
            return None
        return (
            "no sensitive feature is a categorical model input (data.sensitive_features and "
            "data.categorical share none), so no flip can reach the model; numeric ones are "
            "judged by the fairness suite's slices"
        )


class InputsConfig(CheckConfig):
    """How hard hypothesis searches."""

    max_examples: int = Field(
        200,
        ge=10,
        le=10_000,
        description="Batches hypothesis draws and scores (the same ones every run): more "
        "searches harder, and takes longer.",
    )
    rows_per_example: int = Field(16, ge=1, le=1000, description="Most rows in a drawn batch.")


class InvarianceConfig(CheckConfig):
    """The irrelevant features and how many predictions their shuffling may change."""

    irrelevant: tuple[str, ...] = Field(default=(), description="Features the model should ignore.")
    max_changed_share: float = Field(
        0.01,
        ge=0,
        le=1,
        description="Largest share of the sampled rows whose predicted label may change when "
        "one irrelevant feature is shuffled across them.",
    )
    max_rows: int = Field(
        5000, ge=100, description="At most this many rows of the data under test: a seeded sample."
    )
    seed: int = Field(0, ge=0, description="Seed of the sample of rows and of the shuffles.")

    def named_columns(self) -> tuple[str, ...]:  # noqa: D102
        return self.irrelevant


class MonotonicConfig(CheckConfig):
    """Features whose increase may never lower (or raise) the score."""

    increasing: tuple[str, ...] = Field(
        default=(),
        description="Numeric features whose increase, all else equal, may never lower the score.",
    )
    decreasing: tuple[str, ...] = Field(
        default=(),
        description="Numeric features whose increase, all else equal, may never raise the score.",
    )
    steps: int = Field(8, ge=2, le=100, description="Grid points across the training range.")
    max_rows: int = Field(
        2000,
        ge=10,
        description="At most this many rows of the data under test (a seeded sample), "
        "each swept over the grid.",
    )
    tolerance: float = Field(1e-9, ge=0, description="Score drops up to this are noise.")
    seed: int = Field(0, ge=0, description="Seed of the sample of rows.")

    def named_columns(self) -> tuple[str, ...]:  # noqa: D102
        return (*self.increasing, *self.decreasing)
