"""Every monitoring test, registered in the order the judge runs them (:mod:`.catalogue`).

Each is a thin adapter from :class:`~mlgate.monitor.catalogue.BatchInputs` to the function that
computes it; the ``TypedDict`` beside each names the details its judged record writes.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# pydantic reads these (the evidence's format) and, before Python 3.12, reads only this TypedDict;
# typing_extensions is pydantic's own dependency.
from typing_extensions import TypedDict

from mlgate.monitor.catalogue import LABELS, MONITOR_TESTS, BatchInputs, MonitorTest, register
from mlgate.monitor.drift_tests import binned_drift, data_drift
from mlgate.monitor.fairness import fairness_on_batch
from mlgate.monitor.performance import concept_drift, estimated_performance, realized_performance


class DataDriftDetails(TypedDict):
    """Per feature: its test (``ks`` or ``chi2``), statistic, p-values, PSI, BH-adjusted p."""

    drifted: list[str]
    features: dict[str, dict[str, Any]]


class BinnedDriftDetails(TypedDict):
    """The binned KS test and the PSI of one distribution against the fingerprint's."""

    ks_statistic: float
    ks_p_value: float
    psi: float
    psi_above_floor_p_value: float


class MetricFamilyDetails(TypedDict):
    """Per metric (``monitor.performance.max_drop``'s keys): the value, interval and p-value."""

    metrics: dict[str, dict[str, Any]]


class FairnessDetails(TypedDict):
    """Per sensitive feature: the equalized-odds difference, its interval and the limit."""

    features: dict[str, dict[str, Any]]


@register("data_drift", title="Data drift", details=DataDriftDetails)
def data_drift_test(inputs: BatchInputs) -> dict:
    """Each input feature against its reference bins: binned KS, or chi-squared.

    Simes's combination across features decides; Benjamini-Hochberg names the drifted ones.
    """
    return data_drift(inputs.summary, inputs.fingerprint["features"], cfg=inputs.cfg)


@register("multivariate_drift", title="Multivariate drift", details=BinnedDriftDetails)
def multivariate_drift_test(inputs: BatchInputs) -> dict:
    """The rows' reconstruction errors (PCA of the encoded inputs) against the reference's."""
    reference = np.asarray(inputs.fingerprint["multivariate"]["error_counts"])
    return binned_drift(reference, inputs.summary.counts["errors"], inputs.cfg)


@register("prediction_drift", title="Prediction drift", details=BinnedDriftDetails)
def prediction_drift_test(inputs: BatchInputs) -> dict:
    """The model's scores against the validation split's."""
    reference = np.asarray(inputs.fingerprint["scores"]["counts"])
    return binned_drift(reference, inputs.summary.counts["scores"], inputs.cfg)


@register(
    "estimated_performance", title="Estimated performance (no labels)", details=MetricFamilyDetails
)
def estimated_performance_test(inputs: BatchInputs) -> dict:
    """Accuracy and ROC AUC without labels, from the calibrated scores (CBPE).

    Held to the validation value minus ``monitor.performance.max_drop``.
    """
    return estimated_performance(inputs.simulated, inputs.fingerprint["scores"], cfg=inputs.cfg)


@register(
    "realized_performance",
    title="Realized performance",
    details=MetricFamilyDetails,
    needs=(LABELS,),
)
def realized_performance_test(inputs: BatchInputs) -> dict:
    """Accuracy and ROC AUC from the batch's labels, with a bootstrap interval.

    Held to the same floor as the estimate.
    """
    scores = inputs.fingerprint["scores"]
    return realized_performance(inputs.summary, scores, cfg=inputs.cfg, rng=inputs.rng)


@register("concept_drift", title="Concept drift", details=MetricFamilyDetails, needs=(LABELS,))
def concept_drift_test(inputs: BatchInputs) -> dict:
    """Realized performance against what the same scores predict.

    A covariate shift moves both; only a change of P(label | inputs) separates them.
    """
    scores = inputs.fingerprint["scores"]
    return concept_drift(inputs.summary, scores, inputs.simulated, cfg=inputs.cfg)


@register("fairness", title="Fairness", details=FairnessDetails, needs=(LABELS,))
def fairness_test(inputs: BatchInputs) -> dict:
    """Equalized-odds difference per sensitive feature.

    Held to the gate's own limit (``checks.fairness.group_parity``).
    """
    return fairness_on_batch(
        inputs.summary,
        inputs.fingerprint["groups"],
        inputs.fairness,
        reference_rates=inputs.fingerprint["group_rates"],
        cfg=inputs.cfg,
        rng=inputs.rng,
    )


def tests_for(*, labelled: bool) -> list[MonitorTest]:
    """The registered tests a batch is judged by, in registration order (the filled registry)."""
    return [test for test in MONITOR_TESTS.values() if labelled or not test.needs_labels]
