"""data.schema: types, nullability, value ranges and allowed categories of each input (pandera)."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, TypedDict

from mlgate.checks.base import (
    CheckContext,
    CheckResult,
    Status,
    register,
    result,
    skip,
)
from mlgate.checks.tally import Tally, TallySpec
from mlgate.config.checks.data import SchemaConfig
from mlgate.data.redaction import withheld, withheld_inputs

if TYPE_CHECKING:
    import pandas as pd

    from mlgate.config import DataConfig

CHECK_ID = "data.schema"
TITLE = "Schema of each input"


class SchemaDetails(TypedDict, total=False):
    """``details`` of ``data.schema``."""

    # On a fail: each failing column and check, with example rows; in a column whose values are
    # withheld (mlgate.data.redaction), the examples' values are null and values_withheld says why.
    violations: list[dict[str, Any]]


def schema_tallies(ctx: CheckContext, cfg: SchemaConfig) -> list[TallySpec]:
    """Each (column, check) the rows under test fail, with its first failing rows."""
    count = partial(count_violations, data=ctx.data, cfg=cfg, is_batch=ctx.is_batch)
    return [TallySpec("schema", count)]


def count_violations(
    rows: pd.DataFrame, first_row: int, *, data: DataConfig, cfg: SchemaConfig, is_batch: bool
) -> Tally:
    """Failing cells per (column, check), and the first ``max_examples`` (row, value) of each."""
    counts, firsts = {}, {}
    for violation in schema_violations(rows, data, cfg, is_batch=is_batch):
        key = (violation["column"], violation["check"])
        counts[key] = violation["failing_rows"]
        firsts[key] = tuple(
            (None if e["row"] is None else first_row + e["row"], e["value"])
            for e in violation["examples"]
        )
    return Tally(len(rows), counts, firsts, limit=cfg.max_examples)


@register(CHECK_ID, title=TITLE, config=SchemaConfig, details=SchemaDetails, tallies=schema_tallies)
def check_schema(ctx: CheckContext, cfg: SchemaConfig) -> CheckResult:
    """Validate the reference and current data against the declared schema, lazily (all errors)."""
    if ctx.rows == 0:
        return skip(CHECK_ID, TITLE, f"{ctx.current_name} has no rows.")
    violations = [
        {"input": "reference", **v}
        for v in schema_violations(ctx.reference, ctx.data, cfg, is_batch=ctx.is_batch)
    ]
    (spec,) = schema_tallies(ctx, cfg)
    current = ctx.tally(spec)
    violations += [
        {
            "input": ctx.current_name,
            "column": column,
            "check": check,
            "failing_rows": current.counts[(column, check)],
            "examples": [
                {"row": row, "value": value} for row, value in current.firsts[(column, check)]
            ],
        }
        for column, check in sorted(current.counts)
    ]
    violations = _redacted(violations, ctx)
    rows = sum(v["failing_rows"] for v in violations)
    if not violations:
        return result(
            CHECK_ID,
            TITLE,
            Status.PASS,
            f"Every column of reference and {ctx.current_name} matches the schema.",
            value=0,
            threshold=0,
            n=ctx.rows,
        )
    listed = ", ".join(sorted({f"{v['input']}.{v['column']} ({v['check']})" for v in violations}))
    return result(
        CHECK_ID,
        TITLE,
        Status.FAIL,
        f"{len(violations)} schema violations in {rows} cells: {listed}.",
        value=len(violations),
        threshold=0,
        n=ctx.rows,
        details={"violations": violations},
    )


def _redacted(violations: list[dict], ctx: CheckContext) -> list[dict]:
    """The violations, their example values withheld in columns whose values are never shown."""
    columns = {v["column"] for v in violations} & set(ctx.reference.columns)
    hidden = withheld_inputs(ctx.reference, ctx.data, columns=sorted(columns))
    return [
        v
        if v["column"] not in hidden
        else v
        | {
            "examples": [{"row": e["row"], "value": None} for e in v["examples"]],
            "values_withheld": withheld(len(v["examples"]), hidden[v["column"]]),
        }
        for v in violations
    ]


def schema_violations(
    frame: pd.DataFrame, data: DataConfig, cfg: SchemaConfig, *, is_batch: bool
) -> list[dict]:
    """Every failing (column, check) of ``frame``, with a count and a bounded sample of rows.

    ``is_batch``: the frame is a new batch, which may come without labels.
    """
    import pandera.pandas as pa

    columns = {}
    for column in data.required_columns:
        if column == data.target and column not in frame.columns and is_batch:
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
