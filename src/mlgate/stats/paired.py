"""Paired tests of two classifiers on the same rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class McNemarOutcome:
    """Discordant pairs and the exact one-sided p-value that the challenger is less accurate.

    Attributes
    ----------
    challenger_only_wrong : int
        Rows the champion classified right and the challenger wrong.
    champion_only_wrong : int
        Rows the challenger classified right and the champion wrong.
    p_value : float
        Exact binomial p-value of H1 "the challenger errs more often" (1 when no row differs).
    """

    challenger_only_wrong: int
    champion_only_wrong: int
    p_value: float


def mcnemar_worse(challenger_correct: np.ndarray, champion_correct: np.ndarray) -> McNemarOutcome:
    """Exact one-sided McNemar test of "the challenger is less accurate than the champion"."""
    return mcnemar_from_counts(
        int(np.sum(champion_correct & ~challenger_correct)),
        int(np.sum(challenger_correct & ~champion_correct)),
    )


def mcnemar_from_counts(challenger_only_wrong: int, champion_only_wrong: int) -> McNemarOutcome:
    """:func:`mcnemar_worse` from the two counts of discordant rows."""
    from scipy import stats

    discordant = challenger_only_wrong + champion_only_wrong
    if discordant == 0:
        return McNemarOutcome(0, 0, 1.0)
    p_value = stats.binomtest(challenger_only_wrong, discordant, 0.5, alternative="greater").pvalue
    return McNemarOutcome(challenger_only_wrong, champion_only_wrong, float(p_value))
