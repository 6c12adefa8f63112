"""data.leakage: rows of the current data that also occur in the training data."""

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
from mlgate.config.checks.data import LeakageConfig

CHECK_ID = "data.leakage"
TITLE = "Train/test leakage"


class LeakageDetails(TypedDict):
    """``details`` of ``data.leakage``."""

    shared_rows: int
    first_shared_rows: list[int]
    compared_columns: list[str]


@register(CHECK_ID, title=TITLE, config=LeakageConfig, details=LeakageDetails)
def check_leakage(ctx: CheckContext, cfg: LeakageConfig) -> CheckResult:
    """Fail when more than ``max_shared_rate`` of current rows also appear in the training data.

    Rows are compared on every column both tables have (the whole record, not only the model's
    inputs: two people may share all inputs), by hashing each row once, so the check is linear
    in the number of rows.
    """
    import numpy as np
    import pandas as pd

    if ctx.current.empty:
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no rows.")
    columns = [c for c in ctx.reference.columns if c in ctx.current.columns]
    reference = pd.util.hash_pandas_object(ctx.reference[columns], index=False).to_numpy()
    current = pd.util.hash_pandas_object(ctx.current[columns], index=False).to_numpy()
    shared = np.isin(current, reference)
    rate = float(shared.mean())
    return result(
        CHECK_ID,
        TITLE,
        status_from_limit(rate, limit=cfg.max_shared_rate, higher_is_better=False),
        f"{int(shared.sum()):,} of {len(current):,} {ctx.current_name} rows ({rate:.2%}) also "
        f"occur in the training data (limit {cfg.max_shared_rate:.2%}).",
        value=rate,
        threshold=cfg.max_shared_rate,
        n=len(current),
        details={
            "shared_rows": int(shared.sum()),
            "first_shared_rows": np.flatnonzero(shared)[:10].tolist(),
            "compared_columns": columns,
        },
    )
