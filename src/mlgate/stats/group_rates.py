"""Group fairness metrics from confusion counts, with a Poisson bootstrap over the counts.

Selection rate, true and false positive and negative rates and accuracy of a group need only
its four counts (true/false positives and negatives). Under the Poisson bootstrap each row's
weight is an independent Poisson(1) draw, so a cell's resampled count is Poisson(its count):
resampling the counts is exactly resampling the rows, at a cost independent of the number of
rows.

Definitions follow fairlearn: demographic parity difference is the largest minus the smallest
group selection rate, its ratio the smallest over the largest; equalized odds difference is the
larger of the true-positive-rate and false-positive-rate differences, its ratio the smaller of the
two ratios. The false-positive and false-negative rate differences are the two error rates'
spreads on their own, for limits that hold one kind of error apart from the other. Each disparity
also names the rate and the two groups behind it (:func:`disparity_drivers`): a reviewer reads
"FPR: 0.12 for A against 0.03 for B", not a bare number.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

#: Group metrics, in the order :func:`group_metrics` returns them.
GROUP_METRICS = (
    "selection_rate",
    "true_positive_rate",
    "false_positive_rate",
    "false_negative_rate",
    "accuracy",
)
#: Fairlearn's disparities between groups.
DISPARITIES = (
    "demographic_parity_difference",
    "demographic_parity_ratio",
    "equalized_odds_difference",
    "equalized_odds_ratio",
)
#: Each error rate's spread across the groups, on its own.
RATE_DIFFERENCES = ("false_positive_rate_difference", "false_negative_rate_difference")
#: The group rates each disparity is computed from.
DISPARITY_RATES = {
    "demographic_parity_difference": ("selection_rate",),
    "demographic_parity_ratio": ("selection_rate",),
    "equalized_odds_difference": ("true_positive_rate", "false_positive_rate"),
    "equalized_odds_ratio": ("true_positive_rate", "false_positive_rate"),
    "false_positive_rate_difference": ("false_positive_rate",),
    "false_negative_rate_difference": ("false_negative_rate",),
}


@dataclass(frozen=True)
class ConfusionCounts:
    """Per-group confusion counts: arrays of shape (groups,) or (resamples, groups)."""

    tp: np.ndarray
    fp: np.ndarray
    fn: np.ndarray
    tn: np.ndarray

    @classmethod
    def of(cls, y_true: np.ndarray, y_pred: np.ndarray, group_codes: np.ndarray, n_groups: int):
        """Count each group's cells in one pass (``group_codes`` in 0..n_groups-1)."""
        cell = group_codes * 4 + y_true * 2 + y_pred  # (group, y, prediction) → one index
        counts = np.bincount(cell, minlength=4 * n_groups).reshape(n_groups, 4)
        return cls(tp=counts[:, 3], fp=counts[:, 1], fn=counts[:, 2], tn=counts[:, 0])

    def resampled(self, rng: np.random.Generator, n_resamples: int) -> ConfusionCounts:
        """Poisson-bootstrap copies of the counts, shape (n_resamples, groups)."""
        draw = lambda c: rng.poisson(c, size=(n_resamples, len(c)))  # noqa: E731
        return ConfusionCounts(draw(self.tp), draw(self.fp), draw(self.fn), draw(self.tn))


def group_metrics(counts: ConfusionCounts) -> dict[str, np.ndarray]:
    """Selection rate, TPR, FPR, FNR and accuracy of each group (NaN where undefined)."""
    tp, fp, fn, tn = (
        np.asarray(x, dtype=float) for x in (counts.tp, counts.fp, counts.fn, counts.tn)
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        n = tp + fp + fn + tn
        return {
            "selection_rate": (tp + fp) / n,
            "true_positive_rate": tp / (tp + fn),
            "false_positive_rate": fp / (fp + tn),
            "false_negative_rate": fn / (tp + fn),
            "accuracy": (tp + tn) / n,
        }


def disparities(metrics: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Fairlearn's four disparities and the two error-rate differences, across the last axis."""

    def spread(values):
        return np.nanmax(values, axis=-1) - np.nanmin(values, axis=-1)

    def ratio(values):
        high = np.nanmax(values, axis=-1)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(high > 0, np.nanmin(values, axis=-1) / high, 1.0)

    tpr, fpr = metrics["true_positive_rate"], metrics["false_positive_rate"]
    return {
        "demographic_parity_difference": spread(metrics["selection_rate"]),
        "demographic_parity_ratio": ratio(metrics["selection_rate"]),
        "equalized_odds_difference": np.maximum(spread(tpr), spread(fpr)),
        "equalized_odds_ratio": np.minimum(ratio(tpr), ratio(fpr)),
        "false_positive_rate_difference": spread(fpr),
        "false_negative_rate_difference": spread(metrics["false_negative_rate"]),
    }


def disparity_drivers(metrics: dict[str, np.ndarray], groups: list[str]) -> dict[str, dict]:
    """Per disparity: the rate behind it, and the groups with its highest and lowest value.

    ``metrics`` holds one value per group (point estimates). For equalized odds, the rate is
    the one whose spread (difference) or ratio decides the disparity, as fairlearn takes it.
    A rate no group defines (NaN everywhere) names no groups.
    """
    drivers = {}
    for name, rates in DISPARITY_RATES.items():
        candidates = [np.asarray(metrics[rate], dtype=float) for rate in rates]
        defined = [i for i, values in enumerate(candidates) if not np.isnan(values).all()]
        if not defined:
            drivers[name] = {"rate": rates[0], "highest": None, "lowest": None}
            continue
        if name.endswith("ratio"):
            pick = min(defined, key=lambda i: _ratio(candidates[i]))
        else:
            pick = max(defined, key=lambda i: np.nanmax(candidates[i]) - np.nanmin(candidates[i]))
        values = candidates[pick]
        drivers[name] = {
            "rate": rates[pick],
            "highest": groups[int(np.nanargmax(values))],
            "lowest": groups[int(np.nanargmin(values))],
        }
    return drivers


def _ratio(values: np.ndarray) -> float:
    """Smallest over largest of the defined values (1 when the largest is 0), as fairlearn."""
    high = float(np.nanmax(values))
    return float(np.nanmin(values)) / high if high > 0 else 1.0


@dataclass(frozen=True)
class FairnessEvidence:
    """Group metrics and disparities, each with a percentile bootstrap interval."""

    groups: list[str]
    sizes: list[int]
    metrics: dict[str, np.ndarray]  # name -> (groups,)
    metric_intervals: dict[str, np.ndarray]  # name -> (groups, 2)
    disparities: dict[str, float]
    disparity_intervals: dict[str, tuple[float, float]]
    drivers: dict[str, dict]  # disparity -> its rate, highest and lowest group


def fairness_evidence(
    y_true: np.ndarray,
    y_pred: np.ndarray,
    groups: np.ndarray,
    *,
    n_resamples: int,
    confidence: float,
    seed: int,
) -> FairnessEvidence:
    """Group metrics and disparities with bootstrap intervals, from one pass over the rows."""
    names, codes = np.unique(groups, return_inverse=True)
    counts = ConfusionCounts.of(y_true.astype(np.int64), y_pred.astype(np.int64), codes, len(names))
    point = group_metrics(counts)
    boot = group_metrics(counts.resampled(np.random.default_rng(seed), n_resamples))
    tail = (1 - confidence) / 2 * 100
    # A group without positives (or negatives) has no TPR (FPR) in any resample: NaN, quietly.
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        metric_intervals = {
            k: np.nanpercentile(v, [tail, 100 - tail], axis=0).T for k, v in boot.items()
        }
        boot_disparities = disparities(boot)
        point_disparities = disparities(point)
        disparity_intervals = {
            k: tuple(float(x) for x in np.nanpercentile(v, [tail, 100 - tail]))
            for k, v in boot_disparities.items()
        }
    return FairnessEvidence(
        groups=[str(name) for name in names],
        sizes=(counts.tp + counts.fp + counts.fn + counts.tn).tolist(),
        metrics=point,
        metric_intervals=metric_intervals,
        disparities={k: float(v) for k, v in point_disparities.items()},
        disparity_intervals=disparity_intervals,
        drivers=disparity_drivers(point, [str(name) for name in names]),
    )
