"""drift.psi: population stability index per feature, an effect size to go with the tests.

A test at Adult's sample sizes flags even tiny shifts; PSI says how large a shift is. Common
reading: below 0.1 no real change, 0.1 to 0.25 a moderate shift, above 0.25 a major one.
"""

from __future__ import annotations

from typing import TypedDict

import numpy as np

from mlgate.checks.base import (
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
    skip,
    too_few_rows,
)
from mlgate.checks.drift._columns import binned_tally, numeric_values
from mlgate.checks.tally import TallySpec, aligned_counts, categories_tally
from mlgate.config.checks.drift import PsiConfig
from mlgate.stats.two_sample import edge_bin_counts, population_stability_index, quantile_edges

CHECK_ID = "drift.psi"
TITLE = "Population stability index"


class PsiDetails(TypedDict):
    """``details`` of ``drift.psi``: PSI per feature (None: infinite), over the limit, warned."""

    psi: dict[str, float | None]
    over_limit: list[str]
    warned: list[str]


def psi_tallies(ctx: CheckContext, cfg: PsiConfig) -> list[TallySpec]:
    """Per numeric feature, counts in the reference's quantile bins; per categorical, counts."""
    specs = []
    for column in ctx.data.numeric:
        reference = numeric_values(ctx.reference[column])
        edges = quantile_edges(reference, bins=cfg.bins) if len(reference) else np.empty(0)
        specs.append(binned_tally(column, edges))
    return specs + [categories_tally(column) for column in ctx.data.categorical]


@register(CHECK_ID, title=TITLE, config=PsiConfig, details=PsiDetails, tallies=psi_tallies)
def check_psi(ctx: CheckContext, cfg: PsiConfig) -> CheckResult:
    """Fail when any feature's PSI exceeds ``max_psi``; warn above ``warn_psi``."""
    reason = too_few_rows(ctx, cfg.min_samples)
    if reason:
        return skip(CHECK_ID, TITLE, reason)
    psi: dict[str, float] = {}
    for column in ctx.data.numeric:
        reference = numeric_values(ctx.reference[column])
        if len(reference) == 0:
            psi[column] = float("inf")
            continue
        edges = quantile_edges(reference, bins=cfg.bins)
        current = ctx.tally(binned_tally(column, edges)).counts["bins"]
        psi[column] = (
            population_stability_index(edge_bin_counts(edges, reference), current)
            if current.sum()
            else float("inf")
        )
    for column in ctx.data.categorical:
        counts_ref, counts_cur, _ = aligned_counts(
            ctx.reference[column], ctx.tally(categories_tally(column)).counts["values"]
        )
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
        n=ctx.rows,
        details={
            "psi": {c: (round(v, 6) if v != float("inf") else None) for c, v in psi.items()},
            "over_limit": over,
            "warned": raised,
        },
    )
