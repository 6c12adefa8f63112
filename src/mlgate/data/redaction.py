"""Which columns' values may be written into evidence, fingerprints, reports, cards and logs.

The one rule every check and file writer that would quote a column's values follows: a column's
values are withheld when the column looks like personal data (:func:`identifying_reason`: names,
ids, emails, phones, addresses, dates, free text) or has more distinct values than
``data.max_listed_distinct`` (a value shared by few rows points at few people, and so many values
would not be read anyway). What is withheld is replaced by how many values there were and why, so
a reader still sees that something happened and how much.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlgate.data.personal_data import identifying_reason

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd

    from mlgate.config import DataConfig


def withheld_reason(
    name: str, values: pd.Series, *, max_listed_distinct: int | None, new_distinct: int = 0
) -> str | None:
    """Why no value of the column ``name`` may be written anywhere, or None when they may.

    Parameters
    ----------
    name : str
        The column's name.
    values : pandas.Series
        The column's values in the data the writer describes (the training rows for a check).
    max_listed_distinct : int or None
        ``data.max_listed_distinct``: a column with more distinct values is withheld. None:
        only personal data is (for numbers, whose many distinct values are not categories).
    new_distinct : int
        Distinct values the data being described adds to ``values`` (a batch's unseen ones).
    """
    reason = identifying_reason(name, values)
    if reason is not None:
        return f"personal data: {reason}"
    if max_listed_distinct is None:
        return None
    distinct = int(values.nunique(dropna=True)) + new_distinct
    if distinct > max_listed_distinct:
        return (
            f"{distinct:,} distinct values, more than data.max_listed_distinct "
            f"({max_listed_distinct:,})"
        )
    return None


def withheld_columns(
    frame: pd.DataFrame, columns: Iterable[str], *, max_listed_distinct: int | None
) -> dict[str, str]:
    """Each of ``columns`` of ``frame`` whose values are withheld, with the reason."""
    return {
        column: reason
        for column in columns
        if (
            reason := withheld_reason(
                column, frame[column], max_listed_distinct=max_listed_distinct
            )
        )
        is not None
    }


def withheld_inputs(
    frame: pd.DataFrame, data: DataConfig, *, columns: Iterable[str] | None = None
) -> dict[str, str]:
    """The model inputs of ``frame`` (or its ``columns``) whose values are withheld, and why.

    A text column by either rule; a numeric input only when it is personal data (an id, a phone
    number held as a number): many distinct numbers are no list of categories, but an id's
    values, its minimum or its quantiles, are people's ids.
    """
    names = list(data.features if columns is None else columns)
    numeric = [c for c in names if c in data.numeric]
    text = [c for c in names if c not in data.numeric]
    return withheld_columns(
        frame, text, max_listed_distinct=data.max_listed_distinct
    ) | withheld_columns(frame, numeric, max_listed_distinct=None)


def withheld(count: int, reason: str) -> dict[str, Any]:
    """What stands in for ``count`` withheld values: their number and why they are not shown."""
    return {"withheld": count, "reason": reason}


def describe_withheld(withheld: int, reason: str) -> str:
    """The words a summary uses for ``withheld`` values not shown (the keys of :func:`withheld`)."""
    return f"{withheld:,} values not shown ({reason})"


def fold_small_groups(small: dict[str, Any], reason: str | None) -> dict[str, Any]:
    """The small groups a slice check lists, as one unnamed entry when the column is withheld.

    A group too small to judge is a value few rows share: in a withheld column (a sensitive
    feature that looks personal, or has more values than ``data.max_listed_distinct``) its name
    points at few people. The entry keeps their number and rows (``int`` values are summed, and
    each key of ``dict`` values). Groups large enough to be judged are shared by many rows and
    keep their names.
    """
    if reason is None or not small:
        return small
    values = list(small.values())
    if all(isinstance(v, dict) for v in values):
        total: Any = {key: sum(v.get(key, 0) for v in values) for key in values[0]}
    else:
        total = sum(values)
    return {f"{len(small):,} groups not named ({reason})": total}


#: Hash buckets that stand for the values of a withheld column in the monitoring fingerprint.
HASH_BUCKETS = 64


def hashed_buckets(values: pd.Series, buckets: int = HASH_BUCKETS) -> pd.Series:
    """Each value's hash bucket, named ``#0`` ... (missing stays missing), the same on every run.

    The value's text is hashed (pandas' fixed-key SipHash), so a bucket's name says nothing of
    the values in it, and a batch's values fall in the buckets their training twins fell in.
    """
    import numpy as np
    import pandas as pd

    present = values.notna().to_numpy()
    text = values[present].astype(str).to_numpy(dtype=object)
    codes = pd.util.hash_array(text, categorize=False) % np.uint64(buckets)
    out = pd.Series(None, index=values.index, dtype=object)
    out[present] = [f"#{code}" for code in codes.tolist()]
    return out


def as_stored(X: pd.DataFrame, hashed: dict) -> pd.DataFrame:
    """``X`` with each column of ``hashed`` replaced by its values' hash buckets.

    ``hashed`` maps a column to its ``hashed`` entry in the fingerprint (``features.<name>`` or
    the encoder's): this is how the fingerprint sees a column whose values are withheld.
    """
    if not hashed:
        return X
    return X.assign(
        **{name: hashed_buckets(X[name], spec["buckets"]) for name, spec in hashed.items()}
    )
