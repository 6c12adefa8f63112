"""data.duplicates: the share of rows that repeat an earlier row exactly."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from mlgate.checks.base import (
    TOO_FEW_TO_TELL,
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
    skip,
    status_from_share,
)
from mlgate.checks.tally import Tally, TallySpec
from mlgate.config.checks.data import DuplicatesConfig
from mlgate.stats.proportion import confidence_words, lower_bound

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

CHECK_ID = "data.duplicates"
TITLE = "Duplicate rows"


class DuplicatesDetails(TypedDict):
    """``details`` of ``data.duplicates``."""

    duplicate_rows: int


def duplicates_tallies(ctx: CheckContext, cfg: DuplicatesConfig) -> list[TallySpec]:
    """Rows that repeat an earlier row: a count that does not add across parts."""
    return [TallySpec("duplicates", count_duplicates, whole=duplicates_on_dask)]


def count_duplicates(rows: pd.DataFrame, first_row: int) -> Tally:
    """Rows of ``rows`` that repeat an earlier one."""
    return Tally(len(rows), {"duplicates": int(rows.duplicated().sum())})


def duplicates_on_dask(rows: Any, compute: Callable) -> Tally:
    """Rows that repeat an earlier one in a Dask collection: all rows less the distinct ones.

    Rows are told apart by a 64-bit hash of their values, and the distinct hashes are found by
    Dask's shuffle, so no worker holds more than its share. Two different rows share a hash
    with probability about n²/2⁶⁵ (1 in 15,000 for 50 million rows).
    """
    import pandas as pd

    hashes = rows.map_partitions(
        lambda part: pd.util.hash_pandas_object(part, index=False), meta=("hash", "uint64")
    )
    total, distinct = compute(hashes.size, hashes.drop_duplicates(split_out=True).size)
    return Tally(int(total), {"duplicates": int(total) - int(distinct)})


@register(
    CHECK_ID,
    title=TITLE,
    config=DuplicatesConfig,
    details=DuplicatesDetails,
    tallies=duplicates_tallies,
)
def check_duplicates(ctx: CheckContext, cfg: DuplicatesConfig) -> CheckResult:
    """Fail when more than ``max_duplicate_rate`` of the current rows repeat an earlier row.

    Judged on the share's one-sided lower bound at ``alpha`` (:mod:`mlgate.stats.proportion`).
    """
    if ctx.rows == 0:
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no rows.")
    (spec,) = duplicates_tallies(ctx, cfg)
    duplicates = ctx.tally(spec).counts["duplicates"]
    rate = duplicates / ctx.rows
    low = lower_bound(duplicates, ctx.rows, alpha=cfg.alpha)
    status = status_from_share(rate, low, limit=cfg.max_duplicate_rate, higher_is_better=False)
    return result(
        CHECK_ID,
        TITLE,
        status,
        f"{duplicates:,} of {ctx.rows:,} rows ({rate:.2%}; {confidence_words(cfg.alpha)} "
        f"lower bound {low:.2%}) repeat an "
        f"earlier row (limit {cfg.max_duplicate_rate:.2%})."
        + (TOO_FEW_TO_TELL if status is Status.SKIP else ""),
        value=rate,
        threshold=cfg.max_duplicate_rate,
        n=ctx.rows,
        details={"duplicate_rows": duplicates},
    )
