"""drift.prediction: whether the distribution of the model's scores has moved."""

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
from mlgate.config.checks.drift import PredictionDriftConfig
from mlgate.stats.two_sample import (
    ks_two_sample,
    population_stability_index,
    quantile_bin_counts,
)

CHECK_ID = "drift.prediction"
TITLE = "Prediction drift"


class PredictionDriftDetails(TypedDict):
    """``details`` of ``drift.prediction``."""

    reference_mean_score: float
    current_mean_score: float


@register(
    CHECK_ID,
    title=TITLE,
    config=PredictionDriftConfig,
    needs=(Need.SCORES, Need.REFERENCE_SCORES),
    details=PredictionDriftDetails,
)
def check_prediction_drift(ctx: CheckContext, cfg: PredictionDriftConfig) -> CheckResult:
    """Fail when the scores' KS test is significant at ``alpha`` and their PSI exceeds ``max_psi``.

    With tens of thousands of rows a KS test is significant for a negligible shift, so the
    verdict needs both: a shift that is real (the test) and large enough to matter (PSI).
    """
    reason = too_few_rows(ctx, cfg.min_samples)
    if reason:
        return skip(CHECK_ID, TITLE, reason)
    outcome = ks_two_sample(ctx.reference_scores, ctx.current_scores)
    psi = population_stability_index(
        *quantile_bin_counts(ctx.reference_scores, ctx.current_scores, bins=cfg.bins)
    )
    drifted = outcome.p_value < cfg.alpha and psi > cfg.max_psi
    return result(
        CHECK_ID,
        TITLE,
        Status.FAIL if drifted else Status.PASS,
        f"Scores: KS {outcome.statistic:.3f} (p = {outcome.p_value:.3g}, alpha {cfg.alpha}), "
        f"PSI {psi:.3f} (limit {cfg.max_psi}); "
        + ("drifted." if drifted else "no material drift."),
        value=psi,
        threshold=cfg.max_psi,
        statistic=outcome.statistic,
        p_value=outcome.p_value,
        n=len(ctx.current_scores),
        details={
            "reference_mean_score": float(ctx.reference_scores.mean()),
            "current_mean_score": float(ctx.current_scores.mean()),
        },
    )
