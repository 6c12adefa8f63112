"""Mergeable statistics: counts over bins frozen on a reference, and the tests they allow.

Monitoring compares each new batch with a reference summarised once, when the model was trained,
so the training data need not be read again. A batch is summarised as counts per frozen bin,
which add across chunks and partitions: a batch streamed in pieces gives the same counts, hence
the same verdict, as the whole batch read at once.

A bin index is ``searchsorted(edges, x, side="right")``: bin 0 holds values below the first edge,
bin k those at or above edge k-1 and below edge k. When a column holds at most ``max_bins``
distinct values, every distinct value gets its own bin and the binned Kolmogorov-Smirnov
statistic is the exact one; otherwise the edges are the reference's quantiles, and a value
holding a large share of the rows (the zeros of a capital-gain column) gets a bin of its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from mlgate.stats.two_sample import TestOutcome

if TYPE_CHECKING:
    from collections.abc import Sequence


def freeze_edges(values: np.ndarray, *, max_bins: int) -> np.ndarray:
    """Cut points for a numeric column, from its reference values (missing values ignored).

    Parameters
    ----------
    values : array of float
        The reference sample; NaN is ignored.
    max_bins : int
        At most about this many bins (point masses may add a few).

    Returns
    -------
    numpy.ndarray
        Sorted, distinct edges; empty when the reference holds fewer than two distinct values.
    """
    finite = values[np.isfinite(values)]
    distinct, counts = np.unique(finite, return_counts=True)
    if len(distinct) <= max_bins:
        return distinct[1:].astype(float)
    # A value carrying more than one bin's share would swallow its neighbours (nine in ten
    # capital gains are 0): it gets its own bin, [v, midpoint to the next value), and the
    # quantile bins are cut among the other values.
    heavy = np.flatnonzero(counts > len(finite) / max_bins)
    rest = finite[~np.isin(finite, distinct[heavy])]
    quantile_bins = max(max_bins - len(heavy), 2)
    quantiles = np.quantile(rest, np.linspace(0, 1, quantile_bins + 1)[1:-1]) if len(rest) else rest
    after = heavy[heavy + 1 < len(distinct)]
    point_edges = np.concatenate([distinct[heavy], (distinct[after] + distinct[after + 1]) / 2])
    edges = np.unique(np.concatenate([quantiles, point_edges]))
    return edges[(edges > distinct[0]) & (edges <= distinct[-1])].astype(float)


def numeric_codes(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Each value's bin of ``edges`` (``len(edges) + 1`` bins); -1 for a missing value."""
    codes = np.searchsorted(edges, values, side="right")
    return np.where(np.isnan(values), -1, codes)


def category_codes(values: Any, categories: Sequence[str]) -> np.ndarray:
    """Each value's position in ``categories``; ``len(categories)`` for any other; -1 if missing.

    Parameters
    ----------
    values : pandas.Series or array
        Category values; None or NaN is missing; others are compared as text.
    categories : sequence of str
        The reference's categories, in a fixed order.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        array = pa.array(values, from_pandas=True)
        if pa.types.is_dictionary(array.type) or not pa.types.is_string(array.type):
            array = pc.cast(array, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        # Mixed types (text and numbers in one column): compare their text, as pandas writes it.
        import pandas as pd

        series = pd.Series(values, dtype="object")
        array = pa.array(series.where(series.isna(), series.astype(str)), from_pandas=True)
    # A hash lookup in Arrow: no Python object per row.
    found = pc.index_in(array, value_set=pa.array(list(categories), type=pa.string()))
    codes = found.fill_null(len(categories)).to_numpy(zero_copy_only=False).astype(np.int64)
    missing = array.is_null().to_numpy(zero_copy_only=False)
    return np.where(missing, -1, codes)


def counts_of(codes: np.ndarray, width: int) -> tuple[np.ndarray, int]:
    """Counts per cell of non-missing codes, and how many were missing (-1)."""
    present = codes[codes >= 0]
    return np.bincount(present, minlength=width).astype(np.int64), int(len(codes) - len(present))


def bin_counts(values: np.ndarray, edges: np.ndarray) -> tuple[np.ndarray, int]:
    """Counts of ``values`` per bin of ``edges`` (``len(edges) + 1`` bins), and the NaN count."""
    return counts_of(numeric_codes(values, edges), len(edges) + 1)


def category_counts(values: Any, categories: Sequence[str]) -> tuple[np.ndarray, int]:
    """Counts per known category plus one last slot for any other value, and the missing count."""
    return counts_of(category_codes(values, categories), len(categories) + 1)


def binned_ks(reference_counts: np.ndarray, current_counts: np.ndarray) -> TestOutcome:
    """Kolmogorov-Smirnov test from counts over the same ordered bins.

    The statistic is the largest gap between the two empirical CDFs at the bins' edges, which is
    at most the exact statistic (the test can only be more conservative than the exact one); the
    p-value is Smirnov's asymptotic distribution at ``round(n·m/(n+m))``, as scipy's
    ``ks_2samp(method="asymp")`` computes it.
    """
    from scipy import stats

    n, m = int(reference_counts.sum()), int(current_counts.sum())
    if n == 0 or m == 0:
        raise ValueError("the KS test needs two non-empty samples")
    gaps = np.cumsum(reference_counts) / n - np.cumsum(current_counts) / m
    statistic = float(np.abs(gaps).max())
    large, small = max(n, m), min(n, m)
    p_value = stats.kstwo.sf(statistic, np.round(large * small / (large + small)))
    return TestOutcome(statistic, float(np.clip(p_value, 0.0, 1.0)))


def coarse_groups(reference_counts: np.ndarray, *, groups: int) -> np.ndarray:
    """Map each fine bin to one of about ``groups`` coarse bins of equal reference share.

    PSI over a hundred bins of a small batch measures mostly sampling noise (its expected value
    grows with bins/rows); over ten it measures the shift.
    """
    share = np.cumsum(reference_counts) / max(reference_counts.sum(), 1)
    previous = np.concatenate([[0.0], share[:-1]])
    return np.minimum((previous * groups).astype(np.int64), groups - 1)


def merge_bins(counts: np.ndarray, group_of_bin: np.ndarray) -> np.ndarray:
    """Sum fine-bin counts into their coarse groups."""
    return np.bincount(group_of_bin, weights=counts, minlength=int(group_of_bin.max()) + 1)


def simes_p_value(p_values: np.ndarray) -> float:
    """Simes' combined p-value of a family: min over i of m·p₍ᵢ₎/i (1 for an empty family).

    It equals the smallest Benjamini-Hochberg adjusted p-value, so the family rejects at level q
    exactly when BH finds at least one discovery at q.
    """
    p = np.sort(np.asarray(p_values, dtype=float))
    if p.size == 0:
        return 1.0
    return float(min(1.0, (p * p.size / np.arange(1, p.size + 1)).min()))
