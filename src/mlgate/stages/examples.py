"""Stage ``examples``: batches drawn from the held-out test rows, shifted in stated ways.

They let a team see what monitoring says before production does: ``uniform`` (nothing changed;
must not alert), ``covariate`` (rows above a quantile of one input made more likely: the inputs
shift, the link from inputs to label does not), ``prior`` (rows of the positive label made more
likely: the label's share shifts) and ``concept`` (labels flipped within one group: the inputs do
not change, the link does; only a labelled run can see it). Every batch keeps its labels.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from mlgate.config import DataConfig
from mlgate.config.examples import ExamplesConfig
from mlgate.errors import DataError

if TYPE_CHECKING:
    import pandas as pd


def build_examples(test: pd.DataFrame, *, data: DataConfig, cfg: ExamplesConfig) -> dict:
    """Name -> batch of ``cfg.rows`` test rows (at most half of them), seeded.

    Raises
    ------
    DataError
        When the test set has fewer than two rows, or the concept's group is absent.
    """
    # At most half the test rows: drawing nearly all of them would leave a weighting no room
    # to shift anything.
    rows = min(cfg.rows, len(test) // 2)
    if rows < 1:
        raise DataError(f"the test set has {len(test)} rows: too few to draw example batches.")
    positive = (test[data.target] == data.positive_label).to_numpy()
    batches = {
        "uniform": _draw(test, None, seed=cfg.seed, rows=rows),
        "prior": _draw(
            test, np.where(positive, cfg.prior_weight, 1.0), seed=cfg.seed + 2, rows=rows
        ),
    }
    if cfg.covariate is not None:
        values = test[cfg.covariate.feature].to_numpy(dtype=float)
        above = values > np.nanquantile(values, cfg.covariate.above_quantile)
        weights = np.where(above, cfg.covariate.weight, 1.0)
        batches["covariate"] = _draw(test, weights, seed=cfg.seed + 1, rows=rows)
    if cfg.concept is not None:
        batches["concept"] = _flip_labels(
            _draw(test, None, seed=cfg.seed + 3, rows=rows), data=data, cfg=cfg
        )
    return batches


def _draw(test: pd.DataFrame, weights: np.ndarray | None, *, seed: int, rows: int):
    rng = np.random.default_rng(seed)
    p = None if weights is None else weights / weights.sum()
    chosen = np.sort(rng.choice(len(test), size=rows, replace=False, p=p))
    return test.iloc[chosen].reset_index(drop=True)


def _flip_labels(batch: pd.DataFrame, *, data: DataConfig, cfg: ExamplesConfig):
    import pandas as pd

    concept = cfg.concept
    members = (batch[concept.feature].astype(str) == concept.group).to_numpy()
    if not members.any():
        found = sorted(batch[concept.feature].astype(str).unique())[:10]
        raise DataError(
            f"examples.concept.group is {concept.group!r}, which no drawn test row has in "
            f"{concept.feature!r}. Values found: {found}."
        )
    rng = np.random.default_rng(cfg.seed + 4)
    flipped = members & (rng.random(len(batch)) < concept.share)
    labels = batch[data.target].astype(object).to_numpy()
    other = np.where(labels == data.positive_label, data.negative_label, data.positive_label)
    batch = batch.copy()
    batch[data.target] = pd.Series(np.where(flipped, other, labels), dtype=batch[data.target].dtype)
    return batch
