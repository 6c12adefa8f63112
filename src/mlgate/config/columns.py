"""Rules across sections: every column a key names is declared, and of the right kind."""

from __future__ import annotations

from collections.abc import Mapping

from mlgate.config.checks.base import CheckConfig
from mlgate.config.data import DataConfig, IngestConfig
from mlgate.config.examples import ExamplesConfig
from mlgate.config.train import MitigationConfig, TrainConfig
from mlgate.errors import PARAMS_FILE, Problem


def column_problems(
    data: DataConfig,
    ingest: IngestConfig,
    train: TrainConfig,
    checks: Mapping[str, CheckConfig],
    examples: ExamplesConfig | None = None,
) -> list[Problem]:
    """Every key that names a column the schema does not declare, or a column of the wrong kind.

    Columns a check reads must be declared under ``data`` (a check would otherwise fail with a
    missing column long after ``mlgate validate`` said the params were fine). When the files have
    no header, ``ingest.column_names`` is the schema and every named column must be in it. With a
    header line, the files' columns are known only when ``ingest`` reads them (and checked then).
    Monotonic constraints name numeric features, and the mitigation's sensitive feature is a
    model input.

    Parameters
    ----------
    data, ingest, train : DataConfig, IngestConfig, TrainConfig
        Sections that are each valid.
    checks : mapping
        Check id -> its validated params.

    Returns
    -------
    list of Problem
        One per offending key, in the order of ``params.yaml``; empty when all agree.
    """
    problems = []
    names = ingest.column_names
    if names is not None:
        named = {"data.target": (data.target,)}
        named.update({f"data.{key}": getattr(data, key) for key in _DATA_COLUMN_KEYS})
        for key, columns in named.items():
            unknown = [c for c in dict.fromkeys(columns) if c not in names]
            if unknown:
                problems.append(Problem(PARAMS_FILE, key, _not_in_column_names(unknown, names)))
    problems += _mitigation_problems(train.mitigation, data)
    boosting = train.hist_gradient_boosting
    for key in ("monotonic_increasing", "monotonic_decreasing"):
        wrong = [c for c in getattr(boosting, key) if c not in data.numeric]
        if wrong:
            problems.append(
                Problem(
                    PARAMS_FILE,
                    f"train.hist_gradient_boosting.{key}",
                    f"lists {wrong!r}, which are not in data.numeric {list(data.numeric)!r}",
                )
            )
    if examples is not None:
        problems += _examples_problems(examples, data)
    declared = set(data.required_columns)
    for check_id, check_cfg in checks.items():
        unknown = sorted(set(check_cfg.mentioned_columns()) - set(names or ()))
        undeclared = sorted(set(check_cfg.named_columns()) - declared)
        if names is not None and unknown:
            problems.append(
                Problem(PARAMS_FILE, f"checks.{check_id}", _not_in_column_names(unknown, names))
            )
        elif undeclared:
            problems.append(
                Problem(
                    PARAMS_FILE,
                    f"checks.{check_id}",
                    f"reads columns {undeclared!r} that data does not declare (data.numeric, "
                    "data.categorical, data.sensitive_features, data.target)",
                )
            )
    return problems


_DATA_COLUMN_KEYS = ("numeric", "categorical", "sensitive_features")


def _not_in_column_names(unknown: list[str], names: tuple[str, ...]) -> str:
    return f"names columns {unknown!r} that are not in ingest.column_names {list(names)!r}"


def _examples_problems(examples: ExamplesConfig, data: DataConfig) -> list[Problem]:
    problems = []
    if examples.covariate is not None and examples.covariate.feature not in data.numeric:
        problems.append(
            Problem(
                PARAMS_FILE,
                "examples.covariate.feature",
                f"{examples.covariate.feature!r} is not in data.numeric {list(data.numeric)!r}",
            )
        )
    columns = (*data.features, *data.sensitive_features)
    if examples.concept is not None and examples.concept.feature not in columns:
        problems.append(
            Problem(
                PARAMS_FILE,
                "examples.concept.feature",
                f"{examples.concept.feature!r} is neither an input nor a sensitive feature "
                "(data.numeric, data.categorical, data.sensitive_features)",
            )
        )
    return problems


def _mitigation_problems(mitigation: MitigationConfig, data: DataConfig) -> list[Problem]:
    feature, key = mitigation.sensitive_feature, "train.mitigation.sensitive_feature"
    # Without mitigation the key is not used: a template's leftover must not stop the run.
    if feature is None or mitigation.method == "none":
        return []
    # The mitigated model finds each row's group in the inputs it is given to predict.
    if feature not in data.features:
        return [
            Problem(
                PARAMS_FILE,
                key,
                f"{feature!r} is not a model input: the mitigated model needs it at prediction "
                f"time; declare it under data.categorical (inputs: {list(data.features)!r})",
            )
        ]
    if feature in data.numeric and feature not in data.sensitive_bins:
        return [
            Problem(
                PARAMS_FILE,
                key,
                f"{feature!r} is numeric: give its groups' cut points in "
                f"data.sensitive_bins.{feature}",
            )
        ]
    return []
