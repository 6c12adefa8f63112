"""Sensitive groups: a row's group is its value, or its bin for a binned numeric feature.

Shared by the fairness and slice checks, and by the mitigated model, which must find each row's
group at prediction time exactly as the checks find it when they judge the model.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    import pandas as pd

MISSING_GROUP = "(missing)"


def group_labels(values: pd.Series, edges: Sequence[float] | None = None) -> pd.Series:
    """Each value's group: the value itself as text, or its bin when ``edges`` are given.

    Bins come from cut points c1 < c2 < ...: the groups are ``< c1``, ``c1–c2``, ..., ``≥ ck``.
    Missing values form the group ``(missing)``.
    """
    import numpy as np
    import pandas as pd

    if edges is None:
        return values.astype(object).where(values.notna(), MISSING_GROUP).astype(str)
    names = [f"< {_fmt(edges[0])}"]
    names += [f"{_fmt(a)}–{_fmt(b)}" for a, b in pairwise(edges)]
    names.append(f"≥ {_fmt(edges[-1])}")
    positions = np.searchsorted(np.asarray(edges, dtype=float), values.to_numpy(float), "right")
    labels = pd.Series(np.asarray(names, dtype=object)[positions], index=values.index)
    return labels.where(values.notna(), MISSING_GROUP)


def _fmt(number: float) -> str:
    return f"{number:g}"
