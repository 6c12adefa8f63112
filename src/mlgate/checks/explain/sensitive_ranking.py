"""explain.sensitive_ranking: no sensitive feature among the model's most important features."""

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
from mlgate.config.checks.explain import SensitiveRankingConfig

CHECK_ID = "explain.sensitive_ranking"
TITLE = "Sensitive features in the top SHAP ranks"


class SensitiveRankingDetails(TypedDict):
    """``details`` of ``explain.sensitive_ranking``."""

    ranking: list[str]
    sensitive_ranks: dict[str, int]
    top_k: int


@register(
    CHECK_ID,
    title=TITLE,
    config=SensitiveRankingConfig,
    needs=(Need.IMPORTANCE,),
    details=SensitiveRankingDetails,
)
def check_sensitive_ranking(ctx: CheckContext, cfg: SensitiveRankingConfig) -> CheckResult:
    """Fail when a listed sensitive feature is among the ``top_k`` by mean |SHAP|."""
    if not ctx.importance:
        return skip(CHECK_ID, TITLE, "no SHAP importance (run the explain stage: dvc repro).")
    watched = cfg.features if cfg.features is not None else ctx.data.sensitive_features
    ranking = sorted(ctx.importance, key=lambda f: -ctx.importance[f])
    ranks = {feature: ranking.index(feature) + 1 for feature in watched if feature in ranking}
    top = ranking[: cfg.top_k]
    inside = sorted(f for f in watched if f in top)
    listed = ", ".join(f"{f} #{r}" for f, r in sorted(ranks.items(), key=lambda x: x[1]))
    return result(
        CHECK_ID,
        TITLE,
        Status.FAIL if inside else Status.PASS,
        f"Top {cfg.top_k} by mean |SHAP|: {', '.join(top)}. Sensitive features rank: "
        f"{listed or 'not model inputs'}"
        + (f"; in the top {cfg.top_k}: {inside}." if inside else "."),
        value=min(ranks.values(), default=None),
        threshold=cfg.top_k + 1,
        details={"ranking": ranking, "sensitive_ranks": ranks, "top_k": cfg.top_k},
    )
