"""Poisson resample weights, and one pass over score-ordered rows that sums every metric.

A resample gives each row a whole-number weight. Every metric of :data:`mlgate.stats.METRIC_NAMES`
follows from a few sums over the rows in score order: the weight of positives and negatives, the
same below the decision threshold, the weighted log loss and Brier score, and for ROC AUC each
positive's weight times the weight of the negatives ranked below it (a running sum, so one sort of
the scores, done once, serves every resample). The rows are visited in tiles of resamples × rows
small enough to stay in the CPU's caches, and each sum is carried from one tile to the next.

Every sum is exact, so no summation order (threads, tiles, another CPU's vector width or BLAS
kernel) can change a bit of it: counts are integers, and the per-row losses are first put on a
binary grid on which every partial sum is exact (:func:`on_exact_grid`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: How many of the 65,536 values of 16 random bits give each weight 0, 1, …, 8. Each is within
#: 1.3 of 65,536 × the Poisson(1) probability, and the mean and the variance are exactly 1, as
#: Poisson(1)'s are; P(weight > 8) = 1e-6 under Poisson(1), invisible to a percentile interval.
_WEIGHT_COUNTS = (24109, 24110, 12055, 4017, 1005, 201, 34, 4, 1)
_WEIGHT_OF_BITS = np.repeat(np.arange(len(_WEIGHT_COUNTS), dtype=np.uint8), _WEIGHT_COUNTS)
#: The largest weight a row may have: what the exact sums are sized for.
MAX_WEIGHT = len(_WEIGHT_COUNTS) - 1
#: Rows per tile. With weights of at most MAX_WEIGHT, every within-tile sum fits an int32:
#: the largest, a positive's weight times the negatives below it, stays under 8**2 × 4096**2 / 4.
TILE_ROWS = 4096


def poisson_weights(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """Independent Poisson(1) weights (to 16 bits, see :data:`_WEIGHT_COUNTS`) as uint8.

    Each weight is a table look-up of 16 raw bits of ``rng``'s bit generator, read as
    little-endian, so a seed gives the same weights on every machine.
    """
    cells = int(np.prod(shape))
    raw = rng.bit_generator.random_raw(-(-cells // 4)).astype("<u8", copy=False)
    # mode="wrap" skips a bounds check no 16-bit index can fail.
    return np.take(_WEIGHT_OF_BITS, raw.view("<u2")[:cells], mode="wrap").reshape(shape)


def on_exact_grid(values: np.ndarray, *, n_rows: int) -> np.ndarray:
    """``values`` rounded to multiples of ``2**-e`` on which weighted sums are exact.

    ``e`` is as large as lets every partial sum of ``n_rows`` products of a weight (at most
    :data:`MAX_WEIGHT`) and a value be a whole multiple of ``2**-e`` below ``2**52``: a float64
    holds each exactly, so the sum is the same in any order. For a few thousand rows of log loss
    the grid is about ``1e-8``; a row's rounding is at most half of it.
    """
    values = np.asarray(values, dtype=np.float64)
    largest = float(np.abs(values).max(initial=0.0)) or 1.0
    exponent = 52 - int(np.ceil(np.log2(largest * MAX_WEIGHT * max(n_rows, 1))))
    return np.ldexp(np.rint(np.ldexp(values, exponent)), -exponent)


def tiles(n_rows: int) -> list[tuple[int, int]]:
    """Start and stop of each tile of rows: :data:`TILE_ROWS` each, the last one shorter."""
    return [(start, min(start + TILE_ROWS, n_rows)) for start in range(0, n_rows, TILE_ROWS)]


@dataclass(frozen=True)
class RankedRows:
    """One model's rows sorted by score, with what every tile of them needs.

    Within a run of tied scores the negatives come first, so the running weight of negatives at
    a positive counts all of its tied negatives; :class:`ResampleSums` takes half of them back.
    """

    order: np.ndarray  # row indices in score order
    negative: np.ndarray  # uint8, 1 where the sorted row is a negative
    values: np.ndarray  # per sorted row: positive (0 or 1), log loss and Brier on the exact grid
    threshold_index: int  # rows before it score below the threshold
    tie_starts: np.ndarray  # first row of each run of tied scores holding both classes
    tie_stops: np.ndarray  # one past its last row

    @classmethod
    def of(cls, y_true: np.ndarray, y_score: np.ndarray, *, threshold: float) -> RankedRows:
        """Sort once by score (negatives first among ties) and lay out the per-row quantities."""
        order = _score_order(y_true, y_score)
        y, score = y_true[order].astype(np.float64), y_score[order].astype(np.float64)
        eps = np.finfo(np.float64).eps
        clipped = np.clip(score, eps, 1 - eps)
        log_loss = -(y * np.log(clipped) + (1 - y) * np.log1p(-clipped))
        grid = [on_exact_grid(v, n_rows=len(y)) for v in (log_loss, (y - score) ** 2)]
        starts = np.flatnonzero(np.r_[True, score[1:] != score[:-1]])
        stops = np.r_[starts[1:], len(score)]
        positives = np.add.reduceat(y, starts) if len(y) else np.zeros(0)
        mixed = (positives > 0) & (positives < stops - starts)
        return cls(
            order=order,
            negative=(y == 0).astype(np.uint8),
            values=np.column_stack([y, *grid]),
            threshold_index=int(np.searchsorted(score, threshold, side="left")),
            tie_starts=starts[mixed],
            tie_stops=stops[mixed],
        )


def _score_order(y_true: np.ndarray, y_score: np.ndarray) -> np.ndarray:
    # Distinct scores have one order, which the fastest sort finds; ties (or NaN) need the
    # stable sort by score then label, so that every machine puts each row in the same place.
    order = np.argsort(y_score)
    ranked = y_score[order]
    return order if np.all(ranked[1:] > ranked[:-1]) else np.lexsort((y_true, y_score))


class ResampleSums:
    """Running sums of one model over a set of resamples, fed tile by tile in score order.

    Parameters
    ----------
    rows : RankedRows
        The model's rows.
    n_resamples : int
        Rows of every weight tile passed to :meth:`add`.
    """

    def __init__(self, rows: RankedRows, n_resamples: int):
        self.rows = rows
        zeros = lambda dtype: np.zeros(n_resamples, dtype=dtype)  # noqa: E731
        self.positives, self.negatives = zeros(np.int64), zeros(np.int64)
        self.negatives_below, self.positives_below = zeros(np.int64), zeros(np.int64)
        self.concordance, self.tied = zeros(np.int64), zeros(np.int64)
        self.log_loss, self.brier = zeros(np.float64), zeros(np.float64)
        self._carry: tuple[np.ndarray, np.ndarray] | None = None

    def add(self, start: int, weights: np.ndarray) -> None:
        """Add rows ``start:start + weights.shape[1]`` (score order); ``weights`` is uint8."""
        stop = start + weights.shape[1]
        negatives = weights * self.rows.negative[start:stop]
        positives = weights - negatives
        # int32 holds every within-tile sum (TILE_ROWS); across tiles they add up in int64.
        running = np.cumsum(negatives, axis=1, dtype=np.int32)
        sums = weights.astype(np.float64) @ self.rows.values[start:stop]
        tile_positives = sums[:, 0].astype(np.int64)
        if start <= self.rows.threshold_index < stop:
            self._add_threshold(start, positives, running)
        if len(self.rows.tie_starts):
            self._add_ties(start, stop, positives, negatives)
        # Twice each positive's weight times the weight of the negatives at or below its score.
        within = np.einsum("ki,ki->k", positives, running)
        self.concordance += 2 * (within + self.negatives * tile_positives)
        self.positives += tile_positives
        self.negatives += running[:, -1]
        self.log_loss += sums[:, 1]
        self.brier += sums[:, 2]

    def _add_threshold(self, start: int, positives: np.ndarray, running: np.ndarray) -> None:
        local = self.rows.threshold_index - start
        below = positives[:, :local].sum(axis=1, dtype=np.int64)
        self.positives_below = self.positives + below
        self.negatives_below = self.negatives + (running[:, local - 1] if local else 0)

    def _add_ties(
        self, start: int, stop: int, positives: np.ndarray, negatives: np.ndarray
    ) -> None:
        """Sum positives × negatives of each run of tied scores; a run may span tiles."""
        rows = self.rows
        first = int(np.searchsorted(rows.tie_stops, start, side="right"))
        last = int(np.searchsorted(rows.tie_starts, stop, side="left"))
        if first >= last:
            return
        low = np.maximum(rows.tie_starts[first:last], start) - start
        high = np.minimum(rows.tie_stops[first:last], stop) - start
        # reduceat sums between consecutive bounds; the even ones are the runs, the rest gaps.
        bounds = np.column_stack([low, high]).ravel()
        bounds = bounds[:-1] if bounds[-1] == stop - start else bounds
        tied_positives = np.add.reduceat(positives, bounds, axis=1, dtype=np.int64)[:, ::2]
        tied_negatives = np.add.reduceat(negatives, bounds, axis=1, dtype=np.int64)[:, ::2]
        if rows.tie_starts[first] < start and self._carry is not None:
            tied_positives[:, 0] += self._carry[0]
            tied_negatives[:, 0] += self._carry[1]
        if rows.tie_stops[last - 1] > stop:
            self._carry = (tied_positives[:, -1].copy(), tied_negatives[:, -1].copy())
            tied_positives, tied_negatives = tied_positives[:, :-1], tied_negatives[:, :-1]
        self.tied += np.einsum("kg,kg->k", tied_positives, tied_negatives)

    def metrics(self) -> dict[str, np.ndarray]:
        """Every metric of :data:`mlgate.stats.METRIC_NAMES`, one value per resample."""
        # A threshold above every score leaves every row below it, in no tile.
        everything_below = self.rows.threshold_index >= len(self.rows.order)
        fn = (self.positives if everything_below else self.positives_below).astype(np.float64)
        tn = (self.negatives if everything_below else self.negatives_below).astype(np.float64)
        tp = self.positives.astype(np.float64) - fn
        fp = self.negatives.astype(np.float64) - tn
        total = tp + fp + fn + tn
        with np.errstate(divide="ignore", invalid="ignore"):
            recall = _ratio(tp, tp + fn)
            return {
                "accuracy": (tp + tn) / total,
                "balanced_accuracy": (recall + _ratio(tn, tn + fp)) / 2,
                "precision": _ratio(tp, tp + fp),
                "recall": recall,
                "f1": _ratio(2 * tp, 2 * tp + fp + fn),
                # A tied pair counts ½: the running sums counted it whole, so take half back.
                "roc_auc": (self.concordance - self.tied) / (2 * (tp + fn) * (tn + fp)),
                "log_loss": self.log_loss / total,
                "brier_score": self.brier / total,
                "positive_rate": (tp + fp) / total,
            }


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    # sklearn's zero_division=0.0: an empty denominator gives 0, not NaN.
    return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1), 0.0)
