"""What the data and drift checks read of the rows under test: counts that add across parts.

A check on a batch too big for one machine cannot hold its rows. So the checks of the batch
suites read the rows under test only through tallies: each check declares the tallies it needs
(:class:`TallySpec`, built from the reference side of the context), a tally of a part of the rows
is counted on its own, and :meth:`Tally.merge` joins the tallies of consecutive parts into the
tally of all of them. The pandas path counts the whole table as one part; the Dask engine
(:mod:`mlgate.distributed.check_tallies`) counts each partition on a worker and merges in order. The
check's code after the tally is the same on both, so the verdict is the same (a test holds the
engines to the same evidence, whatever the partitioning).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Tally:
    """Counts of some rows that add, and the first few rows of interest.

    Attributes
    ----------
    rows : int
        Rows counted.
    counts : dict
        Name -> an int, a float, an array of counts, or a ``{value: count}`` dict; each adds.
    firsts : dict
        Name -> the first items (in row order) of a list kept to ``limit`` items: rows named by
        their position in the whole table, with what was found there.
    limit : int
        How many items of each ``firsts`` list are kept.
    """

    rows: int
    counts: dict[Hashable, Any] = field(default_factory=dict)
    firsts: dict[Hashable, tuple] = field(default_factory=dict)
    limit: int = 10

    def merge(self, later: Tally) -> Tally:
        """The tally of this tally's rows followed by ``later``'s."""
        counts = dict(self.counts)
        for name, value in later.counts.items():
            counts[name] = _add(counts[name], value) if name in counts else value
        firsts = dict(self.firsts)
        for name, items in later.firsts.items():
            firsts[name] = (firsts.get(name, ()) + items)[: self.limit]
        return Tally(self.rows + later.rows, counts, firsts, self.limit)


def _add(left: Any, right: Any) -> Any:
    if isinstance(left, dict):
        merged = dict(left)
        for value, count in right.items():
            merged[value] = merged.get(value, 0) + count
        return merged
    return left + right


@dataclass(frozen=True)
class TallySpec:
    """One tally a check needs: a key naming what is counted, and how to count a part.

    Attributes
    ----------
    key : str
        Names the tally: two checks that need the same counts share them.
    count : callable
        ``count(rows, first_row) -> Tally``: the tally of a part of the rows under test, given
        as a validated table, whose first row is row ``first_row`` of the whole.
    whole : callable, optional
        For a count that does not add up across parts (distinct rows): ``whole(partitions)``
        computes the tally of the whole Dask collection with the engine's own operations.
    """

    key: str
    count: Callable[[pd.DataFrame, int], Tally]
    whole: Callable[[Any], Tally] | None = None


def categories_tally(column: str) -> TallySpec:
    """The count of each value of ``column`` (``None``: missing), under ``values``."""
    return TallySpec(f"categories:{column}", partial(count_values, column=column))


def count_values(rows: pd.DataFrame, first_row: int, *, column: str) -> Tally:
    """The tally of :func:`categories_tally`."""
    return Tally(len(rows), {"values": value_counts(rows[column])})


def value_counts(series: pd.Series) -> dict:
    """``{value: count}`` of a column, ``None`` standing for a missing value."""
    import pandas as pd

    counted = series.value_counts(dropna=False, sort=False)
    return {
        (None if pd.isna(value) else _plain(value)): int(count)
        for value, count in counted.items()
        if count
    }


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def aligned_counts(reference: pd.Series, current: dict) -> tuple[np.ndarray, np.ndarray, list]:
    """Category counts of the reference column and of a current ``{value: count}``, aligned.

    The categories are missing (``None``) first, then the reference's in order of first
    appearance, then values only the current rows hold, sorted: an order that does not depend
    on how the current rows were split.
    """
    import pandas as pd

    codes, uniques = pd.factorize(reference, use_na_sentinel=True)
    known = [_plain(value) for value in uniques]
    seen = set(known)
    unseen = sorted(
        (value for value in current if value is not None and value not in seen),
        key=lambda value: (type(value).__name__, str(value)),
    )
    categories = [None, *known, *unseen]
    reference_counts = np.zeros(len(categories), dtype=np.int64)
    reference_counts[: len(known) + 1] = np.bincount(codes + 1, minlength=len(known) + 1)
    position = {value: i for i, value in enumerate(categories)}
    current_counts = np.zeros(len(categories), dtype=np.int64)
    for value, count in current.items():
        current_counts[position[value]] += count
    return reference_counts, current_counts, categories
