"""data.leakage: rows of the current data that also occur in the training data.

A table of few, coarse columns repeats itself by chance: in Titanic's sex, age and class, three
test rows in four equal some training row, though they are other people. The chance rate is
measured on the training rows themselves: the share of them equal to another training row is
what a test row drawn from the same rows would show. The check fails only when the share of
current rows found in the training data exceeds that chance rate by more than
``max_shared_rate``, judged on the share's one-sided lower bound at ``alpha`` (Wilson), so a single
shared row in a 100-row batch is not a verdict. A test set copied from the training rows shares
nearly all of them against a chance rate near zero.
"""

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
from mlgate.config.checks.data import LeakageConfig
from mlgate.stats.proportion import confidence_words, lower_bound

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

#: Shared rows listed in the evidence.
LISTED_ROWS = 10

CHECK_ID = "data.leakage"
TITLE = "Train/test leakage"


class LeakageDetails(TypedDict):
    """``details`` of ``data.leakage``.

    ``chance_rate``: the share of training rows equal to another training row;
    ``excess_lower_bound``: the shared share's one-sided lower bound less ``chance_rate``.
    """

    shared_rows: int
    first_shared_rows: list[int]
    compared_columns: list[str]
    chance_rate: float
    excess_lower_bound: float


def leakage_tallies(ctx: CheckContext, cfg: LeakageConfig) -> list[TallySpec]:
    """Rows under test that also occur in the training data, and the first of them.

    Rows are compared on every column both tables have (the whole record, not only the model's
    inputs: two people may share all inputs), by hashing each row once, so the count is linear
    in the number of rows.
    """
    import numpy as np
    import pandas as pd

    columns = compared_columns(ctx)
    training = np.unique(pd.util.hash_pandas_object(ctx.reference[columns], index=False))
    return [TallySpec("leakage", partial(count_shared, columns=columns, training=training))]


def chance_rate(reference: pd.DataFrame, columns: list[str]) -> float:
    """The share of ``reference`` rows equal, in ``columns``, to another of its rows."""
    import numpy as np
    import pandas as pd

    if len(reference) < 2:
        return 0.0
    hashes = pd.util.hash_pandas_object(reference[columns], index=False).to_numpy()
    _, inverse, counts = np.unique(hashes, return_inverse=True, return_counts=True)
    return float((counts[inverse] > 1).mean())


def compared_columns(ctx: CheckContext) -> list[str]:
    """The columns of the training data the rows under test have too."""
    return [c for c in ctx.reference.columns if c in ctx.current.columns]


def count_shared(
    rows: pd.DataFrame, first_row: int, *, columns: list, training: np.ndarray
) -> Tally:
    """Rows whose hash is among the training rows' hashes; the first few by position."""
    import numpy as np
    import pandas as pd

    shared = np.isin(pd.util.hash_pandas_object(rows[columns], index=False).to_numpy(), training)
    first = tuple(int(first_row + i) for i in np.flatnonzero(shared)[:LISTED_ROWS])
    return Tally(len(rows), {"shared": int(shared.sum())}, {"rows": first}, limit=LISTED_ROWS)


@register(
    CHECK_ID, title=TITLE, config=LeakageConfig, details=LeakageDetails, tallies=leakage_tallies
)
def check_leakage(ctx: CheckContext, cfg: LeakageConfig) -> CheckResult:
    """Fail when more than ``max_shared_rate`` of current rows also appear in the training data."""
    if ctx.rows == 0:
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no rows.")
    (spec,) = leakage_tallies(ctx, cfg)
    tally = ctx.tally(spec)
    shared = tally.counts["shared"]
    rate = shared / ctx.rows
    chance = chance_rate(ctx.reference, compared_columns(ctx))
    excess = max(0.0, lower_bound(shared, ctx.rows, alpha=cfg.alpha) - chance)
    status = status_from_share(
        max(0.0, rate - chance), excess, limit=cfg.max_shared_rate, higher_is_better=False
    )
    by_chance = (
        f"; training rows repeat each other {chance:.2%} of the time, so that many are chance"
        if chance > 0
        else ""
    )
    return result(
        CHECK_ID,
        TITLE,
        status,
        f"{shared:,} of {ctx.rows:,} {ctx.current_name} rows ({rate:.2%}) also occur in the "
        f"training data{by_chance}; beyond chance, at least {excess:.2%} "
        f"({confidence_words(cfg.alpha)} lower bound; "
        f"limit {cfg.max_shared_rate:.2%})." + (TOO_FEW_TO_TELL if status is Status.SKIP else ""),
        value=rate,
        threshold=cfg.max_shared_rate,
        n=ctx.rows,
        details={
            "shared_rows": shared,
            "first_shared_rows": list(tally.firsts.get("rows", ())),
            "compared_columns": compared_columns(ctx),
            "chance_rate": round(chance, 6),
            "excess_lower_bound": round(excess, 6),
        },
    )
