"""data.schema: types, nullability, value ranges and allowed categories of each input (pandera)."""

from __future__ import annotations

from typing import Any, TypedDict

from mlgate.checks.base import (
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
    skip,
)
from mlgate.config.checks.data import SchemaConfig

CHECK_ID = "data.schema"
TITLE = "Schema of each input"


class SchemaDetails(TypedDict, total=False):
    """``details`` of ``data.schema``."""

    violations: list[dict[str, Any]]  # on a fail: each failing column and check


@register(CHECK_ID, title=TITLE, config=SchemaConfig, details=SchemaDetails)
def check_schema(ctx: CheckContext, cfg: SchemaConfig) -> CheckResult:
    """Validate the reference and current data against the declared schema, lazily (all errors)."""
    if ctx.current.empty:
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no rows.")
    violations = []
    for name, frame in (("reference", ctx.reference), (ctx.current_name, ctx.current)):
        violations += [{"input": name, **v} for v in schema_violations(frame, ctx, cfg)]
    rows = sum(v["failing_rows"] for v in violations)
    if not violations:
        return result(
            CHECK_ID,
            TITLE,
            Status.PASS,
            f"Every column of reference and {ctx.current_name} matches the schema.",
            value=0,
            threshold=0,
            n=len(ctx.current),
        )
    listed = ", ".join(sorted({f"{v['input']}.{v['column']} ({v['check']})" for v in violations}))
    return result(
        CHECK_ID,
        TITLE,
        Status.FAIL,
        f"{len(violations)} schema violations in {rows} cells: {listed}.",
        value=len(violations),
        threshold=0,
        n=len(ctx.current),
        details={"violations": violations},
    )


def schema_violations(frame, ctx: CheckContext, cfg: SchemaConfig) -> list[dict]:
    """Every failing (column, check) of ``frame``, with a count and a bounded sample of rows."""
    import pandera.pandas as pa

    data = ctx.data
    columns = {}
    for column in data.required_columns:
        if column == data.target and column not in frame.columns and ctx.is_batch:
            continue  # a new batch may arrive without labels
        checks = []
        if column in cfg.ranges:
            low, high = cfg.ranges[column]
            checks.append(pa.Check.in_range(low, high))
        if column in cfg.allowed_categories:
            checks.append(pa.Check.isin(list(cfg.allowed_categories[column])))
        if column == data.target:
            checks.append(pa.Check.isin(list(data.labels)))
        dtype = float if column in data.numeric else None
        columns[column] = pa.Column(
            dtype,
            checks=checks,
            nullable=column not in cfg.non_nullable and column != data.target,
            coerce=False,
            required=True,
        )
    schema = pa.DataFrameSchema(columns, strict=False)
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return _summarise(exc.failure_cases, cfg.max_examples)
    return []


def _summarise(failure_cases, max_examples: int) -> list[dict]:
    violations = []
    cases = failure_cases.astype({"column": object, "check": object}).fillna({"column": "(table)"})
    for (column, check), group in cases.groupby(["column", "check"], sort=True, dropna=False):
        examples = [
            {"row": None if _plain(row) is None else int(row), "value": _plain(value)}
            for row, value in zip(group["index"], group["failure_case"], strict=True)
        ][:max_examples]
        violations.append(
            {
                "column": str(column),
                "check": str(check),
                "failing_rows": len(group),
                "examples": examples,
            }
        )
    return violations


def _plain(value):
    if value is None or value != value:  # NaN
        return None
    return value.item() if hasattr(value, "item") else value
