"""Synthetic tables with known target leakage, and clean tables of the same shape.

Each table has a binary label (about 30% positive) and honest inputs whose single-feature ROC AUC
is drawn at random up to :data:`MAX_HONEST_AUC`: numeric ones, a category cut from an honest
score, one with values missing at random, a row number in random order, a high-cardinality code
and a date unrelated to the label. With ``leaks``, four inputs recorded after the outcome are
added, each a way leakage reaches real tables:

- ``reoffended``: a copy of the label as a Y/N category, 5% of it flipped;
- ``case_number``: an id numbered after sorting the rows by their label;
- ``days_to_rearrest``: a number filled in for 95% of the positives and 3% of the negatives;
- ``closed_on``: a date, the day of the event for a positive, the end of follow-up otherwise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from mlgate.config import DataConfig

#: The highest single-feature ROC AUC an honest input of these tables has.
MAX_HONEST_AUC = 0.85
LEAKS = ("reoffended", "case_number", "days_to_rearrest", "closed_on")
TARGET = "outcome"


def _shift_for(auc: float) -> float:
    """The mean shift of a unit normal between the classes that gives ROC AUC ``auc``."""
    return float(np.sqrt(2) * norm.ppf(auc))


def corpus_table(
    seed: int, *, rows: int = 1000, leaks: bool = True
) -> tuple[pd.DataFrame, DataConfig]:
    """One table and its schema; the same ``seed`` always gives the same table."""
    rng = np.random.default_rng(seed)
    y = (rng.random(rows) < 0.3).astype(int)
    frame = {}
    for k in range(4):
        shift = _shift_for(rng.uniform(0.5, MAX_HONEST_AUC))
        frame[f"measure_{k}"] = y * shift + rng.normal(size=rows)
    latent = y * _shift_for(rng.uniform(0.5, MAX_HONEST_AUC)) + rng.normal(size=rows)
    frame["grade"] = np.array(list("abcde"))[np.digitize(latent, [-1, 0, 1, 2])]
    gappy = y * _shift_for(rng.uniform(0.5, MAX_HONEST_AUC)) + rng.normal(size=rows)
    frame["gappy"] = np.where(rng.random(rows) < 0.1, np.nan, gappy)
    frame["row_number"] = rng.permutation(rows).astype(float)
    frame["code"] = [f"C{c:04d}" for c in rng.integers(0, rows // 2, rows)]
    start = pd.Timestamp("2013-01-01")
    frame["opened_on"] = (start + pd.to_timedelta(rng.integers(0, 730, rows), "D")).strftime(
        "%Y-%m-%d"
    )
    numeric = [*(f"measure_{k}" for k in range(4)), "gappy", "row_number"]
    categorical = ["grade", "code", "opened_on"]
    if leaks:
        flipped = np.where(rng.random(rows) < 0.05, 1 - y, y)
        frame["reoffended"] = np.where(flipped == 1, "Y", "N")
        order = np.lexsort((rng.random(rows), y))
        case_number = np.empty(rows)
        case_number[order] = np.arange(rows)
        frame["case_number"] = case_number
        filled = rng.random(rows) < np.where(y == 1, 0.95, 0.03)
        frame["days_to_rearrest"] = np.where(filled, rng.integers(1, 700, rows), np.nan)
        day = np.where(y == 1, rng.integers(0, 760, rows), 730 + rng.integers(0, 30, rows))
        frame["closed_on"] = (start + pd.to_timedelta(day, "D")).strftime("%Y-%m-%d")
        numeric += ["case_number", "days_to_rearrest"]
        categorical += ["reoffended", "closed_on"]
    frame[TARGET] = np.where(y == 1, "yes", "no")
    data = DataConfig(
        target=TARGET,
        labels=("no", "yes"),
        positive_label="yes",
        numeric=tuple(numeric),
        categorical=tuple(categorical),
    )
    return pd.DataFrame(frame), data
