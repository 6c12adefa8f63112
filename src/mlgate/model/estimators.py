"""The classifier behind the preprocessing: built from ``train``, fitted with a fixed seed.

:func:`fit_model` is the one place a model is fitted: the ``train`` stage and the reproducibility
check's retrain both call it, so the check retrains exactly what the stage trained.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlgate.config import CustomEstimatorConfig, DataConfig, PreprocessingConfig, TrainConfig
from mlgate.errors import ConfigError
from mlgate.model.mitigation import MitigatedModel, mitigate
from mlgate.model.preprocessing import build_preprocessor, features_and_labels, original_features

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    from sklearn.pipeline import Pipeline


def build_estimator(cfg: TrainConfig) -> Any:
    """Return the unfitted classifier named by ``cfg.estimator``, seeded with ``cfg.seed``."""
    if cfg.estimator == "custom" and cfg.custom is not None:
        return build_custom_estimator(cfg.custom, seed=cfg.seed)
    if cfg.estimator == "logistic_regression":
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(**cfg.logistic_regression.model_dump(), random_state=cfg.seed)
    if cfg.estimator == "random_forest":
        from sklearn.ensemble import RandomForestClassifier

        return RandomForestClassifier(**cfg.random_forest.model_dump(), random_state=cfg.seed)
    from sklearn.ensemble import HistGradientBoostingClassifier

    params = cfg.hist_gradient_boosting.model_dump(
        exclude={"monotonic_increasing", "monotonic_decreasing"}
    )
    return HistGradientBoostingClassifier(**params, early_stopping=False, random_state=cfg.seed)


def build_custom_estimator(custom: CustomEstimatorConfig, *, seed: int) -> Any:
    """Import ``custom.class_path``, check it is a classifier, build it with ``custom.params``.

    Its ``random_state``, when it has one and the params leave it out, is ``train.seed``.
    """
    import importlib

    from sklearn.base import is_classifier

    module_name, _, class_name = custom.class_path.rpartition(".")
    try:
        estimator_class = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:
        raise ConfigError(
            f"train.custom.class_path: cannot import {custom.class_path!r} ({exc}). Install its "
            "package or correct the path (module.Class)."
        ) from None
    if not isinstance(estimator_class, type):
        raise ConfigError(f"train.custom.class_path: {custom.class_path!r} is not a class.")
    try:
        estimator = estimator_class(**custom.params)
    except TypeError as exc:
        raise ConfigError(f"train.custom.params: {custom.class_path} refused them: {exc}") from None
    if not is_classifier(estimator) or not hasattr(estimator, "predict_proba"):
        raise ConfigError(
            f"train.custom.class_path: {custom.class_path} is not a scikit-learn classifier "
            "with predict_proba (mlgate scores rows by their positive-class probability)."
        )
    if "random_state" in estimator.get_params() and "random_state" not in custom.params:
        estimator.set_params(random_state=seed)
    return estimator


def monotonic_constraints(preprocess: Any, cfg: TrainConfig) -> list[int] | None:
    """Per preprocessed column: +1 (increasing), -1 (decreasing) or 0; None if none declared."""
    increasing = set(cfg.hist_gradient_boosting.monotonic_increasing)
    decreasing = set(cfg.hist_gradient_boosting.monotonic_decreasing)
    if cfg.estimator != "hist_gradient_boosting" or not (increasing or decreasing):
        return None
    features, columns = original_features(preprocess)
    # Scaling is increasing, so a constraint on a scaled column holds for the raw feature.
    return [
        1 if features[i] in increasing else -1 if features[i] in decreasing else 0 for i in columns
    ]


def fit_model(
    frame: pd.DataFrame,
    *,
    data: DataConfig,
    preprocessing: PreprocessingConfig,
    cfg: TrainConfig,
    validation: pd.DataFrame | None = None,
    decision_threshold: float = 0.5,
) -> Pipeline | MitigatedModel:
    """Fit preprocessing and classifier together on ``frame``, then any fairness mitigation.

    Parameters
    ----------
    frame : pandas.DataFrame
        The training split.
    data : DataConfig
        Features, target and positive label.
    preprocessing : PreprocessingConfig
        The preprocessing that becomes the pipeline's first step.
    cfg : TrainConfig
        The estimator, its hyper-parameters, the seed and ``mitigation``.
    validation : pandas.DataFrame, optional
        The validation split; ThresholdOptimizer learns its thresholds there.
    decision_threshold : float
        ``evaluate.decision_threshold``, which a mitigated model's scores are built around.

    Returns
    -------
    sklearn.pipeline.Pipeline or MitigatedModel
        ``preprocess`` then ``classifier``; ``predict_proba(X)[:, 1]`` scores the positive label.
        With ``cfg.mitigation`` on, that pipeline inside a :class:`MitigatedModel`.
        Native code (OpenMP, BLAS) fits on one thread, so the model does not depend on the
        machine's core count; a random forest still fits its trees in ``n_jobs`` processes, and
        predicts on one thread.
    """
    from sklearn.pipeline import Pipeline
    from threadpoolctl import threadpool_limits

    X, y = features_and_labels(frame, data)
    model = Pipeline(
        [
            ("preprocess", build_preprocessor(data, preprocessing)),
            ("classifier", build_estimator(cfg)),
        ]
    )
    # Histogram gradient boosting sums gradients in OpenMP threads, and the model's last bits
    # depend on how many there are; BLAS threads can do the same to a linear model. One thread
    # for native code makes the model identical on every machine, whatever its core count.
    with threadpool_limits(limits=1):
        constraints = monotonic_constraints(model.named_steps["preprocess"].fit(X, y), cfg)
        if constraints is not None:
            model.set_params(classifier__monotonic_cst=constraints)
        model.fit(X, y)
        classifier = model.named_steps["classifier"]
        if classifier.get_params().get("n_jobs") not in (None, 1):
            # Parallel prediction sums trees' votes in whatever order threads finish, which
            # changes a score's last bit from run to run; one thread keeps scores identical.
            classifier.set_params(n_jobs=1)
        if cfg.mitigation.method == "none":
            return model
        if validation is None and cfg.mitigation.method == "threshold_optimizer":
            raise ValueError("the threshold optimizer learns on the validation split: pass it")
        return mitigate(
            model,
            train=frame,
            validation=validation,
            data=data,
            cfg=cfg.mitigation,
            decision_threshold=decision_threshold,
            seed=cfg.seed,
        )


def positive_scores(model: Any, X: pd.DataFrame) -> np.ndarray:
    """``model``'s positive-class probability for each row of ``X``, on one native thread.

    Scores are per row, so the thread count changes no score; but OpenMP threads that wait on
    each other on a busy machine (a CI runner) cost seconds: a 5,000-row batch took 2.1 s to
    score with two threads while another process used one core, 0.06 s with one. No rows have
    no scores (scikit-learn refuses to transform none): an empty file in a folder batch is an
    empty partition, and adds nothing.
    """
    import numpy as np
    from threadpoolctl import threadpool_limits

    if not len(X):
        return np.empty(0)

    with threadpool_limits(limits=1):
        return model.predict_proba(X)[:, 1]
