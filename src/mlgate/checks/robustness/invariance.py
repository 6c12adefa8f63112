"""robustness.invariance: features declared irrelevant must not move predictions."""

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
from mlgate.checks.robustness._predict import changed_share, sample_rows, scores
from mlgate.config.checks.robustness import InvarianceConfig

CHECK_ID = "robustness.invariance"
TITLE = "Invariance to irrelevant features"


class InvarianceDetails(TypedDict):
    """``details`` of ``robustness.invariance``."""

    changed_share: dict[str, float]


@register(
    CHECK_ID, title=TITLE, config=InvarianceConfig, needs=(Need.MODEL,), details=InvarianceDetails
)
def check_invariance(ctx: CheckContext, cfg: InvarianceConfig) -> CheckResult:
    """Shuffle each irrelevant feature across rows; fail when too many predictions change."""
    import numpy as np

    if not cfg.irrelevant:
        return skip(CHECK_ID, TITLE, "no features are declared irrelevant.")
    rows = sample_rows(ctx, cfg.max_rows, cfg.seed)
    if len(rows) < 2:
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has fewer than 2 rows.")
    before = scores(ctx, rows)
    rng = np.random.default_rng(cfg.seed)
    shares = {}
    for feature in cfg.irrelevant:
        shuffled = rows.copy()
        shuffled[feature] = rng.permutation(shuffled[feature].to_numpy())
        shares[feature] = changed_share(ctx, before, scores(ctx, shuffled))
    worst = max(shares, key=shares.get)
    over = sorted(f for f, s in shares.items() if s > cfg.max_changed_share)
    return result(
        CHECK_ID,
        TITLE,
        Status.FAIL if over else Status.PASS,
        f"Shuffling {worst} changes {shares[worst]:.2%} of {len(rows):,} predictions (limit "
        f"{cfg.max_changed_share:.2%})" + (f"; over the limit: {over}." if over else "."),
        value=shares[worst],
        threshold=cfg.max_changed_share,
        n=len(rows),
        details={"changed_share": shares},
    )
