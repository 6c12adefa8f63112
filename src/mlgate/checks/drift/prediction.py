"""drift.prediction: whether the distribution of the model's scores has moved."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, TypedDict

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
from mlgate.checks.context import SCORES_TALLY, Need
from mlgate.checks.tally import Tally, TallySpec
from mlgate.config.checks.drift import PredictionDriftConfig
from mlgate.model.estimators import positive_scores
from mlgate.stats.ks_cells import grid_cells, ks_from_cells, reference_grid
from mlgate.stats.two_sample import edge_bin_counts, population_stability_index, quantile_edges

if TYPE_CHECKING:
    import pandas as pd

CHECK_ID = "drift.prediction"
TITLE = "Prediction drift"


class PredictionDriftDetails(TypedDict):
    """``details`` of ``drift.prediction``."""

    reference_mean_score: float
    current_mean_score: float


def score_tallies(ctx: CheckContext, cfg: PredictionDriftConfig) -> list[TallySpec]:
    """The model's scores on the rows under test: cells on the reference scores, PSI bins, sum."""
    if ctx.reference_scores is None or ctx.model is None:
        return []
    grid = reference_grid(ctx.reference_scores).values
    edges = quantile_edges(ctx.reference_scores, bins=cfg.bins)
    count = partial(count_scores, model=ctx.model, grid=grid, edges=edges)
    return [TallySpec(SCORES_TALLY, count)]


def count_scores(
    rows: pd.DataFrame, first_row: int, *, model: Any, grid: np.ndarray, edges: np.ndarray
) -> Tally:
    """The tally of :func:`score_tallies`: ``rows`` scored by ``model``."""
    return tally_of_scores(positive_scores(model, rows), grid=grid, edges=edges)


def tally_of_scores(scores: np.ndarray, *, grid: np.ndarray, edges: np.ndarray) -> Tally:
    """Cells of ``scores`` on ``grid``, their counts between ``edges``, and their sum."""
    counts = {
        "cells": grid_cells(grid, scores),
        "bins": edge_bin_counts(edges, scores),
        "sum": float(scores.sum()),
    }
    return Tally(len(scores), counts)


@register(
    CHECK_ID,
    title=TITLE,
    config=PredictionDriftConfig,
    needs=(Need.SCORES, Need.REFERENCE_SCORES),
    details=PredictionDriftDetails,
    tallies=score_tallies,
)
def check_prediction_drift(ctx: CheckContext, cfg: PredictionDriftConfig) -> CheckResult:
    """Fail when the scores' KS test is significant at ``alpha`` and their PSI exceeds ``max_psi``.

    With tens of thousands of rows a KS test is significant for a negligible shift, so the
    verdict needs both: a shift that is real (the test) and large enough to matter (PSI).
    """
    reason = too_few_rows(ctx, cfg.min_samples)
    if reason:
        return skip(CHECK_ID, TITLE, reason)
    reference = ctx.reference_scores
    grid, edges = reference_grid(reference), quantile_edges(reference, bins=cfg.bins)
    if SCORES_TALLY in ctx.tallies:  # counted where a cluster holds the rows
        scores = ctx.tallies[SCORES_TALLY]
    else:  # scored already: counted from the scores, not scored again
        scores = tally_of_scores(ctx.current_scores, grid=grid.values, edges=edges)
    outcome = ks_from_cells(grid, scores.counts["cells"])
    psi = population_stability_index(edge_bin_counts(edges, reference), scores.counts["bins"])
    drifted = outcome.p_value < cfg.alpha and psi > cfg.max_psi
    return result(
        CHECK_ID,
        TITLE,
        Status.FAIL if drifted else Status.PASS,
        f"Scores: KS {outcome.statistic:.3f} (p = {outcome.p_value:.3g}, alpha {cfg.alpha:.4g}), "
        f"PSI {psi:.3f} (limit {cfg.max_psi}); "
        + ("drifted." if drifted else "no material drift."),
        value=psi,
        threshold=cfg.max_psi,
        statistic=outcome.statistic,
        p_value=outcome.p_value,
        n=scores.rows,
        details={
            "reference_mean_score": float(reference.mean()),
            "current_mean_score": scores.counts["sum"] / scores.rows,
        },
    )
