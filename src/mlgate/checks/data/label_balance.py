"""data.label_balance: the minority class must not be rarer than a limit."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, TypedDict

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
from mlgate.config.checks.data import LabelBalanceConfig
from mlgate.stats.proportion import confidence_words, upper_bound

if TYPE_CHECKING:
    import pandas as pd

CHECK_ID = "data.label_balance"
TITLE = "Label balance"


class LabelBalanceDetails(TypedDict):
    """``details`` of ``data.label_balance``."""

    positive_rate: float


def label_tallies(ctx: CheckContext, cfg: LabelBalanceConfig) -> list[TallySpec]:
    """Labelled rows under test, and how many of them are positive."""
    return [
        TallySpec(
            "labels",
            partial(count_labels, target=ctx.data.target, positive=ctx.data.positive_label),
        )
    ]


def count_labels(rows: pd.DataFrame, first_row: int, *, target: str, positive: str) -> Tally:
    """Rows with the positive label, when the table has labels."""
    if target not in rows.columns:
        return Tally(len(rows))
    return Tally(
        len(rows), {"labelled": len(rows), "positives": int((rows[target] == positive).sum())}
    )


@register(
    CHECK_ID,
    title=TITLE,
    config=LabelBalanceConfig,
    details=LabelBalanceDetails,
    tallies=label_tallies,
)
def check_label_balance(ctx: CheckContext, cfg: LabelBalanceConfig) -> CheckResult:
    """Fail when the current data's minority class share is below ``min_minority_rate``.

    Judged on the share's one-sided upper bound at ``alpha``: a clean 5-row batch holding no
    positive is not a verdict (:mod:`mlgate.stats.proportion`).
    """
    (spec,) = label_tallies(ctx, cfg)
    labels = ctx.tally(spec).counts
    if not labels.get("labelled"):
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no labels.")
    labelled = labels["labelled"]
    positive_rate = labels["positives"] / labelled
    minority_rows = min(labels["positives"], labelled - labels["positives"])
    minority = minority_rows / labelled
    high = upper_bound(minority_rows, labelled, alpha=cfg.alpha)
    status = status_from_share(minority, high, limit=cfg.min_minority_rate, higher_is_better=True)
    return result(
        CHECK_ID,
        TITLE,
        status,
        f"Minority class is {minority:.1%} of {labelled:,} rows "
        f"({confidence_words(cfg.alpha)} upper bound {high:.1%}; "
        f"positive {positive_rate:.1%}; minimum {cfg.min_minority_rate:.1%})."
        + (TOO_FEW_TO_TELL.replace("over", "under") if status is Status.SKIP else ""),
        value=minority,
        threshold=cfg.min_minority_rate,
        n=labelled,
        details={"positive_rate": positive_rate},
    )
