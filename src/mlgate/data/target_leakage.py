"""Find inputs that leak the target: known only after the outcome, or a disguised copy of it.

A column recorded after the outcome (a "did reoffend" flag, days to the new arrest, an end date)
predicts the label on its own far better than any honest input: the model then learns the answer
and scores near-perfectly on a test split that leaks the same way, then fails in use. Two
statistics, each with a seeded bootstrap interval, measured on the training rows:

- the ROC AUC of the input's one-feature rule (:mod:`mlgate.data.one_feature`), cross-fitted so
  that a column of distinct values (an id) cannot score by memorising rows;
- the ROC AUC of its missing/present pattern alone, for an input with missing values (a column
  filled in only for the positives).

An input is flagged when an interval's lower bound is above the limit. Its name or type (words
such as "outcome", "recid", "days to"; dates) is a hint only: read by a person, never the reason
to flag. Only column names and statistics are reported, never a value.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlgate.data.one_feature import cross_fitted_scores, one_feature_scores
from mlgate.data.post_outcome_names import is_date_text, post_outcome_hint
from mlgate.stats.bootstrap import bootstrap_metrics

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from mlgate.config.checks.data import TargetLeakageConfig

NANOSECONDS_PER_DAY = 86_400 * 10**9


@dataclass(frozen=True)
class Statistic:
    """One statistic of one input, with its bootstrap interval (None when not worth computing)."""

    name: str
    estimate: float
    low: float | None = None
    high: float | None = None

    def describe(self) -> str:
        """``single-feature ROC AUC 0.970 (CI 0.962 to 0.977)``: numbers, never values."""
        interval = "" if self.low is None else f" (CI {self.low:.3f} to {self.high:.3f})"
        return f"{self.name} {self.estimate:.3f}{interval}"


@dataclass(frozen=True)
class ColumnLeakage:
    """What was measured of one input: its statistics, and a hint from its name or type."""

    column: str
    statistics: tuple[Statistic, ...]
    hint: str | None = None

    def above(self, limit: float) -> tuple[Statistic, ...]:
        """The statistics whose interval lies wholly above ``limit``."""
        return tuple(s for s in self.statistics if s.low is not None and s.low > limit)

    def to_dict(self) -> dict:
        """JSON-ready: statistic name -> estimate and interval; the hint, if any."""
        record: dict = {
            s.name: {"estimate": s.estimate, "ci_low": s.low, "ci_high": s.high}
            for s in self.statistics
        }
        if self.hint:
            record["hint"] = self.hint
        return record


SINGLE_FEATURE = "single-feature ROC AUC"
MISSING_INDICATOR = "missing-indicator ROC AUC"


def leak_signs(measured: ColumnLeakage, limit: float, *, suspect: float) -> tuple[Statistic, ...]:
    """The statistics that flag an input, from their intervals' lower bounds.

    Above ``limit`` a statistic flags on its own. Above ``suspect`` (the lower limit) it flags
    with a second sign of a leak: the input's name or type hints at post-outcome information,
    or the statistic is of the missing-or-present pattern. A hint alone flags nothing.
    """
    return tuple(
        s
        for s in measured.statistics
        if s.low is not None
        and (
            s.low > limit
            or (s.low > suspect and (measured.hint is not None or s.name == MISSING_INDICATOR))
        )
    )


def measure_column(
    values: pd.Series, y: np.ndarray, *, cfg: TargetLeakageConfig
) -> tuple[Statistic, ...]:
    """The input's single-feature ROC AUC and, if it has missing values, its pattern's.

    ``cfg`` gives the rule's bins and folds and the bootstrap's draws, confidence and seed. An
    interval is computed only for an estimate above the lower of its two limits: below it, the
    lower bound cannot be above a limit, and the cost (a bootstrap per input) is saved.
    """
    n_bins, seed = cfg.n_bins, cfg.seed
    limit = min(cfg.max_single_feature_auc, cfg.max_suspect_feature_auc)
    values = rule_values(values).reset_index(drop=True)
    common = {
        "limit": limit,
        "n_bootstrap": cfg.n_bootstrap,
        "confidence": cfg.confidence,
        "seed": seed,
    }
    scores = cross_fitted_scores(values, y, n_bins=n_bins, n_folds=cfg.n_folds, seed=seed)
    statistics = [_auc_statistic(SINGLE_FEATURE, y, scores, **common)]
    missing = values.isna()
    if missing.any() and not missing.all():
        # Two groups cannot be memorised: the rule is learnt on all rows.
        indicator = missing.map({True: "missing", False: "present"})
        pattern = one_feature_scores(indicator, y, indicator, n_bins=n_bins)
        statistics.append(_auc_statistic(MISSING_INDICATOR, y, pattern, **common))
    return tuple(statistics)


def _auc_statistic(
    name: str,
    y: np.ndarray,
    scores: np.ndarray,
    *,
    limit: float,
    n_bootstrap: int,
    confidence: float,
    seed: int,
) -> Statistic:
    estimate = roc_auc(y, scores)
    if estimate <= limit:
        return Statistic(name, estimate)
    interval = bootstrap_metrics(
        y, scores, threshold=0.5, n_resamples=n_bootstrap, confidence=confidence, seed=seed
    )["roc_auc"]
    return Statistic(name, estimate, interval.low, interval.high)


def roc_auc(y: np.ndarray, scores: np.ndarray) -> float:
    """ROC AUC from mid-ranks (the Mann-Whitney statistic): scikit-learn's value, a tenth the cost.

    ``y`` must hold both classes.
    """
    from scipy.stats import rankdata

    positives = y == 1
    n_positive = int(positives.sum())
    n_negative = len(y) - n_positive
    rank_sum = float(rankdata(scores)[positives].sum())
    return (rank_sum - n_positive * (n_positive + 1) / 2) / (n_positive * n_negative)


def rule_values(values: pd.Series) -> pd.Series:
    """The column as the rule reads it: dates as numbers of days, so that deciles order them."""
    import pandas as pd

    if pd.api.types.is_datetime64_any_dtype(values):
        return _days(values)
    if is_date_text(values):
        with warnings.catch_warnings():
            # pandas warns when it guesses day-first or month-first: only the order matters here.
            warnings.simplefilter("ignore", UserWarning)
            # One format, inferred from the first value, parses fast; "mixed" parses value by value.
            moments = pd.to_datetime(values, errors="coerce")
            if moments.isna().sum() > values.isna().sum() + 0.2 * len(values):
                moments = pd.to_datetime(values, errors="coerce", format="mixed")
        return _days(moments)
    return values


def _days(moments: pd.Series) -> pd.Series:
    import numpy as np
    import pandas as pd

    naive = moments.dt.tz_localize(None) if moments.dt.tz is not None else moments
    nanoseconds = naive.astype("datetime64[ns]").to_numpy().astype(np.int64).astype(float)
    days = np.where(naive.isna().to_numpy(), np.nan, nanoseconds / NANOSECONDS_PER_DAY)
    return pd.Series(days, index=moments.index)


def measure_inputs(
    frame: pd.DataFrame,
    y: np.ndarray,
    *,
    columns: tuple[str, ...],
    target: str,
    cfg: TargetLeakageConfig,
) -> dict[str, ColumnLeakage]:
    """:func:`measure_column` and :func:`post_outcome_hint` of each of ``columns``."""
    return {
        column: ColumnLeakage(
            column,
            measure_column(frame[column], y, cfg=cfg),
            post_outcome_hint(column, frame[column], target=target),
        )
        for column in columns
    }


def too_little_data(
    labels: np.ndarray, *, min_samples: int, min_class_rows: int, n_folds: int
) -> str | None:
    """Why ``labels`` (1 = positive) are too few to judge, or None.

    Each fold of the cross-fitted rule needs rows of both classes, and an interval from a few
    dozen rows of one class says little.
    """
    rows = len(labels)
    if rows < min_samples:
        return f"the training data has {rows} rows, fewer than min_samples = {min_samples}."
    smaller = int(min(labels.sum(), rows - labels.sum()))
    needed = max(min_class_rows, n_folds)
    if smaller < needed:
        return (
            f"the training data's smaller class has {smaller} rows, fewer than {needed} "
            "(min_class_rows, and at least one per fold)."
        )
    return None
