"""The ``prepare``, ``train``, ``evaluate`` and ``explain`` sections: how the model is made."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from mlgate.config.base import ColumnName, Section


class PreprocessingConfig(Section):
    """The preprocessing that becomes the first step of the saved model."""

    numeric_imputer: Literal["mean", "median"] = "median"
    scale_numeric: bool = True
    categorical_encoding: Literal["onehot", "ordinal"] = "onehot"
    min_category_frequency: int = Field(
        1, ge=1, description="Rarer training categories are grouped as infrequent (onehot only)."
    )


class PrepareConfig(Section):
    """How the training data is split into train and validation sets."""

    seed: int = Field(ge=0)
    validation_size: float = Field(gt=0, lt=1)
    preprocessing: PreprocessingConfig = PreprocessingConfig()


class LogisticRegressionConfig(Section):
    """Hyper-parameters of ``sklearn.linear_model.LogisticRegression``."""

    C: float = Field(1.0, gt=0)
    max_iter: int = Field(1000, ge=1)
    class_weight: Literal["balanced"] | None = None


class RandomForestConfig(Section):
    """Hyper-parameters of ``sklearn.ensemble.RandomForestClassifier``."""

    n_estimators: int = Field(200, ge=1)
    max_depth: int | None = Field(None, ge=1)
    min_samples_leaf: int = Field(1, ge=1)
    max_features: Literal["sqrt", "log2"] | float = "sqrt"
    class_weight: Literal["balanced", "balanced_subsample"] | None = None
    n_jobs: int = Field(
        1, ge=-1, description="Trees fitted in parallel; the saved model predicts on one thread."
    )


class HistGradientBoostingConfig(Section):
    """Hyper-parameters of ``sklearn.ensemble.HistGradientBoostingClassifier``."""

    learning_rate: float = Field(0.1, gt=0)
    max_iter: int = Field(200, ge=1)
    max_leaf_nodes: int = Field(31, ge=2)
    min_samples_leaf: int = Field(20, ge=1)
    l2_regularization: float = Field(0.0, ge=0)
    class_weight: Literal["balanced"] | None = None
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

    objective: Literal["accuracy_score", "balanced_accuracy_score"] = "accuracy_score"
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

    method: Literal["none", "threshold_optimizer", "exponentiated_gradient"] = "none"
    sensitive_feature: ColumnName | None = Field(
        None, description="The model input whose groups the constraint equalises."
    )
    constraint: FairnessConstraint = "equalized_odds"
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

    estimator: Literal["logistic_regression", "random_forest", "hist_gradient_boosting", "custom"]
    seed: int = Field(ge=0)
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

    decision_threshold: float = Field(0.5, gt=0, lt=1)
    calibration_bins: int = Field(10, ge=2, le=100)


class ExplainConfig(Section):
    """Which test rows SHAP explains, and the background the non-tree explainers use."""

    max_rows: int | None = Field(None, ge=10, description="None explains every test row.")
    background_rows: int = Field(200, ge=10, le=10_000)
    seed: int = Field(0, ge=0)
