from __future__ import annotations

import io

import pytest

from mlgate.config import DataConfig, IngestConfig
from mlgate.errors import DataError
from mlgate.stages.ingest import read_source

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


def test_text_in_numeric_column_names_rows():
    text = "1, red, no\nold, red, yes\n3, red, no\nancient, blue, yes\n"
    with pytest.raises(
        DataError, match=r"'age' has text in 2 rows \(row 2: 'old', row 4: 'ancient'\)"
    ):
        read(text)


def test_text_in_numeric_column_quotes_at_most_five_rows():
    text = "".join(f"x{i}, red, {'yes' if i % 2 else 'no'}\n" for i in range(9))
    with pytest.raises(DataError, match=r"has text in 9 rows") as excinfo:
        read(text)
    assert "x4" in str(excinfo.value)
    assert "x5" not in str(excinfo.value)


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
        pytest.raises(DataError, match=r"source file .*nope\.csv not found"),
        mio.open_source(str(tmp_path / "nope.csv")),
    ):
        pass
