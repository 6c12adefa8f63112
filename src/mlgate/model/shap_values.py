"""SHAP values of a fitted pipeline, per original feature.

The explainer follows the classifier: ``TreeExplainer`` for tree ensembles, ``LinearExplainer``
for linear models, a model-agnostic permutation explainer otherwise. Values are computed on the
preprocessed inputs the classifier sees, then summed back to the original features (a one-hot
encoded column's values add up to its feature's), which keeps them additive: for each row the
base value plus the row's values equals the classifier's output (log-odds for boosting and linear
models, probability for a random forest).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from mlgate.model.preprocessing import original_features

if TYPE_CHECKING:
    import pandas as pd

    from mlgate.config import ExplainConfig

TREE_MODELS = ("HistGradientBoostingClassifier", "RandomForestClassifier", "DecisionTreeClassifier")
LINEAR_MODELS = ("LogisticRegression",)


@dataclass(frozen=True)
class Explanation:
    """SHAP values per row and original feature."""

    values: np.ndarray  # (rows, features)
    base_value: float
    features: list[str]
    explainer: str
    output: str  # what the values add up to: "log-odds" or "probability"


def needs_background(model: Any) -> bool:
    """Whether :func:`explain` needs background rows for ``model``: all but tree ensembles do."""
    return type(model.named_steps["classifier"]).__name__ not in TREE_MODELS


def explain(
    model: Any, X: pd.DataFrame, *, background: pd.DataFrame | None, seed: int
) -> Explanation:
    """SHAP values of ``model`` (``preprocess`` then ``classifier``) on the rows of ``X``.

    Parameters
    ----------
    model : sklearn.pipeline.Pipeline
        The fitted pipeline mlgate trains.
    X : pandas.DataFrame
        The rows to explain.
    background : pandas.DataFrame or None
        Rows standing for "typical" inputs, for the linear and model-agnostic explainers; None
        where :func:`needs_background` says they are not needed.
    seed : int
        Seed of the model-agnostic explainer's permutations.
    """
    import shap

    preprocess, classifier = model.named_steps["preprocess"], model.named_steps["classifier"]
    Xt = np.asarray(preprocess.transform(X), dtype=float)
    kind = type(classifier).__name__
    if background is None and needs_background(model):
        raise ValueError(f"explaining a {kind} needs background rows: pass background=")
    if kind in TREE_MODELS:
        explainer = shap.TreeExplainer(classifier)
        raw, base = explainer.shap_values(Xt, check_additivity=False), explainer.expected_value
        name = "TreeExplainer"
        output = "log-odds" if kind == "HistGradientBoostingClassifier" else "probability"
    elif kind in LINEAR_MODELS:
        masker = shap.maskers.Independent(np.asarray(preprocess.transform(background), float))
        explainer = shap.LinearExplainer(classifier, masker)
        raw, base = explainer.shap_values(Xt), explainer.expected_value
        name, output = "LinearExplainer", "log-odds"
    else:
        masker = shap.maskers.Independent(np.asarray(preprocess.transform(background), float))
        explainer = shap.PermutationExplainer(
            lambda rows: classifier.predict_proba(rows)[:, 1], masker, seed=seed
        )
        result = explainer(Xt)
        raw, base = result.values, result.base_values
        name, output = "PermutationExplainer", "probability"
    raw, base = _positive_class(np.asarray(raw), base)
    features, columns = original_features(preprocess)
    summed = np.zeros((len(X), len(features)))
    for j, feature_index in enumerate(columns):
        summed[:, feature_index] += raw[:, j]
    return Explanation(summed, float(np.mean(base)), features, name, output)


def _positive_class(raw: np.ndarray, base: Any) -> tuple[np.ndarray, Any]:
    """Keep the positive class where an explainer returns one set of values per class."""
    if raw.ndim == 3:  # (rows, columns, classes)
        return raw[:, :, 1], np.asarray(base).reshape(-1)[-1]
    return raw, base


def global_importance(explanation: Explanation) -> dict[str, float]:
    """Mean absolute SHAP value per feature, largest first."""
    means = np.abs(explanation.values).mean(axis=0)
    order = np.argsort(-means, kind="stable")
    return {explanation.features[i]: round(float(means[i]), 6) for i in order}


def background_rows(train: pd.DataFrame, cfg: ExplainConfig) -> pd.DataFrame:
    """The explainers' background: a seeded sample of ``cfg.background_rows`` training rows."""
    return train.sample(n=min(cfg.background_rows, len(train)), random_state=cfg.seed)


def method_document(model: Any, explanation: Explanation) -> dict:
    """``reports/shap_method.json``: the explainer, the unit of its values, what it explains."""
    return {
        "explainer": explanation.explainer,
        "output": explanation.output,
        # A mitigated model's decisions are its base model's scores, re-thresholded per group
        # or replaced by an ensemble's vote: SHAP explains the scores before mitigation.
        "explains": (
            f"the model before {model.method} mitigation" if hasattr(model, "base") else "the model"
        ),
    }
