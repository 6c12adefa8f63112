"""One validated, frozen configuration object, loaded from ``params.yaml``.

Each section of ``params.yaml`` has its own model in this package, and each stage receives only its
own section: ``data``/``ingest`` (:mod:`.data`), ``prepare``/``train``/``evaluate``/``explain``
(:mod:`.train`), ``gate`` (:mod:`.gate`) and one model per check (:mod:`.checks`). Unknown keys are
errors, ranges are declared, and cross-field rules (the positive label is one of the labels, a
column is not both numeric and categorical, ...) are checked once, here.

``params.yaml`` is parsed exactly as DVC parses it (:func:`mlgate.io.parse_yaml`), so the values a
stage sees are the values ``dvc params diff`` shows: ``1e-3`` is a float, ``no`` a string.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError, field_serializer, field_validator, model_validator

from mlgate.config.base import ColumnName, Section, as_tuples
from mlgate.config.batches import BatchesConfig
from mlgate.config.card import CardConfig
from mlgate.config.checks import nest_checks_config, validate_checks_config
from mlgate.config.checks.base import CheckConfig
from mlgate.config.columns import column_problems
from mlgate.config.data import DataConfig, IngestConfig, TableRules
from mlgate.config.examples import ExamplesConfig
from mlgate.config.gate import GateConfig
from mlgate.config.monitor import MonitorAlertConfig, MonitorConfig, MonitorPerformanceConfig
from mlgate.config.registry import MlflowRegistryConfig, RegistryConfig
from mlgate.config.train import (
    CustomEstimatorConfig,
    EvaluateConfig,
    ExplainConfig,
    HistGradientBoostingConfig,
    LogisticRegressionConfig,
    MitigationConfig,
    PrepareConfig,
    PreprocessingConfig,
    RandomForestConfig,
    TrainConfig,
)
from mlgate.errors import PARAMS_FILE, ConfigError, Problem, Problems
from mlgate.io import parse_yaml

__all__ = [
    "BatchesConfig",
    "CardConfig",
    "CheckConfig",
    "ColumnName",
    "Config",
    "CustomEstimatorConfig",
    "DataConfig",
    "EvaluateConfig",
    "ExamplesConfig",
    "ExplainConfig",
    "GateConfig",
    "HistGradientBoostingConfig",
    "IngestConfig",
    "LogisticRegressionConfig",
    "MitigationConfig",
    "MlflowRegistryConfig",
    "MonitorAlertConfig",
    "MonitorConfig",
    "MonitorPerformanceConfig",
    "PrepareConfig",
    "PreprocessingConfig",
    "RandomForestConfig",
    "RegistryConfig",
    "TableRules",
    "TrainConfig",
    "as_tuples",
    "config_from_mapping",
    "describe_errors",
    "load_config",
    "validate_params",
]


class Config(Section):
    """The whole of ``params.yaml``, validated."""

    data: DataConfig
    ingest: IngestConfig
    prepare: PrepareConfig
    train: TrainConfig
    evaluate: EvaluateConfig = EvaluateConfig()
    explain: ExplainConfig = ExplainConfig()
    gate: GateConfig = GateConfig()
    registry: RegistryConfig = RegistryConfig()
    card: CardConfig = CardConfig()
    monitor: MonitorConfig = MonitorConfig()
    batches: BatchesConfig = BatchesConfig()
    examples: ExamplesConfig = ExamplesConfig()
    checks: dict[str, Any] = Field(
        default_factory=dict,
        description="checks.<suite>.<name>: each configured check, validated by its own class.",
    )

    @field_validator("checks", mode="before")
    @classmethod
    def _validate_checks(cls, raw: Any) -> dict[str, Any]:
        return validate_checks_config(raw or {})

    @field_serializer("checks")
    def _nest_checks(self, checks: dict[str, Any]) -> dict[str, Any]:
        return nest_checks_config(checks)

    @property
    def table_rules(self) -> TableRules:
        """``data:`` and ``ingest:``: how a batch is read and held to its schema."""
        return TableRules(self.data, self.ingest)

    @model_validator(mode="after")
    def _check_named_columns(self) -> Config:
        problems = column_problems(self.data, self.ingest, self.train, self.checks, self.examples)
        if problems:
            raise Problems(problems)
        return self


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
        problems = "\n".join(f"  - {problem.keyed}" for problem in describe_errors(exc))
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


def describe_errors(exc: ValidationError) -> list[Problem]:
    """Each problem of a failed validation of ``params.yaml``, named by its dotted key.

    Parameters
    ----------
    exc : pydantic.ValidationError
        The error :meth:`Config.model_validate` raised.

    Returns
    -------
    list of Problem
        One per invalid key, with what was expected and what was found.
    """
    problems: list[Problem] = []
    for error in exc.errors():
        cause = error.get("ctx", {}).get("error")
        if isinstance(cause, Problems):
            problems.extend(cause.problems)
        else:
            problems.append(_describe(error))
    return problems


def _describe(error: Any) -> Problem:
    key = ".".join(str(part) for part in error["loc"]) or "(top level)"
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return Problem(
            PARAMS_FILE,
            key,
            "unknown key (check its spelling; the valid keys: docs/reference/params.md)",
        )
    if error["type"] == "missing":
        return Problem(PARAMS_FILE, key, "required key is missing")
    found = error.get("input")
    if isinstance(found, dict):  # a rule across a whole section: the message names the keys
        return Problem(PARAMS_FILE, key, message)
    return Problem(PARAMS_FILE, key, f"{message}; found {found!r}")
