"""data.missing_values: the share of missing values per column, against limits."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, TypedDict

from mlgate.checks.base import (
    TOO_FEW_TO_TELL,
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
    skip,
)
from mlgate.checks.tally import Tally, TallySpec
from mlgate.config.checks.data import MissingValuesConfig
from mlgate.stats.proportion import lower_bound

if TYPE_CHECKING:
    import pandas as pd

CHECK_ID = "data.missing_values"
TITLE = "Missing values per column"


class MissingValuesDetails(TypedDict):
    """``details`` of ``data.missing_values``."""

    columns: dict[str, Any]  # missing share per column
    over_limit: list[str]


def missing_tallies(ctx: CheckContext, cfg: MissingValuesConfig) -> list[TallySpec]:
    """Missing values per declared column of the rows under test."""
    return [TallySpec("missing", partial(count_missing, columns=ctx.data.required_columns))]


def count_missing(rows: pd.DataFrame, first_row: int, *, columns: tuple[str, ...]) -> Tally:
    """Rows without a value, per column of ``columns`` the table has."""
    return Tally(len(rows), {c: int(rows[c].isna().sum()) for c in columns if c in rows.columns})


@register(
    CHECK_ID,
    title=TITLE,
    config=MissingValuesConfig,
    details=MissingValuesDetails,
    tallies=missing_tallies,
)
def check_missing_values(ctx: CheckContext, cfg: MissingValuesConfig) -> CheckResult:
    """Fail when any declared column's missing share in the current data exceeds its limit.

    Judged on each share's one-sided lower bound, at ``alpha`` across the columns: with a limit of 0
    one missing value still fails (:mod:`mlgate.stats.proportion`).
    """
    if ctx.rows == 0:
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no rows.")
    (spec,) = missing_tallies(ctx, cfg)
    missing = ctx.tally(spec)
    columns = [c for c in ctx.data.required_columns if c in missing.counts]
    rates = {c: missing.counts[c] / missing.rows for c in columns}
    limits = {c: cfg.per_column.get(c, cfg.max_missing_rate) for c in columns}
    # Each column's lower bound at alpha shared across the columns (Bonferroni): over the limit
    # only when the share is, beyond what a clean batch of this size shows by chance.
    alpha = cfg.alpha / max(1, len(columns))
    lows = {c: lower_bound(missing.counts[c], missing.rows, alpha=alpha) for c in columns}
    over = {c: float(rates[c]) for c in columns if lows[c] > limits[c]}
    untold = sorted(c for c in columns if rates[c] > limits[c] and c not in over)
    worst = max(columns, key=lambda c: (rates[c] - limits[c], rates[c]))
    table = {
        c: {
            "missing_rate": round(float(rates[c]), 6),
            "lower_bound": round(lows[c], 6),
            "limit": limits[c],
        }
        for c in columns
    }
    if over:
        listed = ", ".join(f"{c} {r:.1%} > {limits[c]:.1%}" for c, r in sorted(over.items()))
        summary = f"{len(over)} columns exceed their missing-value limit: {listed}."
        status = Status.FAIL
    elif untold:
        listed = ", ".join(f"{c} {rates[c]:.1%} > {limits[c]:.1%}" for c in untold)
        summary = f"Over the limit on these rows: {listed}." + TOO_FEW_TO_TELL.replace(
            " over the limit on these rows,", ""
        )
        status = Status.SKIP
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
        n=ctx.rows,
        details={"columns": table, "over_limit": sorted(over)},
    )
