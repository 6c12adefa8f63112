"""drift.psi: population stability index per feature, an effect size to go with the tests.

A test at Adult's sample sizes flags even tiny shifts; PSI says how large a shift is. Common
reading: below 0.1 no real change, 0.1 to 0.25 a moderate shift, above 0.25 a major one.
"""

from __future__ import annotations

from typing import TypedDict

from mlgate.checks.base import (
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
    skip,
    too_few_rows,
)
from mlgate.checks.drift._columns import category_counts, numeric_values
from mlgate.config.checks.drift import PsiConfig
from mlgate.stats.two_sample import population_stability_index, quantile_bin_counts

CHECK_ID = "drift.psi"
TITLE = "Population stability index"


class PsiDetails(TypedDict):
    """``details`` of ``drift.psi``: PSI per feature (None: infinite), over the limit, warned."""

    psi: dict[str, float | None]
    over_limit: list[str]
    warned: list[str]


@register(CHECK_ID, title=TITLE, config=PsiConfig, details=PsiDetails)
def check_psi(ctx: CheckContext, cfg: PsiConfig) -> CheckResult:
    """Fail when any feature's PSI exceeds ``max_psi``; warn above ``warn_psi``."""
    reason = too_few_rows(ctx, cfg.min_samples)
    if reason:
        return skip(CHECK_ID, TITLE, reason)
    psi: dict[str, float] = {}
    for column in ctx.data.numeric:
        reference = numeric_values(ctx.reference[column])
        current = numeric_values(ctx.current[column])
        if len(reference) == 0 or len(current) == 0:
            psi[column] = float("inf")
            continue
        psi[column] = population_stability_index(
            *quantile_bin_counts(reference, current, bins=cfg.bins)
        )
    for column in ctx.data.categorical:
        counts_ref, counts_cur, _ = category_counts(ctx.reference[column], ctx.current[column])
        psi[column] = population_stability_index(counts_ref, counts_cur)
    worst = max(psi, key=psi.get)
    over = sorted(c for c, v in psi.items() if v > cfg.max_psi)
    raised = sorted(c for c, v in psi.items() if cfg.warn_psi < v <= cfg.max_psi)
    status = Status.FAIL if over else Status.WARN if raised else Status.PASS
    return result(
        CHECK_ID,
        TITLE,
        status,
        f"Largest PSI {psi[worst]:.3f} ({worst}); limit {cfg.max_psi}, warning above "
        f"{cfg.warn_psi}" + (f"; over the limit: {', '.join(over)}." if over else "."),
        value=psi[worst],
        threshold=cfg.max_psi,
        n=len(ctx.current),
        details={
            "psi": {c: (round(v, 6) if v != float("inf") else None) for c, v in psi.items()},
            "over_limit": over,
            "warned": raised,
        },
    )
