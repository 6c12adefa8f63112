"""data.denied_inputs: columns that must never be model inputs."""

from __future__ import annotations

from typing import TypedDict

from mlgate.checks.base import (
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
    skip,
)
from mlgate.checks.context import Need
from mlgate.config.checks.data import DeniedInputsConfig

CHECK_ID = "data.denied_inputs"
TITLE = "Denied model inputs"


class DeniedInputsDetails(TypedDict, total=False):
    """``details`` of ``data.denied_inputs``."""

    denied: list[str]  # on a pass: the denied columns
    denied_inputs: list[str]  # on a fail: the denied columns the model reads


@register(
    CHECK_ID,
    title=TITLE,
    config=DeniedInputsConfig,
    uses=(Need.MODEL,),
    details=DeniedInputsDetails,
)
def check_denied_inputs(ctx: CheckContext, cfg: DeniedInputsConfig) -> CheckResult:
    """Fail when a denied column is among the model's inputs (declared or seen by the model)."""
    if ctx.rows == 0:
        # Nothing is being judged: a run on an empty batch must not pass on this check alone.
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no rows.")
    inputs = set(ctx.data.features)
    fitted = getattr(ctx.model, "feature_names_in_", None)
    if fitted is not None:
        inputs |= {str(name) for name in fitted}
    used = sorted(inputs & set(cfg.columns))
    if used:
        return result(
            CHECK_ID,
            TITLE,
            Status.FAIL,
            f"Denied columns are model inputs: {used}. Remove them from data.numeric / "
            "data.categorical.",
            value=len(used),
            threshold=0,
            details={"denied_inputs": used},
        )
    return result(
        CHECK_ID,
        TITLE,
        Status.PASS,
        f"None of the {len(cfg.columns)} denied columns ({', '.join(cfg.columns) or 'none'}) "
        "is a model input.",
        value=0,
        threshold=0,
        details={"denied": list(cfg.columns)},
    )
