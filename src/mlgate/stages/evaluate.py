"""Stage ``evaluate``: score the model on held-out data; metrics and curve data for DVC plots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlgate.config import Config, DataConfig, EvaluateConfig, MitigationConfig
from mlgate.data.groups import group_labels
from mlgate.model.estimators import positive_scores
from mlgate.model.preprocessing import features_and_labels
from mlgate.stages import figures
from mlgate.stats import METRIC_NAMES as _METRIC_NAMES
from mlgate.stats.group_rates import DISPARITIES, ConfusionCounts, disparities, group_metrics

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: Curves are thinned to at most this many points: enough to draw, small enough to keep in git.
MAX_CURVE_POINTS = 400

#: The metrics :func:`compute_metrics` reports, in the order reports show them.
METRIC_NAMES = _METRIC_NAMES


def compute_metrics(y_true: np.ndarray, y_score: np.ndarray, *, cfg: EvaluateConfig) -> dict:
    """Threshold and ranking metrics of binary scores.

    Parameters
    ----------
    y_true : array of {0, 1}
        True labels, 1 for the positive class.
    y_score : array of float in [0, 1]
        Predicted probability of the positive class.
    cfg : EvaluateConfig
        ``decision_threshold``: a score at or above it predicts the positive class.

    Returns
    -------
    dict
        Each of :data:`METRIC_NAMES` as a float, plus ``n_samples``. ``positive_rate`` is the
        share of rows predicted positive.
    """
    import numpy as np
    from sklearn import metrics

    y_pred = (y_score >= cfg.decision_threshold).astype(np.int64)
    values = {
        "accuracy": metrics.accuracy_score(y_true, y_pred),
        "balanced_accuracy": metrics.balanced_accuracy_score(y_true, y_pred),
        "precision": metrics.precision_score(y_true, y_pred, zero_division=0.0),
        "recall": metrics.recall_score(y_true, y_pred, zero_division=0.0),
        "f1": metrics.f1_score(y_true, y_pred, zero_division=0.0),
        "roc_auc": metrics.roc_auc_score(y_true, y_score),
        "log_loss": metrics.log_loss(y_true, y_score, labels=[0, 1]),
        "brier_score": metrics.brier_score_loss(y_true, y_score),
        "positive_rate": y_pred.mean(),
    }
    return {name: round(float(value), 6) for name, value in values.items()} | {
        "n_samples": len(y_true)
    }


def compute_curves(
    y_true: np.ndarray,
    y_score: np.ndarray,
    *,
    cfg: EvaluateConfig,
    class_names: tuple[str, str] = ("0", "1"),
) -> dict:
    """Points of the ROC, precision-recall and calibration curves, and the confusion matrix.

    Returns
    -------
    dict
        ``roc``, ``precision_recall`` and ``calibration``: lists of records, one per point, as
        DVC's plot templates read them; ``confusion``: one record per row with its ``actual`` and
        ``predicted`` name from ``class_names`` (negative, positive; DVC's ``confusion``
        template counts them); ``confusion_matrix``:
        the 2×2 counts, rows actual, columns predicted.
    """
    import numpy as np
    from sklearn.calibration import calibration_curve
    from sklearn.metrics import confusion_matrix, precision_recall_curve, roc_curve

    fpr, tpr, roc_thresholds = roc_curve(y_true, y_score, drop_intermediate=True)
    precision, recall, pr_thresholds = precision_recall_curve(
        y_true, y_score, drop_intermediate=True
    )
    observed, predicted = calibration_curve(
        y_true, y_score, n_bins=cfg.calibration_bins, strategy="quantile"
    )
    y_pred = (y_score >= cfg.decision_threshold).astype(np.int64)
    return {
        "roc": _records(fpr=fpr, tpr=tpr, threshold=np.minimum(roc_thresholds, 1.0)),
        "precision_recall": _records(
            recall=recall[:-1], precision=precision[:-1], threshold=pr_thresholds
        ),
        "calibration": _records(mean_predicted=predicted, fraction_positive=observed),
        "confusion": [
            {"actual": class_names[a], "predicted": class_names[p]}
            for a, p in zip(y_true.tolist(), y_pred.tolist(), strict=True)
        ],
        "confusion_matrix": confusion_matrix(y_true, y_pred, labels=[0, 1]).tolist(),
    }


def _records(**columns: Any) -> list[dict[str, float]]:
    """Zip equal-length columns into records, keeping at most :data:`MAX_CURVE_POINTS` of them.

    The kept points are evenly spaced by index and include both ends of the curve.
    """
    import numpy as np

    length = len(next(iter(columns.values())))
    keep = np.unique(np.linspace(0, length - 1, num=min(length, MAX_CURVE_POINTS)).astype(int))
    columns = {name: np.asarray(values)[keep] for name, values in columns.items()}
    names = list(columns)
    rows = zip(*(columns[name] for name in names), strict=True)
    return [{name: round(float(v), 6) for name, v in zip(names, row, strict=True)} for row in rows]


def fairness_tradeoff(
    models: dict[str, Any], frame: pd.DataFrame, *, data: DataConfig, cfg: EvaluateConfig
) -> dict:
    """Accuracy and fairlearn's four disparities per sensitive feature, for each model.

    Parameters
    ----------
    models : dict
        Name -> fitted model: the deployed one, and with mitigation on, the one before it.
    frame : pandas.DataFrame
        Labelled rows (the test set) with the model inputs and the sensitive features.
    data : DataConfig
        Features, target and the sensitive features with their bins.
    cfg : EvaluateConfig
        ``decision_threshold``.

    Returns
    -------
    dict
        Name -> ``accuracy``, ``roc_auc`` and, per sensitive feature, the disparities across all
        its groups (point estimates, as fairlearn computes them; the fairness check adds intervals
        and leaves out groups too small to judge).
    """
    import numpy as np
    from sklearn import metrics

    X, y_true = features_and_labels(frame, data)
    codes = {}
    for feature in data.sensitive_features:
        labels = group_labels(frame[feature], data.sensitive_bins.get(feature))
        codes[feature] = np.unique(labels.to_numpy(dtype=str), return_inverse=True)
    out = {}
    for name, model in models.items():
        y_score = positive_scores(model, X)
        y_pred = (y_score >= cfg.decision_threshold).astype(np.int64)
        entry: dict[str, Any] = {
            "accuracy": round(float(metrics.accuracy_score(y_true, y_pred)), 6),
            "roc_auc": round(float(metrics.roc_auc_score(y_true, y_score)), 6),
        }
        for feature, (groups, group_codes) in codes.items():
            counts = ConfusionCounts.of(y_true, y_pred, group_codes, len(groups))
            values = disparities(group_metrics(counts))
            entry[feature] = {d: round(float(values[d]), 6) for d in DISPARITIES}
        out[name] = entry
    return out


def fairness_evidence(
    model: Any,
    frame: pd.DataFrame,
    *,
    data: DataConfig,
    mitigation: MitigationConfig,
    cfg: EvaluateConfig,
) -> dict:
    """``reports/fairness.json``: the mitigation applied, and the trade-off it made.

    With mitigation on, the model before it (``model.base``) is scored beside the deployed one,
    so the accuracy given up and the disparity removed are read side by side.
    """
    models = {"deployed": model}
    if mitigation.method != "none":
        models = {"before_mitigation": model.base, "deployed": model}
    # Numbers only (a DVC metric): which mitigation ran is in params.yaml (train.mitigation).
    return {"models": fairness_tradeoff(models, frame, data=data, cfg=cfg)}


#: The curves ``evaluate`` writes for ``dvc plots``, one file each under ``reports/plots/``.
PLOT_CURVES = ("roc", "precision_recall", "calibration", "confusion")


@dataclass(frozen=True)
class Evaluation:
    """What the ``evaluate`` stage produces before anything is written.

    Attributes
    ----------
    metrics : dict
        ``reports/metrics.json``.
    curves : dict
        Curve name -> records (:func:`compute_curves`).
    fairness : dict
        ``reports/fairness.json`` (:func:`fairness_evidence`).
    pictures : dict
        PNG file name -> matplotlib figure.
    """

    metrics: dict
    curves: dict
    fairness: dict
    pictures: dict


def evaluate_model(model: Any, test: pd.DataFrame, cfg: Config) -> Evaluation:
    """Score ``model`` on the held-out ``test`` rows: metrics, curves, fairness and figures."""
    X_test, y_test = features_and_labels(test, cfg.data)
    y_score = positive_scores(model, X_test)
    class_names = (cfg.data.negative_label, cfg.data.positive_label)
    metrics = compute_metrics(y_test, y_score, cfg=cfg.evaluate)
    curves = compute_curves(y_test, y_score, cfg=cfg.evaluate, class_names=class_names)
    fairness = fairness_evidence(
        model, test, data=cfg.data, mitigation=cfg.train.mitigation, cfg=cfg.evaluate
    )
    pictures = {
        "roc.png": figures.roc_figure(curves["roc"], roc_auc=metrics["roc_auc"]),
        "precision_recall.png": figures.precision_recall_figure(
            curves["precision_recall"], positive_rate=float(y_test.mean())
        ),
        "calibration.png": figures.calibration_figure(curves["calibration"]),
        "confusion_matrix.png": figures.confusion_figure(
            curves["confusion_matrix"], class_names=class_names
        ),
    }
    return Evaluation(metrics, curves, fairness, pictures)
