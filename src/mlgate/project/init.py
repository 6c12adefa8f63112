"""``mlgate init`` as a function: infer, rewrite params.yaml and dvc.yaml, validate, write.

Nothing is written unless the new params validate; both files are written together.
"""

from __future__ import annotations

from pathlib import Path

from mlgate import io
from mlgate.config import config_from_mapping
from mlgate.config.base import as_tuples
from mlgate.config.checks.data import TargetLeakageConfig
from mlgate.errors import ConfigError
from mlgate.io import parse_yaml
from mlgate.project.init_params import rewrite_dvc_yaml, rewrite_params
from mlgate.project.schema_inference import InferredTable, infer_table


def initialise(
    params_path: Path,
    dvc_path: Path,
    *,
    data_path: str,
    test_path: str | None,
    target: str,
    sensitive: tuple[str, ...],
    force: bool,
) -> tuple[str, list[str]]:
    """Point ``params_path`` and ``dvc_path`` at ``data_path``; return a summary and notes.

    Raises
    ------
    ConfigError
        When ``params_path`` already describes a dataset and ``force`` is not set, or a file is
        missing.
    DataError
        When the table cannot be read or its target is not binary.
    """
    if not params_path.is_file() or not dvc_path.is_file():
        raise ConfigError(
            f"{params_path} and {dvc_path} are the template's files that init rewrites; run "
            "mlgate init in a copy of the template (both must exist)."
        )
    text = params_path.read_text(encoding="utf-8")
    current = parse_yaml(text, source=str(params_path)) or {}
    if current.get("data") and not force:
        described = (current.get("ingest") or {}).get("train_path")
        raise ConfigError(
            f"{params_path} already describes a dataset ({described!r}, target "
            f"{current['data'].get('target')!r}). Pass --force to replace its data: and ingest: "
            "sections (the rest of the file is kept)."
        )
    test_rows = None
    if test_path is not None:
        with io.open_source(test_path) as handle:
            test_rows = max(0, handle.read().count(b"\n") - 1)  # lines less the header
    with io.open_source(data_path) as handle:
        table = infer_table(
            handle.read(),
            source=data_path,
            target=target,
            sensitive=sensitive,
            test_rows=test_rows,
            leakage=_leakage_params(current, source=str(params_path)),
        )
    new_params, notes = rewrite_params(text, table, train_path=data_path, test_path=test_path)
    config_from_mapping(parse_yaml(new_params, source=str(params_path)), source=str(params_path))
    new_dvc = rewrite_dvc_yaml(
        dvc_path.read_text(encoding="utf-8"), has_test_file=test_path is not None
    )
    io.write_files({params_path: new_params.encode(), dvc_path: new_dvc.encode()})
    return summary(table, data_path), notes


def _leakage_params(params: dict, *, source: str) -> TargetLeakageConfig | None:
    """The template's ``checks.data.target_leakage`` (its limits, not its allow), or None."""
    from pydantic import ValidationError

    section = ((params.get("checks") or {}).get("data") or {}).get("target_leakage")
    if section is None:
        return None
    try:
        return TargetLeakageConfig.model_validate(as_tuples({**section, "allow": {}}))
    except ValidationError as exc:
        raise ConfigError(f"{source}: checks.data.target_leakage is not valid: {exc}") from None


def summary(table: InferredTable, source: str) -> str:
    """What was inferred, for a person to read: layout, labels, columns, personal data."""
    lines = [
        f"{source}: {table.rows:,} rows; {table.encoding}, separator {table.separator!r}, header "
        f"row, missing values written as {list(table.na_values) or 'empty fields'}",
        f"target {table.target!r}: labels {list(table.labels)}, positive {table.positive_label!r}",
        f"numeric ({len(table.numeric)}): {', '.join(table.numeric) or '-'}",
        f"categorical ({len(table.categorical)}): {', '.join(table.categorical) or '-'}",
        f"sensitive: {', '.join(table.sensitive) or '-'}"
        + (f"; bins {table.sensitive_bins}" if table.sensitive_bins else ""),
    ]
    if table.personal:
        lines.append("personal data, dropped when read (data.personal), never a feature:")
        lines += [f"  {column}: {reason}" for column, reason in table.personal.items()]
    if table.leakage.flagged:
        lines.append(
            "target leakage: predicts the label alone, so left out of the inputs and denied "
            "(checks.data.denied_inputs); put it back only if it is known before the outcome:"
        )
        lines += [f"  {column}: {why}" for column, why in table.leakage.flagged.items()]
    return "\n".join(lines)
