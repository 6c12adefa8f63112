"""Column preparation shared by the drift checks: numeric values, category counts, tallies."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

import numpy as np

from mlgate.checks.tally import Tally, TallySpec
from mlgate.stats.ks_cells import grid_cells
from mlgate.stats.two_sample import edge_bin_counts

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


def grid_tally(column: str, grid: np.ndarray) -> TallySpec:
    """Counts of the column's values in the cells of the reference's distinct values, ``grid``.

    What :func:`mlgate.stats.ks_cells.ks_from_cells` needs of the current sample, under
    ``cells``.
    """
    return TallySpec(f"grid:{column}", partial(count_cells, column=column, grid=grid))


def count_cells(rows: pd.DataFrame, first_row: int, *, column: str, grid: np.ndarray) -> Tally:
    """The tally of :func:`grid_tally`."""
    return Tally(len(rows), {"cells": grid_cells(grid, numeric_values(rows[column]))})


def binned_tally(column: str, edges: np.ndarray) -> TallySpec:
    """Counts of the column's non-missing values in the bins between ``edges``, under ``bins``."""
    key = f"bins:{column}:{','.join(repr(float(edge)) for edge in edges)}"
    return TallySpec(key, partial(count_bins, column=column, edges=edges))


def count_bins(rows: pd.DataFrame, first_row: int, *, column: str, edges: np.ndarray) -> Tally:
    """The tally of :func:`binned_tally`."""
    return Tally(len(rows), {"bins": edge_bin_counts(edges, numeric_values(rows[column]))})
