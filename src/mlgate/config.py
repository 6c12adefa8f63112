"""One validated, frozen configuration object, loaded from ``params.yaml``.

Each section of ``params.yaml`` has its own model here, and each stage receives only its own
section. Unknown keys are errors, ranges are declared, and cross-field rules (the positive label is
one of the labels, a column is not both numeric and categorical, ...) are checked once, here.

``params.yaml`` is parsed exactly as DVC parses it (ruamel.yaml, YAML 1.2, safe loader), so the
values a stage sees are the values ``dvc params diff`` shows: ``1e-3`` is a float, ``no`` a string.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_serializer,
    field_validator,
    model_validator,
)

from mlgate.errors import ConfigError
from mlgate.gate.decide import GateConfig

ColumnName = Annotated[str, Field(min_length=1)]


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DataConfig(_Section):
    """The schema of the tabular data: target, labels and feature columns."""

    target: ColumnName
    labels: tuple[str, str] = Field(description="The two class labels, negative first.")
    positive_label: str
    numeric: tuple[ColumnName, ...] = ()
    categorical: tuple[ColumnName, ...] = ()
    sensitive_features: tuple[ColumnName, ...] = Field(
        default=(), description="Columns to slice fairness evidence by; need not be model inputs."
    )
    sensitive_bins: dict[ColumnName, tuple[float, ...]] = Field(
        default_factory=dict,
        description="Cut points that group a numeric sensitive feature (e.g. age) into slices.",
    )
    personal: tuple[ColumnName, ...] = Field(
        default=(),
        description="Columns of personal data (names, ids, emails, dates of birth, free text): "
        "dropped when a file is read, so no feature, report or audit file ever holds them.",
    )

    @model_validator(mode="after")
    def _check_columns(self) -> DataConfig:
        if self.labels[0] == self.labels[1]:
            raise ValueError(f"labels must be two different values, got {list(self.labels)!r}")
        if self.positive_label not in self.labels:
            raise ValueError(
                f"positive_label {self.positive_label!r} must be one of labels "
                f"{list(self.labels)!r}"
            )
        if not self.numeric and not self.categorical:
            raise ValueError("declare at least one feature under numeric or categorical")
        for name, columns in (("numeric", self.numeric), ("categorical", self.categorical)):
            duplicated = sorted({c for c in columns if columns.count(c) > 1})
            if duplicated:
                raise ValueError(f"{name} lists {duplicated!r} more than once")
        both = sorted(set(self.numeric) & set(self.categorical))
        if both:
            raise ValueError(f"columns {both!r} are declared both numeric and categorical")
        if self.target in self.features:
            raise ValueError(f"the target {self.target!r} is also declared as a feature")
        used = sorted(set(self.personal) & set(self.required_columns))
        if used:
            raise ValueError(
                f"personal lists {used!r}, which are also the target, features or sensitive "
                "features: personal data is dropped when the data is read"
            )
        for column, edges in self.sensitive_bins.items():
            if column not in self.sensitive_features:
                raise ValueError(f"sensitive_bins names {column!r}, not a sensitive feature")
            if not edges or any(b <= a for a, b in pairwise(edges)):
                raise ValueError(
                    f"sensitive_bins.{column} must be increasing cut points, got {list(edges)!r}"
                )
        return self

    @property
    def features(self) -> tuple[str, ...]:
        """Model input columns: numeric first, then categorical, in declared order."""
        return self.numeric + self.categorical

    @property
    def required_columns(self) -> tuple[str, ...]:
        """Every column the pipeline reads: features, sensitive features and the target."""
        extra = tuple(c for c in self.sensitive_features if c not in self.features)
        return (*self.features, *extra, self.target)

    @property
    def negative_label(self) -> str:
        """The label that is not the positive one."""
        return self.labels[1] if self.labels[0] == self.positive_label else self.labels[0]


class IngestConfig(_Section):
    """Where the source data is and how its text files are written.

    Paths are local paths relative to the project root, or any fsspec URL (``s3://...``).
    """

    train_path: str = Field(min_length=1)
    test_path: str | None = Field(
        None,
        min_length=1,
        description="The held-out test file. Without it, a seeded split of train_path stratified "
        "on the target (test_size, seed) is the test set.",
    )
    test_size: float = Field(0.2, gt=0, lt=1, description="Share of train_path held out.")
    seed: int = Field(0, ge=0, description="Seed of the test split.")
    header: bool = Field(True, description="Whether the first line of each file names columns.")
    column_names: tuple[ColumnName, ...] | None = Field(
        None, description="Column names, in file order; required when header is false."
    )
    separator: str = Field(",", min_length=1)
    encoding: str = Field("utf-8", description="The text encoding of the source files and batches.")
    skip_initial_space: bool = False
    na_values: tuple[str, ...] = ()
    comment: str | None = Field(
        None, min_length=1, max_length=1, description="Lines starting with it are skipped."
    )
    strip_label_suffix: str = Field("", description="Removed from the end of target values.")
    unlabelled_rows: Literal["refuse", "drop"] = Field(
        "refuse",
        description="Rows of the source files without a target value: refuse the file, or drop "
        "them (they cannot be trained or scored against a label). Batches may be unlabelled.",
    )

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, encoding: str) -> str:
        import codecs

        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ValueError(f"{encoding!r} is not a text encoding Python knows") from None
        return encoding

    @model_validator(mode="after")
    def _check_names(self) -> IngestConfig:
        if not self.header and not self.column_names:
            raise ValueError("column_names is required when header is false")
        if self.column_names and len(set(self.column_names)) != len(self.column_names):
            raise ValueError("column_names must not repeat a name")
        return self


class PreprocessingConfig(_Section):
    """The preprocessing that becomes the first step of the saved model."""

    numeric_imputer: Literal["mean", "median"] = "median"
    scale_numeric: bool = True
    categorical_encoding: Literal["onehot", "ordinal"] = "onehot"
    min_category_frequency: int = Field(
        1, ge=1, description="Rarer training categories are grouped as infrequent (onehot only)."
    )


class PrepareConfig(_Section):
    """How the training data is split into train and validation sets."""

    seed: int = Field(ge=0)
    validation_size: float = Field(gt=0, lt=1)
    preprocessing: PreprocessingConfig = PreprocessingConfig()


class LogisticRegressionConfig(_Section):
    """Hyper-parameters of ``sklearn.linear_model.LogisticRegression``."""

    C: float = Field(1.0, gt=0)
    max_iter: int = Field(1000, ge=1)
    class_weight: Literal["balanced"] | None = None


class RandomForestConfig(_Section):
    """Hyper-parameters of ``sklearn.ensemble.RandomForestClassifier``."""

    n_estimators: int = Field(200, ge=1)
    max_depth: int | None = Field(None, ge=1)
    min_samples_leaf: int = Field(1, ge=1)
    max_features: Literal["sqrt", "log2"] | float = "sqrt"
    class_weight: Literal["balanced", "balanced_subsample"] | None = None
    n_jobs: int = Field(
        1, ge=-1, description="Trees fitted in parallel; the saved model predicts on one thread."
    )


class HistGradientBoostingConfig(_Section):
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


class ThresholdOptimizerConfig(_Section):
    """Settings of fairlearn's ``ThresholdOptimizer`` (fitted on the validation split)."""

    objective: Literal["accuracy_score", "balanced_accuracy_score"] = "accuracy_score"
    grid_size: int = Field(1000, ge=10, description="Thresholds tried per group.")


class ExponentiatedGradientConfig(_Section):
    """Settings of fairlearn's ``ExponentiatedGradient`` (refits the classifier, with weights)."""

    difference_bound: float = Field(
        0.01, gt=0, le=1, description="Largest disparity the constraint allows on training data."
    )
    eps: float = Field(0.01, gt=0, description="Allowed violation of the constraint.")
    max_iter: int = Field(
        50, ge=1, description="Most classifiers fitted; each is a full fit of the estimator."
    )


class MitigationConfig(_Section):
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


class CustomEstimatorConfig(_Section):
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


class TrainConfig(_Section):
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


class EvaluateConfig(_Section):
    """How predictions on the held-out test set are scored."""

    decision_threshold: float = Field(0.5, gt=0, lt=1)
    calibration_bins: int = Field(10, ge=2, le=100)


class ExplainConfig(_Section):
    """Which test rows SHAP explains, and the background the non-tree explainers use."""

    max_rows: int | None = Field(None, ge=10, description="None explains every test row.")
    background_rows: int = Field(200, ge=10, le=10_000)
    seed: int = Field(0, ge=0)


class Config(_Section):
    """The whole of ``params.yaml``, validated."""

    data: DataConfig
    ingest: IngestConfig
    prepare: PrepareConfig
    train: TrainConfig
    evaluate: EvaluateConfig = EvaluateConfig()
    explain: ExplainConfig = ExplainConfig()
    gate: GateConfig = GateConfig()
    checks: dict[str, Any] = Field(
        default_factory=dict,
        description="checks.<suite>.<name>: each configured check, validated by its own class.",
    )

    @field_validator("checks", mode="before")
    @classmethod
    def _validate_checks(cls, raw: Any) -> dict[str, Any]:
        from mlgate.checks.runner import validate_checks_config

        return validate_checks_config(raw or {})

    @field_serializer("checks")
    def _nest_checks(self, checks: dict[str, Any]) -> dict[str, Any]:
        from mlgate.checks.runner import nest_checks_config

        return nest_checks_config(checks)

    @model_validator(mode="after")
    def _check_named_columns(self) -> Config:
        problems = column_problems(self)
        if problems:
            raise KeyProblems(problems)
        return self


class KeyProblem(NamedTuple):
    """One invalid key of a params file.

    Attributes
    ----------
    key : str
        The dotted key, e.g. ``train.mitigation.sensitive_feature``.
    message : str
        What was expected and what was found.
    """

    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


class KeyProblems(ValueError):
    """Raised by a validator whose problems each belong to their own key, not to its section.

    pydantic keeps the exception in the error's context, so :func:`describe_errors` reports every
    problem under its own key instead of under the section the validator was attached to.
    """

    def __init__(self, problems: list[KeyProblem]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


def column_problems(cfg: Config) -> list[KeyProblem]:
    """Every key that names a column the schema does not declare, or a column of the wrong kind.

    Columns a check reads must be declared under ``data`` (a check would otherwise fail with a
    missing column long after ``mlgate validate`` said the params were fine). When the files have
    no header, ``ingest.column_names`` is the schema and every named column must be in it. With a
    header line, the files' columns are known only when ``ingest`` reads them (and checked then).
    Monotonic constraints name numeric features, and the mitigation's sensitive feature is a
    model input.

    Parameters
    ----------
    cfg : Config
        A configuration whose sections are each valid.

    Returns
    -------
    list of KeyProblem
        One per offending key, in the order of ``params.yaml``; empty when all agree.
    """
    problems = []
    data, names = cfg.data, cfg.ingest.column_names
    if names is not None:
        named = {"data.target": (data.target,)}
        named.update({f"data.{key}": getattr(data, key) for key in _DATA_COLUMN_KEYS})
        for key, columns in named.items():
            unknown = [c for c in dict.fromkeys(columns) if c not in names]
            if unknown:
                problems.append(KeyProblem(key, _not_in_column_names(unknown, names)))
    problems += _mitigation_problems(cfg.train.mitigation, data)
    boosting = cfg.train.hist_gradient_boosting
    for key in ("monotonic_increasing", "monotonic_decreasing"):
        wrong = [c for c in getattr(boosting, key) if c not in data.numeric]
        if wrong:
            problems.append(
                KeyProblem(
                    f"train.hist_gradient_boosting.{key}",
                    f"lists {wrong!r}, which are not in data.numeric {list(data.numeric)!r}",
                )
            )
    declared = set(data.required_columns)
    for check_id, check_cfg in cfg.checks.items():
        unknown = sorted(set(check_cfg.mentioned_columns()) - set(names or ()))
        undeclared = sorted(set(check_cfg.named_columns()) - declared)
        if names is not None and unknown:
            problems.append(KeyProblem(f"checks.{check_id}", _not_in_column_names(unknown, names)))
        elif undeclared:
            problems.append(
                KeyProblem(
                    f"checks.{check_id}",
                    f"reads columns {undeclared!r} that data does not declare (data.numeric, "
                    "data.categorical, data.sensitive_features, data.target)",
                )
            )
    return problems


_DATA_COLUMN_KEYS = ("numeric", "categorical", "sensitive_features")


def _not_in_column_names(unknown: list[str], names: tuple[str, ...]) -> str:
    return f"names columns {unknown!r} that are not in ingest.column_names {list(names)!r}"


def _mitigation_problems(mitigation: MitigationConfig, data: DataConfig) -> list[KeyProblem]:
    feature, key = mitigation.sensitive_feature, "train.mitigation.sensitive_feature"
    if feature is None:
        return []
    # The mitigated model finds each row's group in the inputs it is given to predict.
    if feature not in data.features:
        return [
            KeyProblem(
                key,
                f"{feature!r} is not a model input: the mitigated model needs it at prediction "
                f"time; declare it under data.categorical (inputs: {list(data.features)!r})",
            )
        ]
    if feature in data.numeric and feature not in data.sensitive_bins:
        return [
            KeyProblem(
                key,
                f"{feature!r} is numeric: give its groups' cut points in "
                f"data.sensitive_bins.{feature}",
            )
        ]
    return []


def parse_yaml(text: str, *, source: str) -> dict[str, Any]:
    """Parse YAML text the way DVC parses ``params.yaml`` (ruamel.yaml, YAML 1.2, safe).

    Parameters
    ----------
    text : str
        The YAML document.
    source : str
        Where the text came from, for error messages.

    Returns
    -------
    dict
        The parsed mapping (empty for an empty document).
    """
    from ruamel.yaml import YAML
    from ruamel.yaml import YAMLError as RuamelYAMLError

    try:
        data = YAML(typ="safe", pure=True).load(text)
    except RuamelYAMLError as exc:
        raise ConfigError(f"{source} is not valid YAML: {exc}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{source} must be a mapping of sections, found {type(data).__name__}.")
    return data


def config_from_mapping(raw: dict[str, Any], *, source: str = "params.yaml") -> Config:
    """Validate a parsed mapping into a :class:`Config`.

    Raises
    ------
    ConfigError
        Naming every invalid key, what was expected and what was found.
    """
    try:
        return validate_params(raw)
    except ValidationError as exc:
        problems = "\n".join(f"  - {problem}" for problem in describe_errors(exc))
        raise ConfigError(
            f"{source} is invalid:\n{problems}\nFix these keys in {source}."
        ) from None


def validate_params(raw: Any) -> Config:
    """Validate parsed params strictly: no value is coerced to another type.

    ``seed: true`` is not the integer 1 and ``alpha: '0.05'`` is not a number: a value of the wrong
    type is an error naming its key, never a silent conversion. YAML lists become tuples first,
    which is the only conversion made (the config's sequences are immutable tuples).

    Raises
    ------
    pydantic.ValidationError
        For every invalid key (see :func:`describe_errors`).
    """
    return Config.model_validate(as_tuples(raw), strict=True)


def as_tuples(value: Any) -> Any:
    """``value`` with every list, at any depth, turned into a tuple."""
    if isinstance(value, list | tuple):
        return tuple(as_tuples(item) for item in value)
    if isinstance(value, dict):
        return {key: as_tuples(item) for key, item in value.items()}
    return value


def load_config(path: str | Path = "params.yaml") -> Config:
    """Read, parse and validate ``params.yaml``.

    Parameters
    ----------
    path : str or Path
        The params file.

    Returns
    -------
    Config
        The frozen, validated configuration.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path} not found. Run mlgate from the project root or pass --params PATH."
        ) from None
    return config_from_mapping(parse_yaml(text, source=str(path)), source=str(path))


def describe_errors(exc: ValidationError) -> list[KeyProblem]:
    """Each problem of a failed validation of ``params.yaml``, named by its dotted key.

    Parameters
    ----------
    exc : pydantic.ValidationError
        The error :meth:`Config.model_validate` raised.

    Returns
    -------
    list of KeyProblem
        One per invalid key, with what was expected and what was found.
    """
    problems: list[KeyProblem] = []
    for error in exc.errors():
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, KeyProblems):
            problems.extend(cause.problems)
        else:
            problems.append(_describe(error))
    return problems


def _describe(error: Any) -> KeyProblem:
    key = ".".join(str(part) for part in error["loc"]) or "(top level)"
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return KeyProblem(
            key, "unknown key (check its spelling; see the README for the valid keys)"
        )
    if error["type"] == "missing":
        return KeyProblem(key, "required key is missing")
    found = error.get("input")
    if isinstance(found, dict):  # a rule across a whole section: the message names the keys
        return KeyProblem(key, message)
    return KeyProblem(key, f"{message}; found {found!r}")
