"""Two-sample tests and distances for drift: KS, chi-squared, PSI, MMD, multiple testing.

The KS statistic and p-value equal ``scipy.stats.ks_2samp``'s (a property test pins that), but the
statistic is computed from counts when both samples hold integers in a modest range, which is
linear in the sample size instead of a sort; chi-squared works on category counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

#: Samples whose integer values span at most this many distinct slots are counted, not sorted.
MAX_COUNTING_SPAN = 1 << 22

#: scipy's ``ks_2samp`` computes exact p-values up to this sample size ('auto' mode).
SCIPY_EXACT_MAX_N = 10_000

Correction = Literal["bonferroni", "holm", "fdr_bh"]


@dataclass(frozen=True)
class TestOutcome:
    """A two-sample test's statistic and p-value."""

    statistic: float
    p_value: float


def ks_two_sample(reference: np.ndarray, current: np.ndarray) -> TestOutcome:
    """Two-sided two-sample Kolmogorov-Smirnov test, identical to ``scipy.stats.ks_2samp``.

    Parameters
    ----------
    reference, current : 1-D arrays of float
        The samples, without missing values; neither may be empty.

    Returns
    -------
    TestOutcome
        The KS statistic D and its p-value (exact for small samples, asymptotic for large, as
        scipy's ``method="auto"`` chooses).
    """
    from scipy import stats

    n1, n2 = len(reference), len(current)
    if n1 == 0 or n2 == 0:
        raise ValueError("the KS test needs two non-empty samples")
    if max(n1, n2) <= SCIPY_EXACT_MAX_N:
        outcome = stats.ks_2samp(reference, current, method="auto")
        return TestOutcome(float(outcome.statistic), float(outcome.pvalue))
    return asymptotic_ks(_ks_statistic(reference, current), n1, n2)


def asymptotic_ks(d: float, n1: int, n2: int) -> TestOutcome:
    """Scipy's asymptotic branch, reproduced exactly: Smirnov's distribution at round(mn/(m+n))."""
    from scipy import stats

    m, n = sorted([float(n1), float(n2)], reverse=True)
    p_value = stats.kstwo.sf(d, np.round(m * n / (m + n)))
    return TestOutcome(d, float(np.clip(p_value, 0, 1)))


def _ks_statistic(reference: np.ndarray, current: np.ndarray) -> float:
    """Return max |F_ref - F_cur| over the pooled sample, rounded exactly as scipy rounds it."""
    n1, n2 = len(reference), len(current)
    counted = _counts_if_small_integers(reference, current)
    if counted is not None:
        counts1, counts2 = counted
        present = (counts1 + counts2) > 0
        cdf1 = np.cumsum(counts1)[present] / n1
        cdf2 = np.cumsum(counts2)[present] / n2
    else:
        sorted1, sorted2 = np.sort(reference), np.sort(current)
        pooled = np.concatenate([sorted1, sorted2])
        cdf1 = np.searchsorted(sorted1, pooled, side="right") / n1
        cdf2 = np.searchsorted(sorted2, pooled, side="right") / n2
    differences = cdf1 - cdf2
    return float(max(differences.max(), np.clip(-differences.min(), 0, 1)))


def _counts_if_small_integers(
    reference: np.ndarray, current: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    low = min(reference.min(), current.min())
    high = max(reference.max(), current.max())
    if high - low >= MAX_COUNTING_SPAN:
        return None
    if not (np.all(np.mod(reference, 1) == 0) and np.all(np.mod(current, 1) == 0)):
        return None
    span = int(high - low) + 1
    shift = int(low)
    counts1 = np.bincount((reference - shift).astype(np.int64), minlength=span)
    counts2 = np.bincount((current - shift).astype(np.int64), minlength=span)
    return counts1, counts2


def chi_squared_two_sample(
    reference_counts: np.ndarray, current_counts: np.ndarray, *, min_expected: float = 5.0
) -> TestOutcome:
    """Chi-squared test of homogeneity on a 2×k table of category counts.

    Categories absent from both samples are dropped. Categories whose expected count in either
    sample is below ``min_expected`` are pooled into one, because the chi-squared approximation
    overstates significance for sparse cells (a column with dozens of rare values, such as a
    country, would otherwise raise false alarms). A single remaining category means the
    distributions cannot differ (statistic 0, p-value 1).
    """
    from scipy import stats

    table = np.vstack([reference_counts, current_counts]).astype(float)
    table = table[:, table.sum(axis=0) > 0]
    table = _pool_sparse_categories(table, min_expected)
    if table.shape[1] < 2:
        return TestOutcome(0.0, 1.0)
    outcome = stats.chi2_contingency(table, correction=False)
    return TestOutcome(float(outcome.statistic), float(outcome.pvalue))


def _pool_sparse_categories(table: np.ndarray, min_expected: float) -> np.ndarray:
    """Merge the columns of a 2×k table whose smaller expected count is under ``min_expected``."""
    row_share = table.sum(axis=1, keepdims=True) / table.sum()
    sparse = (table.sum(axis=0) * row_share).min(axis=0) < min_expected
    if sparse.sum() == 0:
        return table
    kept, pooled = table[:, ~sparse], table[:, sparse].sum(axis=1, keepdims=True)
    if (pooled.sum() * row_share).min() < min_expected and kept.shape[1] > 0:
        # The pooled rare categories are still sparse: fold them into the smallest category.
        smallest = np.argmin(kept.sum(axis=0))
        kept = kept.copy()
        kept[:, smallest] += pooled[:, 0]
        return kept
    return np.hstack([kept, pooled])


def population_stability_index(
    reference_counts: np.ndarray, current_counts: np.ndarray, *, floor: float = 1e-4
) -> float:
    """PSI = Σ (c - r) · ln(c / r) over bins, with shares floored so that empty bins count.

    Parameters
    ----------
    reference_counts, current_counts : arrays of int
        Counts per bin (the same bins for both).
    floor : float
        Smallest share a bin is given, so an empty bin contributes a large but finite term.
    """
    r = np.maximum(reference_counts / max(reference_counts.sum(), 1), floor)
    c = np.maximum(current_counts / max(current_counts.sum(), 1), floor)
    return float(np.sum((c - r) * np.log(c / r)))


def psi_above_floor_p_value(
    reference_counts: np.ndarray, current_counts: np.ndarray, *, floor: float
) -> float:
    """The p-value of "the PSI between the two populations is at most ``floor``".

    A minimum-effect test: for small shifts PSI is close to the chi-squared divergence, and
    ``n·PSI`` of ``n`` rows drawn from a population at divergence ``ψ`` from fixed reference
    shares follows a noncentral chi-squared law with ``bins - 1`` degrees of freedom and
    noncentrality ``n·ψ`` (Cochran). Its least favourable case under the null is ``ψ = floor``:
    p = P(χ'²(bins - 1, n·floor) ≥ n·PSI). The reference's own sampling noise is counted by
    using ``n = 1 / (1/rows + 1/reference_rows)``. A shift under the floor never accumulates
    evidence (its p-values lean towards 1); one above it does, more with every batch and with
    larger batches; ``floor = 0`` is a test of any change.
    """
    from scipy.stats import chi2, ncx2

    reference_counts = np.asarray(reference_counts, dtype=float)
    current_counts = np.asarray(current_counts, dtype=float)
    rows, reference_rows = current_counts.sum(), reference_counts.sum()
    if rows <= 0 or reference_rows <= 0:
        return 1.0
    bins = int(np.count_nonzero((reference_counts > 0) | (current_counts > 0)))
    if bins < 2:
        return 1.0
    effective = 1.0 / (1.0 / rows + 1.0 / reference_rows)
    statistic = effective * population_stability_index(reference_counts, current_counts)
    if floor <= 0:
        return float(chi2.sf(statistic, bins - 1))
    return float(ncx2.sf(statistic, bins - 1, effective * floor))


def quantile_bin_counts(
    reference: np.ndarray, current: np.ndarray, *, bins: int
) -> tuple[np.ndarray, np.ndarray]:
    """Counts of each sample in bins cut at the reference's quantiles (ties merge bins)."""
    edges = quantile_edges(reference, bins=bins)
    return edge_bin_counts(edges, reference), edge_bin_counts(edges, current)


def quantile_edges(reference: np.ndarray, *, bins: int) -> np.ndarray:
    """The inner cut points of ``bins`` bins of equal reference share (ties merge bins)."""
    return np.unique(np.quantile(reference, np.linspace(0, 1, bins + 1)[1:-1]))


def edge_bin_counts(edges: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Counts of ``values`` in the bins between ``edges`` (a value on an edge goes above it)."""
    return np.bincount(np.searchsorted(edges, values, side="right"), minlength=len(edges) + 1)


def adjust_p_values(p_values: np.ndarray, *, method: Correction) -> np.ndarray:
    """Adjust p-values for multiple testing; compare the result with the family's alpha.

    ``bonferroni`` and ``holm`` control the family-wise error rate; ``fdr_bh`` (Benjamini-Hochberg)
    the false discovery rate. Adjusted values are capped at 1.
    """
    from scipy import stats

    p = np.asarray(p_values, dtype=float)
    if p.size == 0:
        return p
    if method == "bonferroni":
        return np.minimum(p * p.size, 1.0)
    if method == "fdr_bh":
        return stats.false_discovery_control(p, method="bh")
    order = np.argsort(p)
    scaled = p[order] * (p.size - np.arange(p.size))
    adjusted = np.minimum(np.maximum.accumulate(scaled), 1.0)
    out = np.empty_like(adjusted)
    out[order] = adjusted
    return out


def mmd_permutation_test(
    reference: np.ndarray,
    current: np.ndarray,
    *,
    n_permutations: int,
    seed: int,
) -> TestOutcome:
    """Maximum mean discrepancy with a Gaussian kernel, and its permutation p-value.

    The bandwidth is the median pairwise distance of the pooled sample (the median heuristic).
    All permutations are evaluated at once: with ``a`` the ±1/n weights of a split of the pooled
    rows, MMD² (biased) is ``aᵀ K a``, so a matrix of splits times K gives every statistic.

    Parameters
    ----------
    reference, current : 2-D arrays of float
        Rows are observations, already numeric and scaled alike.
    n_permutations : int
        Random re-splits of the pooled rows; the p-value is (1 + #{perm ≥ observed}) / (1 + n).
    seed : int
        Seed of the permutations.
    """
    from scipy.spatial.distance import cdist
    from threadpoolctl import threadpool_limits

    pooled = np.vstack([reference, current]).astype(float)
    n_ref, n_total = len(reference), len(pooled)
    squared = cdist(pooled, pooled, metric="sqeuclidean")
    positive = squared[squared > 0]
    bandwidth = np.median(positive) if positive.size else 1.0
    kernel = np.exp(-squared / bandwidth)
    # Each row of `weights` is one split of the pooled rows: +1/n_ref on the rows it calls
    # reference, -1/n_cur on the others. Row 0 is the observed split; the rest are permutations.
    observed_split = np.where(np.arange(n_total) < n_ref, 1.0 / n_ref, -1.0 / (n_total - n_ref))
    rng = np.random.default_rng(seed)
    permuted = rng.permuted(np.tile(observed_split, (n_permutations, 1)), axis=1)
    weights = np.vstack([observed_split, permuted])
    # BLAS splits a matrix product across threads, and the sums' last bits follow the split:
    # one thread makes the statistic the same whatever the machine's core count.
    with threadpool_limits(limits=1, user_api="blas"):
        statistics = np.einsum("ij,ij->i", weights @ kernel, weights)
    observed = statistics[0]
    # A permutation that ties with the observed split counts as at least as extreme even when
    # rounding left it a few units in the last place below (the p-value stays conservative).
    ties = observed - 1e-12 * abs(observed)
    p_value = (1 + np.sum(statistics[1:] >= ties)) / (1 + n_permutations)
    return TestOutcome(float(observed), float(p_value))
