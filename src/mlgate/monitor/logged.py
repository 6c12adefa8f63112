"""Scores logged by a serving system, checked against the monitored model before they are used.

``mlgate monitor --scores-column`` takes the model's scores from the batch instead of scoring
every row again, once :data:`RESCORED_ROWS` rows of each chunk, scored again, match them. Those
rows are drawn from a seed the logger cannot know in advance: a new one from the operating
system's randomness on every run (:func:`draw_seed`), recorded in the evidence so that an auditor
can recompute them (:func:`rescored_rows`). A seed written in the repository would let a logger
keep exactly those rows honest and fabricate the rest.

A chunk of ``n`` rows with ``k`` fabricated scores passes a check of ``m`` rows drawn without
replacement with probability ``C(n-k, m) / C(n, m)``, at most ``(1 - m/n)^k``
(:func:`escape_probability`); each chunk is drawn independently, so the batch's is the product.
"""

from __future__ import annotations

import secrets
from math import comb
from typing import Any

import numpy as np

from mlgate.errors import DataError
from mlgate.model.estimators import positive_scores

#: Rows of each chunk scored again to check logged scores against the model.
RESCORED_ROWS = 256

#: Bits of a drawn seed: an integer every JSON reader holds exactly (at most 2**53).
SEED_BITS = 53


def draw_seed() -> int:
    """A seed for the rows to re-score, from the operating system's randomness."""
    return secrets.randbits(SEED_BITS)


def rescored_rows(n_rows: int, *, seed: int, first_row: int, partition: int = 0) -> np.ndarray:
    """Positions (sorted) of the rows re-scored in a chunk of ``n_rows`` starting at ``first_row``.

    ``first_row`` is the chunk's first data row, counted from 0 over the whole batch (pandas
    engine), and ``partition`` its position among the batch's Dask partitions (each read from
    row 0): each chunk of a batch gets its own draw from the one seed.
    """
    rng = np.random.default_rng([seed, partition, first_row])
    return np.sort(rng.choice(n_rows, size=min(RESCORED_ROWS, n_rows), replace=False))


def escape_probability(n_rows: int, fabricated: int, rescored: int = RESCORED_ROWS) -> float:
    """The chance that none of ``fabricated`` rows of ``n_rows`` is among ``rescored`` drawn."""
    rescored = min(rescored, n_rows)
    return comb(n_rows - fabricated, rescored) / comb(n_rows, rescored)


def logged_scores(
    chunk: Any, model: Any, *, column: str, path: str, seed: int, partition: int = 0
) -> np.ndarray:
    """The scores logged in ``column``, once the rows drawn from ``seed``, scored again, match.

    Raises
    ------
    DataError
        When the column is missing, holds a value that is not a score in [0, 1], or a re-scored
        row's logged score is not the model's (another model, or an edited log): the message
        names the rows and the seed.
    """
    import pandas as pd

    if column not in chunk.columns:
        raise DataError(
            f"{path}: --scores-column {column!r} is not a column of the batch. Columns found: "
            f"{sorted(chunk.columns)}."
        )
    logged = pd.to_numeric(chunk[column], errors="coerce").to_numpy(dtype=float)
    bad = np.flatnonzero(~np.isfinite(logged) | (logged < 0) | (logged > 1))
    if len(bad):
        rows = ", ".join(str(chunk.index[i] + 1) for i in bad[:5])
        raise DataError(
            f"{path}: column {column!r} holds {len(bad)} values that are not scores in [0, 1] "
            f"(data rows {rows}, counted from 1)."
        )
    first_row = int(chunk.index[0]) if len(chunk) else 0
    sample = rescored_rows(len(chunk), seed=seed, first_row=first_row, partition=partition)
    rescored = positive_scores(model, chunk.iloc[sample])
    differs = np.flatnonzero(np.abs(rescored - logged[sample]) > 1e-9)
    if len(differs):
        row = sample[differs[0]]
        rows = ", ".join(str(chunk.index[i] + 1) for i in sample[differs[:10]])
        more = f" and {len(differs) - 10} more" if len(differs) > 10 else ""
        raise DataError(
            f"{path}: the scores logged in column {column!r} are not the monitored model's: "
            f"{len(differs)} of the {len(sample)} rows re-scored differ (rows drawn with seed "
            f"{seed}), data rows {rows}{more}, counted from 1; data row {chunk.index[row] + 1} "
            f"is logged as {logged[row]!r}, and the model scores it {rescored[differs[0]]!r}. "
            "The log is not this model's, or was edited: monitor without --scores-column, or "
            "with the model that scored it."
        )
    return logged
