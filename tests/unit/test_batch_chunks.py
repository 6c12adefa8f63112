"""A batch read in chunks goes through the ingest rules, and adds up to the batch read whole."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from mlgate.errors import DataError
from mlgate.tables.batch_chunks import batch_row_count, read_batch_chunks
from mlgate.tables.read import read_batch
from tests.unit.test_ingest import DATA, INGEST

HEADED = INGEST.model_copy(update={"header": True, "column_names": None})


def chunks(path, rows, ingest=INGEST, data=DATA):
    return list(
        read_batch_chunks(str(path), ingest=ingest, data=data, chunk_rows=rows, named_by="--input")
    )


def write(tmp_path, text: str, name="batch.csv", *, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


ADULT_STYLE = (
    "|1x3 Cross validator\n"
    "25, red, no.\n"
    "\n"
    "?, blue, yes.\n"
    "| a comment between rows\n"
    "40, ?, no\n"
    '31,"green,\nish",yes\n'
    "52, red, no\r\n"
    "60, blue, yes\n"
)


@pytest.mark.parametrize("rows", [1, 2, 3, 100])
def test_text_chunks_add_up_to_the_batch_read_whole(tmp_path, rows):
    path = write(tmp_path, ADULT_STYLE)
    parts = chunks(path, rows)
    whole = read_batch(str(path), ingest=INGEST, data=DATA)
    assert pd.concat(parts).equals(whole)
    assert all(len(p) for p in parts)
    assert pd.concat(parts)["colour"].tolist()[3] == "green,\nish"  # a quoted line break


def test_compressed_text_and_a_header_row_in_a_headerless_format(tmp_path):
    path = tmp_path / "batch.csv.gz"
    path.write_bytes(gzip.compress(b"colour,age\nred,25\nblue,31\ngreen,40\n"))
    parts = chunks(path, 1)
    # The first line is read as a header only once parsed: its chunk holds no rows.
    assert [p.index.tolist() for p in parts] == [[], [0], [1], [2]]
    assert pd.concat(parts)["age"].tolist() == [25.0, 31.0, 40.0]
    assert "y" not in parts[0].columns  # labels are optional in a batch


@pytest.mark.parametrize("rows", [1, 2, 50])
def test_parquet_chunks_add_up_to_the_batch_read_whole(tmp_path, rows):
    path = tmp_path / "batch.parquet"
    frame = pd.DataFrame({"age": [25, 31, 40], "colour": ["red", None, "blue"], "y": ["no"] * 3})
    frame.to_parquet(path)
    parts = chunks(path, rows)
    assert pd.concat(parts).equals(read_batch(str(path), ingest=INGEST, data=DATA))
    assert batch_row_count(str(path), named_by="--input") == 3
    assert batch_row_count(str(tmp_path / "any.csv"), named_by="--input") is None


def test_a_bad_value_in_a_later_chunk_is_named_by_its_row_in_the_file(tmp_path):
    path = write(tmp_path, "25, red\n31, blue\n40, green\nold, red\n")
    with pytest.raises(
        DataError,
        match=r"batch\.csv: .*'age' has text in 1 rows \(row 4: 3 characters of text, not shown.*"
        r"Rows are checked 2 at a time",
    ):
        chunks(path, 2)


def test_parquet_rows_are_named_by_their_row_in_the_file(tmp_path):
    path = tmp_path / "batch.parquet"
    pd.DataFrame({"age": ["1", "2", "3", "x"], "colour": ["red"] * 4}).to_parquet(path)
    with pytest.raises(
        DataError, match=r"'age' has text in 1 rows \(row 4: 1 character of text, not shown"
    ):
        chunks(path, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25, red, no\n31, blue, yes\n40, gre", r"fewer than the 3 fields .*row 3 has 2"),
        ("25, red, no\n31, blue, yes\n40, red, no, x\n", r"more than the 3 fields .*row 3 has 4"),
    ],
)
def test_a_later_chunk_is_held_to_the_first_lines_field_count(tmp_path, text, expected):
    with pytest.raises(DataError, match=expected):
        chunks(write(tmp_path, text), 2)


def test_a_missing_column_is_refused_even_without_rows(tmp_path):
    path = tmp_path / "batch.parquet"
    pd.DataFrame({"age": pd.Series([], dtype=float)}).to_parquet(path)
    with pytest.raises(DataError, match=r"lacks the columns \['colour'\]"):
        chunks(path, 10)
    empty = chunks(write(tmp_path, "age,colour\n"), 10, ingest=HEADED)
    assert [len(p) for p in empty] == [0]


def test_an_empty_file_is_refused(tmp_path):
    with pytest.raises(DataError, match=r"batch\.csv is empty"):
        chunks(write(tmp_path, "\n|only a comment\n"), 1)


def test_a_file_not_in_the_declared_encoding_names_the_byte_and_line(tmp_path):
    path = write(tmp_path, "25, red, no\n31, Bogotá, yes\n", encoding="latin-1")
    with pytest.raises(DataError, match=r"is not valid utf-8: byte 21 \(line 2\) is b'\\xe1'"):
        chunks(path, 1)
    latin1 = INGEST.model_copy(update={"encoding": "latin-1"})
    assert pd.concat(chunks(path, 1, ingest=latin1))["colour"].tolist() == ["red", "Bogotá"]


def test_a_file_that_is_not_parquet_is_refused(tmp_path):
    path = write(tmp_path, "25, red, no\n", name="batch.parquet")
    with pytest.raises(DataError, match=r"batch\.parquet is not a parquet file"):
        chunks(path, 1)
    with pytest.raises(DataError, match=r"nope\.csv not found\. Check --input"):
        chunks(tmp_path / "nope.csv", 1)


def test_personal_columns_never_leave_the_reader(tmp_path):
    data = DATA.model_copy(update={"personal": ("email",)})
    path = write(tmp_path, "age,email,colour\n25,a@b.org,red\n31,c@d.org,blue\n")
    parts = chunks(path, 1, ingest=HEADED, data=data)
    assert [len(p) for p in parts] == [1, 1]  # a declared header rides with the first rows
    assert all("email" not in p.columns for p in parts)


def test_only_line_feeds_and_carriage_returns_end_lines(tmp_path):
    """U+0085 and U+2028 are text to pandas: ingest once counted them as line ends."""
    path = write(tmp_path, "25, a\x85b, no\n31, c\u2028d, yes\r\n40, e\x0cf, no\n")
    whole = read_batch(str(path), ingest=INGEST, data=DATA)
    assert whole["colour"].tolist() == ["a\x85b", "c\u2028d", "e\x0cf"]
    assert pd.concat(chunks(path, 1)).equals(whole)
