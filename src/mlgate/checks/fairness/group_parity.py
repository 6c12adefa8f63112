"""fairness.group_parity: group metrics and parity per sensitive feature and intersection.

For each sensitive feature (age grouped by ``data.sensitive_bins``) and, if configured, each pair
of them: selection rate, true and false positive and negative rates and accuracy per group,
fairlearn's demographic parity and equalized odds differences and ratios, and the false-positive
and false-negative rate differences, each with a bootstrap interval and the rate and the two
groups behind it (the summary says "FPR: A 0.120 vs B 0.030", not a bare number). A
limit passes only when the interval clears it (a difference's upper bound at or under its maximum,
a ratio's lower bound at or over its minimum). Groups smaller than ``min_group_size`` are listed
with their counts and left out of the disparities: their rates are too uncertain to judge.
"""

from __future__ import annotations

from typing import Any, TypedDict

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
from mlgate.config.checks.fairness import GroupParityConfig, ParityLimits, slice_names
from mlgate.data.groups import group_order
from mlgate.data.redaction import fold_small_groups
from mlgate.stats.group_rates import fairness_evidence

CHECK_ID = "fairness.group_parity"
TITLE = "Group fairness"


class Disparity(TypedDict):
    """One disparity across the judged groups, with its bootstrap interval.

    ``rate`` is the group rate it comes from; ``highest`` and ``lowest`` the groups at that
    rate's two ends (None when no group defines the rate).
    """

    value: float | None
    ci: list[float | None]
    rate: str
    highest: str | None
    lowest: str | None


class GroupParityDetails(TypedDict):
    """``details`` of each ``fairness.group_parity.<slice>`` result.

    ``groups``: group -> ``n`` and each rate with its interval (``<rate>_ci``); ``group_order``:
    every group, bins in numeric order; ``insufficient``: group -> rows, for groups too small to
    judge; ``disparities``: name -> :class:`Disparity`.
    """

    groups: dict[str, dict[str, Any]]
    group_order: list[str]
    insufficient: dict[str, int]
    disparities: dict[str, Disparity]


@register(
    CHECK_ID,
    title=TITLE,
    config=GroupParityConfig,
    needs=(Need.SCORES, Need.LABELS),
    details=GroupParityDetails,
)
def check_group_parity(ctx: CheckContext, cfg: GroupParityConfig) -> list[CheckResult]:
    """One result per sensitive feature (``fairness.group_parity.<feature>``) and pair."""
    reason = unjudgeable_labels(ctx, cfg.min_samples)
    if reason:
        return [skip(CHECK_ID, TITLE, reason)]
    features = list(ctx.data.sensitive_features)
    if not features:
        return [skip(CHECK_ID, TITLE, "data.sensitive_features is empty.")]
    labels = {f: group_labels(ctx.current, f, ctx.data).to_numpy(dtype=object) for f in features}
    for name in slice_names(ctx.data, intersections=cfg.intersections):
        if name not in labels:
            a, b = name.split("×")
            labels[name] = labels[a] + " & " + labels[b]
    slices = [
        (name, labels[name]) for name in slice_names(ctx.data, intersections=cfg.intersections)
    ]
    y_pred = (ctx.current_scores >= ctx.decision_threshold).astype("int64")
    return [
        _judge(name, groups, ctx.y_true, y_pred, cfg, withheld=slice_withheld_reason(ctx, name))
        for name, groups in slices
    ]


def _judge(
    name, groups, y_true, y_pred, cfg: GroupParityConfig, *, withheld: str | None
) -> CheckResult:
    import numpy as np

    check_id, title = f"{CHECK_ID}.{name}", f"Fairness by {name}"
    limits = cfg.limits.get(name, ParityLimits()).limits()
    names, sizes = np.unique(groups, return_counts=True)
    small = {str(g): int(n) for g, n in zip(names, sizes, strict=True) if n < cfg.min_group_size}
    keep = ~np.isin(groups, list(small))
    judged = [str(g) for g in names if str(g) not in small]
    small = fold_small_groups(small, withheld)
    listed = ", ".join(f"{g} ({n:,} rows)" for g, n in small.items())
    small_note = f" Not judged (< {cfg.min_group_size} rows): {listed}." if small else ""
    if len(judged) < 2:
        return skip(
            check_id, title, f"fewer than two groups of {name} are large enough.{small_note}"
        )
    evidence = fairness_evidence(
        y_true[keep],
        y_pred[keep],
        groups[keep],
        n_resamples=cfg.n_bootstrap,
        confidence=cfg.confidence,
        seed=cfg.seed,
    )
    verdicts, parts = [], []
    for disparity, (limit, is_maximum) in limits.items():
        low, high = evidence.disparity_intervals[disparity]
        value = evidence.disparities[disparity]
        ok = high <= limit if is_maximum else low >= limit
        verdicts.append(ok)
        relation = "≤" if is_maximum else "≥"
        behind = _behind(evidence, disparity)
        # An estimate within the limit whose interval is not: too few rows to show it, which a
        # reader must not take for a measured disparity.
        unshown = not ok and (value <= limit if is_maximum else value >= limit)
        parts.append(
            f"{disparity} {value:.3f} (CI {low:.3f}–{high:.3f}; {relation} {limit}{behind})"
            + (
                ": within the limit, but not shown to be (more rows narrow the interval)"
                if unshown
                else ""
            )
        )
    first = next(iter(limits), "demographic_parity_difference")
    low, high = evidence.disparity_intervals[first]
    evidence_fields = {
        "value": evidence.disparities[first],
        "ci_low": low,
        "ci_high": high,
        "n": int(keep.sum()),
        "details": _details(evidence, small),
    }
    if not limits:
        # Reported, not judged: such a result never blocks, whatever the check's `required`.
        shown = ", ".join(
            f"{k} {v:.3f}" for k, v in evidence.disparities.items() if k.endswith("difference")
        )
        return result(
            check_id,
            title,
            Status.SKIP,
            f"Not judged: no limits for {name} (evidence only: {shown}).{small_note}",
            required=False,
            **evidence_fields,
        )
    return result(
        check_id,
        title,
        Status.PASS if all(verdicts) else Status.FAIL,
        f"{name}: " + "; ".join(parts) + "." + small_note,
        threshold=limits[first][0],
        **evidence_fields,
    )


#: How a summary names each group rate.
RATE_NAMES = {
    "selection_rate": "selection rate",
    "true_positive_rate": "TPR",
    "false_positive_rate": "FPR",
    "false_negative_rate": "FNR",
}


def _behind(evidence, disparity: str) -> str:
    """The rate and the two groups a disparity comes from, as "; FPR: A 0.120 vs B 0.030"."""
    driver = evidence.drivers[disparity]
    if driver["highest"] is None:
        return ""
    rates = evidence.metrics[driver["rate"]]
    at = {g: float(rates[i]) for i, g in enumerate(evidence.groups)}
    high, low = driver["highest"], driver["lowest"]
    return f"; {RATE_NAMES[driver['rate']]}: {high} {at[high]:.3f} vs {low} {at[low]:.3f}"


def _details(evidence, small: dict) -> dict:
    groups = {}
    for index, group in enumerate(evidence.groups):
        row = {"n": int(evidence.sizes[index])}
        for metric, values in evidence.metrics.items():
            low, high = evidence.metric_intervals[metric][index]
            row[metric] = _number(values[index])
            row[f"{metric}_ci"] = [_number(low), _number(high)]
        groups[group] = row
    return {
        "groups": groups,
        # The evidence is written with sorted keys: this keeps bins in numeric order for readers.
        "group_order": group_order([*groups, *small]),
        "insufficient": small,
        "disparities": {
            k: {
                "value": _number(v),
                "ci": [_number(x) for x in evidence.disparity_intervals[k]],
                **evidence.drivers[k],
            }
            for k, v in evidence.disparities.items()
        },
    }


def _number(value) -> float | None:
    value = float(value)
    return round(value, 6) if value == value else None
