"""drift.multivariate: a kernel two-sample test (MMD) on the model's preprocessed inputs.

Per-feature tests miss a change in how features move together; MMD compares whole rows.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, TypedDict

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
from mlgate.checks.context import Need
from mlgate.checks.tally import Tally, TallySpec
from mlgate.config.checks.drift import MultivariateDriftConfig
from mlgate.stats.two_sample import mmd_permutation_test

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

CHECK_ID = "drift.multivariate"
TITLE = "Multivariate drift (MMD)"


class MultivariateDriftDetails(TypedDict):
    """``details`` of ``drift.multivariate``."""

    n_permutations: int
    dimensions: int


def multivariate_tallies(ctx: CheckContext, cfg: MultivariateDriftConfig) -> list[TallySpec]:
    """The sampled rows under test, as the model's preprocessing encodes them."""
    if ctx.model is None:
        return []
    _, current_rows = sampled_rows(ctx, cfg)
    count = partial(
        count_sampled,
        positions=current_rows,
        transform=ctx.model.named_steps["preprocess"].transform,
    )
    key = f"multivariate:{cfg.seed}:{cfg.max_rows}"
    return [TallySpec(key, count)]


def sampled_rows(ctx: CheckContext, cfg: MultivariateDriftConfig) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the reference rows and of the rows under test the test compares (seeded)."""
    rng = np.random.default_rng(cfg.seed)

    def positions(rows: int) -> np.ndarray:
        return np.sort(rng.choice(rows, size=min(cfg.max_rows, rows), replace=False))

    return positions(len(ctx.reference)), positions(ctx.rows)


def count_sampled(
    rows: pd.DataFrame, first_row: int, *, positions: np.ndarray, transform: Callable
) -> Tally:
    """The encoded rows of ``rows`` whose position in the whole is among ``positions``."""
    inside = positions[(positions >= first_row) & (positions < first_row + len(rows))]
    if not inside.size:
        return Tally(len(rows), firsts={"rows": ()}, limit=len(positions))
    encoded = np.asarray(transform(rows.iloc[inside - first_row]), dtype=float)
    return Tally(len(rows), firsts={"rows": tuple(encoded)}, limit=len(positions))


@register(
    CHECK_ID,
    title=TITLE,
    config=MultivariateDriftConfig,
    needs=(Need.MODEL,),
    details=MultivariateDriftDetails,
    tallies=multivariate_tallies,
)
def check_multivariate_drift(ctx: CheckContext, cfg: MultivariateDriftConfig) -> CheckResult:
    """Fail when the MMD permutation p-value is below ``alpha``."""
    reason = too_few_rows(ctx, cfg.min_samples)
    if reason:
        return skip(CHECK_ID, TITLE, reason)
    transform = ctx.model.named_steps["preprocess"].transform
    reference_rows, _ = sampled_rows(ctx, cfg)
    reference = np.asarray(transform(ctx.reference.iloc[reference_rows]), dtype=float)
    (spec,) = multivariate_tallies(ctx, cfg)
    current = np.vstack(ctx.tally(spec).firsts["rows"])
    outcome = mmd_permutation_test(
        reference, current, n_permutations=cfg.n_permutations, seed=cfg.seed
    )
    drifted = outcome.p_value < cfg.alpha
    return result(
        CHECK_ID,
        TITLE,
        Status.FAIL if drifted else Status.PASS,
        f"MMD² {outcome.statistic:.4g} on {len(reference)} + {len(current)} rows, permutation "
        f"p = {outcome.p_value:.3g} (alpha {cfg.alpha}): "
        + ("the joint distribution moved." if drifted else "no significant joint drift."),
        value=outcome.p_value,
        threshold=cfg.alpha,
        statistic=outcome.statistic,
        p_value=outcome.p_value,
        n=len(current),
        details={"n_permutations": cfg.n_permutations, "dimensions": int(reference.shape[1])},
    )
