"""What the robustness checks share: labels at the threshold, and a seeded sample of rows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

    from mlgate.checks.base import CheckContext


def sample_rows(ctx: CheckContext, max_rows: int, seed: int) -> pd.DataFrame:
    """At most ``max_rows`` of the current data, drawn with ``seed``, in their original order."""
    n = min(max_rows, len(ctx.current))
    picked = np.sort(np.random.default_rng(seed).choice(len(ctx.current), n, replace=False))
    return ctx.current.iloc[picked].reset_index(drop=True)


def scores(ctx: CheckContext, frame: pd.DataFrame) -> np.ndarray:
    """The model's positive-class scores."""
    return ctx.model.predict_proba(frame)[:, 1]


def changed_share(ctx: CheckContext, before: np.ndarray, after: np.ndarray) -> float:
    """Share of rows whose predicted label (at the decision threshold) differs."""
    threshold = ctx.decision_threshold
    return float(np.mean((before >= threshold) != (after >= threshold)))
