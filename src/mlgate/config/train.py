"""The ``prepare``, ``train``, ``evaluate`` and ``explain`` sections: how the model is made."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from mlgate.config.base import ColumnName, Section


class PreprocessingConfig(Section):
    """The preprocessing that becomes the first step of the saved model."""

    numeric_imputer: Literal["mean", "median"] = Field(
        "median", description="What fills a missing numeric value: its training mean or median."
    )
    scale_numeric: bool = Field(
        True,
        description="Whether numeric inputs are standardised (training mean 0, variance 1) "
        "after imputation.",
    )
    categorical_encoding: Literal["onehot", "ordinal"] = Field(
        "onehot",
        description="`onehot`: a column per category (an unseen one counts as infrequent, or as "
        "all zeros without an infrequent group). `ordinal`: one integer column (unseen: -1).",
    )
    min_category_frequency: int = Field(
        1, ge=1, description="Rarer training categories are grouped as infrequent (onehot only)."
    )


class PrepareConfig(Section):
    """How the training data is split into train and validation sets."""

    seed: int = Field(ge=0, description="Seed of the train/validation split.")
    validation_size: float = Field(
        gt=0,
        lt=1,
        description="Share of the training rows held out, stratified on the target, as the "
        "validation split: never fitted on, it gives the validation metrics, the reference "
        "scores of drift and monitoring, and the rows `threshold_optimizer` learns on.",
    )
    preprocessing: PreprocessingConfig = PreprocessingConfig()


class LogisticRegressionConfig(Section):
    """Hyper-parameters of ``sklearn.linear_model.LogisticRegression``."""

    C: float = Field(
        1.0, gt=0, description="Inverse of the regularisation strength: smaller regularises more."
    )
    max_iter: int = Field(1000, ge=1, description="Most iterations of the solver.")
    class_weight: Literal["balanced"] | None = Field(
        None,
        description="`balanced`: each class weighted inversely to its frequency. `null`: every "
        "row weighs the same.",
    )


class RandomForestConfig(Section):
    """Hyper-parameters of ``sklearn.ensemble.RandomForestClassifier``."""

    n_estimators: int = Field(200, ge=1, description="Trees in the forest.")
    max_depth: int | None = Field(
        None, ge=1, description="Deepest a tree may grow. `null`: no limit."
    )
    min_samples_leaf: int = Field(1, ge=1, description="Fewest training rows in a leaf.")
    max_features: Literal["sqrt", "log2"] | float = Field(
        "sqrt",
        description="Encoded columns considered at each split: the square root or log2 of their "
        "number, or a fraction of them.",
    )
    class_weight: Literal["balanced", "balanced_subsample"] | None = Field(
        None,
        description="`balanced`: each class weighted inversely to its frequency; "
        "`balanced_subsample`: the same within each tree's bootstrap sample. `null`: unweighted.",
    )
    n_jobs: int = Field(
        1, ge=-1, description="Trees fitted in parallel; the saved model predicts on one thread."
    )


class HistGradientBoostingConfig(Section):
    """Hyper-parameters of ``sklearn.ensemble.HistGradientBoostingClassifier``."""

    learning_rate: float = Field(
        0.1, gt=0, description="Shrinkage of each tree's contribution: smaller needs more trees."
    )
    max_iter: int = Field(
        200, ge=1, description="Boosting iterations, one tree each; all run (no early stopping)."
    )
    max_leaf_nodes: int = Field(31, ge=2, description="Most leaves of a tree.")
    min_samples_leaf: int = Field(20, ge=1, description="Fewest training rows in a leaf.")
    l2_regularization: float = Field(
        0.0, ge=0, description="L2 penalty on the leaf values: larger regularises more; 0: none."
    )
    class_weight: Literal["balanced"] | None = Field(
        None,
        description="`balanced`: each class weighted inversely to its frequency. `null`: every "
        "row weighs the same.",
    )
    monotonic_increasing: tuple[ColumnName, ...] = Field(
        default=(), description="Numeric features whose increase may never lower the score."
    )
    monotonic_decreasing: tuple[ColumnName, ...] = Field(
        default=(), description="Numeric features whose increase may never raise the score."
    )


FairnessConstraint = Literal[
    "demographic_parity",
    "equalized_odds",
    "true_positive_rate_parity",
    "false_positive_rate_parity",
]


class ThresholdOptimizerConfig(Section):
    """Settings of fairlearn's ``ThresholdOptimizer`` (fitted on the validation split)."""

    objective: Literal["accuracy_score", "balanced_accuracy_score"] = Field(
        "accuracy_score",
        description="What the thresholds maximise on the validation split, within the constraint.",
    )
    grid_size: int = Field(1000, ge=10, description="Thresholds tried per group.")


class ExponentiatedGradientConfig(Section):
    """Settings of fairlearn's ``ExponentiatedGradient`` (refits the classifier, with weights)."""

    difference_bound: float = Field(
        0.01, gt=0, le=1, description="Largest disparity the constraint allows on training data."
    )
    eps: float = Field(0.01, gt=0, description="Allowed violation of the constraint.")
    max_iter: int = Field(
        50, ge=1, description="Most classifiers fitted; each is a full fit of the estimator."
    )


class MitigationConfig(Section):
    """Fairness mitigation applied after (or while) fitting the estimator; ``none`` is off."""

    method: Literal["none", "threshold_optimizer", "exponentiated_gradient"] = Field(
        "none",
        description="`threshold_optimizer`: a threshold rule per group on the classifier's "
        "scores, learnt on the validation split. `exponentiated_gradient`: the classifier "
        "refitted on re-weighted training rows, up to `max_iter` times. `none`: off.",
    )
    sensitive_feature: ColumnName | None = Field(
        None, description="The model input whose groups the constraint equalises."
    )
    constraint: FairnessConstraint = Field(
        "equalized_odds",
        description="The parity the mitigation enforces across the groups of `sensitive_feature`.",
    )
    threshold_optimizer: ThresholdOptimizerConfig = ThresholdOptimizerConfig()
    exponentiated_gradient: ExponentiatedGradientConfig = ExponentiatedGradientConfig()

    @model_validator(mode="after")
    def _needs_feature(self) -> MitigationConfig:
        if self.method != "none" and self.sensitive_feature is None:
            raise ValueError(f"method {self.method!r} needs sensitive_feature")
        return self


_TYPE_PATH = r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$"


class CustomEstimatorConfig(Section):
    """Your own scikit-learn-compatible classifier, named by import path (``estimator: custom``).

    Its saved model may hold only mlgate's own types and ``trusted_types``: list each type the
    fitted estimator holds (``mlgate train`` names any that is missing) after reviewing what it
    does when loaded and when it predicts.
    """

    class_path: str = Field(pattern=_TYPE_PATH, description="e.g. sklearn.svm.SVC")
    params: dict[str, Any] = Field(default_factory=dict, description="Passed to its constructor.")
    trusted_types: tuple[Annotated[str, Field(pattern=_TYPE_PATH)], ...] = Field(
        default=(), description="module.Class of each type the fitted estimator holds."
    )


class TrainConfig(Section):
    """Which estimator to fit, its seed, and every estimator's hyper-parameters."""

    estimator: Literal[
        "logistic_regression", "random_forest", "hist_gradient_boosting", "custom"
    ] = Field(
        description="The classifier to fit, with the hyper-parameters of the section of the "
        "same name (`custom`: your own class, `train.custom`)."
    )
    seed: int = Field(
        ge=0,
        description="The estimator's `random_state` (a custom one's, unless its params set it), "
        "and the seed of a mitigated model's per-row coin.",
    )
    logistic_regression: LogisticRegressionConfig = LogisticRegressionConfig()
    random_forest: RandomForestConfig = RandomForestConfig()
    hist_gradient_boosting: HistGradientBoostingConfig = HistGradientBoostingConfig()
    custom: CustomEstimatorConfig | None = None
    mitigation: MitigationConfig = MitigationConfig()

    @model_validator(mode="after")
    def _custom_named(self) -> TrainConfig:
        if self.estimator == "custom" and self.custom is None:
            raise ValueError("estimator: custom needs train.custom.class_path")
        return self

    @property
    def trusted_types(self) -> frozenset[str]:
        """Types the configured estimator adds to mlgate's allow-list (custom only)."""
        if self.estimator != "custom" or self.custom is None:
            return frozenset()
        return frozenset(self.custom.trusted_types)


class EvaluateConfig(Section):
    """How predictions on the held-out test set are scored."""

    decision_threshold: float = Field(
        0.5,
        gt=0,
        lt=1,
        description="A score at or above it predicts the positive label: in the test metrics, "
        "in every check that counts predicted labels, and in a mitigated model's decisions.",
    )
    calibration_bins: int = Field(
        10, ge=2, le=100, description="Quantile bins of the test scores in the calibration curve."
    )


class ExplainConfig(Section):
    """Which test rows SHAP explains, and the background the non-tree explainers use."""

    max_rows: int | None = Field(None, ge=10, description="None explains every test row.")
    background_rows: int = Field(
        200,
        ge=10,
        le=10_000,
        description="Training rows sampled as the background the non-tree explainers compare "
        "with (tree ensembles need none).",
    )
    seed: int = Field(
        0,
        ge=0,
        description="Seed of the sample of test rows, of the background sample, of SHAP's own "
        "sampling and of the plots.",
    )
