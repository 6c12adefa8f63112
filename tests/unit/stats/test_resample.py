from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from mlgate.config import EvaluateConfig
from mlgate.stages.evaluate import compute_metrics
from mlgate.stats import _resample, bootstrap
from mlgate.stats.bootstrap import BOOTSTRAP_METRICS, bootstrap_metrics, weighted_metrics


def test_the_weight_table_has_poisson_mean_and_variance_exactly():
    counts = np.array(_resample._WEIGHT_COUNTS)
    weights = np.arange(len(counts))
    assert counts.sum() == 1 << 16
    assert counts @ weights == 1 << 16  # mean 1
    assert counts @ weights**2 == 2 << 16  # E[w²] = 2: variance 1
    poisson = np.array([math.exp(-1) / math.factorial(k) for k in weights])
    assert np.abs(counts - poisson * (1 << 16)).max() < 1.3


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 120),
    rounding=st.sampled_from([None, 0, 1, 2]),
    tile_rows=st.sampled_from([1, 2, 3, 7, 64]),
    threshold=st.sampled_from([0.05, 0.3, 0.5, 0.99]),
)
def test_tiles_give_the_metrics_of_the_repeated_rows(seed, n, rounding, tile_rows, threshold):
    """Runs of tied scores and the threshold fall anywhere across tiles of any size."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    y[:2] = [0, 1]
    scores = np.clip(0.35 * y + 0.65 * rng.random(n), 0, 1)
    scores = np.round(scores, rounding) if rounding is not None else scores
    counts = rng.integers(0, _resample.MAX_WEIGHT + 1, (3, n))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_resample, "TILE_ROWS", tile_rows)
        weighted = weighted_metrics(counts, y, scores, threshold=threshold)
    for k, row_counts in enumerate(counts):
        rows = np.repeat(np.arange(n), row_counts)
        if len(set(y[rows])) < 2:
            continue
        cfg = EvaluateConfig(decision_threshold=threshold)
        expected = compute_metrics(y[rows], scores[rows], cfg=cfg)
        for name in BOOTSTRAP_METRICS:  # compute_metrics rounds to 6 decimals
            assert weighted[name][k] == pytest.approx(expected[name], abs=2e-6), name
        auc = roc_auc_score(y[rows], scores[rows])
        assert weighted["roc_auc"][k] == pytest.approx(auc, abs=1e-12)


def test_weights_outside_the_table_are_refused():
    y, scores = np.array([0, 1]), np.array([0.2, 0.7])
    with pytest.raises(ValueError, match=r"whole numbers from 0 to 8\. Got values from 0.5"):
        weighted_metrics(np.array([[0.5, 1.0]]), y, scores, threshold=0.5)
    with pytest.raises(ValueError, match=r"whole numbers from 0 to 8\. Got values from 1 to 9"):
        weighted_metrics(np.array([[1, 9]]), y, scores, threshold=0.5)


def test_intervals_do_not_depend_on_the_thread_count(monkeypatch):
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 9000)
    scores = np.round(np.clip(0.3 * y + 0.7 * rng.random(9000), 0, 1), 2)
    common = {"threshold": 0.5, "n_resamples": 150, "confidence": 0.95, "seed": 3}
    two = bootstrap_metrics(y, scores, **common)
    monkeypatch.setattr(bootstrap, "_THREADS", 1)
    assert bootstrap_metrics(y, scores, **common) == two


def test_the_challenger_of_a_paired_bootstrap_sees_the_resamples_of_its_own_bootstrap():
    """Paired: the challenger's draws are those of bootstrap_metrics with the same seed."""
    rng = np.random.default_rng(2)
    y = rng.integers(0, 2, 5000)
    challenger = np.clip(0.3 * y + 0.7 * rng.random(5000), 0, 1)
    constant = np.full(5000, 0.9)  # every pair tied: the champion's ROC AUC is ½ in every draw
    common = {"threshold": 0.5, "n_resamples": 200, "confidence": 0.9, "seed": 4}
    alone = bootstrap_metrics(y, challenger, **common)["roc_auc"]
    paired = bootstrap.paired_bootstrap_differences(y, challenger, constant, **common)["roc_auc"]
    assert (paired.low, paired.high) == pytest.approx((alone.low - 0.5, alone.high - 0.5))


def test_a_threshold_above_every_score_predicts_no_positive():
    y, scores = np.array([0, 1, 0, 1, 0]), np.array([0.1, 0.9, 0.4, 0.6, 0.95])
    metrics = weighted_metrics(np.ones((1, 5)), y, scores, threshold=1.5)
    assert (metrics["positive_rate"][0], metrics["recall"][0]) == (0.0, 0.0)
    assert metrics["accuracy"][0] == pytest.approx(0.6)
