"""The KS test against a sample known only by counts that add: a batch too big for one machine.

Between two distinct values of the reference sample its distribution function is flat, so the
other sample matters only through how many of its values fall below, at and between those
values (:func:`grid_cells`). Those counts add across the parts of a sample, and give exactly the
statistic and p-value of :func:`mlgate.stats.two_sample.ks_two_sample` on the whole sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mlgate.stats.two_sample import (
    MAX_COUNTING_SPAN,
    SCIPY_EXACT_MAX_N,
    TestOutcome,
    asymptotic_ks,
    ks_two_sample,
)


@dataclass(frozen=True)
class ReferenceGrid:
    """A reference sample as its distinct values (ascending) and how many times each occurs."""

    values: np.ndarray
    counts: np.ndarray

    @property
    def rows(self) -> int:
        """The reference sample's size."""
        return int(self.counts.sum())


def reference_grid(reference: np.ndarray) -> ReferenceGrid:
    """The distinct values of ``reference`` (no missing values) and their counts.

    Integer values in a modest range are counted rather than sorted: linear in the sample size.
    """
    low, high = (reference.min(), reference.max()) if reference.size else (0.0, np.inf)
    span = high - low  # infinite or NaN when a value is
    if span < MAX_COUNTING_SPAN and np.all(np.mod(reference, 1) == 0):
        counts = np.bincount((reference - low).astype(np.int64))
        present = np.flatnonzero(counts)
        return ReferenceGrid(present + low, counts[present])
    values, counts = np.unique(reference, return_counts=True)
    return ReferenceGrid(values, counts)


def grid_cells(grid: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Counts of ``values`` in the cells of a sorted grid: below it, at each point, between points.

    Cell 0 holds the values below ``grid[0]``, cell ``2i + 1`` those equal to ``grid[i]``, cell
    ``2i + 2`` those strictly between ``grid[i]`` and ``grid[i + 1]`` (or above the last point).
    Counts add across parts of a sample, and they are all :func:`ks_from_cells` needs of it.

    Parameters
    ----------
    grid : 1-D array of float
        The reference sample's distinct values, ascending (:attr:`ReferenceGrid.values`).
    values : 1-D array of float
        The other sample's values (no missing values).
    """
    at_or_below = np.searchsorted(grid, values, side="right")
    exact = at_or_below > 0
    exact[exact] = grid[at_or_below[exact] - 1] == values[exact]
    cells = 2 * at_or_below - exact.astype(np.int64)
    return np.bincount(cells, minlength=2 * len(grid) + 1)


def ks_from_cells(reference: ReferenceGrid, cells: np.ndarray) -> TestOutcome:
    """The KS test of ``reference`` against a sample known only by its :func:`grid_cells` counts.

    The same statistic and p-value as :func:`ks_two_sample` on the sample itself (a property test
    holds the two equal). Between two points of the reference, its distribution function is flat
    while the other's only grows, so the largest gaps lie at the grid's points and at the last
    value before each next point: the cells give both.

    Parameters
    ----------
    reference : ReferenceGrid
        The reference sample.
    cells : 1-D array of int
        ``grid_cells(reference.values, current)``, summed over the parts of the current sample.
    """
    n1, n2 = reference.rows, int(cells.sum())
    if n1 == 0 or n2 == 0:
        raise ValueError("the KS test needs two non-empty samples")
    grid = reference.values
    if max(n1, n2) <= SCIPY_EXACT_MAX_N:
        # scipy's exact p-value: samples with these counts have this statistic.
        sample = np.repeat(grid, reference.counts)
        return ks_two_sample(sample, _sample_with_cells(grid, cells))
    cumulative = np.cumsum(cells)
    cdf1 = np.cumsum(reference.counts) / n1
    at_points = cdf1 - cumulative[1::2] / n2
    before_next = (cdf1 - cumulative[2::2] / n2)[cells[2::2] > 0]
    below = -cumulative[:1] / n2 if cells[0] > 0 else np.empty(0)
    differences = np.concatenate([at_points, before_next, below])
    d = float(max(differences.max(), np.clip(-differences.min(), 0, 1)))
    return asymptotic_ks(d, n1, n2)


def _sample_with_cells(grid: np.ndarray, cells: np.ndarray) -> np.ndarray:
    below = np.nextafter(grid[:1], -np.inf)
    between = np.nextafter(grid, np.inf)
    points = np.concatenate([below, np.column_stack([grid, between]).ravel()])
    return np.repeat(points, cells)
