"""data.personal_data: no model input looks like personal data (an id, a name, an email, ...)."""

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
from mlgate.config.checks.data import PersonalDataConfig
from mlgate.data.personal_data import identifying_reason

CHECK_ID = "data.personal_data"
TITLE = "Personal data among the inputs"


class PersonalDataDetails(TypedDict, total=False):
    """``details`` of ``data.personal_data``."""

    flagged: dict[str, Any]  # on a fail: column -> why it looks personal
    personal_dropped: list[str]
    allowed: list[str]


@register(CHECK_ID, title=TITLE, config=PersonalDataConfig, details=PersonalDataDetails)
def check_personal_data(ctx: CheckContext, cfg: PersonalDataConfig) -> CheckResult:
    """Fail when a model input looks like personal data; say why, never show its values."""
    if ctx.reference.empty or ctx.rows == 0:
        # An empty batch is judged by nothing: this check must not pass a run on its own.
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} or the reference data has no rows.")
    flagged = {
        column: reason
        for column in ctx.data.features
        if column not in cfg.allow
        and (reason := identifying_reason(column, ctx.reference[column])) is not None
    }
    if flagged:
        listed = "; ".join(f"{column}: {reason}" for column, reason in flagged.items())
        return result(
            CHECK_ID,
            TITLE,
            Status.FAIL,
            f"Inputs that look like personal data: {listed}. Declare them under data.personal "
            "(dropped when read) or, after review, under this check's allow.",
            value=len(flagged),
            threshold=0,
            details={"flagged": flagged},
        )
    return result(
        CHECK_ID,
        TITLE,
        Status.PASS,
        f"None of the {len(ctx.data.features)} inputs looks like personal data"
        + (
            f" ({len(ctx.data.personal)} personal columns dropped when read)."
            if ctx.data.personal
            else "."
        ),
        value=0,
        threshold=0,
        details={"personal_dropped": list(ctx.data.personal), "allowed": list(cfg.allow)},
    )
