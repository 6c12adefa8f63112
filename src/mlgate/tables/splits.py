"""Seeded, stratified splits of a table: the test split of ingest, the validation split."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlgate.errors import DataError

if TYPE_CHECKING:
    import pandas as pd


def stratified_split(
    frame: pd.DataFrame, *, target: str, size: float, seed: int, what: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A seeded split of ``frame`` into ``(kept, held_out)`` with ``size`` held out, stratified.

    ``what`` says what the split is for, in the error when one class is too rare to split.
    """
    from sklearn.model_selection import train_test_split

    try:
        kept, held_out = train_test_split(
            frame, test_size=size, random_state=seed, stratify=frame[target]
        )
    except ValueError as exc:
        raise DataError(f"cannot {what} stratified on {target!r}: {exc}") from None
    return kept.reset_index(drop=True), held_out.reset_index(drop=True)
