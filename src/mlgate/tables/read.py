"""Read a delimited source file or a batch into a typed table, and validate it.

The ``ingest`` stage (:mod:`mlgate.stages.ingest`) reads its sources here, and every command that
reads a batch reads it under the same rules. Numeric columns become float64, every other column
text; target values are normalised (the configured suffix removed) and must be one of the declared
labels, with both labels present. Every problem in a file is reported at once, naming the file, the
columns and sample rows.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from mlgate import io
from mlgate.config import DataConfig, IngestConfig
from mlgate.data.column_names import refuse_duplicated_names
from mlgate.errors import DataError
from mlgate.tables.rules import no_rows, open_parquet, refuse_folder
from mlgate.tables.source_text import (
    MAX_ROWS_QUOTED,
    decode,
    parse_text,
    quotable_value,
    refuse_short_rows,
)

if TYPE_CHECKING:
    import pandas as pd


def read_source(
    handle: IO[bytes],
    *,
    source: str,
    ingest: IngestConfig,
    data: DataConfig,
    batch: bool = False,
) -> pd.DataFrame:
    """Parse one source file and return the typed table.

    Parameters
    ----------
    handle : binary file object
        The (decompressed) file contents.
    source : str
        The file's path or URL, named in every error message.
    ingest : IngestConfig
        How the file is written (separator, header, missing-value markers, ...).
    data : DataConfig
        The declared schema the table must satisfy.
    batch : bool
        True for a new batch to monitor: it may have no rows, no labels (the target column, or for
        a headerless file the last name of ``ingest.column_names``, absent) or a single class.

    Returns
    -------
    pandas.DataFrame
        One row per data line; declared numeric columns as float64, the rest as text.

    Raises
    ------
    DataError
        When the file is empty, lacks a declared column, has text in a numeric column, or its
        target is outside the declared labels or has a single class.
    """
    text = decode(handle.read(), source=source, encoding=ingest.encoding)
    refuse_short_rows(text, source=source, ingest=ingest)
    frame = parse_text(text, source=source, ingest=ingest)
    if ingest.column_names is not None:
        frame = name_columns(frame, ingest.column_names, data=data, source=source, batch=batch)
    if frame.empty and not batch:
        raise DataError(f"source file {source} has a header but no data rows.")
    return validate_text_table(frame, source=source, ingest=ingest, data=data, batch=batch)


def validate_text_table(
    frame: pd.DataFrame,
    *,
    source: str,
    ingest: IngestConfig,
    data: DataConfig,
    batch: bool = False,
    first_row: int = 0,
) -> pd.DataFrame:
    """Mark ``ingest.na_values`` and empty fields missing, then :func:`validate_table`."""
    frame = frame.mask(frame.isin([*ingest.na_values, ""]))
    return validate_table(
        frame, source=source, ingest=ingest, data=data, batch=batch, first_row=first_row
    )


def validate_table(
    frame: pd.DataFrame,
    *,
    source: str,
    ingest: IngestConfig,
    data: DataConfig,
    batch: bool = False,
    first_row: int = 0,
) -> pd.DataFrame:
    """Check a table's columns against the schema; type its numeric columns and its target.

    See :func:`read_source` for what ``batch`` relaxes. ``first_row`` is how many data rows of
    the file come before ``frame`` (a file read in parts), for the row numbers of messages.
    """
    # Personal data goes first: nothing downstream (features, reports, audit files) can hold it.
    frame = frame.drop(columns=[c for c in data.personal if c in frame.columns])
    has_target = not batch or data.target in frame.columns
    required = [c for c in data.required_columns if has_target or c != data.target]
    _require_columns(frame, tuple(required), source=source)
    if not batch and ingest.unlabelled_rows == "drop":
        frame = frame[frame[data.target].notna()].reset_index(drop=True)
    frame = _convert_numeric(frame, data.numeric, source=source, first_row=first_row)
    _refuse_nul_characters(frame, source=source, first_row=first_row)
    if has_target:
        frame[data.target] = _normalise_target(
            frame[data.target], ingest, data, source=source, both_classes=not batch
        )
    return frame


def read_batch(path: str, *, ingest: IngestConfig, data: DataConfig) -> pd.DataFrame:
    """Read a new batch to judge: parquet by extension, otherwise text in the source files' format.

    The batch must hold the declared feature columns and at least one row; labels are optional.
    """
    refuse_folder(path)
    with io.open_source(path, named_by="the --current path") as handle:
        if path.endswith(".parquet"):
            import pandas as pd

            open_parquet(handle, source=path)  # its schema, before pandas converts a value
            handle.seek(0)
            frame = validate_table(
                pd.read_parquet(handle), source=path, ingest=ingest, data=data, batch=True
            )
        else:
            frame = read_source(handle, source=path, ingest=ingest, data=data, batch=True)
    if frame.empty:
        raise no_rows(path)
    return frame


def name_columns(
    frame: pd.DataFrame, names: tuple[str, ...], *, data: DataConfig, source: str, batch: bool
) -> pd.DataFrame:
    """Name a headerless table's columns; a first line that names columns is taken as a header.

    Files exported by people often have a header even where the source files have none. Without
    labels, a batch may leave out the target only when it is the last column: anything else
    would shift every column after it.
    """
    first = [str(value).strip() for value in frame.iloc[0]] if len(frame) else []
    if first and set(first) <= set(names):
        refuse_duplicated_names(first, source=f"source file {source}", where="its header")
        frame = frame.iloc[1:].reset_index(drop=True)
        frame.columns = first
        return frame
    if batch and frame.shape[1] == len(names) - 1 and names[-1] == data.target:
        names = names[:-1]
    if frame.shape[1] != len(names):
        unlabelled = (
            f" A batch without labels may leave out only the target, and only when it is the "
            f"last column ({data.target!r} is {'' if names[-1] == data.target else 'not '}last); "
            "otherwise give the file a header row."
            if batch
            else ""
        )
        raise DataError(
            f"source file {source} has {frame.shape[1]} columns, but ingest.column_names in "
            f"params.yaml names {len(names)}. Check ingest.separator and ingest.column_names."
            + unlabelled
        )
    frame.columns = list(names)
    return frame


def _require_columns(frame: pd.DataFrame, required: tuple[str, ...], *, source: str) -> None:
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise DataError(
            f"source file {source} lacks the columns {missing!r} that params.yaml declares "
            f"(data.target, data.numeric, data.categorical, data.sensitive_features). "
            f"Columns found: {list(frame.columns)!r}."
        )


def _convert_numeric(
    frame: pd.DataFrame, numeric: tuple[str, ...], *, source: str, first_row: int
) -> pd.DataFrame:
    import pandas as pd

    problems = []
    for column in numeric:
        kind = _not_numbers(frame[column])
        if kind is not None:
            problems.append(f"{column!r} holds {kind}")
            continue
        converted = pd.to_numeric(frame[column], errors="coerce")
        not_numbers = frame[column].notna() & converted.isna()
        infinite = converted.abs() == float("inf")
        for kind, wrong in (("text", not_numbers), ("infinite values", infinite)):
            if wrong.any():
                rows = wrong.to_numpy().nonzero()[0]
                counts = frame[column].iloc[rows].value_counts()
                quoted = ", ".join(
                    f"row {first_row + row + 1}: "
                    + quotable_value(frame[column].iloc[row], int(counts[frame[column].iloc[row]]))
                    for row in rows[:MAX_ROWS_QUOTED]
                )
                problems.append(f"{column!r} has {kind} in {len(rows)} rows ({quoted})")
        frame[column] = converted.astype("float64")
    if problems:
        raise DataError(
            f"source file {source}: columns declared numeric in data.numeric hold values that "
            f"are not finite numbers: {'; '.join(problems)}. Rows count data lines from 1. Fix the "
            "data, declare the column categorical, or add the marker to ingest.na_values."
        )
    return frame


def _not_numbers(values: pd.Series) -> str | None:
    """What a column typed as something other than numbers holds, or None for numbers or text.

    ``pd.to_numeric`` reads True as 1 and a date as nanoseconds since 1970: a column of flags or
    timestamps would be scored as if it were the declared numbers.
    """
    import numpy as np
    import pandas as pd

    types = pd.api.types
    if types.is_bool_dtype(values.dtype) or (
        values.dtype == object and values.map(lambda v: isinstance(v, bool | np.bool_)).any()
    ):
        return f"booleans ({values.dtype}), which would be read as 1 and 0"
    if types.is_datetime64_any_dtype(values.dtype) or types.is_timedelta64_dtype(values.dtype):
        return f"dates or durations ({values.dtype}), which would be read as nanoseconds"
    return None


def _normalise_target(
    target: pd.Series, ingest: IngestConfig, data: DataConfig, *, source: str, both_classes: bool
) -> pd.Series:
    values = target.str.strip()
    if ingest.strip_label_suffix:
        values = values.str.removesuffix(ingest.strip_label_suffix)
    missing = int(values.isna().sum())
    if missing:
        raise DataError(
            f"source file {source}: the target column {data.target!r} is missing in {missing} "
            "rows. Every row needs a label: fix the data, or set ingest.unlabelled_rows: drop."
        )
    counts = values.value_counts()
    unexpected = {str(k): int(v) for k, v in counts.items() if k not in data.labels}
    if unexpected:
        raise DataError(
            f"source file {source}: the target column {data.target!r} holds values outside "
            f"data.labels {list(data.labels)!r}: {unexpected!r} (value: row count). Fix the data "
            "or data.labels / ingest.strip_label_suffix in params.yaml."
        )
    if both_classes and len(counts) < 2:
        raise DataError(
            f"source file {source}: the target column {data.target!r} has a single class "
            f"({counts.index[0]!r}, {int(counts.iloc[0])} rows); both of {list(data.labels)!r} "
            "must occur to train and evaluate a classifier."
        )
    return values


def _refuse_nul_characters(frame: pd.DataFrame, *, source: str, first_row: int = 0) -> None:
    """Refuse text holding a NUL character: no value a person typed holds one.

    A NUL ends a string in C, and PostgreSQL refuses it: a value that reads as one thing here
    would be cut short, or refused, by the next system the scores or the batch go to.
    """
    import pandas as pd

    problems = []
    for column in frame.columns:
        values = frame[column]
        if not pd.api.types.is_string_dtype(values):
            continue
        found = values.str.contains("\x00", regex=False, na=False).to_numpy(dtype=bool)
        if found.any():
            rows = found.nonzero()[0]
            quoted = ", ".join(
                f"row {first_row + row + 1}: {values.iloc[row]!r}" for row in rows[:MAX_ROWS_QUOTED]
            )
            problems.append(f"{column!r} holds a NUL character in {len(rows)} rows ({quoted})")
    if problems:
        raise DataError(
            f"source file {source}: {'; '.join(problems)}. Rows count data lines from 1. A NUL "
            "byte is not text: fix the export that wrote it."
        )
