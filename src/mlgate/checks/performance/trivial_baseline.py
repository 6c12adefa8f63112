"""performance.trivial_baseline: the model must beat predicting the majority and any one feature.

The one-feature rules score each row by the positive rate, in the training data, of its category
(or of its decile, for a numeric feature): :mod:`mlgate.data.one_feature`, which
``data.target_leakage`` judges too. The best rule is chosen on the training data, not on
the data under test. The model must beat its ROC AUC, and the majority class's accuracy, by more
than ``min_margin``, shown by the lower bound of a paired bootstrap interval of the difference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from mlgate.checks.base import (
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
    skip,
    unjudgeable_labels,
)
from mlgate.checks.context import Need
from mlgate.config.checks.performance import TrivialBaselineConfig
from mlgate.data.one_feature import one_feature_scores
from mlgate.stats.bootstrap import paired_bootstrap_difference

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

CHECK_ID = "performance.trivial_baseline"
TITLE = "Better than trivial baselines"


class TrivialBaselineDetails(TypedDict):
    """``details`` of ``performance.trivial_baseline``."""

    best_rule_feature: str | None
    best_rule_reference_roc_auc: float | None
    roc_auc_margin: dict[str, float]
    accuracy_margin_over_majority: dict[str, float]


@register(
    CHECK_ID,
    title=TITLE,
    config=TrivialBaselineConfig,
    needs=(Need.SCORES, Need.LABELS),
    details=TrivialBaselineDetails,
)
def check_trivial_baseline(ctx: CheckContext, cfg: TrivialBaselineConfig) -> CheckResult:
    """Fail unless the model beats both the best one-feature rule and the majority class."""
    import numpy as np

    reason = unjudgeable_labels(ctx, cfg.min_samples)
    if reason:
        return skip(CHECK_ID, TITLE, reason)
    data = ctx.data
    y_reference = (ctx.reference[data.target] == data.positive_label).to_numpy(dtype=np.int64)
    best, rule_auc_reference = best_one_feature_rule(ctx.reference, y_reference, ctx, cfg)
    rule_scores = one_feature_scores(
        ctx.reference[best], y_reference, ctx.current[best], n_bins=cfg.n_bins
    )
    majority = float(y_reference.mean() >= 0.5)
    common = {"n_resamples": cfg.n_bootstrap, "confidence": cfg.confidence, "seed": cfg.seed}
    auc = paired_bootstrap_difference(
        ctx.y_true, ctx.current_scores, rule_scores, metric="roc_auc", threshold=0.5, **common
    )
    accuracy = paired_bootstrap_difference(
        ctx.y_true,
        ctx.current_scores,
        np.full(len(ctx.y_true), majority),
        metric="accuracy",
        threshold=ctx.decision_threshold,
        **common,
    )
    beaten = auc.low > cfg.min_margin and accuracy.low > cfg.min_margin
    return result(
        CHECK_ID,
        TITLE,
        Status.PASS if beaten else Status.FAIL,
        f"ROC AUC {auc.estimate:+.4f} over the best one-feature rule ({best}; CI "
        f"{auc.low:+.4f} to {auc.high:+.4f}), accuracy {accuracy.estimate:+.4f} over always "
        f"predicting the majority (CI {accuracy.low:+.4f} to {accuracy.high:+.4f}); both lower "
        f"bounds must exceed {cfg.min_margin}.",
        value=min(auc.estimate, accuracy.estimate),
        threshold=cfg.min_margin,
        ci_low=min(auc.low, accuracy.low),
        ci_high=min(auc.high, accuracy.high),
        n=len(ctx.y_true),
        details={
            "best_rule_feature": best,
            "best_rule_reference_roc_auc": rule_auc_reference,
            "roc_auc_margin": vars(auc),
            "accuracy_margin_over_majority": vars(accuracy),
        },
    )


def best_one_feature_rule(
    reference: pd.DataFrame, y_reference: np.ndarray, ctx: CheckContext, cfg
) -> tuple[str, float]:
    """The feature whose rule has the highest ROC AUC on the training data, and that AUC."""
    from sklearn.metrics import roc_auc_score

    aucs = {
        feature: roc_auc_score(
            y_reference,
            one_feature_scores(
                reference[feature], y_reference, reference[feature], n_bins=cfg.n_bins
            ),
        )
        for feature in ctx.data.features
    }
    best = max(sorted(aucs), key=aucs.get)
    return best, float(aucs[best])
