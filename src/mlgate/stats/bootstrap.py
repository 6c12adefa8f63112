"""Seeded, vectorised bootstrap confidence intervals for classification metrics.

The resampling is the Poisson bootstrap: each row's weight in a resample is an independent
Poisson(1) count (to 16 bits, with mean and variance exactly 1), which matches the classical
(multinomial) bootstrap as the sample grows and needs no scatter of drawn indices. Every metric
of every resample follows from a few exact sums over the rows in score order
(:mod:`mlgate.stats._resample`): the scores are sorted once, and the weights are drawn directly in
score order. Resamples are processed in chunks of a fixed size spread over two threads; each chunk
has its own seed derived from ``seed`` and its index, so results do not depend on scheduling or on
the machine, and the same seed always gives the same interval. Two models scored on the same rows
are compared on identical resamples (a paired bootstrap).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from mlgate.stats import METRIC_NAMES
from mlgate.stats._resample import (
    MAX_WEIGHT,
    RankedRows,
    ResampleSums,
    poisson_weights,
    tiles,
)

__all__ = [
    "BOOTSTRAP_METRICS",
    "Interval",
    "bootstrap_metrics",
    "paired_bootstrap_differences",
    "poisson_weights",
    "weighted_metrics",
]

#: Metrics :func:`bootstrap_metrics` can resample: all of them.
BOOTSTRAP_METRICS = METRIC_NAMES

#: Resamples per chunk: a constant, so a chunk's weights depend on the seed alone.
_CHUNK_RESAMPLES = 64
_THREADS = 2


@dataclass(frozen=True)
class Interval:
    """A point estimate with a percentile bootstrap confidence interval."""

    estimate: float
    low: float
    high: float
    confidence: float


def weighted_metrics(
    weights: np.ndarray, y_true: np.ndarray, y_score: np.ndarray, *, threshold: float
) -> dict[str, np.ndarray]:
    """Every metric of :data:`BOOTSTRAP_METRICS` for each row of ``weights``.

    ``weights[k, i]`` is the whole-number weight (0 to 8) of row ``i`` in resample ``k``; with
    all weights 1 this equals :func:`mlgate.stages.evaluate.compute_metrics`.
    """
    weights = np.asarray(weights)
    counts = weights.astype(np.uint8)
    if not np.array_equal(counts, weights) or counts.max(initial=0) > MAX_WEIGHT:
        raise ValueError(
            f"weights must be whole numbers from 0 to {MAX_WEIGHT}. Got values from "
            f"{weights.min()} to {weights.max()} instead."
        )
    rows = RankedRows.of(y_true, y_score, threshold=threshold)
    return _sums_of(rows, len(counts), lambda a, b: counts[:, rows.order[a:b]]).metrics()


def _sums_of(
    rows: RankedRows, n_resamples: int, weights_of: Callable[[int, int], np.ndarray]
) -> ResampleSums:
    """Feed ``weights_of(start, stop)`` (resamples × rows in score order) tile by tile."""
    sums = ResampleSums(rows, n_resamples)
    for start, stop in tiles(len(rows.order)):
        sums.add(start, np.ascontiguousarray(weights_of(start, stop)))
    return sums


def _estimates(rows: RankedRows) -> dict[str, np.ndarray]:
    return _sums_of(rows, 1, lambda start, stop: np.ones((1, stop - start), np.uint8)).metrics()


def _over_resamples(
    *, n_resamples: int, seed: int, compute: Callable[[np.random.Generator, int], dict]
) -> dict[str, np.ndarray]:
    """Run ``compute(rng, size)`` over chunks of resamples; concatenate in chunk order."""
    from threadpoolctl import threadpool_limits

    starts = range(0, n_resamples, _CHUNK_RESAMPLES)
    sizes = [min(_CHUNK_RESAMPLES, n_resamples - start) for start in starts]
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))

    def run(index: int) -> dict:
        return compute(np.random.default_rng(seeds[index]), sizes[index])

    # The tiles' matrix products are small: BLAS threads on top of these two only contend.
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(_THREADS) as pool:
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
    rows = RankedRows.of(y_true, y_score, threshold=threshold)

    def compute(rng: np.random.Generator, size: int) -> dict:
        draw = lambda start, stop: poisson_weights(rng, (size, stop - start))  # noqa: E731
        return _sums_of(rows, size, draw).metrics()

    estimates = _estimates(rows)
    draws = _over_resamples(n_resamples=n_resamples, seed=seed, compute=compute)
    return {
        name: _percentile_interval(float(estimates[name][0]), draws[name], confidence)
        for name in BOOTSTRAP_METRICS
    }


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
    challenger = RankedRows.of(y_true, challenger_score, threshold=threshold)
    champion = RankedRows.of(y_true, champion_score, threshold=threshold)
    # Where each of the champion's rows (in its score order) sits in the challenger's order.
    in_challenger_order = np.argsort(challenger.order)[champion.order]

    def compute(rng: np.random.Generator, size: int) -> dict:
        # Weights are drawn in the challenger's score order and kept, one row of resamples per
        # row of data, so the champion reads the very same weights in its own score order.
        kept = np.empty((len(y_true), size), dtype=np.uint8)

        def draw(start: int, stop: int) -> np.ndarray:
            weights = poisson_weights(rng, (size, stop - start))
            kept[start:stop] = weights.T
            return weights

        a = _sums_of(challenger, size, draw).metrics()

        def reread(start: int, stop: int) -> np.ndarray:
            return np.take(kept, in_challenger_order[start:stop], axis=0).T

        return _differences(a, _sums_of(champion, size, reread).metrics())

    estimates = _differences(_estimates(challenger), _estimates(champion))
    draws = _over_resamples(n_resamples=n_resamples, seed=seed, compute=compute)
    return {
        name: _percentile_interval(float(estimates[name][0]), draws[name], confidence)
        for name in BOOTSTRAP_METRICS
    }


def _differences(a: dict, b: dict) -> dict[str, np.ndarray]:
    return {name: a[name] - b[name] for name in BOOTSTRAP_METRICS}


def _percentile_interval(estimate: float, draws: np.ndarray, confidence: float) -> Interval:
    finite = draws[np.isfinite(draws)]
    if finite.size == 0:
        return Interval(estimate, float("nan"), float("nan"), confidence)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return Interval(estimate, float(low), float(high), confidence)
