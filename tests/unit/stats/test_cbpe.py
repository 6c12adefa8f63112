"""Performance from binned counts and calibrated scores (CBPE)."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import accuracy_score, roc_auc_score

from mlgate.stats.cbpe import (
    bootstrap_positives,
    fit_calibrators,
    metrics_from_counts,
    simulate_positives,
)


@pytest.fixture(scope="module")
def scored():
    rng = np.random.default_rng(0)
    scores = rng.beta(2, 5, 4000)
    labels = (rng.random(4000) < scores**0.8).astype(int)
    return scores, labels


def test_the_calibrator_is_sklearns_isotonic_regression(scored):
    scores, labels = scored
    calibrator = fit_calibrators(labels, scores, n_bootstrap=0, seed=0)[0]
    fitted = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(scores, labels)
    probe = np.linspace(-0.5, 1.5, 301)
    np.testing.assert_allclose(calibrator(probe), fitted.predict(probe), atol=1e-11)


def test_bootstrap_refits_differ_and_are_seeded(scored):
    scores, labels = scored
    first = fit_calibrators(labels, scores, n_bootstrap=3, seed=7)
    assert first == fit_calibrators(labels, scores, n_bootstrap=3, seed=7)
    assert len({c.y for c in first}) == 4


def test_metrics_from_counts_are_sklearns_on_binned_scores(scored):
    scores, labels = scored
    edges = np.unique(np.concatenate([np.quantile(scores, np.linspace(0, 1, 41)[1:-1]), [0.5]]))
    bins = np.searchsorted(edges, scores, side="right")
    counts = np.bincount(bins, minlength=len(edges) + 1)
    positives = np.bincount(bins, weights=labels, minlength=len(edges) + 1)
    predicted = np.arange(len(edges) + 1) > np.searchsorted(edges, 0.5)
    metrics = metrics_from_counts(positives, counts, predicted)
    # Rows of one bin are tied: sklearn's AUC on the bin index is the Mann-Whitney with ties.
    assert metrics["roc_auc"] == pytest.approx(roc_auc_score(labels, bins), abs=1e-12)
    assert metrics["accuracy"] == pytest.approx(accuracy_score(labels, scores >= 0.5))


def test_metrics_are_undefined_without_both_classes():
    metrics = metrics_from_counts(np.array([0.0, 0.0]), np.array([5, 5]), np.array([False, True]))
    assert np.isnan(metrics["roc_auc"])
    assert metrics["accuracy"] == 0.5


def test_simulated_labels_average_to_the_calibrated_probability():
    counts = np.array([1000, 3000])
    probabilities = np.array([[0.1, 0.8], [0.2, 0.6]])
    draws = simulate_positives(counts, probabilities, draws=2000, rng=np.random.default_rng(0))
    # Draws alternate between the two calibrators.
    np.testing.assert_allclose(draws[0::2].mean(axis=0), [100, 2400], rtol=0.01)
    np.testing.assert_allclose(draws[1::2].mean(axis=0), [200, 1800], rtol=0.01)


def test_bootstrap_copies_keep_positives_within_rows():
    positives, counts = np.array([3, 0, 10]), np.array([5, 4, 10])
    resampled_pos, resampled_rows = bootstrap_positives(
        positives, counts, draws=500, rng=np.random.default_rng(1)
    )
    assert np.all(resampled_pos <= resampled_rows)
    assert resampled_rows.sum(axis=1).mean() == pytest.approx(counts.sum(), rel=0.05)
