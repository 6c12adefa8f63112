"""robustness.monotonic: declared monotonic expectations hold, all else equal."""

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
from mlgate.checks.context import Need
from mlgate.checks.robustness._predict import sample_rows, scores
from mlgate.config.checks.robustness import MonotonicConfig

CHECK_ID = "robustness.monotonic"
TITLE = "Monotonic expectations"


class MonotonicDetails(TypedDict):
    """``details`` of ``robustness.monotonic``."""

    features: dict[str, Any]


@register(
    CHECK_ID, title=TITLE, config=MonotonicConfig, needs=(Need.MODEL,), details=MonotonicDetails
)
def check_monotonic(ctx: CheckContext, cfg: MonotonicConfig) -> CheckResult:
    """Sweep each feature over a grid for every sampled row; scores must move one way only."""
    import numpy as np

    expectations = [(f, 1) for f in cfg.increasing] + [(f, -1) for f in cfg.decreasing]
    if not expectations:
        return skip(CHECK_ID, TITLE, "no monotonic expectations declared.")
    rows = sample_rows(ctx, cfg.max_rows, cfg.seed)
    if rows.empty:
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no rows.")
    violations = {}
    for feature, direction in expectations:
        seen = ctx.reference[feature].dropna()
        grid = np.linspace(seen.min(), seen.max(), cfg.steps)
        sweep = []
        for value in grid:
            moved = rows.copy()
            moved[feature] = value
            sweep.append(scores(ctx, moved))
        steps = direction * np.diff(np.column_stack(sweep), axis=1)  # (rows, steps - 1)
        worst = float(-steps.min()) if steps.size else 0.0
        broken = np.flatnonzero((steps < -cfg.tolerance).any(axis=1))
        violations[feature] = {
            "direction": "increasing" if direction > 0 else "decreasing",
            "rows_violating": len(broken),
            "largest_wrong_move": max(worst, 0.0),
            "example_rows": broken[:5].tolist(),
        }
    failing = sorted(f for f, v in violations.items() if v["rows_violating"])
    worst_feature = max(violations, key=lambda f: violations[f]["largest_wrong_move"])
    return result(
        CHECK_ID,
        TITLE,
        Status.FAIL if failing else Status.PASS,
        (
            f"Broken for {failing}: e.g. {worst_feature} moves a score the wrong way by "
            f"{violations[worst_feature]['largest_wrong_move']:.3g} in "
            f"{violations[worst_feature]['rows_violating']} of {len(rows):,} rows."
            if failing
            else f"{', '.join(f for f, _ in expectations)}: monotonic in all {len(rows):,} "
            f"sampled rows over {cfg.steps} grid points."
        ),
        value=float(violations[worst_feature]["largest_wrong_move"]),
        threshold=cfg.tolerance,
        n=len(rows),
        details={"features": violations},
    )
