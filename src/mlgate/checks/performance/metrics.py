"""performance.metrics: each metric's bootstrap interval held against its limit.

A minimum passes only when the interval's lower bound clears it (a maximum, when the upper bound
stays under it): a model must show, with the configured confidence, that it meets the bar.
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
from mlgate.config.checks.performance import MetricsConfig
from mlgate.stats.bootstrap import bootstrap_metrics

if TYPE_CHECKING:
    pass

CHECK_ID = "performance.metrics"
TITLE = "Test-set metrics with confidence intervals"


class MetricsDetails(TypedDict):
    """``details`` of ``performance.metrics``."""

    all_metrics: dict[str, dict[str, float]]  # every metric's estimate and interval


@register(
    CHECK_ID,
    title=TITLE,
    config=MetricsConfig,
    needs=(Need.SCORES, Need.LABELS),
    details=MetricsDetails,
)
def check_metrics(ctx: CheckContext, cfg: MetricsConfig) -> list[CheckResult]:
    """One result per limit: ``performance.metrics.<metric>``."""
    reason = unjudgeable_labels(ctx, cfg.min_samples)
    if reason:
        return [skip(CHECK_ID, TITLE, reason)]
    intervals = bootstrap_metrics(
        ctx.y_true,
        ctx.current_scores,
        threshold=ctx.decision_threshold,
        n_resamples=cfg.n_bootstrap,
        confidence=cfg.confidence,
        seed=cfg.seed,
    )
    results = []
    bounds = [(m, limit, True) for m, limit in cfg.min.items()]
    bounds += [(m, limit, False) for m, limit in cfg.max.items()]
    for metric, limit, is_minimum in bounds:
        interval = intervals[metric]
        bound = interval.low if is_minimum else interval.high
        ok = bound >= limit if is_minimum else bound <= limit
        side = "lower" if is_minimum else "upper"
        relation = "≥" if is_minimum else "≤"
        results.append(
            result(
                f"{CHECK_ID}.{metric}",
                f"{metric} {relation} {limit}",
                Status.PASS if ok else Status.FAIL,
                f"{metric} {interval.estimate:.4f} ({cfg.confidence:.0%} CI {interval.low:.4f}–"
                f"{interval.high:.4f}); the {side} bound must be {relation} {limit}.",
                value=interval.estimate,
                threshold=limit,
                ci_low=interval.low,
                ci_high=interval.high,
                n=len(ctx.y_true),
                details={"all_metrics": {k: vars(v) for k, v in intervals.items()}},
            )
        )
    return results or [skip(CHECK_ID, TITLE, "no limits configured under min or max.")]
