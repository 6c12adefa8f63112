"""drift.features: per-feature two-sample tests with a multiple-testing correction.

Numeric features: Kolmogorov-Smirnov. Categorical features: chi-squared test of homogeneity on
the category counts (missing values counted as a category). The p-values of all features are
adjusted together (Bonferroni, Holm, or Benjamini-Hochberg), so with ``bonferroni`` or ``holm``
the chance of flagging any feature when nothing drifted stays at most ``alpha``.
"""

from __future__ import annotations

from typing import Required, TypedDict

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
from mlgate.checks.drift import alibi_engine
from mlgate.checks.drift._columns import grid_tally, numeric_values
from mlgate.checks.tally import TallySpec, aligned_counts, categories_tally
from mlgate.config.checks.drift import FeatureDriftConfig
from mlgate.stats.ks_cells import ReferenceGrid, ks_from_cells, reference_grid
from mlgate.stats.two_sample import adjust_p_values, chi_squared_two_sample

CHECK_ID = "drift.features"
TITLE = "Feature drift (KS / chi-squared)"


class FeatureTest(TypedDict, total=False):
    """One feature's two-sample test (``None`` where it could not be computed)."""

    test: Required[str]  # "ks" or "chi2"
    statistic: float | None
    p_value: float | None
    adjusted_p_value: float | None
    drifted: Required[bool]
    reason: str  # why it could not be tested (then it counts as drifted)


class FeatureDriftDetails(TypedDict):
    """``details`` of ``drift.features``."""

    engine: str
    correction: str
    features: dict[str, FeatureTest]
    drifted: list[str]


def feature_tallies(ctx: CheckContext, cfg: FeatureDriftConfig) -> list[TallySpec]:
    """Per numeric feature, its cells on the reference's values; per categorical, its counts."""
    if cfg.engine == "alibi":
        return []  # alibi-detect reads the rows themselves: pandas only
    grids = reference_grids(ctx)
    numeric = [grid_tally(column, grids[column].values) for column in ctx.data.numeric]
    return numeric + [categories_tally(column) for column in ctx.data.categorical]


def reference_grids(ctx: CheckContext) -> dict[str, ReferenceGrid]:
    """Each numeric feature's reference values, as distinct values and counts."""
    return {c: reference_grid(numeric_values(ctx.reference[c])) for c in ctx.data.numeric}


@register(
    CHECK_ID,
    title=TITLE,
    config=FeatureDriftConfig,
    details=FeatureDriftDetails,
    tallies=feature_tallies,
)
def check_feature_drift(ctx: CheckContext, cfg: FeatureDriftConfig) -> CheckResult:
    """Test every feature for drift between reference and current; fail above ``max_drifted``."""
    reason = too_few_rows(ctx, cfg.min_samples)
    if reason:
        return skip(CHECK_ID, TITLE, reason)
    if cfg.engine == "alibi":
        tests = alibi_engine.feature_tests(ctx)
    else:
        tests = scipy_feature_tests(ctx, cfg)
    testable = [name for name, t in tests.items() if t["p_value"] is not None]
    adjusted = adjust_p_values(
        np.array([tests[name]["p_value"] for name in testable]), method=cfg.correction
    )
    for name, p in zip(testable, adjusted, strict=True):
        tests[name]["adjusted_p_value"] = float(p)
        tests[name]["drifted"] = bool(p < cfg.alpha)
    # A feature with no values left in the current data cannot be tested: that is itself drift.
    drifted = sorted(name for name, t in tests.items() if t["drifted"])
    status = Status.FAIL if len(drifted) > cfg.max_drifted else Status.PASS
    smallest = min(testable, key=lambda n: tests[n]["adjusted_p_value"], default=None)
    return result(
        CHECK_ID,
        TITLE,
        status,
        f"{len(drifted)} of {len(tests)} features drifted at alpha {cfg.alpha:.4g} "
        f"({cfg.correction}-corrected; limit {cfg.max_drifted})"
        + (f": {', '.join(drifted)}." if drifted else "."),
        value=len(drifted),
        threshold=cfg.max_drifted,
        p_value=tests[smallest]["adjusted_p_value"] if smallest else None,
        n=ctx.rows,
        details={
            "engine": cfg.engine,
            "correction": cfg.correction,
            "features": tests,
            "drifted": drifted,
        },
    )


def scipy_feature_tests(ctx: CheckContext, cfg: FeatureDriftConfig) -> dict[str, dict]:
    """KS for each numeric feature, chi-squared for each categorical one (scipy and numpy)."""
    tests: dict[str, dict] = {}
    for column, grid in reference_grids(ctx).items():
        cells = ctx.tally(grid_tally(column, grid.values)).counts["cells"]
        if cells.sum() == 0 or grid.rows == 0:
            tests[column] = _untestable("ks", f"no values in {ctx.current_name}")
            continue
        outcome = ks_from_cells(grid, cells)
        tests[column] = _tested("ks", outcome.statistic, outcome.p_value)
    for column in ctx.data.categorical:
        counts_ref, counts_cur, _ = aligned_counts(
            ctx.reference[column], ctx.tally(categories_tally(column)).counts["values"]
        )
        outcome = chi_squared_two_sample(counts_ref, counts_cur)
        tests[column] = _tested("chi2", outcome.statistic, outcome.p_value)
    return tests


def _tested(test: str, statistic: float, p_value: float) -> dict:
    return {"test": test, "statistic": statistic, "p_value": p_value, "drifted": False}


def _untestable(test: str, reason: str) -> dict:
    return {
        "test": test,
        "statistic": None,
        "p_value": None,
        "adjusted_p_value": None,
        "drifted": True,
        "reason": reason,
    }
