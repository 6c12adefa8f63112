"""The benchmark table: 1,000,000 rows resampled from UCI Adult, 500k reference + 500k current.

The current half is drifted: ages +2 years, hours per week +1, and a tenth of women relabelled
as men. Categorical columns are pandas categoricals (as a parquet dictionary column reads back),
numeric columns float64.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from mlgate import io
from mlgate.config import DataConfig, load_config
from mlgate.tables.read import read_source

ROOT = Path(__file__).resolve().parents[1]
NUMERIC = ["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"]
CATEGORICAL = [
    "workclass",
    "education",
    "marital-status",
    "occupation",
    "relationship",
    "race",
    "sex",
    "native-country",
]


def schema() -> DataConfig:
    """The 14 features of the benchmark table (fnlwgt included, as the peers see it)."""
    cfg = load_config(ROOT / "params.yaml")
    return cfg.data.model_copy(
        update={"numeric": tuple(NUMERIC), "categorical": tuple(CATEGORICAL)}
    )


def build(rows: int = 1_000_000, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (reference, current), each ``rows // 2`` rows."""
    cfg = load_config(ROOT / "params.yaml")
    frames = []
    for path in (cfg.ingest.train_path, cfg.ingest.test_path):
        with io.open_source(str(ROOT / path)) as handle:
            frames.append(read_source(handle, source=path, ingest=cfg.ingest, data=cfg.data))
    adult = pd.concat(frames, ignore_index=True)[NUMERIC + CATEGORICAL]
    adult[NUMERIC] = adult[NUMERIC].astype(np.float64)  # fnlwgt is not a model input: read as text
    picked = np.random.default_rng(seed).integers(0, len(adult), rows)
    table = adult.iloc[picked].reset_index(drop=True)
    for column in CATEGORICAL:
        table[column] = table[column].astype("category")
    half = rows // 2
    reference = table.iloc[:half].reset_index(drop=True)
    current = table.iloc[half:].reset_index(drop=True)
    current["age"] += 2
    current["hours-per-week"] += 1
    women = np.flatnonzero(current["sex"].to_numpy() == "Female")
    relabel = np.random.default_rng(seed + 1).choice(women, len(women) // 10, replace=False)
    current.loc[relabel, "sex"] = "Male"
    return reference, current


def write(folder: Path, rows: int = 1_000_000) -> None:
    """Write reference.parquet and current.parquet into ``folder`` for the peers to read."""
    reference, current = build(rows)
    reference.to_parquet(folder / "reference.parquet")
    current.to_parquet(folder / "current.parquet")
