"""Sensitive groups: a row's group is its value, or its bin for a binned numeric feature.

Shared by the fairness and slice checks, and by the mitigated model, which must find each row's
group at prediction time exactly as the checks find it when they judge the model.
"""

from __future__ import annotations

import math
import re
from itertools import pairwise
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    import pandas as pd

MISSING_GROUP = "(missing)"
#: How two groups are joined into one of an intersection ("Female & 25–45").
JOIN = " & "
_BIN = re.compile(r"^(?:< (?P<below>\S+)|(?P<low>\S+)–\S+|≥ (?P<from>\S+))$")


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


def group_order(groups: Iterable[str]) -> list[str]:
    """Groups in reading order: bins by ascending lower bound, other values alphabetically.

    An intersection (``a & b``) is ordered by its parts in turn; ``(missing)`` comes last. The
    order is the one :func:`group_labels` gives its bins, so a report can show ``< 25`` before
    ``25–45`` where a sort as text would not.
    """
    return sorted(groups, key=lambda group: [_part_key(part) for part in group.split(JOIN)])


def _part_key(part: str) -> tuple[int, float, str]:
    if part == MISSING_GROUP:
        return (2, 0.0, "")
    found = _BIN.match(part)
    if found:
        try:
            low = -math.inf if found["below"] else float(found["low"] or found["from"])
        except ValueError:  # a category that merely looks like a bin ("A–B")
            return (1, 0.0, part)
        return (0, low, part)
    return (1, 0.0, part)


def _fmt(number: float) -> str:
    return f"{number:g}"
