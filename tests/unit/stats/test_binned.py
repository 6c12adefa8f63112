"""Mergeable binned statistics: frozen edges, counts, the binned KS test, Simes' p-value."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from mlgate.stats.binned import (
    bin_counts,
    binned_ks,
    category_codes,
    category_counts,
    coarse_groups,
    freeze_edges,
    merge_bins,
    simes_p_value,
)
from mlgate.stats.two_sample import adjust_p_values


def test_few_distinct_values_each_get_a_bin():
    values = np.array([3.0, 1.0, 2.0, 2.0, np.nan, 3.0])
    edges = freeze_edges(values, max_bins=10)
    assert edges.tolist() == [2.0, 3.0]
    counts, missing = bin_counts(values, edges)
    assert counts.tolist() == [1, 2, 2]
    assert missing == 1


def test_a_point_mass_gets_its_own_bin_among_quantile_bins():
    rng = np.random.default_rng(0)
    # Nine in ten are zero, as capital gains are: quantile edges alone would all sit at 0.
    values = np.where(rng.random(5000) < 0.9, 0.0, rng.exponential(1000, 5000))
    edges = freeze_edges(values, max_bins=20)
    counts, _ = bin_counts(values, edges)
    assert counts[0] == np.sum(values == 0)  # below the first edge: exactly the zeros
    # The other bins share the other values about equally.
    assert len(edges) >= 18
    assert counts[1:].max() < 2 * counts[1:].mean()


@given(st.integers(0, 2**31), st.integers(20, 400), st.integers(20, 400))
def test_binned_ks_equals_scipy_when_every_value_has_its_bin(seed, n, m):
    rng = np.random.default_rng(seed)
    reference = rng.integers(0, 30, n).astype(float)
    current = rng.integers(0, 30, m).astype(float) + rng.integers(0, 2)
    edges = freeze_edges(np.concatenate([reference, current]), max_bins=100)
    ref_counts, _ = bin_counts(reference, edges)
    cur_counts, _ = bin_counts(current, edges)
    expected = stats.ks_2samp(reference, current, method="asymp")
    outcome = binned_ks(ref_counts, cur_counts)
    assert outcome.statistic == pytest.approx(expected.statistic, abs=1e-12)
    assert outcome.p_value == pytest.approx(expected.pvalue, rel=1e-9, abs=1e-12)


def test_binned_ks_is_never_larger_than_the_exact_statistic():
    rng = np.random.default_rng(1)
    reference, current = rng.normal(0, 1, 3000), rng.normal(0.1, 1, 800)
    edges = freeze_edges(reference, max_bins=10)
    outcome = binned_ks(bin_counts(reference, edges)[0], bin_counts(current, edges)[0])
    assert 0 < outcome.statistic <= stats.ks_2samp(reference, current).statistic


def test_binned_ks_refuses_an_empty_sample():
    with pytest.raises(ValueError, match="non-empty"):
        binned_ks(np.array([3, 4]), np.array([0, 0]))


def test_unseen_and_missing_categories():
    codes = category_codes(np.array(["a", None, "zz", "b", np.nan], dtype=object), ["a", "b"])
    assert codes.tolist() == [0, -1, 2, 1, -1]
    counts, missing = category_counts(np.array(["b", "b", "new"], dtype=object), ["a", "b"])
    assert counts.tolist() == [0, 2, 1]
    assert missing == 0


def test_coarse_groups_split_the_reference_in_equal_shares():
    reference = np.full(100, 10)
    groups = coarse_groups(reference, groups=10)
    assert merge_bins(reference, groups).tolist() == [100] * 10


@given(st.lists(st.floats(0, 1), min_size=1, max_size=30))
def test_simes_is_the_smallest_benjamini_hochberg_adjusted_p_value(p_values):
    p = np.array(p_values)
    assert simes_p_value(p) == pytest.approx(adjust_p_values(p, method="fdr_bh").min())


def test_simes_of_no_test_is_one():
    assert simes_p_value(np.array([])) == 1.0
