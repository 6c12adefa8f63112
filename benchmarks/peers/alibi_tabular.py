"""Peer: alibi-detect's TabularDrift on the benchmark table. Runs in .venv-alibi.

Usage: python peers/alibi_tabular.py FOLDER  (prints one JSON line)
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _measure import measure

folder = Path(sys.argv[1])
reference = pd.read_parquet(folder / "reference.parquet")
current = pd.read_parquet(folder / "current.parquet")
categorical = [
    i
    for i, c in enumerate(reference.columns)
    if isinstance(reference[c].dtype, pd.CategoricalDtype)
]


def encode(frame: pd.DataFrame) -> np.ndarray:
    # alibi-detect takes one numeric matrix: categories as their integer codes.
    columns = [
        frame[c].cat.codes.to_numpy() if i in categorical else frame[c].to_numpy()
        for i, c in enumerate(frame.columns)
    ]
    return np.column_stack(columns).astype(np.float64)


def run():
    from alibi_detect.cd import TabularDrift

    x_ref, x_cur = encode(reference), encode(current)
    detector = TabularDrift(
        x_ref, p_val=0.05, categories_per_feature={i: None for i in categorical}
    )
    return detector.predict(x_cur, drift_type="feature", return_p_val=True)


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    result = measure(run, repeats=3)
    drifted = int(run()["data"]["is_drift"].sum())
print(json.dumps({**result, "drifted_features": drifted}))
