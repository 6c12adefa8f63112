"""Stage ``train``: fit the configured model, score it on the validation split, describe it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlgate.config import Config
from mlgate.model.estimators import fit_model, positive_scores
from mlgate.model.preprocessing import features_and_labels
from mlgate.stages.evaluate import compute_metrics

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class TrainedModel:
    """What the ``train`` stage produces before anything is written.

    Attributes
    ----------
    model : sklearn.pipeline.Pipeline or MitigatedModel
        The fitted model.
    validation_metrics : dict
        Its metrics on the validation split (``reports/validation_metrics.json``).
    """

    model: Any
    validation_metrics: dict


def train_model(train: pd.DataFrame, validation: pd.DataFrame, cfg: Config) -> TrainedModel:
    """Fit ``cfg.train``'s model on ``train`` and score it on ``validation``.

    Parameters
    ----------
    train, validation : pandas.DataFrame
        The prepared splits; a threshold optimizer learns its thresholds on ``validation``.
    cfg : Config
        The data schema, preprocessing, estimator, mitigation and decision threshold.
    """
    model = fit_model(
        train,
        data=cfg.data,
        preprocessing=cfg.prepare.preprocessing,
        cfg=cfg.train,
        validation=validation,
        decision_threshold=cfg.evaluate.decision_threshold,
    )
    X_valid, y_valid = features_and_labels(validation, cfg.data)
    scores = positive_scores(model, X_valid)
    return TrainedModel(model, compute_metrics(y_valid, scores, cfg=cfg.evaluate))
