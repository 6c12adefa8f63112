"""Each check's params model, by check id: how ``checks:`` in ``params.yaml`` is validated.

A check is configured by one entry ``checks.<suite>.<name>`` validated by its class here; the check
itself (``mlgate.checks.<suite>.<name>``) registers under the same id, and a test keeps the two
registries equal.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from mlgate.config.base import as_tuples
from mlgate.config.checks.base import CheckConfig
from mlgate.config.checks.comparison import ChampionConfig
from mlgate.config.checks.data import (
    DeniedInputsConfig,
    DuplicatesConfig,
    LabelBalanceConfig,
    LeakageConfig,
    MissingValuesConfig,
    PersonalDataConfig,
    SchemaConfig,
    TargetLeakageConfig,
    UnseenCategoriesConfig,
)
from mlgate.config.checks.drift import (
    FeatureDriftConfig,
    MultivariateDriftConfig,
    PredictionDriftConfig,
    PsiConfig,
)
from mlgate.config.checks.explain import RankStabilityConfig, SensitiveRankingConfig
from mlgate.config.checks.fairness import GroupParityConfig
from mlgate.config.checks.model import ReproducibilityConfig
from mlgate.config.checks.performance import MetricsConfig, SlicesConfig, TrivialBaselineConfig
from mlgate.config.checks.robustness import (
    CounterfactualConfig,
    InputsConfig,
    InvarianceConfig,
    MonotonicConfig,
)
from mlgate.errors import PARAMS_FILE, Problem, Problems

#: Check id -> the class of its params, in the order results are reported.
CHECK_CONFIGS: dict[str, type[CheckConfig]] = {
    "data.schema": SchemaConfig,
    "data.missing_values": MissingValuesConfig,
    "data.duplicates": DuplicatesConfig,
    "data.label_balance": LabelBalanceConfig,
    "data.leakage": LeakageConfig,
    "data.target_leakage": TargetLeakageConfig,
    "data.denied_inputs": DeniedInputsConfig,
    "data.personal_data": PersonalDataConfig,
    "data.unseen_categories": UnseenCategoriesConfig,
    "drift.features": FeatureDriftConfig,
    "drift.psi": PsiConfig,
    "drift.multivariate": MultivariateDriftConfig,
    "drift.prediction": PredictionDriftConfig,
    "performance.metrics": MetricsConfig,
    "performance.slices": SlicesConfig,
    "performance.trivial_baseline": TrivialBaselineConfig,
    "comparison.champion": ChampionConfig,
    "fairness.group_parity": GroupParityConfig,
    "model.reproducibility": ReproducibilityConfig,
    "explain.sensitive_ranking": SensitiveRankingConfig,
    "explain.rank_stability": RankStabilityConfig,
    "robustness.inputs": InputsConfig,
    "robustness.invariance": InvarianceConfig,
    "robustness.monotonic": MonotonicConfig,
    "robustness.counterfactual": CounterfactualConfig,
}


def validate_checks_config(raw: Any) -> dict[str, CheckConfig]:
    """Validate ``checks:`` (``{suite: {name: params}}``) into ``{"suite.name": config}``.

    Raises
    ------
    mlgate.errors.Problems
        A ``ValueError`` naming every unknown suite or check, and every invalid key as
        ``checks.suite.name.key``.
    """
    registry = CHECK_CONFIGS
    if not isinstance(raw, dict):
        raise ValueError(f"must map suites to checks, got {type(raw).__name__}")
    problems: list[Problem] = []
    unknown: list[str] = []
    validated: dict[str, CheckConfig] = {}
    for suite, checks in raw.items():
        if not isinstance(checks, dict):
            problems.append(
                Problem(PARAMS_FILE, f"checks.{suite}", "must map check names to their params")
            )
            continue
        for name, params in checks.items():
            check_id = f"{suite}.{name}"
            if check_id not in registry:
                unknown.append(check_id)
                continue
            try:
                validated[check_id] = registry[check_id].model_validate(
                    as_tuples(params or {}), strict=True
                )
            except ValidationError as exc:
                for error in exc.errors():
                    key = ".".join(str(part) for part in ("checks", check_id, *error["loc"]))
                    found = error.get("input")
                    problems.append(Problem(PARAMS_FILE, key, f"{error['msg']}; found {found!r}"))
    if unknown:
        problems.append(
            Problem(
                PARAMS_FILE,
                "checks",
                f"unknown checks {unknown} (known checks: {', '.join(sorted(registry))})",
            )
        )
    if problems:
        raise Problems(problems)
    return validated


def nest_checks_config(configs: dict[str, CheckConfig]) -> dict[str, dict[str, dict]]:
    """The inverse of :func:`validate_checks_config`: ``{suite: {name: params}}``."""
    nested: dict[str, dict[str, dict]] = {}
    for check_id, cfg in configs.items():
        suite, name = check_id.split(".", 1)
        nested.setdefault(suite, {})[name] = cfg.model_dump(mode="json")
    return nested
