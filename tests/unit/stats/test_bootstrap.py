from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from mlgate.config import EvaluateConfig
from mlgate.stages.evaluate import compute_metrics
from mlgate.stats.bootstrap import (
    BOOTSTRAP_METRICS,
    bootstrap_metrics,
    paired_bootstrap_differences,
    poisson_weights,
    weighted_metrics,
)
from mlgate.stats.paired import mcnemar_worse


def labelled_scores(seed: int, n: int, *, rounding: int | None = None):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    y[:2] = [0, 1]
    scores = np.clip(0.35 * y + 0.65 * rng.random(n), 0, 1)
    return y, (np.round(scores, rounding) if rounding is not None else scores)


@settings(max_examples=40)
@given(seed=st.integers(0, 10_000), n=st.integers(2, 400), rounding=st.sampled_from([None, 1, 2]))
def test_unit_weights_reproduce_the_evaluate_metrics(seed, n, rounding):
    y, scores = labelled_scores(seed, n, rounding=rounding)
    weighted = weighted_metrics(np.ones((1, n)), y, scores, threshold=0.5)
    expected = compute_metrics(y, scores, cfg=EvaluateConfig(decision_threshold=0.5))
    for name in BOOTSTRAP_METRICS:
        assert weighted[name][0] == pytest.approx(expected[name], abs=2e-6), name


@settings(max_examples=30)
@given(seed=st.integers(0, 10_000), rounding=st.sampled_from([None, 1, 2]))
def test_weighted_auc_equals_sklearn_on_the_repeated_rows(seed, rounding):
    y, scores = labelled_scores(seed, 300, rounding=rounding)
    counts = np.random.default_rng(seed).integers(0, 4, 300)
    rows = np.repeat(np.arange(300), counts)
    if len(set(y[rows])) < 2:
        return
    ours = weighted_metrics(counts[None, :].astype(float), y, scores, threshold=0.5)["roc_auc"][0]
    assert ours == pytest.approx(roc_auc_score(y[rows], scores[rows]), abs=1e-9)


def test_poisson_weights_have_mean_and_variance_one():
    weights = poisson_weights(np.random.default_rng(0), (50, 20_000))
    assert weights.mean() == pytest.approx(1.0, abs=0.01)
    assert weights.var() == pytest.approx(1.0, abs=0.02)


def test_intervals_are_seeded_and_bracket_the_estimate():
    y, scores = labelled_scores(3, 3000)
    first = bootstrap_metrics(y, scores, threshold=0.5, n_resamples=300, confidence=0.95, seed=7)
    again = bootstrap_metrics(y, scores, threshold=0.5, n_resamples=300, confidence=0.95, seed=7)
    other = bootstrap_metrics(y, scores, threshold=0.5, n_resamples=300, confidence=0.95, seed=8)
    assert first == again
    assert first != other
    for name, interval in first.items():
        assert interval.low <= interval.estimate <= interval.high, name
    wider = bootstrap_metrics(y, scores, threshold=0.5, n_resamples=300, confidence=0.99, seed=7)
    assert (
        wider["roc_auc"].high - wider["roc_auc"].low > first["roc_auc"].high - first["roc_auc"].low
    )


def test_interval_width_shrinks_like_one_over_root_n():
    y, scores = labelled_scores(4, 16_000)
    small = bootstrap_metrics(
        y[:1000], scores[:1000], threshold=0.5, n_resamples=400, confidence=0.95, seed=0
    )
    large = bootstrap_metrics(y, scores, threshold=0.5, n_resamples=400, confidence=0.95, seed=0)
    ratio = (small["roc_auc"].high - small["roc_auc"].low) / (
        large["roc_auc"].high - large["roc_auc"].low
    )
    assert ratio == pytest.approx(4.0, rel=0.25)


def test_paired_difference_of_a_model_with_itself_is_exactly_zero():
    y, scores = labelled_scores(5, 2000)
    interval = paired_bootstrap_differences(
        y, scores, scores.copy(), threshold=0.5, n_resamples=200, confidence=0.95, seed=0
    )["roc_auc"]
    assert (interval.estimate, interval.low, interval.high) == (0.0, 0.0, 0.0)


def test_paired_difference_sees_a_worse_model():
    y, scores = labelled_scores(6, 5000)
    noisy = np.clip(scores + np.random.default_rng(0).normal(0, 0.3, len(scores)), 0, 1)
    interval = paired_bootstrap_differences(
        y, noisy, scores, threshold=0.5, n_resamples=300, confidence=0.95, seed=0
    )["roc_auc"]
    assert interval.high < 0
    assert interval.estimate == pytest.approx(roc_auc_score(y, noisy) - roc_auc_score(y, scores))


def test_mcnemar_counts_and_exact_p_value():
    from scipy import stats

    challenger = np.array([True] * 80 + [False] * 15 + [True] * 5)
    champion = np.array([True] * 80 + [True] * 15 + [False] * 5)
    outcome = mcnemar_worse(challenger, champion)
    assert (outcome.challenger_only_wrong, outcome.champion_only_wrong) == (15, 5)
    assert outcome.p_value == pytest.approx(
        stats.binomtest(15, 20, 0.5, alternative="greater").pvalue
    )
    assert mcnemar_worse(champion, champion).p_value == 1.0
