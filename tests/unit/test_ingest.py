from __future__ import annotations

import io

import pytest

from mlgate.config import DataConfig, IngestConfig
from mlgate.errors import DataError
from mlgate.tables.read import read_source, validate_table

DATA = DataConfig(
    target="y",
    labels=("no", "yes"),
    positive_label="yes",
    numeric=("age",),
    categorical=("colour",),
)
INGEST = IngestConfig(
    train_path="unused",
    test_path="unused",
    header=False,
    column_names=("age", "colour", "y"),
    separator=",",
    skip_initial_space=True,
    na_values=("?",),
    comment="|",
    strip_label_suffix=".",
)


def read(text: str, ingest: IngestConfig = INGEST, data: DataConfig = DATA):
    return read_source(io.BytesIO(text.encode()), source="src.csv", ingest=ingest, data=data)


def test_reads_adult_style_quirks():
    frame = read("|1x3 Cross validator\n25, red, no.\n?, blue, yes.\n40, ?, no\n\n")
    assert list(frame.columns) == ["age", "colour", "y"]
    assert frame["age"].dtype == "float64"
    assert frame["age"].isna().tolist() == [False, True, False]
    assert frame["colour"].isna().tolist() == [False, False, True]
    assert frame["y"].tolist() == ["no", "yes", "no"]


def test_header_files_are_read_by_name():
    ingest = INGEST.model_copy(update={"header": True, "column_names": None})
    frame = read("colour,extra,y,age\nred,1,no,3\nblue,2,yes,4\n", ingest=ingest)
    assert frame["age"].tolist() == [3.0, 4.0]


def test_empty_file():
    with pytest.raises(DataError, match=r"src\.csv is empty"):
        read("")


def test_header_only():
    ingest = INGEST.model_copy(update={"header": True, "column_names": None})
    with pytest.raises(DataError, match="has a header but no data rows"):
        read("age,colour,y\n", ingest=ingest)


def test_missing_required_column_is_named():
    ingest = INGEST.model_copy(update={"header": True, "column_names": None})
    with pytest.raises(
        DataError, match=r"lacks the columns \['colour'\].*Columns found: \['age', 'y'\]"
    ):
        read("age,y\n1,no\n2,yes\n", ingest=ingest)


def test_wrong_column_count():
    with pytest.raises(DataError, match=r"has 2 columns, but ingest\.column_names .* names 3"):
        read("1, red\n2, blue\n")


def test_text_in_numeric_column_names_rows_and_quotes_only_what_repeats_like_a_marker():
    text = "1, red, no\nSmith, red, yes\n3, red, no\n" + "unknown, blue, yes\n" * 3
    with pytest.raises(DataError, match=r"'age' has text in 4 rows") as excinfo:
        read(text)
    message = str(excinfo.value)
    # A name that slipped into the column is one row's datum: its length, never the value.
    assert "row 2: 5 characters of text, not shown (it may be personal data)" in message
    assert "Smith" not in message
    assert "row 4: 'unknown', row 5: 'unknown'" in message


def test_text_in_numeric_column_quotes_at_most_five_rows():
    text = "".join(f"{i}x, red, {'yes' if i % 2 else 'no'}\n" for i in range(9))
    with pytest.raises(DataError, match=r"has text in 9 rows") as excinfo:
        read(text)
    assert "row 5: 2 characters" in str(excinfo.value)
    assert "row 6:" not in str(excinfo.value)


def test_single_class_target():
    with pytest.raises(DataError, match=r"single class \('no', 2 rows\)"):
        read("1, red, no\n2, blue, no.\n")


def test_target_outside_labels():
    with pytest.raises(DataError, match=r"values outside data\.labels .*\{'maybe': 1\}"):
        read("1, red, no\n2, blue, yes\n3, red, maybe\n")


def test_missing_target():
    with pytest.raises(DataError, match=r"target column 'y' is missing in 1 rows"):
        read("1, red, no\n2, blue, yes\n3, red, ?\n")


def test_real_adult_files(adult_train, cfg, project_root):
    from mlgate import io as mio

    assert adult_train.shape == (32561, 15)
    assert set(adult_train[cfg.data.target]) == set(cfg.data.labels)
    path = project_root / cfg.ingest.test_path
    with mio.open_source(str(path)) as handle:
        test = read_source(handle, source=str(path), ingest=cfg.ingest, data=cfg.data)
    assert len(test) == 16281
    assert set(test[cfg.data.target]) == set(cfg.data.labels)
    assert test["workclass"].isna().sum() > 0  # '?' became missing


def test_fsspec_urls_are_read_the_same_way():
    import fsspec

    from mlgate import io as mio

    with fsspec.open("memory://bucket/data.csv", "wb") as handle:
        handle.write(b"1, red, no\n2, blue, yes\n")
    with mio.open_source("memory://bucket/data.csv") as handle:
        frame = read_source(handle, source="memory://bucket/data.csv", ingest=INGEST, data=DATA)
    assert frame["y"].tolist() == ["no", "yes"]


def test_missing_source_file_is_a_data_error(tmp_path):
    from mlgate import io as mio

    with (
        pytest.raises(DataError, match=r"nope\.csv not found\. Check ingest\.train_path"),
        mio.open_source(str(tmp_path / "nope.csv")),
    ):
        pass


def read_bytes(raw: bytes, ingest: IngestConfig = INGEST, *, batch: bool = False):
    return read_source(io.BytesIO(raw), source="src.csv", ingest=ingest, data=DATA, batch=batch)


def test_a_file_not_in_the_declared_encoding_names_the_byte_and_line():
    latin1 = "25, red, no\n31, Bogotá, yes\n".encode("latin-1")
    with pytest.raises(
        DataError, match=r"src\.csv is not valid utf-8: byte 21 \(line 2\) is b'\\xe1'"
    ):
        read_bytes(latin1)
    frame = read_bytes(latin1, INGEST.model_copy(update={"encoding": "latin-1"}))
    assert frame["colour"].tolist() == ["red", "Bogotá"]


def test_a_utf8_byte_order_mark_is_not_part_of_the_first_value():
    frame = read_bytes("\ufeff25, red, no\n31, blue, yes\n".encode())
    assert frame["age"].tolist() == [25.0, 31.0]


def test_an_unknown_encoding_is_a_params_error():
    with pytest.raises(ValueError, match="'utf-9' is not a text encoding Python knows"):
        IngestConfig(train_path="a", test_path="b", encoding="utf-9")


@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity", "1e400"])
def test_infinite_numbers_name_column_and_row(value):
    with pytest.raises(
        DataError, match=rf"'age' has infinite values in 1 rows \(row 2: '{value}'\)"
    ):
        read(f"25, red, no\n{value}, blue, yes\n")


def test_a_file_truncated_mid_line_names_the_row():
    with pytest.raises(DataError, match=r"1 data rows have fewer than the 3 fields .*row 3 has 2"):
        read("25, red, no\n31, blue, yes\n40, gre")


def test_an_empty_field_is_missing_not_short():
    frame = read("25, , no\n31, blue, yes\n")
    assert frame["colour"].isna().tolist() == [True, False]


def test_a_header_row_in_a_headerless_format_is_read_as_the_header():
    """Batches as people export them: with a header, in any column order, labels optional."""
    frame = read_bytes(b"colour,age,y\nred,25,no\nblue,31,yes\n", batch=True)
    assert frame["age"].tolist() == [25.0, 31.0]
    unlabelled = read_bytes(b"age,colour\n25,red\n", batch=True)
    assert list(unlabelled.columns) == ["age", "colour"]


def test_a_batch_without_labels_may_leave_out_only_a_last_target_column():
    assert list(read_bytes(b"25, red\n", batch=True).columns) == ["age", "colour"]
    first = INGEST.model_copy(update={"column_names": ("y", "age", "colour")})
    with pytest.raises(
        DataError,
        match=r"has 2 columns, but ingest.column_names .* names 3.*"
        r"only when it is the last column \('y' is not last\)",
    ):
        read_bytes(b"25, red\n", first, batch=True)
    with pytest.raises(DataError, match="has 4 columns"):
        read_bytes(b"25, red, no, extra\n", batch=True)


def test_personal_columns_are_dropped_as_soon_as_a_file_is_read():
    data = DATA.model_copy(update={"personal": ("email",)})
    ingest = INGEST.model_copy(update={"header": True, "column_names": None})
    raw = b"age,email,colour,y\n25,a@b.org,red,no\n31,c@d.org,blue,yes\n"
    frame = read_source(io.BytesIO(raw), source="s.csv", ingest=ingest, data=data)
    assert list(frame.columns) == ["age", "colour", "y"]


def test_a_personal_column_cannot_also_be_an_input():
    with pytest.raises(ValueError, match=r"personal lists \['age'\], which are also the target"):
        DataConfig.model_validate({**DATA.model_dump(), "personal": ["age"]})


def test_without_a_test_file_a_seeded_stratified_test_split_is_held_out(tmp_path):
    from mlgate.stages.ingest import ingest_tables

    rows = "".join(
        f"{20 + i % 40}, {'red' if i % 3 else 'blue'}, {'yes' if i % 4 else 'no'}\n"
        for i in range(200)
    )
    (tmp_path / "one.csv").write_text(rows)
    ingest = INGEST.model_copy(
        update={"train_path": str(tmp_path / "one.csv"), "test_path": None, "test_size": 0.25}
    )
    train, test = ingest_tables(ingest, DATA)
    again_train, again_test = ingest_tables(ingest, DATA)
    assert (len(train), len(test)) == (150, 50)
    assert test.equals(again_test)
    assert train.equals(again_train)
    # Stratified: each side keeps the file's share of positives, to one row.
    assert abs((test["y"] == "yes").sum() - 0.75 * 50) <= 1
    assert abs((train["y"] == "yes").sum() - 0.75 * 150) <= 1
    other_seed = ingest_tables(ingest.model_copy(update={"seed": 1}), DATA)[1]
    assert not other_seed.equals(test)


def test_a_split_that_cannot_be_stratified_names_the_fix(tmp_path):
    from mlgate.errors import DataError
    from mlgate.stages.ingest import ingest_tables

    (tmp_path / "one.csv").write_text("20, red, yes\n30, blue, no\n40, red, yes\n")
    ingest = INGEST.model_copy(update={"train_path": str(tmp_path / "one.csv"), "test_path": None})
    with pytest.raises(DataError, match=r"cannot hold out a test set of 20% of 3 rows"):
        ingest_tables(ingest, DATA)


def test_unlabelled_rows_are_refused_or_dropped_as_params_say():
    text = "25, red, no\n31, blue, ?\n40, red, yes\n"
    with pytest.raises(DataError, match=r"missing in 1 rows.*ingest.unlabelled_rows: drop"):
        read(text)
    frame = read(text, ingest=INGEST.model_copy(update={"unlabelled_rows": "drop"}))
    assert frame["age"].tolist() == [25.0, 40.0]


def test_a_header_naming_a_column_twice_is_refused_by_name():
    # pandas would rename the second 'age' to 'age.1' and read the first as the feature.
    headed = INGEST.model_copy(update={"header": True, "column_names": None})
    with pytest.raises(DataError, match=r"src\.csv: its header names the column 'age' twice"):
        read("age,colour,y,age\n3,red,no,99\n", ingest=headed)
    with pytest.raises(DataError, match=r"src\.csv: its header names the column 'age' twice"):
        read("age,colour,age\n3,red,99\n")  # a header line in a headerless format


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ([True, False], r"booleans \(bool\), which would be read as 1 and 0"),
        ([True, 2.5], r"booleans \(object\)"),
        (["2026-01-01", "2026-01-02"], r"dates or durations \(datetime64\[\w+\]\)"),
    ],
)
def test_a_numeric_column_of_flags_or_dates_is_refused_not_read_as_numbers(values, kind):
    import pandas as pd

    frame = pd.DataFrame({"age": values, "colour": ["red", "blue"], "y": ["no", "yes"]})
    if kind.startswith("dates"):
        frame["age"] = pd.to_datetime(frame["age"])
    with pytest.raises(DataError, match=rf"src\.parquet: .*'age' holds {kind}"):
        validate_table(frame, source="src.parquet", ingest=INGEST, data=DATA)


def test_a_nul_character_in_any_text_column_is_refused_with_its_rows():
    import pandas as pd

    frame = pd.DataFrame({"age": [1.0, 2.0], "colour": ["red", "bl\x00ue"], "y": ["no", "yes"]})
    frame["note"] = ["\x00", "fine"]  # not declared: a NUL is refused in any column
    with pytest.raises(DataError, match=r"'colour' holds a NUL character in 1 rows \(row 2: "):
        validate_table(frame, source="src.parquet", ingest=INGEST, data=DATA)
    with pytest.raises(DataError, match=r"'note' holds a NUL character in 1 rows \(row 1: '\\x00'"):
        validate_table(frame, source="src.parquet", ingest=INGEST, data=DATA)
