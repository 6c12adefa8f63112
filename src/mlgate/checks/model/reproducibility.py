"""model.reproducibility: training twice from the same inputs gives the same model.

Evidence for the gate, not only a test: the check retrains from the prepared training data and
the params, twice, and compares the scores of both retrained models, and of the saved model, on
the rows under test. Any difference fails: a model that cannot be rebuilt cannot be audited.
"""

from __future__ import annotations

from typing import TypedDict

from mlgate.checks.base import (
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
    skip,
)
from mlgate.checks.context import Need
from mlgate.config.checks.model import ReproducibilityConfig

CHECK_ID = "model.reproducibility"
TITLE = "Reproducible training"


class ReproducibilityDetails(TypedDict):
    """``details`` of ``model.reproducibility``."""

    between_retrainings: float
    retrained_vs_saved: float


@register(
    CHECK_ID,
    title=TITLE,
    config=ReproducibilityConfig,
    needs=(Need.MODEL, Need.RETRAIN),
    details=ReproducibilityDetails,
)
def check_reproducibility(ctx: CheckContext, cfg: ReproducibilityConfig) -> CheckResult:
    """Fail unless two retrainings and the saved model give bit-identical scores."""
    import numpy as np

    rows = ctx.current.iloc[: cfg.max_rows]
    if rows.empty:
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no rows.")
    first = ctx.retrain().predict_proba(rows)[:, 1]
    second = ctx.retrain().predict_proba(rows)[:, 1]
    saved = ctx.model.predict_proba(rows)[:, 1]
    between_runs = float(np.max(np.abs(first - second)))
    against_saved = float(np.max(np.abs(first - saved)))
    identical = between_runs == 0.0 and against_saved == 0.0
    return result(
        CHECK_ID,
        TITLE,
        Status.PASS if identical else Status.FAIL,
        f"Largest score difference on {len(rows):,} rows: {between_runs:.3g} between two "
        f"retrainings, {against_saved:.3g} between a retraining and the saved model (must be 0).",
        value=max(between_runs, against_saved),
        threshold=0.0,
        n=len(rows),
        details={"between_retrainings": between_runs, "retrained_vs_saved": against_saved},
    )
