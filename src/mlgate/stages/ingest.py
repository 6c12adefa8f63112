"""Stage ``ingest``: read a delimited source file into a typed table.

Numeric columns become float64, every other column text; target values are normalised (the
configured suffix removed) and must be one of the declared labels, with both labels present.
Every problem in a file is reported at once, naming the file, the columns and sample rows.
"""

from __future__ import annotations

from typing import IO, TYPE_CHECKING

from mlgate import io
from mlgate.config import DataConfig, IngestConfig
from mlgate.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

#: How many offending rows an error message quotes per column.
MAX_ROWS_QUOTED = 5


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
    import io

    import pandas as pd

    text = decode(handle.read(), source=source, encoding=ingest.encoding)
    _refuse_short_rows(text, source=source, ingest=ingest)
    try:
        # Every field as text; missing-value markers are applied after the header is known.
        frame = pd.read_csv(
            io.StringIO(text),
            sep=ingest.separator,
            header=0 if ingest.header else None,
            dtype=str,
            na_filter=False,
            skipinitialspace=ingest.skip_initial_space,
            comment=ingest.comment,
            skip_blank_lines=True,
        )
    except pd.errors.EmptyDataError:
        raise DataError(f"source file {source} is empty: expected a table of data rows.") from None
    except pd.errors.ParserError as exc:
        raise DataError(f"source file {source} could not be parsed as a table: {exc}") from None
    if ingest.column_names is not None:
        frame = _name_columns(frame, ingest.column_names, data=data, source=source, batch=batch)
    frame = frame.mask(frame.isin([*ingest.na_values, ""]))
    if frame.empty and not batch:
        raise DataError(f"source file {source} has a header but no data rows.")
    return validate_table(frame, source=source, ingest=ingest, data=data, batch=batch)


def decode(raw: bytes, *, source: str, encoding: str) -> str:
    """The file's text in ``encoding`` (a UTF-8 byte-order mark is dropped), or a clear error."""
    try:
        return raw.decode(
            "utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding
        )
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"source file {source} is not valid {encoding}: byte {exc.start} (line {line}) is "
            f"{raw[exc.start : exc.start + 1]!r}. Set ingest.encoding in params.yaml to the "
            "file's encoding (for example latin-1 or cp1252), or convert the file to UTF-8."
        ) from None


def validate_table(
    frame: pd.DataFrame,
    *,
    source: str,
    ingest: IngestConfig,
    data: DataConfig,
    batch: bool = False,
) -> pd.DataFrame:
    """Check a table's columns against the schema; type its numeric columns and its target.

    See :func:`read_source` for what ``batch`` relaxes.
    """
    # Personal data goes first: nothing downstream (features, reports, audit files) can hold it.
    frame = frame.drop(columns=[c for c in data.personal if c in frame.columns])
    has_target = not batch or data.target in frame.columns
    required = [c for c in data.required_columns if has_target or c != data.target]
    _require_columns(frame, tuple(required), source=source)
    if not batch and ingest.unlabelled_rows == "drop":
        frame = frame[frame[data.target].notna()].reset_index(drop=True)
    frame = _convert_numeric(frame, data.numeric, source=source)
    if has_target:
        frame[data.target] = _normalise_target(
            frame[data.target], ingest, data, source=source, both_classes=not batch
        )
    return frame


def read_batch(path: str, *, ingest: IngestConfig, data: DataConfig) -> pd.DataFrame:
    """Read a new batch: parquet by extension, otherwise text in the source files' format.

    The batch must hold the declared feature columns; labels are optional.
    """
    if path.endswith(".parquet"):
        import pandas as pd

        with io.open_source(path, named_by="the --current path") as handle:
            frame = pd.read_parquet(handle)
        return validate_table(frame, source=path, ingest=ingest, data=data, batch=True)
    with io.open_source(path, named_by="the --current path") as handle:
        return read_source(handle, source=path, ingest=ingest, data=data, batch=True)


def _refuse_short_rows(text: str, *, source: str, ingest: IngestConfig) -> None:
    """Refuse data lines with fewer fields than the first line: pandas would pad them silently.

    Fields are counted with the csv module, which honours quotes; a separator of more than one
    character is a pattern to pandas, and its lines are left to pandas' own checks.
    """
    import csv

    if len(ingest.separator) != 1:
        return
    lines = text.splitlines(keepends=True)
    if ingest.comment:
        lines = [line.split(ingest.comment, 1)[0] for line in lines]
    lines = [line for line in lines if line.strip()]
    counts = [len(row) for row in csv.reader(lines, delimiter=ingest.separator)]
    if not counts:
        return
    first_data = 1 if ingest.header else 0
    short = [i for i, count in enumerate(counts) if count < counts[0]]
    if short:
        quoted = ", ".join(
            f"row {i - first_data + 1} has {counts[i]}" for i in short[:MAX_ROWS_QUOTED]
        )
        raise DataError(
            f"source file {source}: {len(short)} data rows have fewer than the {counts[0]} "
            f"fields of the first line ({quoted}; rows count data lines from 1, the file has "
            f"{len(counts) - first_data}). The file may be truncated or a line malformed."
        )


def _name_columns(
    frame: pd.DataFrame, names: tuple[str, ...], *, data: DataConfig, source: str, batch: bool
) -> pd.DataFrame:
    """Name a headerless table's columns; a first line that names columns is taken as a header.

    Files exported by people often have a header even where the source files have none. Without
    labels, a batch may leave out the target only when it is the last column: anything else
    would shift every column after it.
    """
    first = [str(value).strip() for value in frame.iloc[0]] if len(frame) else []
    if first and len(set(first)) == len(first) and set(first) <= set(names):
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


def _convert_numeric(frame: pd.DataFrame, numeric: tuple[str, ...], *, source: str) -> pd.DataFrame:
    import pandas as pd

    problems = []
    for column in numeric:
        converted = pd.to_numeric(frame[column], errors="coerce")
        not_numbers = frame[column].notna() & converted.isna()
        infinite = converted.abs() == float("inf")
        for kind, wrong in (("text", not_numbers), ("infinite values", infinite)):
            if wrong.any():
                rows = wrong.to_numpy().nonzero()[0]
                quoted = ", ".join(
                    f"row {row + 1}: {frame[column].iloc[row]!r}" for row in rows[:MAX_ROWS_QUOTED]
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
