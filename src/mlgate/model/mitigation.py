"""Fairness mitigation with fairlearn, saved inside the model as plain numbers and estimators.

``train.mitigation.method`` switches it on:

- ``threshold_optimizer``: fairlearn's ``ThresholdOptimizer`` (Hardt et al., 2016) learns, on the
  validation split the classifier never saw, a randomised threshold rule per group of the
  sensitive feature on the classifier's scores.
- ``exponentiated_gradient``: fairlearn's ``ExponentiatedGradient`` (Agarwal et al., 2018) refits
  the classifier on re-weighted training data and keeps a weighted ensemble of the fits.

Both produce randomised classifiers: fairlearn's ``predict`` draws each decision at random with a
probability it computes (``_pmf_predict``). Turning that probability into a fixed decision (at
0.5) loses the fairness it bought: on Adult, ThresholdOptimizer's equalized odds difference for
sex is 0.01 with the draws and 0.17 with a fixed cut, worse than no mitigation. So the draw is
kept, but made reproducible: each row's uniform number comes from a hash of its preprocessed
inputs and the training seed. The same row always gets the same decision, on every machine, and
across rows the decisions are distributed exactly as fairlearn's.

What is saved is :class:`MitigatedModel`: the fitted model before mitigation (``base``), and
either each group's threshold rule as numbers or the ensemble's classifiers and weights. No
fairlearn or pandas object is stored, so the skops allow-list grows by one reviewed class.
"""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from mlgate.data.groups import group_labels
from mlgate.model.preprocessing import features_and_labels

if TYPE_CHECKING:
    import pandas as pd

    from mlgate.config import DataConfig, MitigationConfig

#: Columns of :attr:`MitigatedModel.rules`: with probability ``p_ignore`` the decision is the
#: constant; otherwise with probability ``p0`` it is ``sign0 * (score - t0) > 0``, with ``p1``
#: ``sign1 * (score - t1) > 0`` (sign +1 for fairlearn's ``>``, -1 for ``<``).
RULE_FIELDS = ("p_ignore", "constant", "p0", "sign0", "t0", "p1", "sign1", "t1")

_CONSTRAINTS = {
    "demographic_parity": "DemographicParity",
    "equalized_odds": "EqualizedOdds",
    "true_positive_rate_parity": "TruePositiveRateParity",
    "false_positive_rate_parity": "FalsePositiveRateParity",
}


class MitigatedModel:
    """A classifier whose decisions fairlearn mitigated, with scikit-learn's ``predict_proba``.

    ``predict_proba(X)[:, 1]`` is at or above ``decision_threshold`` exactly when the randomised
    classifier decides positive for that row; within each side it orders rows by the score of the
    model before mitigation (``t + (1 - t) * s`` for a positive decision, ``t * s`` for a
    negative one). It ranks and decides; it is not a calibrated probability.

    Attributes
    ----------
    base : sklearn.pipeline.Pipeline
        The model before mitigation (``preprocess`` then ``classifier``).
    method, sensitive_feature, constraint : str
        What mitigated it, and for which feature.
    bins : tuple of float or None
        Cut points grouping a numeric sensitive feature.
    decision_threshold : float
        Where the score separates the decisions.
    seed : int
        Mixed into each row's hash.
    groups : list of str
        Groups with a threshold rule (``threshold_optimizer``); rows of any other group keep the
        base model's decision.
    rules : numpy.ndarray, shape (groups, 8)
        One threshold rule per group, columns :data:`RULE_FIELDS`.
    ensemble : list
        Fitted classifiers on the preprocessed inputs (``exponentiated_gradient``).
    ensemble_weights : numpy.ndarray
        Their weights, summing to 1.
    """

    def __init__(
        self,
        base: Any,
        *,
        method: str,
        sensitive_feature: str,
        constraint: str,
        bins: tuple[float, ...] | None,
        decision_threshold: float,
        seed: int,
        groups: list[str] | None = None,
        rules: np.ndarray | None = None,
        ensemble: list | None = None,
        ensemble_weights: np.ndarray | None = None,
    ) -> None:
        self.base = base
        self.method = method
        self.sensitive_feature = sensitive_feature
        self.constraint = constraint
        self.bins = None if bins is None else list(bins)
        self.decision_threshold = float(decision_threshold)
        self.seed = int(seed)
        self.groups = list(groups or [])
        self.rules = np.zeros((0, len(RULE_FIELDS))) if rules is None else np.asarray(rules)
        self.ensemble = list(ensemble or [])
        self.ensemble_weights = (
            np.zeros(0) if ensemble_weights is None else np.asarray(ensemble_weights, float)
        )

    @property
    def named_steps(self) -> Any:
        """The base model's steps: its preprocessing is this model's, and SHAP explains it."""
        return self.base.named_steps

    def positive_probability(self, X: pd.DataFrame) -> np.ndarray:
        """Probability that the randomised classifier decides positive (fairlearn's pmf)."""
        Xt = np.asarray(self.base.named_steps["preprocess"].transform(X), dtype=float)
        base_score = self.base.named_steps["classifier"].predict_proba(Xt)[:, 1]
        return self._positive_probability(X, Xt, base_score)

    def predict_proba(self, X: pd.DataFrame) -> np.ndarray:
        """Decision scores as ``[1 - score, score]``; see the class description."""
        Xt = np.asarray(self.base.named_steps["preprocess"].transform(X), dtype=float)
        base_score = self.base.named_steps["classifier"].predict_proba(Xt)[:, 1]
        positive = row_uniforms(Xt, self.seed) < self._positive_probability(X, Xt, base_score)
        t = self.decision_threshold
        score = np.where(positive, t + (1 - t) * base_score, t * base_score)
        return np.column_stack([1 - score, score])

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        """The decisions, 1 for positive."""
        return (self.predict_proba(X)[:, 1] >= self.decision_threshold).astype(np.int64)

    def _positive_probability(
        self, X: pd.DataFrame, Xt: np.ndarray, scores: np.ndarray
    ) -> np.ndarray:
        if self.method == "exponentiated_gradient":
            votes = np.column_stack([clf.predict(Xt) for clf in self.ensemble]).astype(float)
            return votes @ self.ensemble_weights

        probability = (scores >= self.decision_threshold).astype(float)
        labels = group_labels(X[self.sensitive_feature], self.bins).to_numpy(dtype=object)
        for group, rule in zip(self.groups, self.rules, strict=True):
            rows = labels == group
            probability[rows] = rule_probability(rule, scores[rows])
        return probability


def rule_probability(rule: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Probability of a positive decision under one group's threshold rule."""
    p_ignore, constant, p0, sign0, t0, p1, sign1, t1 = rule
    first = sign0 * (scores - t0) > 0  # thresholds may be ±inf: s - inf = -inf, as intended
    second = sign1 * (scores - t1) > 0
    return p_ignore * constant + (1 - p_ignore) * (p0 * first + p1 * second)


def row_uniforms(Xt: np.ndarray, seed: int) -> np.ndarray:
    """One number in [0, 1) per row, a fixed function of the row's values and ``seed``.

    Each value's 64 bits are folded into the row's hash with the SplitMix64 finaliser, so two
    rows that differ anywhere get unrelated numbers, and equal rows always get the same one.
    """
    bits = np.ascontiguousarray(Xt, dtype=np.float64).view(np.uint64)
    bits = np.where(np.isnan(Xt), np.uint64(0x7FF8000000000000), bits)  # one NaN, one hash
    # Array arithmetic on uint64 wraps modulo 2**64, which is what the hash wants.
    state = np.full(len(Xt), seed, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    for column in range(bits.shape[1]):
        state = _mix(state ^ bits[:, column])
    return (state >> np.uint64(11)).astype(np.float64) * 2.0**-53


def _mix(x: np.ndarray) -> np.ndarray:
    x = x + np.uint64(0x9E3779B97F4A7C15)
    x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def mitigate(
    base: Any,
    *,
    train: pd.DataFrame,
    validation: pd.DataFrame | None,
    data: DataConfig,
    cfg: MitigationConfig,
    decision_threshold: float,
    seed: int,
) -> MitigatedModel:
    """Fit the configured mitigation around the fitted ``base`` pipeline.

    Parameters
    ----------
    base : sklearn.pipeline.Pipeline
        The fitted model before mitigation.
    train, validation : pandas.DataFrame
        The prepared splits: ExponentiatedGradient refits on ``train``; ThresholdOptimizer learns
        its thresholds on ``validation``, which the base model never saw (required for it).
    data : DataConfig
        Features, target, positive label and the sensitive feature's bins.
    cfg : MitigationConfig
        Method, sensitive feature, constraint and the method's settings.
    decision_threshold : float
        ``evaluate.decision_threshold``.
    seed : int
        ``train.seed``, mixed into each row's draw.
    """
    with warnings.catch_warnings():
        # fairlearn 0.15 sets Series items in ways pandas 3 deprecates; the results are right.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="fairlearn")
        warnings.filterwarnings("ignore", category=FutureWarning, module="fairlearn")
        return _mitigate(base, train, validation, data, cfg, decision_threshold, seed)


def _mitigate(base, train, validation, data, cfg, decision_threshold, seed) -> MitigatedModel:
    from sklearn.base import clone

    feature = cfg.sensitive_feature
    bins = data.sensitive_bins.get(feature)
    common = dict(
        method=cfg.method,
        sensitive_feature=feature,
        constraint=cfg.constraint,
        bins=bins,
        decision_threshold=decision_threshold,
        seed=seed,
    )
    preprocess, classifier = base.named_steps["preprocess"], base.named_steps["classifier"]
    frame = validation if cfg.method == "threshold_optimizer" else train
    X, y = features_and_labels(frame, data)
    Xt = np.asarray(preprocess.transform(X), dtype=float)
    groups = group_labels(frame[feature], bins).to_numpy(dtype=object)
    if cfg.method == "threshold_optimizer":
        from fairlearn.postprocessing import ThresholdOptimizer

        optimizer = ThresholdOptimizer(
            estimator=classifier,
            constraints=cfg.constraint,
            objective=cfg.threshold_optimizer.objective,
            grid_size=cfg.threshold_optimizer.grid_size,
            prefit=True,
            predict_method="predict_proba",
        ).fit(Xt, y, sensitive_features=groups)
        names, rules = threshold_rules(optimizer.interpolated_thresholder_.interpolation_dict)
        return MitigatedModel(base, **common, groups=names, rules=rules)

    import fairlearn.reductions as reductions

    settings = cfg.exponentiated_gradient
    moment = getattr(reductions, _CONSTRAINTS[cfg.constraint])(
        difference_bound=settings.difference_bound
    )
    # The clone keeps the classifier's seed and monotonic constraints; only weights change.
    reduction = reductions.ExponentiatedGradient(
        clone(classifier), constraints=moment, eps=settings.eps, max_iter=settings.max_iter
    ).fit(Xt, y, sensitive_features=groups)
    weights = reduction.weights_.to_numpy(dtype=float)
    keep = np.flatnonzero(weights > 0)  # fairlearn's pmf skips zero-weight fits too
    return MitigatedModel(
        base,
        **common,
        ensemble=[reduction.predictors_.iloc[i] for i in keep],
        ensemble_weights=weights[keep] / weights[keep].sum(),
    )


def threshold_rules(interpolation: dict) -> tuple[list[str], np.ndarray]:
    """The per-group interpolation fairlearn learned (``Bunch`` objects), as names and numbers."""
    names, rows = [], []
    for group, rule in sorted(interpolation.items(), key=lambda item: str(item[0])):
        names.append(str(group))
        rows.append(
            [
                float(rule.get("p_ignore", 0.0)),
                float(rule.get("prediction_constant", 0.0)),
                float(rule.p0),
                1.0 if rule.operation0.operator == ">" else -1.0,
                float(rule.operation0.threshold),
                float(rule.p1),
                1.0 if rule.operation1.operator == ">" else -1.0,
                float(rule.operation1.threshold),
            ]
        )
    return names, np.asarray(rows, dtype=float)
