"""The preprocessing a saved model starts with, and the columns it maps back to.

The model is a pipeline ``preprocess`` then ``classifier``; this module builds the first step and
answers, for each column it outputs, which original feature that column came from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlgate.config import DataConfig, PreprocessingConfig

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from sklearn.compose import ColumnTransformer

#: Fill value for a missing category; it is then encoded like any other category.
MISSING_CATEGORY = "__missing__"


def build_preprocessor(data: DataConfig, cfg: PreprocessingConfig) -> ColumnTransformer:
    """Return the unfitted preprocessing for the declared numeric and categorical features.

    Parameters
    ----------
    data : DataConfig
        Which columns are numeric and which categorical.
    cfg : PreprocessingConfig
        Imputation, scaling and encoding choices.

    Returns
    -------
    sklearn.compose.ColumnTransformer
        Numeric: impute (mean or median), then standardise if ``scale_numeric``. Categorical:
        missing values become their own category, then one-hot (unknown categories encode as all
        zeros, rare ones as "infrequent") or ordinal (unknown categories encode as -1).
    """
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler

    numeric_steps: list[tuple[str, object]] = [
        ("impute", SimpleImputer(strategy=cfg.numeric_imputer))
    ]
    if cfg.scale_numeric:
        numeric_steps.append(("scale", StandardScaler()))
    if cfg.categorical_encoding == "onehot":
        encoder: object = OneHotEncoder(
            handle_unknown="infrequent_if_exist",
            min_frequency=cfg.min_category_frequency,
            sparse_output=False,
        )
    else:
        encoder = OrdinalEncoder(handle_unknown="use_encoded_value", unknown_value=-1)
    categorical_steps = [
        ("impute", SimpleImputer(strategy="constant", fill_value=MISSING_CATEGORY)),
        ("encode", encoder),
    ]
    transformers = []
    if data.numeric:
        transformers.append(("numeric", Pipeline(numeric_steps), list(data.numeric)))
    if data.categorical:
        transformers.append(("categorical", Pipeline(categorical_steps), list(data.categorical)))
    return ColumnTransformer(transformers, remainder="drop", sparse_threshold=0.0)


def original_features(preprocess: Any) -> tuple[list[str], list[int]]:
    """The original features, and for each output column of ``preprocess`` its feature's index."""
    features: list[str] = []
    columns: list[int] = []
    for _, transformer, inputs in preprocess.transformers_:
        if transformer == "drop" or not len(inputs):
            continue
        inputs = [str(c) for c in inputs]
        offset = len(features)
        features.extend(inputs)
        # Longest names first, so that "education" never claims "education-num_...".
        by_length = sorted(range(len(inputs)), key=lambda i: -len(inputs[i]))
        for out in transformer.get_feature_names_out(inputs):
            owner = next(
                (i for i in by_length if out == inputs[i] or out.startswith(inputs[i] + "_")),
                None,
            )
            if owner is None:
                raise ValueError(f"cannot tell which input feature produced column {out!r}")
            columns.append(offset + owner)
    return features, columns


def features_and_labels(frame: pd.DataFrame, data: DataConfig) -> tuple[pd.DataFrame, np.ndarray]:
    """Split a table into the model's inputs ``X`` and binary labels ``y`` (1 = positive)."""
    X = frame.loc[:, list(data.features)]
    y = (frame[data.target] == data.positive_label).to_numpy(dtype="int64")
    return X, y
