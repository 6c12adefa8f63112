"""data.unseen_categories: categories in the current data that training never saw."""

from __future__ import annotations

from typing import Any, TypedDict

from mlgate.checks._frames import quote_values
from mlgate.checks.base import (
    TOO_FEW_TO_TELL,
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
    skip,
)
from mlgate.checks.tally import TallySpec, categories_tally
from mlgate.config.checks.data import UnseenCategoriesConfig
from mlgate.data.redaction import describe_withheld, withheld, withheld_reason
from mlgate.stats.proportion import lower_bound

CHECK_ID = "data.unseen_categories"
TITLE = "Categories unseen in training"


class UnseenCategoriesDetails(TypedDict):
    """``details`` of ``data.unseen_categories``.

    ``columns``: per column with unseen categories, ``rate``, ``rows`` and ``lower_bound`` (the
    rate's one-sided bound at ``alpha`` shared across the categorical columns), and ``categories``
    (category -> rows, at most ``max_listed``) or, for a column whose values are withheld,
    ``categories_withheld`` (how many unseen categories, and why they are not named).
    """

    columns: dict[str, Any]


def unseen_tallies(ctx: CheckContext, cfg: UnseenCategoriesConfig) -> list[TallySpec]:
    """The count of each value of each categorical feature in the rows under test."""
    return [categories_tally(column) for column in ctx.data.categorical]


@register(
    CHECK_ID,
    title=TITLE,
    config=UnseenCategoriesConfig,
    details=UnseenCategoriesDetails,
    tallies=unseen_tallies,
)
def check_unseen_categories(ctx: CheckContext, cfg: UnseenCategoriesConfig) -> CheckResult:
    """Warn on any unseen category, fail when a column's share of such rows exceeds the limit.

    Judged on each share's one-sided lower bound at ``alpha`` shared across the categorical
    columns (Bonferroni): a clean batch of 99 rows with one rare category is not over 1%.

    The model encodes an unseen category as "unknown" (it does not crash), but its scores for
    those rows rest on no training data. The new categories are named, except in a column whose
    values are withheld (:mod:`mlgate.data.redaction`): there, only how many.
    """
    if ctx.rows == 0:
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no rows.")
    columns = {}
    alpha = cfg.alpha / max(1, len(ctx.data.categorical))
    for column, spec in zip(ctx.data.categorical, unseen_tallies(ctx, cfg), strict=True):
        known = set(ctx.reference[column].dropna().unique())
        counts = ctx.tally(spec).counts["values"]
        unseen = {v: n for v, n in counts.items() if v is not None and v not in known}
        if unseen:
            rows = sum(unseen.values())
            columns[column] = {
                "rate": rows / ctx.rows,
                "rows": rows,
                "lower_bound": round(lower_bound(rows, ctx.rows, alpha=alpha), 6),
            }
            reason = withheld_reason(
                column,
                ctx.reference[column],
                max_listed_distinct=ctx.data.max_listed_distinct,
                new_distinct=len(unseen),
            )
            columns[column] |= (
                {"categories": _listed(unseen, cfg.max_listed)}
                if reason is None
                else {"categories_withheld": withheld(len(unseen), reason)}
            )
    worst = max((v["rate"] for v in columns.values()), default=0.0)
    if not columns:
        status, summary = Status.PASS, "Every category was seen in training."
    else:
        listed = "; ".join(
            f"{c}: {v['rows']:,} rows ({v['rate']:.2%})"
            + (
                f" in {list(v['categories'])}"
                if "categories" in v
                else f", new {describe_withheld(**v['categories_withheld'])}"
            )
            for c, v in columns.items()
        )
        over = any(v["lower_bound"] > cfg.max_unseen_rate for v in columns.values())
        status = (
            Status.FAIL if over else Status.SKIP if worst > cfg.max_unseen_rate else Status.WARN
        )
        summary = f"Unseen categories (limit {cfg.max_unseen_rate:.2%} of rows): {listed}." + (
            TOO_FEW_TO_TELL if status is Status.SKIP else ""
        )
    return result(
        CHECK_ID,
        TITLE,
        status,
        summary,
        value=worst,
        threshold=cfg.max_unseen_rate,
        n=ctx.rows,
        details={"columns": columns},
    )


def _listed(unseen: dict, limit: int) -> dict:
    """At most ``limit`` unseen categories and their rows: most rows first, ties by value."""
    # Ties by value, so that the list does not depend on the row order.
    listed = sorted(unseen.items(), key=lambda item: (-item[1], str(item[0])))
    return dict(
        zip(
            quote_values([value for value, _ in listed], limit),
            quote_values([count for _, count in listed], limit),
            strict=True,
        )
    )
