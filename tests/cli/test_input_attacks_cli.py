"""Batches built to crash a command or slip through it: each is refused with exit 2, naming the file
or column, by every command that reads a batch (``predict``, ``check --current``, ``monitor``).

Before, a nested column, a folder or a duplicated column name was a traceback (exit 3); a NUL byte,
booleans in a numeric column and a file name ending in a newline were read as if they were data.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.cli.conftest import run

STAGES = ("ingest", "prepare", "train", "fingerprint")
TEST_ROWS = "data/ingested/test.parquet"
RAW = "data/source/adult.test.gz"  # the source format: no header, ", ", '?' missing, "|" comment

COMMANDS = {
    "predict": lambda path: ["predict", "--input", path, "--output", "out/scored.parquet"],
    "check": lambda path: ["check", "--current", path, "--output", "out/checks.json"],
    "monitor": lambda path: ["monitor", path, "--batch-id", "attack"],
}


@pytest.fixture
def project(built_projects, tmp_path, monkeypatch):
    project = built_projects(STAGES, tmp_path / "project")
    monkeypatch.chdir(project)
    (project / "out").mkdir()
    return project


def rows(count: int = 60) -> pd.DataFrame:
    return pd.read_parquet(TEST_ROWS).head(count)


def with_column(name: str, values: pa.Array, path: str = "batch.parquet") -> str:
    """The test rows with column ``name`` replaced by ``values`` (a new column if absent)."""
    table = pa.Table.from_pandas(rows(len(values)), preserve_index=False)
    index = table.schema.get_field_index(name)
    if index < 0:
        table = table.append_column(name, values)
    else:
        table = table.set_column(index, name, values)
    pq.write_table(table, path)
    return path


def struct_feature() -> str:
    return with_column("workclass", pa.array([{"name": "Private", "code": 4}] * 60))


def list_column_not_declared() -> str:
    # fnlwgt is read but not a feature: a nested column anywhere is refused.
    return with_column("fnlwgt", pa.array([[1.0, 2.0]] * 60))


def binary_feature() -> str:
    # Bytes are not text: pandas holds b"Private", which no category of the model's equals.
    return with_column("workclass", pa.array([b"Private", b"Self-emp-inc"] * 30))


def mixed_folder() -> str:
    Path("batch").mkdir()
    rows(30).to_parquet("batch/part-0.parquet", index=False)
    rows(30).to_csv("batch/part-1.csv", index=False)
    Path("batch/README.md").write_text("rows exported on Monday\n")
    return "batch"


def nul_in_a_csv_value() -> str:
    with gzip.open(RAW, "rt") as handle:
        lines = [next(handle) for _ in range(40)]
    # The first line is the file's "|1x3 Cross validator" comment: line 3 is data row 2.
    lines[2] = lines[2].replace(", Private,", ", Priv\x00ate,", 1)
    assert "\x00" in lines[2]
    Path("batch.csv").write_text("".join(lines))
    return "batch.csv"


def booleans_in_a_numeric_column() -> str:
    return with_column("age", pa.array([True, False] * 30))


def duplicated_column_name() -> str:
    table = pa.Table.from_pandas(rows(), preserve_index=False)
    pq.write_table(table.append_column("age", table.column("age")), "batch.parquet")
    return "batch.parquet"


def duplicated_header_in_text() -> str:
    with gzip.open(RAW, "rt") as handle:
        lines = [next(handle) for _ in range(40)][1:]
    names = [
        "age", "workclass", "fnlwgt", "education", "education-num", "marital-status",
        "occupation", "relationship", "race", "sex", "capital-gain", "capital-loss",
        "hours-per-week", "native-country", "age",
    ]  # fmt: skip
    Path("batch.csv").write_text(", ".join(names) + "\n" + "".join(lines))
    return "batch.csv"


def newline_ending_the_name() -> str:
    rows().to_parquet("batch.parquet\n", index=False)
    return "batch.parquet\n"


ATTACKS = {
    "struct_feature": (struct_feature, r"column 'workclass' holds struct<"),
    "list_column": (list_column_not_declared, r"column 'fnlwgt' holds list<"),
    "binary_feature": (binary_feature, r"column 'workclass' holds binary: expected text"),
    "mixed_folder": (mixed_folder, r"batch is a folder"),
    "nul": (nul_in_a_csv_value, r"'workclass' holds a NUL character in 1 rows \(row 2: 'Priv"),
    "booleans": (booleans_in_a_numeric_column, r"'age' holds booleans \(bool\)"),
    "duplicated_name": (duplicated_column_name, r"names the column 'age' twice"),
    "duplicated_header": (duplicated_header_in_text, r"names the column 'age' twice"),
    "newline_in_name": (newline_ending_the_name, r"'batch\.parquet\\n' holds the control "),
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("attack", list(ATTACKS))
def test_each_crafted_batch_exits_2_naming_the_problem(project, capsys, command, attack):
    make, expected = ATTACKS[attack]
    assert run(COMMANDS[command](make())) == 2
    err = capsys.readouterr().err
    assert re.search(expected, err), err
    assert "Traceback" not in err
    assert list((project / "out").iterdir()) == []
    assert not (project / "reports/monitor").exists()


def empty_parquet() -> str:
    rows(0).to_parquet("empty.parquet", index=False)
    return "empty.parquet"


def header_only_text() -> str:
    names = pd.read_parquet(TEST_ROWS).columns
    Path("empty.csv").write_text("|1x3 Cross validator\n" + ", ".join(names) + "\n")
    return "empty.csv"


@pytest.mark.parametrize("command", ["check", "monitor"])
@pytest.mark.parametrize("make", [empty_parquet, header_only_text])
def test_a_batch_without_rows_is_refused_where_it_would_be_judged(project, capsys, command, make):
    path = make()
    assert run(COMMANDS[command](path)) == 2
    err = capsys.readouterr().err
    assert f"{path} has no rows: there is nothing to judge" in err, err
    assert list((project / "out").iterdir()) == []
    assert not (project / "reports/monitor").exists()


def test_a_batch_without_rows_is_scored_into_an_empty_audit_file(project):
    # Scoring is row by row: no rows in, no rows out, and the footer says so.
    assert run(COMMANDS["predict"](empty_parquet())) == 0
    scored = pq.ParquetFile("out/scored.parquet")
    assert scored.metadata.num_rows == 0
    assert json.loads(scored.metadata.metadata[b"mlgate"])["rows"] == 0


def test_control_characters_in_a_file_name_are_refused_everywhere(project, capsys):
    shutil.copy(TEST_ROWS, "batch.parquet\r")
    for argv in (
        ["predict", "--input", TEST_ROWS, "--output", "out/scored.parquet\x1b[2K"],
        ["check", "--current", "batch.parquet\r"],
        ["monitor", TEST_ROWS, "batch.parquet\r"],
        ["init", "--data", "data/source/adult.data.gz\n", "--target", "income"],
        ["retrain", "--with", "batch.parquet\r"],
    ):
        assert run(argv) == 2, argv
        err = capsys.readouterr().err
        assert re.search(r"holds the control character '\\(r|n|x1b)'", err), err
    assert list((project / "out").iterdir()) == []


@pytest.mark.slow
def test_the_dask_engine_refuses_the_same_folders(project, capsys):
    # dask's threads in this process (no --scheduler): the refusals come before any task runs.
    folders = {
        "mixed": (mixed_folder, r"batch holds files that are not parquet: \['README\.md', "),
        "nested": (struct_feature, r"column 'workclass' holds struct<"),
        "booleans": (booleans_in_a_numeric_column, r"'age' holds booleans \(bool\)"),
        "duplicated": (duplicated_column_name, r"names the column 'age' twice"),
        "no_rows": (empty_parquet, r"has no rows: there is nothing to judge"),
    }
    for name, (make, expected) in folders.items():
        shutil.rmtree("batch", ignore_errors=True)
        path = make()
        if not Path(path).is_dir():
            Path("batch").mkdir()
            shutil.move(path, "batch/part-0.parquet")
        for command in ("check", "monitor"):
            assert run([*COMMANDS[command]("batch"), "--engine", "dask"]) == 2, (name, command)
            err = capsys.readouterr().err
            assert re.search(expected, err), (name, command, err)
    # A folder that holds an empty file beside one with rows is judged on its rows (it crashed).
    shutil.rmtree("batch")
    Path("batch").mkdir()
    rows(0).to_parquet("batch/part-0.parquet", index=False)
    rows(1000).to_parquet("batch/part-1.parquet", index=False)
    assert run([*COMMANDS["monitor"]("batch"), "--engine", "dask"]) == 0
    assert json.loads(Path("reports/monitor/attack.json").read_text())["batch"]["rows"] == 1000


def test_the_ingest_stage_holds_an_added_batch_to_the_same_rules(project, capsys):
    # A labelled batch dropped into ingest.retrain_dir by hand, not through `mlgate retrain`.
    Path("data/retrain").mkdir(parents=True, exist_ok=True)
    struct_feature()
    shutil.move("batch.parquet", "data/retrain/by-hand.parquet")
    assert run(["ingest"]) == 2
    err = capsys.readouterr().err
    assert "data/retrain/by-hand.parquet: column 'workclass' holds struct<" in err, err


WITH_RETRAIN = {**COMMANDS, "retrain": lambda path: ["retrain", "--with", path]}


@pytest.mark.parametrize("command", list(WITH_RETRAIN))
def test_a_pattern_that_matches_no_file_says_so(tmp_path, monkeypatch, capsys, command):
    """``mlgate monitor data/incoming/*.parquet`` on an empty folder: the shell passes the pattern
    as it is. It said "the batch identifier '*'" (monitor) or "not found" (predict, check)."""
    monkeypatch.chdir(tmp_path)
    Path("data/incoming").mkdir(parents=True)
    Path("out").mkdir()
    assert run(WITH_RETRAIN[command]("data/incoming/*.parquet")) == 2
    err = capsys.readouterr().err
    assert "no file matches the pattern 'data/incoming/*.parquet'" in err, err
    assert "identifier" not in err
    assert list(Path("out").iterdir()) == []


def test_a_file_whose_name_looks_like_a_pattern_is_read(project, capsys):
    rows().to_parquet("batch[1].parquet", index=False)
    assert run(COMMANDS["predict"]("batch[1].parquet")) == 0
    assert pq.ParquetFile("out/scored.parquet").metadata.num_rows == 60


def test_monitor_names_the_pattern_among_files_that_exist(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("a.parquet").write_bytes(b"")
    assert run(["monitor", "a.parquet", "incoming/*.csv"]) == 2
    assert "no file matches the pattern 'incoming/*.csv'" in capsys.readouterr().err
