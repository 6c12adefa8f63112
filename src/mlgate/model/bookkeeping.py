"""Check a loaded model's fitted bookkeeping against what it is derived from, before it scores.

scikit-learn trusts its own fitted attributes: a one-hot encoder places each feature's columns by
``_n_features_outs`` and scipy writes them without a bounds check, gradient boosting allocates
``n_samples x n_trees_per_iteration_`` numbers, a column transformer feeds each transformer the
columns ``_transformer_to_input_indices`` names. A file can hold any numbers there, each of an
allowed type, and every node of its schema allowed: one integer changed in ``_n_features_outs``
made scipy write 2**33 columns past the end of its array (a segfault), or 40 columns off (exit 0,
decisions changed). So each fitted field scoring reads is recomputed here from the fields it is
derived from, and refused, naming the estimator by its place in the model and the field, when
they disagree (:func:`check_fitted_bookkeeping`).

What it checks is what ``mlgate train`` builds (:mod:`mlgate.model.preprocessing`,
:mod:`mlgate.model.estimators`, :mod:`mlgate.model.mitigation`); the preprocessing's checks are
in :mod:`mlgate.model.preprocessing_state`. A custom estimator
(``train.custom``) is not checked here; the probe (:mod:`mlgate.model.probe`) still scores it.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

import numpy as np

from mlgate.model import preprocessing_state as preprocessing
from mlgate.model.fitted import Fitted, place, placed_estimators
from mlgate.model.mitigation import RULE_FIELDS


def check_fitted_bookkeeping(model: Any, *, source: str) -> None:
    """Raise :class:`ModelError` if a fitted field of ``model`` disagrees with its sources.

    Parameters
    ----------
    model : Pipeline or MitigatedModel
        A model skops has just built from a file (nothing has scored with it yet).
    source : str
        Where the file came from, quoted in every message.
    """
    # Deepest parts first: a part's check derives from fields its own parts' checks passed.
    for where, estimator in placed_estimators(model, source=source):
        check = _CHECKS.get(f"{type(estimator).__module__}.{type(estimator).__qualname__}")
        if check is not None:
            fitted = Fitted(estimator, where=where, source=source)
            fitted.constructor_parameters()
            check(fitted)


# ---------------------------------------------------------------------------------------------
# Classifiers (mlgate scores binary classifiers: two classes, one output)


def _check_binary_classes(fitted: Fitted) -> np.ndarray:
    classes = fitted.array("classes_", kinds="biufOU", shape=(2,))
    if classes[0] == classes[1]:
        raise fitted.refuse(f"classes_ {classes.tolist()} names one class twice")
    return classes


def _check_logistic_regression(fitted: Fitted) -> None:
    _check_binary_classes(fitted)
    n_features = fitted.count("n_features_in_", minimum=1)
    fitted.array("coef_", kinds="f", shape=(1, n_features), finite=True)
    fitted.array("intercept_", kinds="f", shape=(1,), finite=True)


def _check_decision_tree(fitted: Fitted) -> None:
    classes = _check_binary_classes(fitted)
    if fitted.count("n_outputs_") != 1 or fitted.count("n_classes_") != len(classes):
        raise fitted.refuse("n_outputs_ or n_classes_ disagrees with classes_ (1 output, 2)")


def _check_random_forest(fitted: Fitted) -> None:
    classes = _check_binary_classes(fitted)
    # Scoring allocates rows x n_classes_ numbers per output.
    if fitted.count("n_outputs_") != 1 or fitted.count("n_classes_") != len(classes):
        raise fitted.refuse(
            f"n_outputs_ {fitted.get('n_outputs_')!r} or n_classes_ {fitted.get('n_classes_')!r} "
            "disagrees with classes_ (1 output, 2 classes)"
        )
    n_features = fitted.count("n_features_in_", minimum=1)
    trees = fitted.get("estimators_")
    if not isinstance(trees, list) or not trees:
        raise fitted.refuse("estimators_ holds no trees")
    for index, tree in enumerate(trees):
        tree_fitted = fitted.child(tree, f"estimators_[{index}]")
        if type(tree).__name__ != "DecisionTreeClassifier":
            raise tree_fitted.refuse("is not a decision tree")
        if tree_fitted.count("n_features_in_") != n_features:
            raise tree_fitted.refuse(f"n_features_in_ disagrees with its forest's ({n_features})")
        if not np.array_equal(tree_fitted.get("classes_"), np.arange(len(classes))):
            raise tree_fitted.refuse("classes_ is not the forest's class indices [0, 1]")


def _check_boosting(fitted: Fitted) -> None:
    classes = _check_binary_classes(fitted)
    trees = fitted.count("n_trees_per_iteration_", minimum=1)
    if trees != 1:
        raise fitted.refuse(
            f"n_trees_per_iteration_ {trees} disagrees with classes_ ({len(classes)} classes: a "
            "binary classifier grows 1 tree per iteration; scoring allocates rows x this many)"
        )
    n_features = fitted.count("n_features_in_", minimum=1)
    fitted.array("_baseline_prediction", kinds="f", shape=(1, 1), finite=True)
    predictors = fitted.get("_predictors")
    max_iter = fitted.count("max_iter", minimum=1)
    if not isinstance(predictors, list) or not 1 <= len(predictors) <= max_iter:
        count = len(predictors) if isinstance(predictors, list) else predictors
        raise fitted.refuse(f"_predictors holds {count} iterations, not 1..{max_iter} (max_iter)")
    for field in ("_preprocessor", "is_categorical_"):
        if fitted.get(field) is not None:
            raise fitted.refuse(f"{field} is set: mlgate's boosting has no native categories")
    mapper = fitted.child(fitted.get("_bin_mapper"), "_bin_mapper")
    # Scoring sizes a bitset table by the categorical features this flags: mlgate has none.
    flags = mapper.array("is_categorical_", kinds="bu", shape=(n_features,))
    if flags.any():
        raise mapper.refuse("is_categorical_ flags a feature: mlgate's boosting has no categories")
    labels = fitted.get("_label_encoder")
    if not np.array_equal(getattr(labels, "classes_", None), classes):
        raise fitted.refuse("_label_encoder.classes_ disagrees with classes_")


def _check_mitigated(fitted: Fitted) -> None:
    model = fitted.estimator
    method = fitted.get("method")
    if method not in ("threshold_optimizer", "exponentiated_gradient"):
        raise fitted.refuse(f"method {method!r} is not a mitigation mlgate applies")
    threshold = fitted.get("decision_threshold")
    if type(threshold) is not float or not 0 < threshold < 1:
        raise fitted.refuse(f"decision_threshold {threshold!r} is not a number in (0, 1)")
    if type(fitted.get("seed")) is not int or not 0 <= model.seed < 2**64:
        raise fitted.refuse(f"seed {model.seed!r} is not an integer in 0..2**64-1")
    preprocess = model.base.named_steps["preprocess"]
    if fitted.get("sensitive_feature") not in preprocess.feature_names_in_.tolist():
        raise fitted.refuse(f"sensitive_feature {model.sensitive_feature!r} is not an input")
    bins = fitted.get("bins")
    if bins is not None and not (
        isinstance(bins, list) and all(type(b) is float and np.isfinite(b) for b in bins)
        and all(a < b for a, b in pairwise(bins))
    ):  # fmt: skip
        raise fitted.refuse(f"bins {bins!r} are not increasing finite numbers")
    groups = fitted.get("groups")
    if not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise fitted.refuse("groups is not a list of group names")
    rules = fitted.array("rules", kinds="f", shape=(len(groups), len(RULE_FIELDS)))
    if np.isnan(rules).any() or not np.isin(rules[:, [3, 6]], (-1.0, 1.0)).all():
        raise fitted.refuse("rules hold a NaN or a sign other than -1 or +1")
    ensemble = fitted.get("ensemble")
    weights = fitted.array("ensemble_weights", kinds="f", shape=(len(ensemble),), finite=True)
    if (method == "exponentiated_gradient") != bool(ensemble) or (
        ensemble and ((weights < 0).any() or not np.isclose(weights.sum(), 1.0))
    ):
        raise fitted.refuse("ensemble_weights are not the weights of the ensemble, summing to 1")
    width = preprocessing.output_width(
        preprocess, source=fitted.source, where=place(place(fitted.where, "base"), "preprocess")
    )
    for index, member in enumerate(ensemble):
        member_fitted = fitted.child(member, f"ensemble[{index}]")
        if member_fitted.count("n_features_in_") != width:
            raise member_fitted.refuse(f"n_features_in_ disagrees with the preprocessing ({width})")


_CHECKS: dict[str, Callable[[Fitted], None]] = {
    "sklearn.pipeline.Pipeline": preprocessing.check_pipeline,
    "sklearn.compose._column_transformer.ColumnTransformer": preprocessing.check_column_transformer,
    "sklearn.preprocessing._encoders.OneHotEncoder": preprocessing.check_one_hot_encoder,
    "sklearn.preprocessing._encoders.OrdinalEncoder": preprocessing.check_ordinal_encoder,
    "sklearn.impute._base.SimpleImputer": preprocessing.check_imputer,
    "sklearn.preprocessing._data.StandardScaler": preprocessing.check_scaler,
    "sklearn.linear_model._logistic.LogisticRegression": _check_logistic_regression,
    "sklearn.ensemble._forest.RandomForestClassifier": _check_random_forest,
    "sklearn.tree._classes.DecisionTreeClassifier": _check_decision_tree,
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting."
    "HistGradientBoostingClassifier": _check_boosting,
    "mlgate.model.mitigation.MitigatedModel": _check_mitigated,
}
