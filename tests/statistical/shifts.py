"""The stated shifts the measurements apply to Adult rows: one definition for every test."""

from __future__ import annotations

import numpy as np
import pandas as pd


def older(frame: pd.DataFrame, years: float) -> pd.DataFrame:
    """Every age ``years`` higher."""
    out = frame.copy()
    out["age"] = out["age"] + years
    return out


def more_never_married(
    frame: pd.DataFrame, points: float, rng: np.random.Generator
) -> pd.DataFrame:
    """``points`` of all rows move from another marital status to never-married."""
    out = frame.copy()
    others = np.flatnonzero(out["marital-status"].to_numpy() != "Never-married")
    moved = rng.choice(others, size=round(points * len(out)), replace=False)
    out.loc[out.index[moved], "marital-status"] = "Never-married"
    return out
