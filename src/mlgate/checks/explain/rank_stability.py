"""explain.rank_stability: the importance ranking stays close to the champion's."""

from __future__ import annotations

from typing import Any, TypedDict

from mlgate.checks.base import (
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
    skip,
)
from mlgate.checks.context import Need
from mlgate.config.checks.explain import RankStabilityConfig

CHECK_ID = "explain.rank_stability"
TITLE = "SHAP ranking vs baseline"


class RankStabilityDetails(TypedDict):
    """``details`` of ``explain.rank_stability``."""

    rank_changes: dict[str, Any]
    baseline_rev: str


@register(
    CHECK_ID,
    title=TITLE,
    config=RankStabilityConfig,
    needs=(Need.IMPORTANCE,),
    details=RankStabilityDetails,
)
def check_rank_stability(ctx: CheckContext, cfg: RankStabilityConfig) -> CheckResult:
    """Fail when Spearman's correlation of the two importance rankings is below the limit."""
    from scipy.stats import spearmanr

    if not ctx.importance:
        return skip(CHECK_ID, TITLE, "no SHAP importance (run the explain stage: dvc repro).")
    if not ctx.baseline_importance:
        return skip(CHECK_ID, TITLE, f"no SHAP importance recorded at {cfg.baseline_rev}.")
    shared = sorted(set(ctx.importance) & set(ctx.baseline_importance))
    union = set(ctx.importance) | set(ctx.baseline_importance)
    if len(shared) < 3 or len(shared) * 2 < len(union):
        # A baseline that explains other inputs is another table's model (a copied template's
        # main): a few names in common say nothing about this model's ranking.
        return skip(
            CHECK_ID,
            TITLE,
            f"the baseline at {cfg.baseline_rev} explains another model's inputs: it shares "
            f"{len(shared)} of the {len(union)} features the two explain.",
        )
    correlation = float(
        spearmanr(
            [ctx.importance[f] for f in shared], [ctx.baseline_importance[f] for f in shared]
        ).statistic
    )
    moved = {
        f: [_rank(ctx.baseline_importance, f), _rank(ctx.importance, f)]
        for f in shared
        if _rank(ctx.baseline_importance, f) != _rank(ctx.importance, f)
    }
    return result(
        CHECK_ID,
        TITLE,
        Status.PASS if correlation >= cfg.min_rank_correlation else Status.FAIL,
        f"Spearman correlation of mean |SHAP| with {cfg.baseline_rev}: {correlation:.3f} over "
        f"{len(shared)} features (minimum {cfg.min_rank_correlation}); {len(moved)} changed rank.",
        value=correlation,
        threshold=cfg.min_rank_correlation,
        statistic=correlation,
        n=len(shared),
        details={"rank_changes": moved, "baseline_rev": cfg.baseline_rev},
    )


def _rank(importance: dict[str, float], feature: str) -> int:
    return sorted(importance, key=lambda f: -importance[f]).index(feature) + 1
