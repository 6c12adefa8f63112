"""data.duplicates: the share of rows that repeat an earlier row exactly."""

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
from mlgate.config.checks.data import DuplicatesConfig

CHECK_ID = "data.duplicates"
TITLE = "Duplicate rows"


class DuplicatesDetails(TypedDict):
    """``details`` of ``data.duplicates``."""

    duplicate_rows: int


@register(CHECK_ID, title=TITLE, config=DuplicatesConfig, details=DuplicatesDetails)
def check_duplicates(ctx: CheckContext, cfg: DuplicatesConfig) -> CheckResult:
    """Fail when more than ``max_duplicate_rate`` of the current rows repeat an earlier row."""
    if ctx.current.empty:
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no rows.")
    duplicated = ctx.current.duplicated()
    rate = float(duplicated.mean())
    status = status_from_limit(rate, limit=cfg.max_duplicate_rate, higher_is_better=False)
    return result(
        CHECK_ID,
        TITLE,
        status,
        f"{int(duplicated.sum()):,} of {len(ctx.current):,} rows ({rate:.2%}) repeat an earlier "
        f"row (limit {cfg.max_duplicate_rate:.2%}).",
        value=rate,
        threshold=cfg.max_duplicate_rate,
        n=len(ctx.current),
        details={"duplicate_rows": int(duplicated.sum())},
    )
