"""How the source files' text is read: its encoding, its lines' field counts, its parsing.

:func:`mlgate.tables.read.read_source` reads a whole file with these; ``mlgate predict`` reads a
batch in parts with the same functions (:mod:`mlgate.tables.batch_chunks`), so that both apply the
same rules.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlgate.config import IngestConfig
from mlgate.data.column_names import refuse_duplicated_names
from mlgate.errors import DataError

if TYPE_CHECKING:
    import pandas as pd

#: How many offending rows an error message quotes per column.
MAX_ROWS_QUOTED = 5


def text_codec(encoding: str) -> str:
    """The codec that reads ``encoding``: for UTF-8, one that drops a byte-order mark."""
    return "utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding


def decode(raw: bytes, *, source: str, encoding: str) -> str:
    """The file's text in ``encoding`` (a UTF-8 byte-order mark is dropped), or a clear error."""
    try:
        return raw.decode(text_codec(encoding))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(
            f"source file {source} is not valid {encoding}: byte {exc.start} (line {line}) is "
            f"{raw[exc.start : exc.start + 1]!r}. Set ingest.encoding in params.yaml to the "
            "file's encoding (for example latin-1 or cp1252), or convert the file to UTF-8."
        ) from None


def parse_text(
    text: str, *, source: str, ingest: IngestConfig, header: bool | None = None
) -> pd.DataFrame:
    """Parse text written as ``ingest`` says into a table of strings, nothing marked missing yet.

    ``header`` overrides ``ingest.header`` (False for a later part of a file read in parts).
    """
    import io

    import pandas as pd

    header = ingest.header if header is None else header
    options = {
        "sep": ingest.separator,
        "dtype": str,
        "na_filter": False,
        "skipinitialspace": ingest.skip_initial_space,
        "comment": ingest.comment,
        "skip_blank_lines": True,
    }
    try:
        if header:
            # pandas renames a repeated name (age, age.1): the header is read as it is written.
            first = pd.read_csv(io.StringIO(text), header=None, nrows=1, **options)
            names = first.iloc[0] if len(first) else ()
            refuse_duplicated_names(names, source=f"source file {source}", where="its header")
        # Every field as text; missing-value markers are applied after the header is known.
        return pd.read_csv(io.StringIO(text), header=0 if header else None, **options)
    except pd.errors.EmptyDataError:
        raise DataError(f"source file {source} is empty: expected a table of data rows.") from None
    except pd.errors.ParserError as exc:
        raise DataError(f"source file {source} could not be parsed as a table: {exc}") from None


def refuse_short_rows(
    text: str,
    *,
    source: str,
    ingest: IngestConfig,
    fields: int | None = None,
    first_row: int = 0,
    whole_file: bool = True,
) -> int | None:
    """Refuse data lines with fewer fields than the first line: pandas would pad them silently.

    Fields are counted with the csv module, which honours quotes; a separator of more than one
    character is a pattern to pandas, and its lines are left to pandas' own checks.

    Parameters
    ----------
    text : str
        The file's text, or a part of it that ends at a line's end.
    source : str
        The file, named in the message.
    ingest : IngestConfig
        The separator, header and comment character.
    fields : int, optional
        For a later part of a file read in parts: its first line's field count. Every line of
        the part is then a data line held to it, and a line with more fields is refused too
        (pandas would number the line within the part, not within the file).
    first_row : int
        How many data rows of the file come before ``text``, for the row numbers.
    whole_file : bool
        Whether ``text`` is the whole file (the message then says how many rows it has).

    Returns
    -------
    int or None
        The field count the lines were held to (None when not counted).
    """
    import csv
    import io

    if len(ingest.separator) != 1:
        return fields
    # Lines end where pandas ends them (\n, \r\n, \r); str.splitlines would also cut at
    # characters pandas keeps inside a field (U+0085, U+2028, form feed, ...).
    lines = io.StringIO(text, newline="").readlines()
    if ingest.comment:
        lines = [line.split(ingest.comment, 1)[0] for line in lines]
    lines = [line for line in lines if line.strip()]
    counts = [len(row) for row in csv.reader(lines, delimiter=ingest.separator)]
    if not counts:
        return fields
    first_data = 1 if ingest.header and fields is None else 0
    expected = counts[0] if fields is None else fields
    total = f", the file has {len(counts) - first_data}" if whole_file else ""
    for fewer, wrong in ((True, lambda n: n < expected), (False, lambda n: n > expected)):
        rows = [i for i, count in enumerate(counts) if wrong(count)]
        if rows and (fewer or fields is not None):
            quoted = ", ".join(
                f"row {first_row + i - first_data + 1} has {counts[i]}"
                for i in rows[:MAX_ROWS_QUOTED]
            )
            raise DataError(
                f"source file {source}: {len(rows)} data rows have {'fewer' if fewer else 'more'} "
                f"than the {expected} fields of the first line ({quoted}; rows count data lines "
                f"from 1{total}). The file may be truncated or a line malformed."
            )
    return expected


#: A wrong value is quoted only when this many rows hold it: a marker or a unit ("N/A", "12 kg")
#: repeats, one person's name or phone number that slipped into the column does not.
QUOTED_FROM_ROWS = 3
QUOTED_MAX_CHARACTERS = 20


def quotable_value(value: str, rows: int) -> str:
    """``value`` quoted when it is a number or repeats like a marker; else its length only.

    The column is declared numeric, so its values are not withheld as personal data; but a row
    whose fields slipped puts a name or a phone number here, and this message reaches CI logs.
    """
    try:
        float(value)
    except ValueError:
        if rows < QUOTED_FROM_ROWS or len(value) > QUOTED_MAX_CHARACTERS:
            characters = f"{len(value)} character{'s' if len(value) != 1 else ''}"
            return f"{characters} of text, not shown (it may be personal data)"
    return repr(value)
