"""Build example batches for `mlgate monitor` from Adult's held-out test rows.

Run by DVC (data/examples/dvc.yaml, part of `dvc repro`); by hand:
    python data/examples/make_batches.py data/ingested/test.parquet data/examples

Each batch holds 2,000 rows of data/ingested/test.parquet, drawn without replacement with a fixed
seed, with their labels (`income`). The rows are not in the model's training or validation
splits, which the fingerprint is built from, so a uniform batch is what a clean production batch
looks like:

- uniform.parquet    a uniform sample: nothing changed. Must not alert.
- covariate.parquet  people over 50 five times as likely to be drawn (21% of rows become ~57%):
                     the inputs shift, the link from inputs to income does not.
- prior.parquet      people earning >50K three times as likely (24% become ~48%): the outcome's
                     share shifts (label shift).
- concept.parquet    a uniform sample where 30% of women's labels are flipped: the inputs do not
                     change, the link from inputs to income does (ROC AUC 0.93 falls to ~0.76).
                     Only a labelled run (`--labels`) can see it.

`mlgate monitor data/examples/uniform.parquet --labels` exits 0; each of the others exits 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROWS = 2000
SEED = 20261128
TARGET, POSITIVE = "income", ">50K"


def draw(test: pd.DataFrame, weights: np.ndarray | None, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    p = None if weights is None else weights / weights.sum()
    rows = np.sort(rng.choice(len(test), size=ROWS, replace=False, p=p))
    return test.iloc[rows].reset_index(drop=True)


def flip_labels(batch: pd.DataFrame, *, among: pd.Series, share: float, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    flipped = among.to_numpy() & (rng.random(len(batch)) < share)
    labels = batch[TARGET].astype(object)
    other = np.where(labels == POSITIVE, "<=50K", POSITIVE)
    batch = batch.copy()
    batch[TARGET] = pd.Series(np.where(flipped, other, labels), dtype=batch[TARGET].dtype)
    return batch


def main(test_path: str, out_dir: str) -> None:
    test = pd.read_parquet(test_path)
    uniform = draw(test, None, SEED)
    concept = draw(test, None, SEED + 3)
    batches = {
        "uniform": uniform,
        "covariate": draw(test, np.where(test["age"] > 50, 5.0, 1.0), SEED + 1),
        "prior": draw(test, np.where(test[TARGET] == POSITIVE, 3.0, 1.0), SEED + 2),
        "concept": flip_labels(concept, among=concept["sex"] == "Female", share=0.3, seed=SEED + 4),
    }
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    for name, batch in batches.items():
        batch.to_parquet(Path(out_dir) / f"{name}.parquet", index=False, compression="zstd")
        print(f"{name}: {len(batch)} rows, {(batch[TARGET] == POSITIVE).mean():.1%} {POSITIVE}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
