"""data.missing_values: the share of missing values per column, against limits."""

from __future__ import annotations

from typing import Any, TypedDict

from mlgate.checks.base import (
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
    skip,
)
from mlgate.config.checks.data import MissingValuesConfig

CHECK_ID = "data.missing_values"
TITLE = "Missing values per column"


class MissingValuesDetails(TypedDict):
    """``details`` of ``data.missing_values``."""

    columns: dict[str, Any]  # missing share per column
    over_limit: list[str]


@register(CHECK_ID, title=TITLE, config=MissingValuesConfig, details=MissingValuesDetails)
def check_missing_values(ctx: CheckContext, cfg: MissingValuesConfig) -> CheckResult:
    """Fail when any declared column's missing share in the current data exceeds its limit."""
    columns = [c for c in ctx.data.required_columns if c in ctx.current.columns]
    if ctx.current.empty:
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no rows.")
    rates = ctx.current[columns].isna().mean()
    limits = {c: cfg.per_column.get(c, cfg.max_missing_rate) for c in columns}
    over = {c: float(rates[c]) for c in columns if rates[c] > limits[c]}
    worst = max(columns, key=lambda c: (rates[c] - limits[c], rates[c]))
    table = {c: {"missing_rate": round(float(rates[c]), 6), "limit": limits[c]} for c in columns}
    if over:
        listed = ", ".join(f"{c} {r:.1%} > {limits[c]:.1%}" for c, r in sorted(over.items()))
        summary = f"{len(over)} columns exceed their missing-value limit: {listed}."
        status = Status.FAIL
    else:
        summary = (
            f"All {len(columns)} columns within limits; highest {worst} {rates[worst]:.1%} "
            f"(limit {limits[worst]:.1%})."
        )
        status = Status.PASS
    return result(
        CHECK_ID,
        TITLE,
        status,
        summary,
        value=float(rates[worst]),
        threshold=limits[worst],
        n=len(ctx.current),
        details={"columns": table, "over_limit": sorted(over)},
    )
