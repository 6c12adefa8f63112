from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import stats

from mlgate.stats.two_sample import (
    adjust_p_values,
    chi_squared_two_sample,
    ks_two_sample,
    mmd_permutation_test,
    population_stability_index,
    quantile_bin_counts,
)

samples = hnp.arrays(
    np.float64,
    st.integers(1, 60),
    elements=st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False),
)


@given(a=samples, b=samples)
def test_ks_equals_scipy_on_small_samples(a, b):
    ours, theirs = ks_two_sample(a, b), stats.ks_2samp(a, b)
    assert ours.statistic == theirs.statistic
    assert ours.p_value == theirs.pvalue


@settings(max_examples=25)
@given(
    n1=st.integers(10_001, 30_000),
    n2=st.integers(10_001, 30_000),
    shift=st.floats(0, 0.1),
    integers=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_ks_equals_scipy_on_large_samples_both_paths(n1, n2, shift, integers, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=n1) * 20, (rng.normal(size=n2) + shift) * 20
    if integers:  # the counting path
        a, b = np.round(a), np.round(b)
    ours, theirs = ks_two_sample(a, b), stats.ks_2samp(a, b)
    assert ours.statistic == theirs.statistic
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-12, abs=1e-300)


@given(a=samples)
def test_identical_samples_never_drift(a):
    assert ks_two_sample(a, a.copy()).p_value == 1.0
    counts = np.bincount(np.abs(a).astype(np.int64) % 7)
    assert chi_squared_two_sample(counts, counts).p_value == pytest.approx(1.0)
    assert population_stability_index(counts, counts) == pytest.approx(0.0, abs=1e-12)


def test_ks_refuses_empty_samples():
    with pytest.raises(ValueError, match="non-empty"):
        ks_two_sample(np.array([]), np.array([1.0]))


def test_chi_squared_pools_sparse_categories():
    reference, current = np.array([500, 300, 2, 1, 3]), np.array([400, 450, 0, 4, 1])
    pooled = stats.chi2_contingency(np.array([[500, 300, 6], [400, 450, 5]]), correction=False)
    assert chi_squared_two_sample(reference, current).p_value == pytest.approx(pooled.pvalue)


def test_chi_squared_equals_scipy_and_ignores_empty_categories():
    reference, current = np.array([50, 30, 0, 20]), np.array([40, 45, 0, 15])
    expected = stats.chi2_contingency(np.array([[50, 30, 20], [40, 45, 15]]), correction=False)
    outcome = chi_squared_two_sample(reference, current)
    assert outcome.statistic == pytest.approx(expected.statistic)
    assert outcome.p_value == pytest.approx(expected.pvalue)


def test_chi_squared_with_one_category_cannot_differ():
    assert chi_squared_two_sample(np.array([10, 0]), np.array([5, 0])).p_value == 1.0


def test_psi_grows_with_the_shift():
    rng = np.random.default_rng(0)
    reference = rng.normal(size=20_000)
    small = population_stability_index(*quantile_bin_counts(reference, reference + 0.1, bins=10))
    large = population_stability_index(*quantile_bin_counts(reference, reference + 1.0, bins=10))
    assert 0 < small < 0.1 < 0.25 < large


def test_p_value_adjustments():
    p = np.array([0.01, 0.04, 0.03, 0.2])
    np.testing.assert_allclose(adjust_p_values(p, method="bonferroni"), [0.04, 0.16, 0.12, 0.8])
    np.testing.assert_allclose(adjust_p_values(p, method="holm"), [0.04, 0.09, 0.09, 0.2])
    np.testing.assert_allclose(
        adjust_p_values(p, method="fdr_bh"), stats.false_discovery_control(p, method="bh")
    )
    assert adjust_p_values(np.array([0.5, 0.9]), method="bonferroni").max() == 1.0


@given(p=hnp.arrays(np.float64, st.integers(1, 30), elements=st.floats(0, 1)))
def test_adjusted_p_values_are_never_smaller(p):
    for method in ("bonferroni", "holm", "fdr_bh"):
        adjusted = adjust_p_values(p, method=method)
        assert (adjusted >= p - 1e-12).all()
        assert (adjusted <= 1).all()


def test_mmd_detects_a_shift_and_not_its_absence():
    rng = np.random.default_rng(1)
    reference = rng.normal(size=(300, 4))
    same = mmd_permutation_test(reference, rng.normal(size=(300, 4)), n_permutations=200, seed=0)
    moved = mmd_permutation_test(
        reference, rng.normal(size=(300, 4)) + np.array([0.5, 0, 0, 0]), n_permutations=200, seed=0
    )
    assert same.p_value > 0.05
    assert moved.p_value < 0.01
    again = mmd_permutation_test(
        reference, rng.normal(size=(300, 4)) + np.array([0.5, 0, 0, 0]), n_permutations=200, seed=0
    )
    assert again.p_value < 0.01
