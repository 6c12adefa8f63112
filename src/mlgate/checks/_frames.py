"""Helpers the checks share to look at tables: slicing groups and quoting rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlgate.data.groups import group_labels as labels_of
from mlgate.data.redaction import withheld_reason

if TYPE_CHECKING:
    import pandas as pd

    from mlgate.checks.base import CheckContext
    from mlgate.config import DataConfig


def group_labels(frame: pd.DataFrame, column: str, data: DataConfig) -> pd.Series:
    """Each row's group of ``column``, binned by ``data.sensitive_bins`` where it has cut points.

    See :func:`mlgate.data.groups.group_labels`.
    """
    return labels_of(frame[column], data.sensitive_bins.get(column))


def quote_values(values: Any, limit: int) -> list:
    """At most ``limit`` values, JSON-ready (numpy scalars become Python ones)."""
    out = []
    for value in list(values)[:limit]:
        out.append(value.item() if hasattr(value, "item") else value)
    return out


def slice_withheld_reason(ctx: CheckContext, slice_name: str) -> str | None:
    """Why the groups of ``slice_name`` (a feature, or ``a×b``) may not all be named, or None.

    A binned numeric feature's groups are its bins, never a row's value. An intersection is
    withheld when either of its features is.
    """
    for feature in slice_name.split("×"):
        if feature in ctx.data.sensitive_bins:
            continue
        reason = withheld_reason(
            feature,
            ctx.reference[feature] if feature in ctx.reference else ctx.current[feature],
            max_listed_distinct=ctx.data.max_listed_distinct,
        )
        if reason is not None:
            return reason
    return None
