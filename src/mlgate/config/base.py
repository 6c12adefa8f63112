"""What every params section shares: strict, frozen models and non-empty column names."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

ColumnName = Annotated[str, Field(min_length=1)]


class Section(BaseModel):
    """Base of every section of ``params.yaml``: unknown keys are errors; values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def as_tuples(value: Any) -> Any:
    """``value`` with every list, at any depth, turned into a tuple."""
    if isinstance(value, list | tuple):
        return tuple(as_tuples(item) for item in value)
    if isinstance(value, dict):
        return {key: as_tuples(item) for key, item in value.items()}
    return value
