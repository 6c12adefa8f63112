"""`mlgate predict --engine dask` on a real ``distributed.LocalCluster``: the pandas path's rows.

Each worker scores its partitions into files of a hidden folder, which takes the output's name
only when every partition is written. Read as one table, the folder holds the rows the pandas
path writes to one file: same row numbers, hashes, scores and decisions.
"""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from tests.cli.conftest import run

pytestmark = [pytest.mark.slow, pytest.mark.integration]

#: What differs between two runs: when they scored.
RUN_COLUMNS = ["scored_at"]


@pytest.fixture
def trained(built_projects, tmp_path, monkeypatch):
    project = built_projects(("ingest", "prepare", "train"), tmp_path / "project")
    monkeypatch.chdir(project)
    return project


@pytest.fixture
def batch(trained):
    """1,200 test rows as one file, and as a folder of two files in row groups of 250."""
    rows = pd.read_parquet(trained / "data/ingested/test.parquet").iloc[:1200]
    rows.to_parquet(trained / "whole.parquet", index=False)
    folder = trained / "parts"
    folder.mkdir()
    rows.iloc[:700].to_parquet(folder / "part-0.parquet", index=False, row_group_size=250)
    rows.iloc[700:].to_parquet(folder / "part-1.parquet", index=False, row_group_size=250)
    return rows, trained / "whole.parquet", folder


def test_the_cluster_writes_the_rows_the_pandas_path_writes(trained, batch, cluster):
    rows, whole, folder = batch
    assert run(["predict", "--input", str(whole), "--output", "one.parquet"]) == 0
    dask = ["--engine", "dask", "--scheduler", cluster]
    assert run(["predict", "--input", str(folder), "--output", "scored", *dask]) == 0
    one = pd.read_parquet("one.parquet").drop(columns=RUN_COLUMNS)
    files = sorted((trained / "scored").glob("part-*.parquet"))
    assert len(files) == 5  # a file per partition: row groups of 250 rows in files of 700 and 500
    parts = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    pd.testing.assert_frame_equal(parts.drop(columns=RUN_COLUMNS), one)
    footers = [json.loads(pq.read_metadata(f).metadata[b"mlgate"]) for f in files]
    assert sum(f["rows"] for f in footers) == len(rows)
    assert {f["input"] for f in footers} == {str(folder)}
    assert not list(trained.glob(".scored.*"))  # no temporary folder left


def test_a_bad_row_in_any_partition_leaves_the_output_as_it_was(trained, batch, cluster, capsys):
    rows, _, folder = batch
    bad = rows.iloc[700:].astype({"age": str})  # a file whose ages are text, one of them a word
    bad.iloc[333, bad.columns.get_loc("age")] = "old"
    bad.to_parquet(folder / "part-1.parquet", index=False, row_group_size=250)
    (trained / "scored").mkdir()
    (trained / "scored" / "earlier.txt").write_text("an earlier run")
    dask = ["--engine", "dask", "--scheduler", cluster]
    assert run(["predict", "--input", str(folder), "--output", "scored", *dask]) == 2
    assert "row 1034: 3 characters of text" in capsys.readouterr().err  # counted in the whole batch
    assert [p.name for p in (trained / "scored").iterdir()] == ["earlier.txt"]
    assert not list(trained.glob(".scored.*"))


def test_a_second_run_replaces_the_folder(trained, batch, cluster):
    _, _, folder = batch
    dask = ["--engine", "dask", "--scheduler", cluster]
    (trained / "scored").mkdir()
    (trained / "scored" / "part-99999.parquet").write_text("stale")
    assert run(["predict", "--input", str(folder), "--output", "scored", *dask]) == 0
    assert "part-99999.parquet" not in {p.name for p in (trained / "scored").iterdir()}
    assert not list(trained.glob(".scored.*"))


def test_the_output_kinds_are_checked(trained, batch, capsys):
    _, whole, folder = batch
    (trained / "afile.parquet").write_text("x")
    assert run(["predict", "--input", str(folder), "--output", "afile.parquet",
                "--engine", "dask"]) == 2  # fmt: skip
    refused = capsys.readouterr().err
    assert "is a file: with the dask engine, --output is a folder" in refused
    assert run(["predict", "--input", str(whole), "--output", str(folder)]) == 2
    refused += capsys.readouterr().err
    assert "is a folder: name a file" in refused
    # Refused before the model is read or a row scored.
    assert "[predict] model" not in refused
    assert "[predict] scoring" not in refused


def test_explanations_on_the_cluster_are_the_pandas_paths(trained, batch, cluster):
    _, whole, folder = batch
    assert run(["predict", "--input", str(whole), "--output", "one.parquet", "--explain"]) == 0
    dask = ["--engine", "dask", "--scheduler", cluster]
    assert run(["predict", "--input", str(folder), "--output", "scored", "--explain", *dask]) == 0
    one = pd.read_parquet("one.parquet").drop(columns=RUN_COLUMNS)
    parts = pd.read_parquet(trained / "scored").drop(columns=RUN_COLUMNS)
    assert [c for c in one.columns if c.startswith("shap_")]
    pd.testing.assert_frame_equal(parts.reset_index(drop=True), one)
    footer = json.loads(pq.read_metadata(trained / "scored/part-00000.parquet").metadata[b"mlgate"])
    assert (
        footer["shap"]["base_value"]
        == json.loads(pq.read_metadata("one.parquet").metadata[b"mlgate"])["shap"]["base_value"]
    )
