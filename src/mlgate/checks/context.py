"""What a check may look at (:class:`CheckContext`), and the inputs a check declares it needs.

A check declares its inputs (``needs=`` when registered): the model, its scores, the labels, the
champion, SHAP importance, a retrain. The ``check`` stage provides only what the checks being run
need (a run of the data suite loads no model), and the runner turns a missing input into a
``skip`` with the reason, or an ``error`` when it could not be computed, before the check runs.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mlgate.config import DataConfig

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from mlgate.checks.tally import Tally, TallySpec


class Need(enum.StrEnum):
    """An input a check needs beyond the reference and current rows."""

    MODEL = "model"
    SCORES = "scores"
    REFERENCE_SCORES = "reference_scores"
    LABELS = "labels"
    CHAMPION = "champion"
    IMPORTANCE = "importance"
    RETRAIN = "retrain"


@dataclass(frozen=True)
class Baseline:
    """The champion a challenger is compared with, scored on the same rows, or why there is none.

    Attributes
    ----------
    rev : str
        The git revision the baseline was taken from.
    scores : numpy.ndarray, optional
        The baseline model's positive-class scores on ``CheckContext.current``.
    unavailable_reason : str, optional
        Why no baseline could be had (no such revision, model not in the DVC cache, ...).
    error : str, optional
        What went wrong loading or scoring it (a refused file, a model that cannot score these
        rows): the checks that need it give ``error``, not ``skip``.
    """

    rev: str
    scores: np.ndarray | None = None
    unavailable_reason: str | None = None
    error: str | None = None


@dataclass(frozen=True)
class CheckContext:
    """Everything a check may look at; built once per run by the caller.

    Attributes
    ----------
    data : DataConfig
        The declared schema (features, target, labels, sensitive features).
    reference : pandas.DataFrame
        The training data: drift's reference and the data the model learned from.
    current : pandas.DataFrame
        The data under test: the test split, or a new batch (``mlgate check --current``). When
        a cluster holds the rows, a table with their columns and no rows: the checks then read
        them only through ``tallies``.
    current_name : str
        Where ``current`` came from, for messages.
    reference_scores, current_scores : numpy.ndarray, optional
        The model's positive-class scores on each; None when there is no model.
    y_true : numpy.ndarray, optional
        Labels of ``current`` (1 = positive); None when the batch has no labels.
    model : object, optional
        The fitted pipeline (``preprocess`` then ``classifier``); None when there is none.
    decision_threshold : float
        Score at or above which a row is predicted positive (``evaluate.decision_threshold``).
    baseline : Baseline, optional
        The champion to compare with, when comparison checks are configured.
    retrain : callable, optional
        Fits a fresh model from the same training inputs and params as the saved one.
    importance, baseline_importance : dict, optional
        Mean |SHAP| per feature of this model and of the baseline's (explain stage).
    is_batch : bool
        True when ``current`` is a new batch rather than the held-out test split.
    current_rows : int, optional
        How many rows are under test, when a cluster holds them (``current`` has none).
    tallies : dict
        Key -> :class:`mlgate.checks.tally.Tally` of the rows under test: counted by the Dask
        engine beforehand, or by :meth:`tally` from ``current`` (and kept) when first asked for.
    """

    data: DataConfig
    reference: pd.DataFrame
    current: pd.DataFrame
    current_name: str
    reference_scores: np.ndarray | None = None
    current_scores: np.ndarray | None = None
    y_true: np.ndarray | None = None
    model: Any = None
    decision_threshold: float = 0.5
    baseline: Baseline | None = None
    retrain: Callable[[], Any] | None = None
    importance: dict[str, float] | None = None
    baseline_importance: dict[str, float] | None = None
    is_batch: bool = False
    current_rows: int | None = None
    tallies: dict[str, Tally] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        """How many rows are under test."""
        return len(self.current) if self.current_rows is None else self.current_rows

    def tally(self, spec: TallySpec) -> Tally:
        """The tally ``spec`` names, of every row under test."""
        if spec.key not in self.tallies:
            if self.current_rows is not None:
                raise RuntimeError(f"the rows under test were not counted for {spec.key!r}")
            self.tallies[spec.key] = spec.count(self.current, 0)
        return self.tallies[spec.key]

    def unavailable(self, need: Need) -> Unavailable | None:
        """Why ``need`` is missing from this context, or None when it is there."""
        reason = _missing_reason(self, need)
        if need is Need.CHAMPION and self.baseline is not None and self.baseline.error:
            return Unavailable(f"could not use the champion: {self.baseline.error}", error=True)
        return None if reason is None else Unavailable(reason)


@dataclass(frozen=True)
class Unavailable:
    """Why a check's input is missing; ``error`` when it could not be computed (not just absent)."""

    reason: str
    error: bool = False


def _missing_reason(ctx: CheckContext, need: Need) -> str | None:
    present = {
        Need.MODEL: ctx.model is not None,
        Need.SCORES: ctx.current_scores is not None or SCORES_TALLY in ctx.tallies,
        Need.REFERENCE_SCORES: ctx.reference_scores is not None,
        Need.LABELS: ctx.y_true is not None,
        Need.CHAMPION: ctx.baseline is not None and ctx.baseline.scores is not None,
        Need.IMPORTANCE: ctx.importance is not None,
        Need.RETRAIN: ctx.retrain is not None,
    }[need]
    if present:
        return None
    if need is Need.CHAMPION:
        why = ctx.baseline.unavailable_reason if ctx.baseline else "no baseline was loaded."
        return f"no champion to compare with: {why}"
    if need in (Need.SCORES, Need.REFERENCE_SCORES) and ctx.model is not None:
        return f"{ctx.current_name} has no rows to score."
    return MISSING_REASONS[need].format(current=ctx.current_name)


#: The key of the current scores' tally, counted where a cluster holds the rows.
SCORES_TALLY = "scores"

#: Why a check could not judge, when one of its inputs is absent.
MISSING_REASONS = {
    Need.MODEL: "no model to score with (run the train stage: dvc repro).",
    Need.SCORES: "no model to score the data with.",
    Need.REFERENCE_SCORES: "no model to score the data with.",
    Need.LABELS: "{current} has no labels.",
    Need.IMPORTANCE: "no SHAP importance (run the explain stage: dvc repro).",
    Need.RETRAIN: "no training inputs to retrain from (a batch, or no model).",
}
