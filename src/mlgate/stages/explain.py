"""Stage ``explain``: SHAP values of the model on test rows, global importance, and plots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlgate.config import DataConfig, ExplainConfig
from mlgate.model.shap_values import (
    background_rows,
    explain,
    global_importance,
    method_document,
)
from mlgate.stages.figures import shap_figures

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class ExplainedModel:
    """What the ``explain`` stage produces before anything is written.

    Attributes
    ----------
    values : pandas.DataFrame
        One row per explained test row (``row`` is its index in the test set), one column per
        feature: ``reports/shap_values.parquet``.
    importance : dict
        ``reports/shap_importance.json`` (a DVC metric: numbers only): mean |SHAP| per feature,
        the base value and how many rows were explained.
    method : dict
        ``reports/shap_method.json``: which explainer, in which unit, explaining what.
    pictures : dict
        PNG name (without suffix) -> matplotlib figure.
    """

    values: pd.DataFrame
    importance: dict
    method: dict
    pictures: dict


def explained_rows(test: pd.DataFrame, cfg: ExplainConfig) -> pd.DataFrame:
    """The test rows to explain: all of them, or a seeded sample of ``cfg.max_rows``."""
    if cfg.max_rows is None or cfg.max_rows >= len(test):
        return test
    return test.sample(n=cfg.max_rows, random_state=cfg.seed).sort_index()


def explain_model(
    model: Any,
    rows: pd.DataFrame,
    train: pd.DataFrame,
    *,
    data: DataConfig,
    cfg: ExplainConfig,
) -> ExplainedModel:
    """SHAP values of ``model`` on ``rows``, with a seeded background sample of ``train``."""
    import numpy as np
    import pandas as pd

    explanation = explain(model, rows, background=background_rows(train, cfg), seed=cfg.seed)
    table = pd.DataFrame(explanation.values, columns=explanation.features)
    table.insert(0, "row", rows.index.to_numpy())
    colours = np.column_stack(
        [
            rows[f].to_numpy(dtype=float) if f in data.numeric else np.full(len(rows), np.nan)
            for f in explanation.features
        ]
    )
    pictures = shap_figures(explanation.values, colours, explanation.features, seed=cfg.seed)
    importance = {
        "mean_abs_shap": global_importance(explanation),
        "base_value": round(explanation.base_value, 6),
        "rows": len(rows),
    }
    return ExplainedModel(table, importance, method_document(model, explanation), pictures)
