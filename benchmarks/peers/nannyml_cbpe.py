"""Peer: NannyML's CBPE (ROC AUC and accuracy) fitted on reference scores. Runs in .venv-nannyml.

Usage: python peers/nannyml_cbpe.py FOLDER BATCH...  (prints one JSON line: batch -> estimates)

FOLDER holds reference.parquet (score, decision, label) and BATCH.parquet (score, decision).
`make bench` builds the environment from nannyml-requirements.txt (pinned, with hashes).
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

import nannyml
import pandas as pd

folder = Path(sys.argv[1])
reference = pd.read_parquet(folder / "reference.parquet")
out = {}
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    for name in sys.argv[2:]:
        analysis = pd.read_parquet(folder / f"{name}.parquet")
        estimator = nannyml.CBPE(
            y_pred_proba="score",
            y_pred="decision",
            y_true="label",
            problem_type="classification_binary",
            metrics=["roc_auc", "accuracy"],
            chunk_number=1,
        )
        estimator.fit(reference)
        result = estimator.estimate(analysis).filter(period="analysis").to_df()
        out[name] = {
            metric: float(result[(metric, "value")].iloc[0]) for metric in ("roc_auc", "accuracy")
        }
print(json.dumps(out))
