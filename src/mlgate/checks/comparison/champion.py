"""comparison.champion: whether the challenger (this model) is worse than the champion.

Both models score the same rows. Accuracy is compared with an exact McNemar test on the rows
where exactly one of them is right; ROC AUC with a paired bootstrap interval of the difference.
Each fails when the challenger is significantly worse, or worse by more than the tolerance.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Required, TypedDict

from mlgate.checks.base import CheckContext, CheckResult, Status, register, result
from mlgate.checks.context import Need
from mlgate.config.checks.comparison import ChampionConfig
from mlgate.stats.bootstrap import paired_bootstrap_differences
from mlgate.stats.paired import mcnemar_worse

if TYPE_CHECKING:
    pass

CHECK_ID = "comparison.champion"
TITLE = "Challenger vs champion"


class Difference(TypedDict):
    """One metric's change against the champion, with its paired bootstrap interval."""

    estimate: float
    ci_low: float
    ci_high: float
    confidence: float


class ChampionDetails(TypedDict, total=False):
    """``details`` of ``comparison.champion.accuracy`` and ``.roc_auc``.

    ``.accuracy``: McNemar's counts and both accuracies; ``.roc_auc``: every metric's
    :class:`Difference` (the report's table of changes).
    """

    baseline_rev: Required[str]
    newly_wrong: int
    newly_right: int
    champion_accuracy: float
    challenger_accuracy: float
    differences: dict[str, Difference]


@register(
    CHECK_ID,
    title=TITLE,
    config=ChampionConfig,
    needs=(Need.CHAMPION, Need.SCORES, Need.LABELS),
    details=ChampionDetails,
)
def check_champion(ctx: CheckContext, cfg: ChampionConfig) -> list[CheckResult]:
    """Results ``comparison.champion.accuracy`` (McNemar) and ``.roc_auc`` (paired bootstrap)."""
    import numpy as np

    y, threshold = ctx.y_true, ctx.decision_threshold
    challenger_correct = (ctx.current_scores >= threshold).astype(np.int64) == y
    champion_correct = (ctx.baseline.scores >= threshold).astype(np.int64) == y
    mcnemar = mcnemar_worse(challenger_correct, champion_correct)
    accuracy_change = float(challenger_correct.mean() - champion_correct.mean())
    differences = paired_bootstrap_differences(
        y,
        ctx.current_scores,
        ctx.baseline.scores,
        threshold=threshold,
        n_resamples=cfg.n_bootstrap,
        confidence=cfg.confidence,
        seed=cfg.seed,
    )
    auc = differences["roc_auc"]
    rev = ctx.baseline.rev
    accuracy_worse = mcnemar.p_value < cfg.alpha or -accuracy_change > cfg.max_accuracy_drop
    auc_worse = auc.high < 0 or -auc.estimate > cfg.max_roc_auc_drop
    return [
        result(
            f"{CHECK_ID}.accuracy",
            f"Accuracy vs {rev}",
            Status.FAIL if accuracy_worse else Status.PASS,
            f"Accuracy {accuracy_change:+.4f} vs {rev} (McNemar: {mcnemar.challenger_only_wrong} "
            f"rows newly wrong, {mcnemar.champion_only_wrong} newly right, one-sided p = "
            f"{mcnemar.p_value:.3g}); fails if p < {cfg.alpha:.4g} or the drop exceeds "
            f"{cfg.max_accuracy_drop}.",
            value=accuracy_change,
            threshold=-cfg.max_accuracy_drop,
            statistic=float(mcnemar.challenger_only_wrong - mcnemar.champion_only_wrong),
            p_value=mcnemar.p_value,
            n=len(y),
            details={
                "baseline_rev": rev,
                "newly_wrong": mcnemar.challenger_only_wrong,
                "newly_right": mcnemar.champion_only_wrong,
                "champion_accuracy": float(champion_correct.mean()),
                "challenger_accuracy": float(challenger_correct.mean()),
            },
        ),
        result(
            f"{CHECK_ID}.roc_auc",
            f"ROC AUC vs {rev}",
            Status.FAIL if auc_worse else Status.PASS,
            f"ROC AUC {auc.estimate:+.4f} vs {rev} (paired bootstrap {auc.confidence:.0%} CI "
            f"{auc.low:+.4f} to {auc.high:+.4f}); fails if the whole interval is below 0 or the "
            f"drop exceeds {cfg.max_roc_auc_drop}.",
            value=auc.estimate,
            threshold=-cfg.max_roc_auc_drop,
            ci_low=auc.low,
            ci_high=auc.high,
            n=len(y),
            details={
                "baseline_rev": rev,
                # Every metric's change with its paired interval: evidence for the PR report.
                "differences": {
                    name: {
                        "estimate": d.estimate,
                        "ci_low": d.low,
                        "ci_high": d.high,
                        "confidence": d.confidence,
                    }
                    for name, d in differences.items()
                },
            },
        ),
    ]
