"""Performance without labels, from calibrated scores (confidence-based performance estimation).

NannyML's CBPE, reduced to counts. A calibrator maps the model's score to the probability that the
row is positive; on a batch, the expected number of positives among the rows of a score bin is
the bin's count times that probability, and accuracy and ROC AUC follow from the expected counts.
Scores are summarised over frozen bins whose edges include the decision threshold, so a bin's
rows share one decision and the estimate needs only the counts per bin (mergeable).

The interval is a predictive interval for the performance the batch's labels would show:
labels are drawn Bernoulli(p) per row (Binomial per bin), with p from one of several calibrators
refitted on Poisson-bootstrap copies of the calibration rows, so it carries both the labels'
noise given the scores and the calibration's own error. The same draws judge labelled batches:
realized performance far below them, on the same scores, is concept drift (the relation between
inputs and outcome changed; no label-free method can see it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Calibrator:
    """An isotonic calibration curve: linear through ``x``, ``y``, constant beyond the ends.

    This is exactly what ``sklearn.isotonic.IsotonicRegression(out_of_bounds="clip").predict``
    computes from its ``X_thresholds_`` and ``y_thresholds_``.
    """

    x: tuple[float, ...]
    y: tuple[float, ...]

    def __call__(self, scores: np.ndarray) -> np.ndarray:
        """Calibrated probability of the positive class for each score."""
        return np.interp(scores, self.x, self.y)


def fit_calibrators(
    y_true: np.ndarray, y_score: np.ndarray, *, n_bootstrap: int, seed: int
) -> list[Calibrator]:
    """The isotonic calibrator of ``y_true`` on ``y_score``, then ``n_bootstrap`` refits.

    Each refit weights the rows by independent Poisson(1) draws (the Poisson bootstrap), so the
    spread of the refits measures how much the calibration itself is uncertain.
    """
    from sklearn.isotonic import IsotonicRegression

    rng = np.random.default_rng(seed)
    weights = [np.ones(len(y_true))] + [
        rng.poisson(1.0, len(y_true)).astype(float) for _ in range(n_bootstrap)
    ]
    calibrators = []
    for weight in weights:
        fitted = IsotonicRegression(out_of_bounds="clip", y_min=0.0, y_max=1.0).fit(
            y_score, y_true, sample_weight=weight
        )
        calibrators.append(
            Calibrator(
                tuple(np.round(fitted.X_thresholds_, 12).tolist()),
                tuple(np.round(fitted.y_thresholds_, 12).tolist()),
            )
        )
    return calibrators


def metrics_from_counts(
    positives: np.ndarray, counts: np.ndarray, predicted_positive: np.ndarray
) -> dict[str, np.ndarray]:
    """Accuracy and ROC AUC from positives per score bin (bins in increasing score order).

    Parameters
    ----------
    positives : array (bins,) or (draws, bins)
        Positive rows per bin: observed, expected (fractional) or simulated.
    counts : array (bins,) or (draws, bins)
        Rows per bin.
    predicted_positive : array of bool (bins,)
        Whether the bin's rows are predicted positive (its scores are at or above the threshold).

    Returns
    -------
    dict
        ``accuracy`` and ``roc_auc`` (the Mann-Whitney statistic, rows of one bin tied: half
        credit), each of shape ``positives.shape[:-1]``; NaN where a class is absent.
    """
    positives = np.asarray(positives, dtype=float)
    negatives = counts - positives
    correct = np.where(predicted_positive, positives, negatives).sum(axis=-1)
    n_pos, n_neg = positives.sum(axis=-1), negatives.sum(axis=-1)
    negatives_below = np.cumsum(negatives, axis=-1) - negatives
    concordant = (positives * (negatives_below + 0.5 * negatives)).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        auc = np.where((n_pos > 0) & (n_neg > 0), concordant / (n_pos * n_neg), np.nan)
    rows = np.maximum(np.asarray(counts, dtype=float).sum(axis=-1), 1.0)
    return {"roc_auc": auc, "accuracy": correct / rows}


def simulate_positives(
    counts: np.ndarray, probabilities: np.ndarray, *, draws: int, rng: np.random.Generator
) -> np.ndarray:
    """Positives per bin in ``draws`` simulated labellings, cycling through the calibrators.

    Parameters
    ----------
    counts : array (bins,)
        Rows per bin.
    probabilities : array (calibrators, bins)
        Each calibrator's probability of a positive in each bin.
    """
    which = np.arange(draws) % len(probabilities)
    return rng.binomial(counts[np.newaxis, :], probabilities[which])


def bootstrap_positives(
    positives: np.ndarray, counts: np.ndarray, *, draws: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Poisson-bootstrap copies of observed (positives, rows) per bin: each cell ~ Poisson(count).

    Resampling the cells' counts is resampling the rows, since a metric from binned counts sees a
    row only through its cell (bin, label).
    """
    resampled_pos = rng.poisson(positives, size=(draws, len(counts)))
    resampled_neg = rng.poisson(counts - positives, size=(draws, len(counts)))
    return resampled_pos, resampled_pos + resampled_neg
