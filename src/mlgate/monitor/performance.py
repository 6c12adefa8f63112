"""Performance on a batch: estimated from its scores, realized from its labels, and their gap.

Without labels, accuracy and ROC AUC are estimated from the calibrated scores
(:mod:`mlgate.stats.cbpe`) with a predictive interval, and judged against the validation split's
value minus ``monitor.performance.max_drop``. With labels, the realized values are judged against
the same floor, and against the estimate on the same scores: a gap there is concept drift.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

from mlgate.config.monitor import MonitorConfig
from mlgate.monitor.outcome import family, skip
from mlgate.monitor.summary import BatchSummary
from mlgate.stats.cbpe import bootstrap_positives, metrics_from_counts, simulate_positives

_NORMAL = NormalDist()


def simulated_metrics(
    summary: BatchSummary, scores: dict, *, cfg: MonitorConfig, rng: np.random.Generator
) -> dict:
    """The plug-in estimate (``expected``) and simulated labellings (``draws``) of each metric."""
    counts = summary.counts["scores"]
    probabilities = np.asarray(scores["probabilities"], dtype=float)
    positive = np.asarray(scores["predicted_positive"], dtype=bool)
    draws = simulate_positives(counts, probabilities, draws=cfg.draws, rng=rng)
    expected = metrics_from_counts(counts * probabilities[0], counts, positive)
    return {"expected": expected, "draws": metrics_from_counts(draws, counts, positive)}


def rounded(value: float) -> float | None:
    """A value for the evidence: six decimals, or None where it is undefined (JSON has no NaN)."""
    return round(float(value), 6) if np.isfinite(value) else None


def interval(draws: np.ndarray, cfg: MonitorConfig) -> tuple[float | None, float | None]:
    """The central ``monitor.performance.confidence`` interval of the draws (None if undefined)."""
    finite = draws[np.isfinite(draws)]
    if finite.size == 0:
        return None, None
    tail = (1 - cfg.performance.confidence) / 2
    low, high = np.quantile(finite, [tail, 1 - tail])
    return rounded(low), rounded(high)


def p_above(value: float, floor: float, draws: np.ndarray) -> float | None:
    """One-sided p-value of "the metric is at or above ``floor``", from the draws' spread.

    None for an undefined value (a metric this batch cannot have): it cannot be judged.
    """
    finite = draws[np.isfinite(draws)]
    spread = float(finite.std()) if finite.size else 0.0
    if not np.isfinite(value):
        return None
    if spread == 0:
        return 1.0 if value >= floor else 0.0
    return _NORMAL.cdf((value - floor) / spread)


def estimated_performance(simulated: dict, scores: dict, *, cfg: MonitorConfig) -> dict:
    """Performance without labels, with its predictive interval, against reference − max_drop."""
    metrics = {}
    for name, max_drop in cfg.performance.max_drop.items():
        estimate = float(simulated["expected"][name])
        floor = scores["reference"][name]["value"] - max_drop
        low, high = interval(simulated["draws"][name], cfg)
        metrics[name] = {
            "estimate": rounded(estimate),
            "low": low,
            "high": high,
            "reference": scores["reference"][name]["value"],
            "floor": round(floor, 6),
            "p_value": p_above(estimate, floor, simulated["draws"][name]),
        }
    return family(metrics, cfg)


def _classes_present(summary: BatchSummary) -> str | None:
    positives = int(summary.counts["positives"].sum())
    if positives == 0 or positives == summary.rows:
        return f"the batch's labels hold one class only ({positives} positives in {summary.rows})"
    return None


def realized_performance(
    summary: BatchSummary, scores: dict, *, cfg: MonitorConfig, rng: np.random.Generator
) -> dict:
    """Performance from the batch's labels, with a bootstrap interval, against the floor."""
    if (reason := _classes_present(summary)) is not None:
        return skip(reason)
    counts, positives = summary.counts["scores"], summary.counts["positives"]
    positive = np.asarray(scores["predicted_positive"], dtype=bool)
    observed = metrics_from_counts(positives, counts, positive)
    resampled = metrics_from_counts(
        *bootstrap_positives(positives, counts, draws=cfg.draws, rng=rng), positive
    )
    metrics = {}
    for name, max_drop in cfg.performance.max_drop.items():
        floor = scores["reference"][name]["value"] - max_drop
        value = float(observed[name])
        low, high = interval(resampled[name], cfg)
        metrics[name] = {
            "value": rounded(value),
            "low": low,
            "high": high,
            "floor": round(floor, 6),
            "p_value": p_above(value, floor, resampled[name]),
        }
    return family(metrics, cfg)


def concept_drift(
    summary: BatchSummary, scores: dict, simulated: dict, *, cfg: MonitorConfig
) -> dict:
    """Realized performance against what the same scores predict (concept drift).

    The predictive draws already hold this batch's scores, so a covariate shift moves the
    expectation and the realized value together; only a change of P(label | inputs) separates them.
    """
    if (reason := _classes_present(summary)) is not None:
        return skip(reason)
    positive = np.asarray(scores["predicted_positive"], dtype=bool)
    observed = metrics_from_counts(summary.counts["positives"], summary.counts["scores"], positive)
    metrics = {}
    for name, max_drop in cfg.performance.max_drop.items():
        expected = float(simulated["expected"][name])
        low, high = interval(simulated["draws"][name], cfg)
        realized = float(observed[name])
        metrics[name] = {
            "realized": rounded(realized),
            "expected": rounded(expected),
            "low": low,
            "high": high,
            "p_value": p_above(realized, expected - max_drop, simulated["draws"][name]),
        }
    return family(metrics, cfg)
