"""data.unseen_categories: categories in the current data that training never saw."""

from __future__ import annotations

from typing import Any, TypedDict

from mlgate.checks._frames import quote_values
from mlgate.checks.base import (
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
    skip,
)
from mlgate.config.checks.data import UnseenCategoriesConfig

CHECK_ID = "data.unseen_categories"
TITLE = "Categories unseen in training"


class UnseenCategoriesDetails(TypedDict):
    """``details`` of ``data.unseen_categories``."""

    columns: dict[str, Any]


@register(CHECK_ID, title=TITLE, config=UnseenCategoriesConfig, details=UnseenCategoriesDetails)
def check_unseen_categories(ctx: CheckContext, cfg: UnseenCategoriesConfig) -> CheckResult:
    """Warn on any unseen category, fail when a column's share of such rows exceeds the limit.

    The model encodes an unseen category as "unknown" (it does not crash), but its scores for
    those rows rest on no training data.
    """
    if ctx.current.empty:
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no rows.")
    columns = {}
    for column in ctx.data.categorical:
        known = ctx.reference[column].dropna().unique()
        values = ctx.current[column]
        unseen = values.notna() & ~values.isin(known)
        if unseen.any():
            counts = values[unseen].value_counts()
            columns[column] = {
                "rate": float(unseen.mean()),
                "rows": int(unseen.sum()),
                "categories": dict(
                    zip(
                        quote_values(counts.index, cfg.max_listed),
                        quote_values(counts.to_numpy(), cfg.max_listed),
                        strict=True,
                    )
                ),
            }
    worst = max((v["rate"] for v in columns.values()), default=0.0)
    if not columns:
        status, summary = Status.PASS, "Every category was seen in training."
    else:
        listed = "; ".join(
            f"{c}: {v['rows']:,} rows ({v['rate']:.2%}) in {list(v['categories'])}"
            for c, v in columns.items()
        )
        status = Status.FAIL if worst > cfg.max_unseen_rate else Status.WARN
        summary = f"Unseen categories (limit {cfg.max_unseen_rate:.2%} of rows): {listed}."
    return result(
        CHECK_ID,
        TITLE,
        status,
        summary,
        value=worst,
        threshold=cfg.max_unseen_rate,
        n=len(ctx.current),
        details={"columns": columns},
    )
