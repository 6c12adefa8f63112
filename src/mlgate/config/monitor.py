"""The ``monitor`` section: the reference fingerprint and how new batches are judged against it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mlgate.config.base import Section

MonitoredMetric = Literal["roc_auc", "accuracy"]


class MonitorPerformanceConfig(Section):
    """Performance on a batch: estimated from scores, and realized when labels come with it."""

    confidence: float = Field(
        0.9,
        gt=0.5,
        lt=1,
        description="Level of the intervals shown for the estimate and the realized value.",
    )
    max_drop: dict[MonitoredMetric, float] = Field(
        default_factory=lambda: {"roc_auc": 0.03, "accuracy": 0.03},
        description="Tolerated drop of each metric below the reference (validation split), and "
        "of realized below estimated performance (concept drift). Metrics not listed are not "
        "monitored.",
    )


class MonitorAlertConfig(Section):
    """The alert policy over repeated runs (an e-detector: docs/tutorials/monitoring.md)."""

    rate: float = Field(
        0.01,
        gt=0,
        le=0.2,
        description="False-alarm budget: without a shift, at most one alert per 1/rate batches "
        "on average, however many batches are monitored.",
    )
    kappa: float = Field(
        0.5,
        gt=0,
        lt=1,
        description="Exponent of the p-to-e calibrator: smaller reacts more to one extreme batch, "
        "larger accumulates moderate evidence faster.",
    )


class MonitorConfig(Section):
    """Monitoring (``monitor:`` in ``params.yaml``): ``mlgate fingerprint``, ``mlgate monitor``."""

    reference_bins: int = Field(
        100, ge=10, le=1000, description="Frozen quantile bins per numeric feature and for scores."
    )
    max_categories: int = Field(
        200,
        ge=2,
        description="Categories kept per categorical feature; rarer ones count as other. A "
        "feature with more distinct values than data.max_listed_distinct, or one that looks "
        "personal, is kept as counts over hash buckets instead (no value in the file).",
    )
    calibrators: int = Field(
        30,
        ge=0,
        le=500,
        description="Bootstrap refits of the score calibrator: the estimate's interval includes "
        "the calibration's own error.",
    )
    pca_variance: float = Field(
        0.65, gt=0, lt=1, description="Variance kept by the PCA of the multivariate drift test."
    )
    draws: int = Field(1000, ge=100, description="Simulated labellings and bootstrap resamples.")
    seed: int = Field(
        0,
        ge=0,
        description="Seed of the simulations and bootstraps. Not of the rows that check a "
        "--scores-column log: those are drawn anew on every run, so no logger can know them.",
    )
    min_rows: int = Field(
        200, ge=10, description="A batch with fewer rows is not judged (each test says skip)."
    )
    min_psi: float = Field(
        0.1,
        ge=0,
        description="A feature, the scores or the multivariate error drifts only when its PSI "
        "reaches this as well: on a large batch, a significant but tiny shift is not an alert.",
    )
    signal_level: float = Field(
        0.05,
        gt=0,
        lt=1,
        description="Level at which the summary lists a drifted feature (false discovery rate "
        "across features) or a test as a signal. Alerts are decided by monitor.alert.",
    )
    chunk_rows: int = Field(
        250_000, ge=1000, description="Rows read and scored at a time (memory grows with it)."
    )
    performance: MonitorPerformanceConfig = MonitorPerformanceConfig()
    alert: MonitorAlertConfig = MonitorAlertConfig()
