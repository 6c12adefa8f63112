"""A table's column names as it writes them: each column must be named once.

Every reader of a table holds its header or schema to this (batches, the source files, the table
``mlgate init`` infers a schema from).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from mlgate.errors import DataError


def refuse_duplicated_names(names: Iterable[object], *, source: str, where: str) -> None:
    """Refuse a table that names a column more than once (``where``: its header, its schema).

    pandas renames a repeated header (``age``, ``age.1``) and selects both columns of a repeated
    schema name: either way a column would be read that is not the one the table means.
    """
    counts = Counter(str(name).strip() for name in names)
    repeated = [(name, count) for name, count in counts.items() if count > 1 and name]
    if repeated:
        quoted = ", ".join(
            f"{name!r} {'twice' if count == 2 else f'{count} times'}" for name, count in repeated
        )
        column = "column" if len(repeated) == 1 else "columns"
        raise DataError(
            f"{source}: {where} names the {column} {quoted}: each column needs a name of its own. "
            "Rename or drop the copies."
        )
