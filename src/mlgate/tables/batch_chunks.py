"""A batch read in chunks of about ``chunk_rows`` rows, each through the ingest rules.

``mlgate predict`` scores files larger than memory, so it never holds more than one chunk. A parquet
file is read batch by batch; a text file line by line, cut into chunks where a record ends (a quoted
field may span lines). Each chunk goes through the rules :func:`mlgate.tables.read.read_batch`
applies to a whole batch: field counts, missing-value markers, personal columns dropped, declared
columns, numeric columns, labels (optional). A chunk's index is its rows' 0-based numbers in the
file, and error messages count rows from the start of the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING

from mlgate import io
from mlgate.config import DataConfig, IngestConfig
from mlgate.errors import DataError
from mlgate.tables.read import name_columns, validate_table, validate_text_table
from mlgate.tables.rules import folder_files, no_rows, open_parquet, refuse_folder
from mlgate.tables.source_text import parse_text, refuse_short_rows, text_codec

if TYPE_CHECKING:
    import pandas as pd

#: Bytes read from a text file at a time.
_BLOCK_BYTES = 1 << 20


def is_parquet(path: str) -> bool:
    """Whether a batch at ``path`` is read as parquet (by its extension, as ``read_batch`` does)."""
    return path.endswith(".parquet")


def batch_row_count(path: str, *, named_by: str) -> int | None:
    """The batch's row count when its file says so without being read (parquet), else None.

    A folder of parquet files (the dask engine's) is counted as it is read: None.
    """
    if not is_parquet(path) or folder_files(path) is not None:
        return None
    with io.open_source(path, named_by=named_by) as handle:
        return open_parquet(handle, source=path).metadata.num_rows


def read_batch_chunks(
    path: str,
    *,
    ingest: IngestConfig,
    data: DataConfig,
    chunk_rows: int,
    named_by: str,
    require_rows: bool = False,
) -> Iterator[pd.DataFrame]:
    """Yield the batch at ``path`` in validated chunks, indexed by row number in the file.

    Parameters
    ----------
    path : str
        A parquet file (by extension), or text in the source files' format; local or fsspec URL.
    ingest, data : IngestConfig, DataConfig
        How text is written; the declared schema (labels optional, as for any batch).
    chunk_rows : int
        Rows per chunk (about: a text chunk ends at the first record end after that many lines
        that hold data; a header line that ``ingest.column_names`` names is one of them).
    named_by : str
        Where the path came from (``the --input path``), for the message when it is missing.
    require_rows : bool
        Refuse a batch without rows (one to be judged), instead of yielding an empty chunk.

    Yields
    ------
    pandas.DataFrame
        At least one chunk (empty for a batch without rows, or holding only a header row);
        every later chunk has rows.

    Raises
    ------
    DataError
        On the first chunk that breaks a rule, naming the file, the rows and the columns; for a
        folder (:func:`~mlgate.tables.rules.refuse_folder`).
    """
    import pandas as pd

    refuse_folder(path)
    with io.open_source(path, named_by=named_by) as handle:
        first_row = 0
        if is_parquet(path):
            chunks = _parquet_chunks(handle, source=path, ingest=ingest, data=data, rows=chunk_rows)
        else:
            chunks = _text_chunks(handle, source=path, ingest=ingest, data=data, rows=chunk_rows)
        try:
            for chunk in chunks:
                if require_rows and chunk.empty:  # only a first chunk is ever empty
                    break
                chunk.index = pd.RangeIndex(first_row, first_row + len(chunk))
                first_row += len(chunk)
                yield chunk
        except DataError as exc:
            raise DataError(
                f"{exc} (Rows are checked {chunk_rows:,} at a time, --chunk-rows: rows after "
                "this chunk, if any, were not checked.)"
            ) from None
    if require_rows and first_row == 0:
        raise no_rows(path)


def _parquet_chunks(
    handle: IO[bytes], *, source: str, ingest: IngestConfig, data: DataConfig, rows: int
) -> Iterator[pd.DataFrame]:
    import pyarrow as pa

    parquet = open_parquet(handle, source=source)
    batches = parquet.iter_batches(batch_size=rows)
    first_row, any_rows = 0, False
    while True:
        try:
            batch = next(batches, None)
        except (pa.ArrowException, OSError) as exc:
            raise DataError(
                f"{source}: the parquet data after row {first_row} cannot be read: {exc}"
            ) from None
        if batch is None:
            break
        any_rows = True
        frame = batch.to_pandas()
        yield validate_table(
            frame, source=source, ingest=ingest, data=data, batch=True, first_row=first_row
        )
        first_row += batch.num_rows
    if not any_rows:  # no rows: its columns are still held to the schema
        empty = parquet.schema_arrow.empty_table().to_pandas()
        yield validate_table(empty, source=source, ingest=ingest, data=data, batch=True)


def _text_chunks(
    handle: IO[bytes], *, source: str, ingest: IngestConfig, data: DataConfig, rows: int
) -> Iterator[pd.DataFrame]:
    """Each part of the text through the rules ``read_source`` applies to a whole file."""
    fields: int | None = None
    columns: list[str] | None = None
    first_row = 0
    lines = _lines(handle, source=source, encoding=ingest.encoding)
    groups = _record_groups(lines, comment=ingest.comment, rows=rows, header=ingest.header)
    for text in groups:
        counted = refuse_short_rows(
            text, source=source, ingest=ingest, fields=fields, first_row=first_row, whole_file=False
        )
        if columns is None:
            frame = parse_text(text, source=source, ingest=ingest)
            if ingest.column_names is not None:
                frame = name_columns(
                    frame, ingest.column_names, data=data, source=source, batch=True
                )
            columns, fields = list(frame.columns), counted
        else:
            frame = parse_text(text, source=source, ingest=ingest, header=False)
            if frame.shape[1] != len(columns):  # a separator pandas reads as a pattern
                raise DataError(
                    f"source file {source}: rows {first_row + 1} to {first_row + len(frame)} "
                    f"have {frame.shape[1]} fields, the first line {len(columns)}."
                )
            frame.columns = columns
        frame = validate_text_table(
            frame, source=source, ingest=ingest, data=data, batch=True, first_row=first_row
        )
        first_row += len(frame)
        yield frame


def _lines(handle: IO[bytes], *, source: str, encoding: str) -> Iterator[str]:
    """The file's lines, decoded, each with its end.

    Lines end at a line feed only (a CRLF end included): ``str.splitlines`` would also cut at
    characters pandas reads as part of a field, such as U+0085 in latin-1 text.
    """
    import codecs

    decoder = codecs.getincrementaldecoder(text_codec(encoding))()
    pending, consumed, line_count = "", 0, 0
    for block in iter(lambda: handle.read(_BLOCK_BYTES), b""):
        try:
            text = pending + decoder.decode(block)
        except UnicodeDecodeError as exc:
            buffered = len(exc.object) - len(block)
            line = line_count + exc.object[: exc.start].count(b"\n") + 1
            raise DataError(
                f"source file {source} is not valid {encoding}: byte "
                f"{consumed - buffered + exc.start} (line {line}) is "
                f"{exc.object[exc.start : exc.start + 1]!r}. Set ingest.encoding in params.yaml "
                "to the file's encoding (for example latin-1 or cp1252), or convert the file to "
                "UTF-8."
            ) from None
        consumed += len(block)
        *complete, pending = text.split("\n")
        line_count += len(complete)
        for line in complete:
            yield line + "\n"
    pending += decoder.decode(b"", final=True)
    if pending:
        yield pending


def _record_groups(
    lines: Iterator[str], *, comment: str | None, rows: int, header: bool
) -> Iterator[str]:
    """Join lines into texts of ``rows`` records each (blank and comment lines ride along).

    A record continues while a quote is open: an odd number of ``"`` on a line opens or closes
    one (a doubled quote inside a field counts twice). The first text is always yielded, empty
    for an empty file (so that it is refused as such), and holds the ``header`` line beyond its
    rows; a later text only if it holds a record.
    """
    group: list[str] = []
    records, quoted, yielded = -1 if header else 0, False, False
    for line in lines:
        group.append(line)
        content = line.split(comment, 1)[0] if comment else line
        if not quoted and content.strip():
            records += 1
        if content.count('"') % 2:
            quoted = not quoted
        if records >= rows and not quoted:
            yield "".join(group)
            group, records, yielded = [], 0, True
    if records > 0 or not yielded:
        yield "".join(group)
