"""Params of the explanation checks (``checks.explain.<name>`` in ``params.yaml``)."""

from __future__ import annotations

from pydantic import Field

from mlgate.config.checks.base import CheckConfig


class RankStabilityConfig(CheckConfig):
    """The baseline revision and the smallest acceptable rank correlation."""

    baseline_rev: str = Field(
        "main",
        min_length=1,
        description="Git revision whose committed `reports/shap_importance.json` is the baseline.",
    )
    min_rank_correlation: float = Field(
        0.8,
        ge=-1,
        le=1,
        description="Smallest Spearman correlation of mean |SHAP| with the baseline's, over the "
        "features both explain.",
    )


class SensitiveRankingConfig(CheckConfig):
    """How many top features to look at, and which features must stay out of them."""

    top_k: int = Field(
        5,
        ge=1,
        description="How many features, ranked by mean |SHAP|, the listed ones must stay out of "
        "(fails when one ranks this high or higher).",
    )
    features: tuple[str, ...] | None = Field(
        None, description="Features that must not rank in the top k (default: all sensitive)."
    )

    def named_columns(self) -> tuple[str, ...]:  # noqa: D102
        return self.features or ()
