"""The one-feature rule: score a row by the training positive rate of its category or decile.

``performance.trivial_baseline`` asks the model to beat the best such rule, and
``data.target_leakage`` flags an input whose rule alone predicts the label too well: both score
with :func:`one_feature_scores`, so the number one check reports is the number the other judges.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: The group of a missing value, in a numeric rule (categories get their own marker).
_MISSING_GROUP = -1
_MISSING_CATEGORY = "__missing__"


def one_feature_scores(
    train_values: pd.Series, y_train: np.ndarray, values: pd.Series, *, n_bins: int
) -> np.ndarray:
    """Score ``values`` by the training positive rate of their category or quantile bin.

    Parameters
    ----------
    train_values : pandas.Series
        The feature on the rows the rule is learnt from.
    y_train : array of {0, 1}
        Their labels.
    values : pandas.Series
        The feature on the rows to score.
    n_bins : int
        Quantile bins of a numeric feature; a missing value is a group of its own.

    Returns
    -------
    numpy.ndarray
        One score per row of ``values``; a group the training rows never had scores as the
        overall positive rate.
    """
    import numpy as np
    import pandas as pd

    overall = float(y_train.mean())
    if pd.api.types.is_numeric_dtype(train_values):
        train_numbers = train_values.to_numpy(dtype=float, na_value=np.nan)
        present = train_numbers[~np.isnan(train_numbers)]
        edges = (
            np.unique(np.quantile(present, np.linspace(0, 1, n_bins + 1)[1:-1]))
            if present.size
            else np.array([])
        )

        def to_group(series: pd.Series) -> pd.Series:
            numbers = series.to_numpy(dtype=float, na_value=np.nan)
            # A value equal to an edge is a group of its own: a point mass (a 0/1 flag with few
            # ones, a column mostly 0) collapses the quantiles onto one edge, and binning it
            # with either neighbour would merge the values it separates.
            between = np.searchsorted(edges, numbers, side="left")
            on_edge = np.isin(numbers, edges)
            groups = (2 * between + on_edge).astype(float)
            return pd.Series(np.where(np.isnan(numbers), _MISSING_GROUP, groups))
    else:

        def to_group(series: pd.Series) -> pd.Series:
            return (
                series.astype(object)
                .where(series.notna(), _MISSING_CATEGORY)
                .reset_index(drop=True)
            )

    rates = pd.Series(y_train).groupby(to_group(train_values).to_numpy()).mean()
    return to_group(values).map(rates).fillna(overall).to_numpy(dtype=float)


def cross_fitted_scores(
    values: pd.Series, y: np.ndarray, *, n_bins: int, n_folds: int, seed: int
) -> np.ndarray:
    """Each row scored by the rule learnt on the other folds of a seeded, stratified split.

    Scoring a row with a rule learnt from that very row rewards memorising: a column whose
    every value differs (an id) would reach ROC AUC 1 by seeing each row's own label. Out of
    fold, a category never seen elsewhere scores the overall rate, and says nothing.
    """
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    values = values.reset_index(drop=True)
    scores = np.empty(len(values), dtype=float)
    folds = StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    for fit_rows, score_rows in folds.split(np.zeros(len(y)), y):
        scores[score_rows] = one_feature_scores(
            values.iloc[fit_rows], y[fit_rows], values.iloc[score_rows], n_bins=n_bins
        )
    return scores
