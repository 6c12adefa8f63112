"""Helpers the checks share to look at tables: slicing groups and quoting rows."""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from mlgate.config import DataConfig

MISSING_GROUP = "(missing)"


def group_labels(frame: pd.DataFrame, column: str, data: DataConfig) -> pd.Series:
    """Each row's group of ``column``: its value, or its bin for a binned numeric feature.

    Bins come from ``data.sensitive_bins[column]`` (cut points c1 < c2 < ...): the groups are
    ``< c1``, ``c1–c2``, ..., ``≥ ck``. Missing values form the group ``(missing)``.
    """
    import numpy as np
    import pandas as pd

    values = frame[column]
    edges = data.sensitive_bins.get(column)
    if edges is None:
        return values.astype(object).where(values.notna(), MISSING_GROUP).astype(str)
    names = [f"< {_fmt(edges[0])}"]
    names += [f"{_fmt(a)}–{_fmt(b)}" for a, b in pairwise(edges)]
    names.append(f"≥ {_fmt(edges[-1])}")
    positions = np.searchsorted(np.asarray(edges, dtype=float), values.to_numpy(float), "right")
    labels = pd.Series(np.asarray(names, dtype=object)[positions], index=frame.index)
    return labels.where(values.notna(), MISSING_GROUP)


def _fmt(number: float) -> str:
    return f"{number:g}"


def quote_values(values: Any, limit: int) -> list:
    """At most ``limit`` values, JSON-ready (numpy scalars become Python ones)."""
    out = []
    for value in list(values)[:limit]:
        out.append(value.item() if hasattr(value, "item") else value)
    return out
