from __future__ import annotations

import numpy as np
import pytest

from mlgate.config import EvaluateConfig
from mlgate.model.estimators import build_estimator, fit_model
from mlgate.model.preprocessing import features_and_labels
from mlgate.stages.evaluate import MAX_CURVE_POINTS, METRIC_NAMES, compute_curves, compute_metrics


def test_metrics_on_a_hand_checked_example():
    y_true = np.array([0, 0, 1, 1])
    y_score = np.array([0.1, 0.6, 0.4, 0.9])
    metrics = compute_metrics(y_true, y_score, cfg=EvaluateConfig(decision_threshold=0.5))
    assert metrics["accuracy"] == 0.5
    assert metrics["precision"] == 0.5
    assert metrics["recall"] == 0.5
    assert metrics["positive_rate"] == 0.5
    assert metrics["roc_auc"] == 0.75
    assert metrics["brier_score"] == pytest.approx((0.01 + 0.36 + 0.36 + 0.01) / 4)
    assert metrics["n_samples"] == 4
    assert set(METRIC_NAMES) <= set(metrics)


def test_threshold_moves_predictions():
    y_true = np.array([0, 1])
    y_score = np.array([0.3, 0.4])
    assert (
        compute_metrics(y_true, y_score, cfg=EvaluateConfig(decision_threshold=0.35))["accuracy"]
        == 1.0
    )
    assert (
        compute_metrics(y_true, y_score, cfg=EvaluateConfig(decision_threshold=0.5))["accuracy"]
        == 0.5
    )


def test_curves_are_bounded_and_named():
    rng = np.random.default_rng(0)
    y_true = rng.integers(0, 2, 5000)
    y_score = np.clip(y_true * 0.3 + rng.random(5000) * 0.7, 0, 1)
    curves = compute_curves(y_true, y_score, cfg=EvaluateConfig(), class_names=("neg", "pos"))
    assert len(curves["roc"]) <= MAX_CURVE_POINTS
    assert curves["roc"][0]["fpr"] == 0.0
    assert curves["roc"][-1] == {
        "fpr": 1.0,
        "tpr": 1.0,
        "threshold": pytest.approx(curves["roc"][-1]["threshold"]),
    }
    assert len(curves["confusion"]) == 5000
    assert {row["actual"] for row in curves["confusion"]} == {"neg", "pos"}
    assert sum(map(sum, curves["confusion_matrix"])) == 5000
    assert len(curves["calibration"]) <= 10


@pytest.mark.parametrize(
    "estimator", ["logistic_regression", "random_forest", "hist_gradient_boosting"]
)
def test_each_estimator_trains_deterministically(adult_sample, cfg, estimator):
    train_cfg = cfg.train.model_copy(
        update={
            "estimator": estimator,
            "random_forest": cfg.train.random_forest.model_copy(update={"n_estimators": 20}),
            "hist_gradient_boosting": cfg.train.hist_gradient_boosting.model_copy(
                update={"max_iter": 20}
            ),
        }
    )
    assert type(build_estimator(train_cfg)).__name__.lower().startswith(estimator.split("_")[0][:3])
    X, y = features_and_labels(adult_sample, cfg.data)
    first = fit_model(
        adult_sample, data=cfg.data, preprocessing=cfg.prepare.preprocessing, cfg=train_cfg
    )
    second = fit_model(
        adult_sample, data=cfg.data, preprocessing=cfg.prepare.preprocessing, cfg=train_cfg
    )
    scores = first.predict_proba(X)[:, 1]
    np.testing.assert_array_equal(scores, second.predict_proba(X)[:, 1])
    assert compute_metrics(y, scores, cfg=EvaluateConfig())["roc_auc"] > 0.8


def test_labels_are_binary_with_positive_as_one(adult_sample, cfg):
    _, y = features_and_labels(adult_sample, cfg.data)
    assert set(np.unique(y)) == {0, 1}
    assert y.sum() == (adult_sample["income"] == ">50K").sum()


def test_the_model_does_not_depend_on_the_thread_count(adult_sample, cfg):
    """Gradient boosting sums in OpenMP threads; training pins native code to one thread."""
    from threadpoolctl import threadpool_limits

    small = cfg.train.model_copy(
        update={
            "hist_gradient_boosting": cfg.train.hist_gradient_boosting.model_copy(
                update={"max_iter": 30}
            )
        }
    )
    X, _ = features_and_labels(adult_sample, cfg.data)
    scores = []
    for threads in (1, 2):
        with threadpool_limits(limits=threads):
            model = fit_model(
                adult_sample, data=cfg.data, preprocessing=cfg.prepare.preprocessing, cfg=small
            )
        scores.append(model.predict_proba(X)[:, 1])
    np.testing.assert_array_equal(scores[0], scores[1])


def test_the_model_card_records_python_to_the_minor_version_only():
    """A patch release (3.11.2 on one machine, 3.11.7 on another) must not change the card."""
    import platform

    from mlgate.provenance import library_versions

    assert library_versions()["python"] == ".".join(platform.python_version_tuple()[:2])
