"""The performance suite: metrics with bootstrap intervals, per slice, and against trivial rules."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mlgate.checks.base import CheckConfig
from mlgate.stats import METRIC_NAMES

MetricName = Literal[METRIC_NAMES]  # type: ignore[valid-type]  (the names, one source)


class BootstrapConfig(CheckConfig):
    """Bootstrap settings shared by the checks that compute confidence intervals."""

    n_bootstrap: int = Field(1000, ge=100, le=100_000)
    confidence: float = Field(0.95, gt=0.5, lt=1)
    seed: int = Field(0, ge=0)
    min_samples: int = Field(100, ge=10, description="Fewer labelled rows: not judged.")
