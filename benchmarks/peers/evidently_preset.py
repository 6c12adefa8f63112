"""Peer: Evidently's data-drift preset on the benchmark table. Runs in .venv-evidently.

Usage: python peers/evidently_preset.py FOLDER  (prints one JSON line)
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _measure import measure

folder = Path(sys.argv[1])
reference = pd.read_parquet(folder / "reference.parquet")
current = pd.read_parquet(folder / "current.parquet")
categorical = [c for c in reference.columns if isinstance(reference[c].dtype, pd.CategoricalDtype)]
numeric = [c for c in reference.columns if c not in categorical]
# Evidently does not accept pandas categoricals (np.isinf fails on them): give it plain text,
# before the clock starts.
for frame in (reference, current):
    frame[categorical] = frame[categorical].astype(object)


def run():
    from evidently import DataDefinition, Dataset, Report
    from evidently.presets import DataDriftPreset

    definition = DataDefinition(numerical_columns=numeric, categorical_columns=categorical)
    return Report([DataDriftPreset()]).run(
        current_data=Dataset.from_pandas(current, data_definition=definition),
        reference_data=Dataset.from_pandas(reference, data_definition=definition),
    )


with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    result = measure(run, repeats=1)
print(json.dumps(result))
