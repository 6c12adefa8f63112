"""Params of the drift checks (``checks.drift.<name>`` in ``params.yaml``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from mlgate.config.checks.base import CheckConfig


class FeatureDriftConfig(CheckConfig):
    """Significance, correction, tolerance and engine of the per-feature drift tests."""

    alpha: float = Field(0.05, gt=0, lt=1, description="Family-wise (or FDR) error rate.")
    correction: Literal["bonferroni", "holm", "fdr_bh"] = "bonferroni"
    max_drifted: int = Field(0, ge=0, description="Features allowed to drift before failing.")
    min_samples: int = Field(30, ge=5, description="Fewer rows in the current data: not judged.")
    engine: Literal["scipy", "alibi"] = Field(
        "scipy", description="'alibi' runs alibi-detect's TabularDrift (pip install mlgate[alibi])."
    )


class MultivariateDriftConfig(CheckConfig):
    """Significance, sample size and permutations of the MMD test."""

    alpha: float = Field(0.05, gt=0, lt=1)
    max_rows: int = Field(1000, ge=50, le=5000, description="Rows drawn from each side.")
    n_permutations: int = Field(500, ge=50, le=10_000)
    seed: int = Field(0, ge=0)
    min_samples: int = Field(50, ge=10, description="Fewer rows in the current data: not judged.")


class PredictionDriftConfig(CheckConfig):
    """Significance of the KS test on scores, and the PSI limit of the score distribution."""

    alpha: float = Field(0.05, gt=0, lt=1)
    max_psi: float = Field(0.1, ge=0)
    bins: int = Field(10, ge=2, le=100)
    min_samples: int = Field(100, ge=10, description="Fewer rows in the current data: not judged.")


class PsiConfig(CheckConfig):
    """PSI limits and the number of quantile bins for numeric features."""

    bins: int = Field(10, ge=2, le=100)
    warn_psi: float = Field(0.1, ge=0)
    max_psi: float = Field(0.25, ge=0)
    # PSI is biased upwards in small samples: for an undrifted sample of n rows it is about
    # (bins - 1) / n, so 10 rows of undrifted data score near 1. At 500 rows and 10 bins that
    # bias is 0.02, a fifth of warn_psi (tests/statistical measures the false alarms).
    min_samples: int = Field(500, ge=10, description="Fewer rows in the current data: not judged.")

    @model_validator(mode="after")
    def _ordered(self) -> PsiConfig:
        if self.warn_psi > self.max_psi:
            raise ValueError(f"warn_psi ({self.warn_psi}) must not exceed max_psi ({self.max_psi})")
        return self
