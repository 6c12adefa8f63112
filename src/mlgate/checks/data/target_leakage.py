"""data.target_leakage: no input predicts the label on its own, as a copy of the outcome would.

Judged on the training split (the context's reference rows and their labels), before any model
is trained on it: see :mod:`mlgate.data.target_leakage` for the statistics. An input is flagged
when the lower bound of its single-feature ROC AUC is above ``max_single_feature_auc``, or above
``max_suspect_feature_auc`` when a second sign points at a leak: a name or type that hints at
post-outcome information, or a missing-or-present pattern that predicts the label. A hint is
never a reason on its own. ``allow`` keeps a reviewed input, with the reason, in the evidence.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from mlgate.checks.base import (
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
    skip,
)
from mlgate.checks.tally import TallySpec
from mlgate.config.checks.data import TargetLeakageConfig
from mlgate.data.target_leakage import (
    ColumnLeakage,
    Statistic,
    leak_signs,
    measure_inputs,
    too_little_data,
)

if TYPE_CHECKING:
    import numpy as np

CHECK_ID = "data.target_leakage"
TITLE = "Target leakage in the inputs"


class TargetLeakageDetails(TypedDict):
    """``details`` of ``data.target_leakage``."""

    flagged: dict[str, list[str]]  # column -> the statistics above the limit, described
    allowed: dict[str, dict[str, Any]]  # column -> {"reason", "would_flag"}
    hints: dict[str, str]  # column -> why its name or type suggests post-outcome information
    inputs: dict[str, dict[str, Any]]  # column -> statistic -> estimate, ci_low, ci_high
    max_single_feature_auc: float
    max_suspect_feature_auc: float


def no_tallies(ctx: CheckContext, cfg: TargetLeakageConfig) -> list[TallySpec]:
    """Nothing: the check reads the training rows, never the rows under test."""
    return []


@register(
    CHECK_ID,
    title=TITLE,
    config=TargetLeakageConfig,
    details=TargetLeakageDetails,
    tallies=no_tallies,
)
def check_target_leakage(ctx: CheckContext, cfg: TargetLeakageConfig) -> CheckResult:
    """Fail when an input, alone, predicts the training label above the limit."""
    import numpy as np

    data = ctx.data
    labels = ctx.reference.get(data.target)
    y = None if labels is None else (labels == data.positive_label).to_numpy(dtype=np.int64)
    reason = _unjudgeable(ctx, cfg, y)
    if reason:
        return skip(CHECK_ID, TITLE, reason)
    measured = measure_inputs(
        ctx.reference,
        y,
        columns=data.features,
        target=data.target,
        cfg=cfg,
    )
    limit = cfg.max_single_feature_auc
    suspect = cfg.max_suspect_feature_auc
    above = {c: s for c, m in measured.items() if (s := leak_signs(m, limit, suspect=suspect))}
    flagged = {c: [s.describe() for s in stats] for c, stats in above.items() if c not in cfg.allow}
    allowed = {
        column: {"reason": why, "would_flag": column in above} for column, why in cfg.allow.items()
    }
    strongest, highest = _highest(measured, excluded=set(cfg.allow))
    return result(
        CHECK_ID,
        TITLE,
        Status.FAIL if flagged else Status.PASS,
        _summary(
            flagged,
            allowed,
            len(measured),
            strongest=f"{strongest}, {highest.describe()}" if highest else None,
            limit=limit,
            suspect=cfg.max_suspect_feature_auc,
        ),
        value=highest.estimate if highest else None,
        threshold=limit,
        ci_low=highest.low if highest else None,
        ci_high=highest.high if highest else None,
        n=len(y),
        details={
            "flagged": flagged,
            "allowed": allowed,
            "hints": {c: m.hint for c, m in measured.items() if m.hint},
            "inputs": {c: m.to_dict() for c, m in measured.items()},
            "max_single_feature_auc": limit,
            "max_suspect_feature_auc": cfg.max_suspect_feature_auc,
        },
    )


def _unjudgeable(ctx: CheckContext, cfg: TargetLeakageConfig, y: np.ndarray | None) -> str | None:
    """Why the training split cannot be judged, or None."""
    if ctx.is_batch:
        # The statistic is of the training rows: a batch (often unlabelled) changes nothing.
        return "judged on the training split by the check stage, not on a batch."
    if ctx.data.target not in ctx.reference.columns:
        return f"the training data has no target column {ctx.data.target!r}."
    return too_little_data(
        y, min_samples=cfg.min_samples, min_class_rows=cfg.min_class_rows, n_folds=cfg.n_folds
    )


def _highest(
    measured: dict[str, ColumnLeakage], *, excluded: set[str]
) -> tuple[str | None, Statistic | None]:
    """The input, not allowed, with the highest statistic, and that statistic."""
    pairs = [(c, s) for c, m in measured.items() if c not in excluded for s in m.statistics]
    return max(pairs, key=lambda pair: pair[1].estimate, default=(None, None))


def _summary(
    flagged: dict[str, list[str]],
    allowed: dict[str, dict],
    inputs: int,
    *,
    strongest: str | None,
    limit: float,
    suspect: float,
) -> str:
    kept = [c for c, entry in allowed.items() if entry["would_flag"]]
    allowed_note = f" Allowed after review: {', '.join(kept)}." if kept else ""
    if flagged:
        listed = "; ".join(f"{c}: {', '.join(stats)}" for c, stats in flagged.items())
        return (
            f"{len(flagged)} of {inputs} inputs predict the training label alone above "
            f"ROC AUC {limit}, or above {suspect} with a post-outcome hint or as a "
            f"missing-or-present pattern (interval's lower bound): {listed}. A column recorded "
            "after the "
            "outcome, or a copy of the label, must not be an input: remove it from "
            "data.numeric / data.categorical, or after review allow it with a reason under "
            f"checks.data.target_leakage.allow.{allowed_note}"
        )
    return (
        f"No input predicts the training label alone above ROC AUC {limit} (or {suspect} "
        "with a second sign of a leak)"
        + (f" (strongest: {strongest})" if strongest else "")
        + f".{allowed_note}"
    )
