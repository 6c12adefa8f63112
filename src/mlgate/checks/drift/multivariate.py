"""drift.multivariate: a kernel two-sample test (MMD) on the model's preprocessed inputs.

Per-feature tests miss a change in how features move together; MMD compares whole rows.
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
    too_few_rows,
)
from mlgate.checks.context import Need
from mlgate.config.checks.drift import MultivariateDriftConfig
from mlgate.stats.two_sample import mmd_permutation_test

CHECK_ID = "drift.multivariate"
TITLE = "Multivariate drift (MMD)"


class MultivariateDriftDetails(TypedDict):
    """``details`` of ``drift.multivariate``."""

    n_permutations: int
    dimensions: int


@register(
    CHECK_ID,
    title=TITLE,
    config=MultivariateDriftConfig,
    needs=(Need.MODEL,),
    details=MultivariateDriftDetails,
)
def check_multivariate_drift(ctx: CheckContext, cfg: MultivariateDriftConfig) -> CheckResult:
    """Fail when the MMD permutation p-value is below ``alpha``."""
    import numpy as np

    reason = too_few_rows(ctx, cfg.min_samples)
    if reason:
        return skip(CHECK_ID, TITLE, reason)
    rng = np.random.default_rng(cfg.seed)
    transform = ctx.model.named_steps["preprocess"].transform

    def sample(frame):
        rows = rng.choice(len(frame), size=min(cfg.max_rows, len(frame)), replace=False)
        return np.asarray(transform(frame.iloc[np.sort(rows)]), dtype=float)

    reference, current = sample(ctx.reference), sample(ctx.current)
    outcome = mmd_permutation_test(
        reference, current, n_permutations=cfg.n_permutations, seed=cfg.seed
    )
    drifted = outcome.p_value < cfg.alpha
    return result(
        CHECK_ID,
        TITLE,
        Status.FAIL if drifted else Status.PASS,
        f"MMD² {outcome.statistic:.4g} on {len(reference)} + {len(current)} rows, permutation "
        f"p = {outcome.p_value:.3g} (alpha {cfg.alpha}): "
        + ("the joint distribution moved." if drifted else "no significant joint drift."),
        value=outcome.p_value,
        threshold=cfg.alpha,
        statistic=outcome.statistic,
        p_value=outcome.p_value,
        n=len(current),
        details={"n_permutations": cfg.n_permutations, "dimensions": int(reference.shape[1])},
    )
