"""robustness.counterfactual: flipping a sensitive attribute changes few predictions."""

from __future__ import annotations

from typing import TypedDict

from mlgate.checks.base import (
    CheckContext,
    CheckResult,
    Status,
    not_applicable,
    register,
    result,
    skip,
)
from mlgate.checks.context import Need
from mlgate.checks.robustness._predict import changed_share, sample_rows, scores
from mlgate.config.checks.robustness import CounterfactualConfig

CHECK_ID = "robustness.counterfactual"
TITLE = "Counterfactual flips of sensitive attributes"


class CounterfactualDetails(TypedDict):
    """``details`` of ``robustness.counterfactual``."""

    changed_share: dict[str, float]


@register(
    CHECK_ID,
    title=TITLE,
    config=CounterfactualConfig,
    needs=(Need.MODEL,),
    details=CounterfactualDetails,
)
def check_counterfactual(ctx: CheckContext, cfg: CounterfactualConfig) -> CheckResult:
    """For each categorical sensitive input, give every row each other value in turn.

    The changed share of a feature is the share of (row, other value) pairs whose predicted
    label changes. Sensitive features that are not model inputs cannot be flipped (they are
    reported as such); numeric ones (age) are left to the fairness suite's slices.
    """
    reason = cfg.not_applicable(ctx.data)
    if reason is not None:
        return not_applicable(CHECK_ID, TITLE, reason)
    flippable = [f for f in ctx.data.sensitive_features if f in ctx.data.categorical]
    rows = sample_rows(ctx, cfg.max_rows, cfg.seed)
    if rows.empty:
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no rows.")
    before = scores(ctx, rows)
    shares = {}
    for feature in flippable:
        values = sorted(str(v) for v in ctx.reference[feature].dropna().unique())
        changed = []
        for value in values:
            others = rows[feature].astype(object) != value  # rows that would really change
            if not others.any():
                continue
            flipped = rows.copy()
            flipped[feature] = value
            changed.append(
                changed_share(
                    ctx, before[others.to_numpy()], scores(ctx, flipped)[others.to_numpy()]
                )
                * others.sum()
            )
        pairs = sum((rows[feature].astype(object) != v).sum() for v in values)
        shares[feature] = float(sum(changed) / pairs) if pairs else 0.0
    worst = max(shares, key=shares.get)
    over = sorted(f for f, s in shares.items() if s > cfg.max_changed_share)
    return result(
        CHECK_ID,
        TITLE,
        Status.FAIL if over else Status.PASS,
        f"Flipping {worst} changes {shares[worst]:.2%} of predictions (limit "
        f"{cfg.max_changed_share:.2%}); " + ", ".join(f"{f} {s:.2%}" for f, s in shares.items()),
        value=shares[worst],
        threshold=cfg.max_changed_share,
        n=len(rows),
        details={"changed_share": shares},
    )
