"""A SHA-256 per row of model inputs: equal values give equal hashes, whatever file held them.

A row is written as canonical JSON and hashed as UTF-8::

    hashlib.sha256(
        json.dumps(row, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    ).hexdigest()

where ``row`` maps each input column to its value: a numeric column's value as a float (so that
``39``, ``39.0`` and ``"39"`` read from a CSV file are all ``39.0``; ``-0.0`` is ``0.0``), any other
column's value as a string (``str(value)``), and a missing value as ``None``. Column order does not
matter (keys are sorted), and anyone can recompute a hash from a row with the standard library.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


def canonical_row(row: Mapping[str, Any], *, numeric: Collection[str]) -> str:
    """The canonical JSON of one row (the definition :func:`row_sha256` computes in bulk).

    Parameters
    ----------
    row : mapping
        Column name -> value; ``None`` or a float NaN is missing.
    numeric : collection of str
        The columns whose values are numbers.
    """
    canonical = {
        name: _canonical_value(value, numeric=name in numeric) for name, value in row.items()
    }
    return json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _canonical_value(value: Any, *, numeric: bool) -> float | str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if numeric:
        number = float(value)
        return None if math.isnan(number) else number + 0.0  # -0.0 + 0.0 is 0.0
    return str(value)


def row_sha256(frame: pd.DataFrame, *, numeric: Collection[str]) -> np.ndarray:
    """The SHA-256 (hex) of each row of ``frame``'s canonical JSON, as in the module docstring.

    Each column's distinct values are written once and the rows assembled from them, so the cost
    is one join and one hash per row.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows: exactly the columns to hash.
    numeric : collection of str
        The columns whose values are numbers; every other column is text.

    Returns
    -------
    numpy.ndarray
        One 64-character hex digest per row, in ``frame``'s order.
    """
    import numpy as np
    import pandas as pd

    pieces = []
    for name in sorted(frame.columns):
        codes, distinct = pd.factorize(frame[name], use_na_sentinel=True)
        key = json.dumps(name, ensure_ascii=False) + ":"
        written = [
            key + json.dumps(_canonical_value(value, numeric=name in numeric), ensure_ascii=False)
            for value in distinct
        ]
        # Code -1 (missing) takes the last entry.
        pieces.append(np.array([*written, key + "null"], dtype=object)[codes])
    if not pieces:
        return np.array([hashlib.sha256(b"{}").hexdigest()] * len(frame), dtype=object)
    rows = ["{" + ",".join(values) + "}" for values in zip(*pieces, strict=True)]
    return np.array(
        [hashlib.sha256(text.encode("utf-8")).hexdigest() for text in rows], dtype=object
    )
