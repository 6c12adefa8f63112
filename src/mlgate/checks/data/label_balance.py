"""data.label_balance: the minority class must not be rarer than a limit."""

from __future__ import annotations

from typing import TypedDict

from mlgate.checks.base import (
    CheckContext,
    CheckResult,
    register,
    result,
    skip,
    status_from_limit,
)
from mlgate.checks.context import Need
from mlgate.config.checks.data import LabelBalanceConfig

CHECK_ID = "data.label_balance"
TITLE = "Label balance"


class LabelBalanceDetails(TypedDict):
    """``details`` of ``data.label_balance``."""

    positive_rate: float


@register(
    CHECK_ID,
    title=TITLE,
    config=LabelBalanceConfig,
    needs=(Need.LABELS,),
    details=LabelBalanceDetails,
)
def check_label_balance(ctx: CheckContext, cfg: LabelBalanceConfig) -> CheckResult:
    """Fail when the current data's minority class share is below ``min_minority_rate``."""
    if ctx.y_true is None or len(ctx.y_true) == 0:
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no labels.")
    positive_rate = float(ctx.y_true.mean())
    minority = min(positive_rate, 1 - positive_rate)
    return result(
        CHECK_ID,
        TITLE,
        status_from_limit(minority, limit=cfg.min_minority_rate, higher_is_better=True),
        f"Minority class is {minority:.1%} of {len(ctx.y_true):,} rows "
        f"(positive {positive_rate:.1%}; minimum {cfg.min_minority_rate:.1%}).",
        value=minority,
        threshold=cfg.min_minority_rate,
        n=len(ctx.y_true),
        details={"positive_rate": positive_rate},
    )
