"""Seeded, vectorised bootstrap confidence intervals for classification metrics.

The resampling is the Poisson bootstrap: each row's weight in a resample is an independent
Poisson(1) count, which matches the classical (multinomial) bootstrap as the sample grows and
needs no scatter of drawn indices. Every metric of every resample is then a weighted sum (a matrix
of weights times a vector of per-row quantities); ROC AUC needs one sort of the scores, done once,
because the weights are drawn directly in score order. Resamples are processed in chunks to bound
memory and spread over two threads; each chunk has its own seed derived from ``seed`` and its
index, so results do not depend on scheduling and the same seed always gives the same interval.
Two models scored on the same rows are compared on identical resamples (a paired bootstrap).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from mlgate.stats import METRIC_NAMES

#: Metrics :func:`bootstrap_metrics` can resample: all of them.
BOOTSTRAP_METRICS = METRIC_NAMES

#: Upper bound on resamples × rows held in memory per chunk.
_CHUNK_CELLS = 1 << 23
_THREADS = 2
#: The largest Poisson weight :func:`poisson_weights` draws (bounds the exact sums).
_MAX_WEIGHT = 12
# Poisson(1) cumulative probabilities P(X <= k), k = 0..11: a weight is how many of them a
# uniform draw exceeds. P(X > 12) < 1e-10, far below anything a percentile interval can see.
_POISSON_CDF = np.array(
    [
        0.36787944117,
        0.73575888234,
        0.91969860293,
        0.98101184312,
        0.99634015317,
        0.99940581518,
        0.99991675885,
        0.99998975080,
        0.99999887479,
        0.99999988857,
        0.99999998995,
        0.99999999916,
    ]
)


@dataclass(frozen=True)
class Interval:
    """A point estimate with a percentile bootstrap confidence interval."""

    estimate: float
    low: float
    high: float
    confidence: float


@dataclass(frozen=True)
class _ScoreOrder:
    """Rows sorted by score once, with the start of each run of tied scores."""

    order: np.ndarray
    tie_starts: np.ndarray | None  # None when every score is distinct

    @classmethod
    def of(cls, y_score: np.ndarray) -> _ScoreOrder:
        order = np.argsort(y_score, kind="stable")
        ranked = y_score[order]
        starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
        return cls(order, None if len(starts) == len(ranked) else starts)


def poisson_weights(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Independent Poisson(1) counts as float32, drawn by comparing uniforms with the CDF."""
    uniform = rng.random(shape, dtype=np.float32)
    counts = np.zeros(shape, dtype=np.uint8)
    exceeds = np.empty(shape, dtype=bool)
    for level in _POISSON_CDF:
        np.greater(uniform, level, out=exceeds)
        counts += exceeds
    return counts.astype(np.float32)


def weighted_metrics(
    weights: np.ndarray, y_true: np.ndarray, y_score: np.ndarray, *, threshold: float
) -> dict[str, np.ndarray]:
    """Every metric of :data:`BOOTSTRAP_METRICS` for each row of ``weights``.

    ``weights[k, i]`` is the weight of row ``i`` in resample ``k``; with all weights 1 this equals
    :func:`mlgate.stages.evaluate.compute_metrics`.
    """
    ranking = _ScoreOrder.of(y_score)
    order = ranking.order
    return _metrics_in_score_order(
        weights[:, order], y_true[order], y_score[order], ranking.tie_starts, threshold
    )


def _metrics_in_score_order(
    weights: np.ndarray,
    y_true: np.ndarray,
    y_score: np.ndarray,
    tie_starts: np.ndarray | None,
    threshold: float,
) -> dict[str, np.ndarray]:
    # Every sum below is exact, so no summation order (threads, another CPU's BLAS kernel) can
    # change a bit of it: counts are whole numbers in a type that holds them exactly, and the
    # per-row losses are first rounded to a binary grid on which every partial sum is exact.
    counts = weights if weights.shape[1] * _MAX_WEIGHT < 1 << 24 else weights.astype(np.float64)
    dtype = counts.dtype
    y = y_true.astype(dtype)
    predicted = (y_score >= threshold).astype(dtype)
    eps = np.finfo(np.float64).eps
    clipped = np.clip(y_score.astype(np.float64), eps, 1 - eps)
    row_log_loss = -(y_true * np.log(clipped) + (1 - y_true) * np.log1p(-clipped))
    tp = (counts @ (y * predicted)).astype(np.float64)
    fp = (counts @ ((1 - y) * predicted)).astype(np.float64)
    fn = (counts @ (y * (1 - predicted))).astype(np.float64)
    tn = (counts @ ((1 - y) * (1 - predicted))).astype(np.float64)
    total = tp + fp + fn + tn
    with np.errstate(divide="ignore", invalid="ignore"):
        recall = _ratio(tp, tp + fn)
        return {
            "accuracy": (tp + tn) / total,
            "balanced_accuracy": (recall + _ratio(tn, tn + fp)) / 2,
            "precision": _ratio(tp, tp + fp),
            "recall": recall,
            "f1": _ratio(2 * tp, 2 * tp + fp + fn),
            "roc_auc": _roc_auc_in_score_order(weights, y_true.astype(bool), tie_starts),
            "log_loss": exact_weighted_sums(weights, row_log_loss) / total,
            "brier_score": exact_weighted_sums(weights, (y_true - y_score) ** 2) / total,
            "positive_rate": (tp + fp) / total,
        }


def exact_weighted_sums(weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``weights @ values`` computed exactly, whatever order the sums are taken in.

    ``values`` are rounded to multiples of a power of two, ``2**-e``, with ``e`` as large as
    lets every partial sum of whole-number weights (at most :data:`_MAX_WEIGHT`) times them be a
    whole multiple of ``2**-e`` below ``2**52``: a float64 holds each exactly. For a few thousand
    rows of log loss the grid is about ``1e-8``; a row's rounding is at most half of it.
    """
    values = np.asarray(values, dtype=np.float64)
    largest = float(np.abs(values).max(initial=0.0)) or 1.0
    bound = largest * _MAX_WEIGHT * max(values.shape[0], 1)
    exponent = 52 - int(np.ceil(np.log2(bound)))
    on_grid = np.ldexp(np.rint(np.ldexp(values, exponent)), -exponent)
    return weights.astype(np.float64) @ on_grid


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    # sklearn's zero_division=0.0: an empty denominator gives 0, not NaN.
    return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), 0.0)


def _roc_auc_in_score_order(
    weights: np.ndarray, positive: np.ndarray, tie_starts: np.ndarray | None
) -> np.ndarray:
    """P(score of a positive > score of a negative), ties counting ½, per row of weights."""
    positives = weights * positive
    negatives = weights - positives
    if tie_starts is not None:
        positives = np.add.reduceat(positives, tie_starts, axis=1)
        negatives = np.add.reduceat(negatives, tie_starts, axis=1)
    # float32 sums of whole counts are exact below 2**24; past that, accumulate in float64.
    accumulate = np.float32 if weights.shape[1] * _MAX_WEIGHT < 1 << 24 else np.float64
    negatives_below = np.cumsum(negatives, axis=1, dtype=accumulate) - negatives
    # Products of counts and half-counts, summed in float64: exact, so in any order.
    concordant = np.einsum(
        "ij,ij->i", positives, negatives_below + 0.5 * negatives, dtype=np.float64
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        return concordant / (
            positives.sum(axis=1, dtype=np.float64) * negatives.sum(axis=1, dtype=np.float64)
        )


def _over_resamples(
    n_rows: int, *, n_resamples: int, seed: int, compute: Callable[[np.ndarray], dict]
) -> dict[str, np.ndarray]:
    """Run ``compute(weights)`` over chunks of Poisson resamples; concatenate in chunk order."""
    chunk = max(1, min(n_resamples, _CHUNK_CELLS // max(n_rows, 1)))
    sizes = [min(chunk, n_resamples - start) for start in range(0, n_resamples, chunk)]
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))

    def run(index: int) -> dict:
        rng = np.random.default_rng(seeds[index])
        return compute(poisson_weights(rng, (sizes[index], n_rows)))

    with ThreadPoolExecutor(max_workers=_THREADS) as pool:
        parts = list(pool.map(run, range(len(sizes))))
    return {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}


def bootstrap_metrics(
    y_true: np.ndarray,
    y_score: np.ndarray,
    *,
    threshold: float,
    n_resamples: int,
    confidence: float,
    seed: int,
) -> dict[str, Interval]:
    """Percentile bootstrap intervals of every metric of :data:`BOOTSTRAP_METRICS`.

    Parameters
    ----------
    y_true : array of {0, 1}
    y_score : array of float
        Positive-class scores.
    threshold : float
        Decision threshold for the threshold metrics.
    n_resamples : int
        Bootstrap resamples.
    confidence : float
        Two-sided coverage, e.g. 0.95.
    seed : int
        Seed of the resamples.

    Returns
    -------
    dict of str to Interval
        The estimate is the metric on the rows as given; the interval, its bootstrap percentiles.
    """
    ranking = _ScoreOrder.of(y_score)
    y_sorted, score_sorted = y_true[ranking.order], y_score[ranking.order]

    def compute(weights: np.ndarray) -> dict:
        return _metrics_in_score_order(
            weights, y_sorted, score_sorted, ranking.tie_starts, threshold
        )

    estimates = compute(np.ones((1, len(y_true))))
    draws = _over_resamples(len(y_true), n_resamples=n_resamples, seed=seed, compute=compute)
    return {
        name: _percentile_interval(float(estimates[name][0]), draws[name], confidence)
        for name in BOOTSTRAP_METRICS
    }


def paired_bootstrap_difference(
    y_true: np.ndarray,
    challenger_score: np.ndarray,
    champion_score: np.ndarray,
    *,
    metric: str,
    threshold: float,
    n_resamples: int,
    confidence: float,
    seed: int,
) -> Interval:
    """Interval of ``metric(challenger) - metric(champion)`` on the same resampled rows."""
    return paired_bootstrap_differences(
        y_true,
        challenger_score,
        champion_score,
        threshold=threshold,
        n_resamples=n_resamples,
        confidence=confidence,
        seed=seed,
    )[metric]


def paired_bootstrap_differences(
    y_true: np.ndarray,
    challenger_score: np.ndarray,
    champion_score: np.ndarray,
    *,
    threshold: float,
    n_resamples: int,
    confidence: float,
    seed: int,
) -> dict[str, Interval]:
    """Interval of ``metric(challenger) - metric(champion)`` for each of :data:`METRIC_NAMES`.

    Every metric comes out of the same pass over the same resampled rows, so asking for all of
    them costs what asking for one does.
    """
    challenger = _ScoreOrder.of(challenger_score)
    champion = _ScoreOrder.of(champion_score)
    # Weights are drawn in the challenger's score order; the champion sees the same row weights
    # reordered to its own score order.
    to_champion = np.argsort(challenger.order)[champion.order]
    y_a, s_a = y_true[challenger.order], challenger_score[challenger.order]
    y_b, s_b = y_true[champion.order], champion_score[champion.order]

    def compute(weights: np.ndarray) -> dict:
        a = _metrics_in_score_order(weights, y_a, s_a, challenger.tie_starts, threshold)
        b = _metrics_in_score_order(
            weights[:, to_champion], y_b, s_b, champion.tie_starts, threshold
        )
        return {name: a[name] - b[name] for name in BOOTSTRAP_METRICS}

    estimates = compute(np.ones((1, len(y_true))))
    draws = _over_resamples(len(y_true), n_resamples=n_resamples, seed=seed, compute=compute)
    return {
        name: _percentile_interval(float(estimates[name][0]), draws[name], confidence)
        for name in BOOTSTRAP_METRICS
    }


def _percentile_interval(estimate: float, draws: np.ndarray, confidence: float) -> Interval:
    finite = draws[np.isfinite(draws)]
    if finite.size == 0:
        return Interval(estimate, float("nan"), float("nan"), confidence)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return Interval(estimate, float(low), float(high), confidence)
