"""robustness.monotonic: declared monotonic expectations hold, all else equal."""

from __future__ import annotations

from pydantic import Field

from mlgate.checks.base import (
    CheckConfig,
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
    skip,
)
from mlgate.checks.robustness._predict import sample_rows, scores

CHECK_ID = "robustness.monotonic"
TITLE = "Monotonic expectations"


class MonotonicConfig(CheckConfig):
    """Features whose increase may never lower (or raise) the score."""

    increasing: tuple[str, ...] = ()
    decreasing: tuple[str, ...] = ()
    steps: int = Field(8, ge=2, le=100, description="Grid points across the training range.")
    max_rows: int = Field(2000, ge=10)
    tolerance: float = Field(1e-9, ge=0, description="Score drops up to this are noise.")
    seed: int = Field(0, ge=0)

    def named_columns(self) -> tuple[str, ...]:  # noqa: D102
        return (*self.increasing, *self.decreasing)


@register(CHECK_ID, title=TITLE, config=MonotonicConfig)
def check_monotonic(ctx: CheckContext, cfg: MonotonicConfig) -> CheckResult:
    """Sweep each feature over a grid for every sampled row; scores must move one way only."""
    import numpy as np

    if ctx.model is None:
        return skip(CHECK_ID, TITLE, "no model to score with.")
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
