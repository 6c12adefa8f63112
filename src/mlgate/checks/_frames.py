"""Helpers the checks share to look at tables: slicing groups and quoting rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlgate.data.groups import group_labels as labels_of

if TYPE_CHECKING:
    import pandas as pd

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
