"""Params of the drift checks (``checks.drift.<name>`` in ``params.yaml``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from mlgate.config.checks.base import CheckConfig


class FeatureDriftConfig(CheckConfig):
    """Significance, correction, tolerance and engine of the per-feature drift tests."""

    alpha: float = Field(0.05, gt=0, lt=1, description="Family-wise (or FDR) error rate.")
    correction: Literal["bonferroni", "holm", "fdr_bh"] = Field(
        "bonferroni",
        description="How the features' p-values are adjusted together: `bonferroni` or `holm` "
        "hold the chance of flagging any undrifted feature at `alpha`; `fdr_bh` "
        "(Benjamini-Hochberg) the expected share of false flags among the flagged.",
    )
    max_drifted: int = Field(0, ge=0, description="Features allowed to drift before failing.")
    min_samples: int = Field(30, ge=5, description="Fewer rows in the current data: not judged.")
    engine: Literal["scipy", "alibi"] = Field(
        "scipy", description="'alibi' runs alibi-detect's TabularDrift (pip install mlgate[alibi])."
    )


class MultivariateDriftConfig(CheckConfig):
    """Significance, sample size and permutations of the MMD test."""

    alpha: float = Field(
        0.05,
        gt=0,
        lt=1,
        description="Level of the permutation test: a p-value below it fails. With --current, "
        "at most batches.false_alarm_budget shared across the batch's tests.",
    )
    max_rows: int = Field(1000, ge=50, le=5000, description="Rows drawn from each side.")
    n_permutations: int = Field(
        500,
        ge=50,
        le=10_000,
        description="Permutations of the test; at least 5/`alpha` - 1 are drawn, so the "
        "smallest possible p-value is a fifth of `alpha`.",
    )
    seed: int = Field(
        0,
        ge=0,
        description="Seed of the sample of current rows; the reference sample and the "
        "permutations are seeded from it and the sampled rows' content.",
    )
    min_samples: int = Field(50, ge=10, description="Fewer rows in the current data: not judged.")


class PredictionDriftConfig(CheckConfig):
    """Significance of the KS test on scores, and the PSI limit of the score distribution."""

    alpha: float = Field(
        0.05,
        gt=0,
        lt=1,
        description="Level of the KS test on the scores (see `max_psi`). With --current, at most "
        "batches.false_alarm_budget shared across the batch's tests.",
    )
    max_psi: float = Field(
        0.1,
        ge=0,
        description="The check fails when the scores' PSI is above this and the KS p-value is "
        "below `alpha`: a shift both large and significant.",
    )
    bins: int = Field(
        10,
        ge=2,
        le=100,
        description="Quantile bins of the reference scores (validation split) for the PSI.",
    )
    min_samples: int = Field(100, ge=10, description="Fewer rows in the current data: not judged.")


class PsiConfig(CheckConfig):
    """PSI limits and the number of quantile bins for numeric features."""

    bins: int = Field(
        10,
        ge=2,
        le=100,
        description="Quantile bins of a numeric feature's reference values (a categorical "
        "feature's bins are its categories).",
    )
    warn_psi: float = Field(
        0.1, ge=0, description="A feature's PSI above this warns; must not exceed `max_psi`."
    )
    max_psi: float = Field(0.25, ge=0, description="A feature's PSI above this fails the check.")
    # PSI is biased upwards in small samples: for an undrifted sample of n rows it is about
    # (bins - 1) / n, so 10 rows of undrifted data score near 1. At 500 rows and 10 bins that
    # bias is 0.02, a fifth of warn_psi (tests/statistical measures the false alarms).
    min_samples: int = Field(500, ge=10, description="Fewer rows in the current data: not judged.")

    @model_validator(mode="after")
    def _ordered(self) -> PsiConfig:
        if self.warn_psi > self.max_psi:
            raise ValueError(f"warn_psi ({self.warn_psi}) must not exceed max_psi ({self.max_psi})")
        return self
