"""performance.trivial_baseline: the model must beat predicting the majority and any one feature.

The one-feature rules score each row by the positive rate, in the training data, of its category
(or of its decile, for a numeric feature): :mod:`mlgate.data.one_feature`, which
``data.target_leakage`` judges too. The best rule is chosen on the training data, not on
the data under test. The model must beat its ROC AUC, and the Brier score of predicting the
training rows' positive rate for every row (what "always the majority" is for probabilities), by
more than ``min_margin``, shown by the lower bound of a paired bootstrap interval of the
difference. Accuracy over always predicting the majority is recorded too, but not required: on
a rare outcome (6% positives) no useful model beats 94% accuracy by a margin one can show.
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
from mlgate.stats.bootstrap import paired_bootstrap_differences

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
    brier_gain_over_base_rate: dict[str, float]
    accuracy_margin_over_majority: dict[str, float]


@register(
    CHECK_ID,
    title=TITLE,
    config=TrivialBaselineConfig,
    needs=(Need.SCORES, Need.LABELS),
    details=TrivialBaselineDetails,
)
def check_trivial_baseline(ctx: CheckContext, cfg: TrivialBaselineConfig) -> CheckResult:
    """Fail unless the model beats both the best one-feature rule and the base rate."""
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
    base_rate = float(y_reference.mean())
    common = {"n_resamples": cfg.n_bootstrap, "confidence": cfg.confidence, "seed": cfg.seed}
    auc = paired_bootstrap_differences(
        ctx.y_true, ctx.current_scores, rule_scores, threshold=0.5, **common
    )["roc_auc"]
    accuracy = paired_bootstrap_differences(
        ctx.y_true,
        ctx.current_scores,
        np.full(len(ctx.y_true), float(base_rate >= 0.5)),
        threshold=ctx.decision_threshold,
        **common,
    )["accuracy"]
    # Brier score is lower for the better model: the gain is the base rate's less the model's.
    brier = paired_bootstrap_differences(
        ctx.y_true,
        ctx.current_scores,
        np.full(len(ctx.y_true), base_rate),
        threshold=ctx.decision_threshold,
        **common,
    )["brier_score"]
    gain = {
        "estimate": -brier.estimate,
        "low": -brier.high,
        "high": -brier.low,
        "confidence": brier.confidence,
    }
    beaten = auc.low > cfg.min_margin and gain["low"] > cfg.min_margin
    return result(
        CHECK_ID,
        TITLE,
        Status.PASS if beaten else Status.FAIL,
        f"ROC AUC {auc.estimate:+.4f} over the best one-feature rule ({best}; CI "
        f"{auc.low:+.4f} to {auc.high:+.4f}), Brier score {gain['estimate']:+.4f} better than "
        f"predicting the base rate {base_rate:.3f} (CI {gain['low']:+.4f} to "
        f"{gain['high']:+.4f}); both lower bounds must exceed {cfg.min_margin}. Accuracy over "
        f"always predicting the majority: {accuracy.estimate:+.4f} (evidence only).",
        value=min(auc.estimate, gain["estimate"]),
        threshold=cfg.min_margin,
        ci_low=min(auc.low, gain["low"]),
        ci_high=min(auc.high, gain["high"]),
        n=len(ctx.y_true),
        details={
            "best_rule_feature": best,
            "best_rule_reference_roc_auc": rule_auc_reference,
            "roc_auc_margin": vars(auc),
            "brier_gain_over_base_rate": gain,
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
