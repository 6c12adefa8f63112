"""performance.slices: a metric per group of each sensitive feature, with bootstrap intervals.

Groups smaller than ``min_group_size`` (or holding one class) are listed with their counts but
not judged: an interval on a few dozen rows is too wide to say anything.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from mlgate.checks._frames import group_labels, slice_withheld_reason
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
from mlgate.config.checks.performance import SlicesConfig
from mlgate.data.redaction import fold_small_groups
from mlgate.stats.bootstrap import bootstrap_metrics

if TYPE_CHECKING:
    pass

CHECK_ID = "performance.slices"
TITLE = "Metric per sensitive group"


class SlicesDetails(TypedDict):
    """``details`` of ``performance.slices``."""

    metric: str
    groups: dict[str, Any]
    insufficient: dict[str, int]


@register(
    CHECK_ID,
    title=TITLE,
    config=SlicesConfig,
    needs=(Need.SCORES, Need.LABELS),
    details=SlicesDetails,
)
def check_slices(ctx: CheckContext, cfg: SlicesConfig) -> list[CheckResult]:
    """One result per sensitive feature: ``performance.slices.<feature>``."""
    reason = unjudgeable_labels(ctx, cfg.min_samples)
    if reason:
        return [skip(CHECK_ID, TITLE, reason)]
    if not ctx.data.sensitive_features:
        return [skip(CHECK_ID, TITLE, "data.sensitive_features is empty.")]
    results = []
    for feature in ctx.data.sensitive_features:
        labels = group_labels(ctx.current, feature, ctx.data).to_numpy()
        groups, insufficient = {}, {}
        for group in sorted(set(labels)):
            mask = labels == group
            y, scores = ctx.y_true[mask], ctx.current_scores[mask]
            if mask.sum() < cfg.min_group_size or y.min() == y.max():
                insufficient[group] = {"n": int(mask.sum()), "positives": int(y.sum())}
                continue
            interval = bootstrap_metrics(
                y,
                scores,
                threshold=ctx.decision_threshold,
                n_resamples=cfg.n_bootstrap,
                confidence=cfg.confidence,
                seed=cfg.seed,
            )[cfg.metric]
            groups[group] = {"n": int(mask.sum()), **vars(interval)}
        withheld = slice_withheld_reason(ctx, feature)
        insufficient = fold_small_groups(insufficient, withheld)
        results.append(_verdict(feature, groups, insufficient, cfg, n=len(labels)))
    return results


def _verdict(feature: str, groups: dict, insufficient: dict, cfg: SlicesConfig, *, n: int):
    check_id, title = f"{CHECK_ID}.{feature}", f"{cfg.metric} per {feature} group"
    small = (
        f" Not judged (< {cfg.min_group_size} rows or one class): "
        + ", ".join(f"{g} (n={v['n']})" for g, v in insufficient.items())
        + "."
        if insufficient
        else ""
    )
    if not groups:
        return skip(check_id, title, f"no group of {feature} is large enough.{small}")
    worst = min(groups, key=lambda g: groups[g]["low"])
    below = sorted(g for g, v in groups.items() if v["low"] < cfg.min_value)
    status = Status.FAIL if below else Status.PASS
    w = groups[worst]
    return result(
        check_id,
        title,
        status,
        f"Lowest {cfg.metric} among {len(groups)} {feature} groups: {worst} {w['estimate']:.3f} "
        f"(CI {w['low']:.3f}–{w['high']:.3f}); each lower bound must be ≥ {cfg.min_value}."
        + (f" Below: {', '.join(below)}." if below else "")
        + small,
        value=w["estimate"],
        threshold=cfg.min_value,
        ci_low=w["low"],
        ci_high=w["high"],
        n=n,
        details={"metric": cfg.metric, "groups": groups, "insufficient": insufficient},
    )
