"""Column preparation shared by the drift checks: finite numeric values, category counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd


def numeric_values(series: pd.Series) -> np.ndarray:
    """The column's non-missing values as float64."""
    values = series.to_numpy(dtype=np.float64, na_value=np.nan)
    return values[~np.isnan(values)]


def category_counts(
    reference: pd.Series, current: pd.Series
) -> tuple[np.ndarray, np.ndarray, list]:
    """Counts of each category (missing counted as a category) in both samples, aligned.

    Uses the category codes directly when both columns share a pandas categorical dtype, and
    one factorisation of both samples otherwise.

    Returns
    -------
    reference_counts, current_counts : arrays of int
        Counts per category, in the order of ``categories``.
    categories : list
        The categories, ``None`` standing for missing.
    """
    import pandas as pd

    if isinstance(reference.dtype, pd.CategoricalDtype) and reference.dtype == current.dtype:
        codes_ref = reference.cat.codes.to_numpy()
        codes_cur = current.cat.codes.to_numpy()
        uniques = list(reference.cat.categories)
    else:
        codes, index = pd.factorize(pd.concat([reference, current], ignore_index=True))
        codes_ref, codes_cur = codes[: len(reference)], codes[len(reference) :]
        uniques = list(index)
    width = len(uniques) + 1  # slot 0 holds missing values (code -1)
    counts_ref = np.bincount(codes_ref + 1, minlength=width)
    counts_cur = np.bincount(codes_cur + 1, minlength=width)
    return counts_ref, counts_cur, [None, *uniques]
