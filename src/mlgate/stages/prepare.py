"""Stage ``prepare``: the seeded, stratified train/validation split.

The preprocessing that ``prepare.preprocessing`` configures is built by
:mod:`mlgate.model.preprocessing` and becomes the first step of the saved model, so inference
applies exactly the steps that training applied.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlgate.config import PrepareConfig
from mlgate.tables.splits import stratified_split

if TYPE_CHECKING:
    import pandas as pd


def split_train_validation(
    frame: pd.DataFrame, *, target: str, cfg: PrepareConfig
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split ``frame`` into train and validation sets, stratified on ``target``.

    Parameters
    ----------
    frame : pandas.DataFrame
        The ingested training data.
    target : str
        The column to stratify on.
    cfg : PrepareConfig
        ``validation_size`` (share of rows) and ``seed``.

    Returns
    -------
    (train, validation) : tuple of pandas.DataFrame
        Disjoint, with a fresh index; the same rows for the same seed.
    """
    return stratified_split(
        frame,
        target=target,
        size=cfg.validation_size,
        seed=cfg.seed,
        what=f"split {len(frame)} rows with prepare.validation_size={cfg.validation_size}",
    )
