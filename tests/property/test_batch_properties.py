"""Reading a batch in chunks, and hashing its rows, depend on the values alone.

Whatever the chunk size, the chunks add up to the batch read whole; a row's input hash is the one
its documented definition gives, whatever the column order, and the same whether the row was read
from a CSV file or a parquet file.
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlgate.config import DataConfig, IngestConfig
from mlgate.data.row_hash import canonical_row, row_sha256
from mlgate.errors import DataError
from mlgate.tables.batch_chunks import read_batch_chunks
from mlgate.tables.read import read_batch

DATA = DataConfig(
    target="y",
    labels=("no", "yes"),
    positive_label="yes",
    numeric=("age", "hours"),
    categorical=("colour",),
)
INGEST = IngestConfig(train_path="unused", header=True, na_values=("?",))

# Text a CSV writer quotes: separators, quotes, line breaks, and characters splitlines cuts at.
TEXT = st.one_of(
    st.none(),
    st.text(
        alphabet=st.sampled_from(["a", "B", "é", " ", ",", '"', "\n", "\x85", "\u2028", "|"]),
        min_size=1,
        max_size=6,
    ).filter(lambda s: s.strip() not in ("", "?")),
)
NUMBER = st.one_of(
    st.none(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
)
ROWS = st.lists(st.tuples(NUMBER, NUMBER, TEXT, st.sampled_from(["no", "yes"])), max_size=12)


def frame_of(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["age", "hours", "colour", "y"])
    for column in ("age", "hours"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    return frame.astype({"colour": object})


@settings(max_examples=60)
@given(rows=ROWS, chunk_rows=st.integers(1, 14))
def test_chunks_add_up_to_the_batch_read_whole(rows, chunk_rows):
    frame = frame_of(rows)
    with tempfile.TemporaryDirectory() as folder:
        for path in (Path(folder) / "b.csv", Path(folder) / "b.parquet"):
            if path.suffix == ".csv":
                frame.to_csv(path, index=False, float_format="%.17g")
            else:
                frame.to_parquet(path)
            chunks = list(
                read_batch_chunks(
                    str(path), ingest=INGEST, data=DATA, chunk_rows=chunk_rows, named_by="x"
                )
            )
            if not rows:  # one empty chunk to score; nothing to judge
                assert [len(chunk) for chunk in chunks] == [0]
                with pytest.raises(DataError, match="has no rows: there is nothing to judge"):
                    read_batch(str(path), ingest=INGEST, data=DATA)
                continue
            whole = read_batch(str(path), ingest=INGEST, data=DATA)
            pd.testing.assert_frame_equal(pd.concat(chunks), whole, check_index_type=False)


@settings(max_examples=60)
@given(rows=ROWS.filter(bool), order=st.permutations(["age", "hours", "colour"]))
def test_the_hash_is_the_definitions_whatever_the_order_or_the_file(rows, order):
    frame = frame_of(rows)
    hashes = row_sha256(frame[order], numeric=DATA.numeric).tolist()
    by_definition = [
        canonical_row(
            {k: (None if pd.isna(v) else v) for k, v in row.items()}, numeric=DATA.numeric
        )
        for row in frame[order].to_dict("records")
    ]
    assert hashes == [hashlib.sha256(t.encode()).hexdigest() for t in by_definition]
    assert hashes == row_sha256(frame[["age", "hours", "colour"]], numeric=DATA.numeric).tolist()
    with tempfile.TemporaryDirectory() as folder:
        csv, parquet = Path(folder) / "b.csv", Path(folder) / "b.parquet"
        frame.to_csv(csv, index=False, float_format="%.17g")
        frame.to_parquet(parquet)
        for path in (csv, parquet):
            read = read_batch(str(path), ingest=INGEST, data=DATA)
            assert row_sha256(read[order], numeric=DATA.numeric).tolist() == hashes, path.suffix
