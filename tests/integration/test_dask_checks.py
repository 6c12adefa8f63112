"""`mlgate check --current` on a real ``distributed.LocalCluster``: the pandas path's evidence.

Two worker processes on loopback count each partition of a parquet batch for the data and drift
checks; the client merges the tallies in order and runs the checks. The batch is built to make
every check find something: rows repeated far apart (duplicates across partitions), training
rows (leakage), an unseen category, missing values, out-of-range ages, drifted ages. However it
is cut into files and row groups, the evidence equals the pandas path's on the whole file.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlgate.config import load_config
from mlgate.engines import engine_for
from mlgate.stages.check import run_check_stage
from mlgate.stages.check_evidence import evidence
from tests.cli.conftest import run

pytestmark = [pytest.mark.slow, pytest.mark.integration]


@pytest.fixture(scope="module")
def project(built_projects, tmp_path_factory):
    return built_projects(
        ("ingest", "prepare", "train", "evaluate"), tmp_path_factory.mktemp("dask-checks")
    )


@contextlib.contextmanager
def inside(folder):
    here = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(here)


@pytest.fixture(scope="module")
def batch(project):
    """Test rows with something for every check to find."""
    test = pd.read_parquet(project / "data/ingested/test.parquet")
    train = pd.read_parquet(project / "data/ingested/train.parquet")
    rng = np.random.default_rng(7)
    rows = test.sample(n=1500, random_state=3).reset_index(drop=True)
    rows.loc[rng.choice(1500, 300, replace=False), "age"] += 15  # drift
    rows.loc[[5, 700], "age"] = 140  # out of range
    rows.loc[[11, 12, 900], "workclass"] = np.nan  # missing
    rows.loc[[40, 1400], "native-country"] = "Atlantis"  # unseen
    repeated = rows.iloc[[3, 4, 1200]]  # duplicates, far from the rows they repeat
    leaked = train.iloc[:6][rows.columns]
    return pd.concat([rows, leaked, repeated], ignore_index=True)


def write_parts(batch, folder, cuts, row_group):
    folder.mkdir(parents=True)
    bounds = [0, *sorted(cuts), len(batch)]
    for number, (start, stop) in enumerate(itertools.pairwise(bounds)):
        part = batch.iloc[start:stop]
        part.to_parquet(
            folder / f"part-{number:03d}.parquet", index=False, row_group_size=row_group
        )
    return folder


def checks_of(path, *, engine, scheduler=None):
    cfg = load_config()
    chosen = engine_for(cfg.batches, engine=engine, scheduler=scheduler)
    run = run_check_stage(cfg, str(path), engine=chosen)
    document = evidence(run.results, run.provenance)
    document["provenance"].pop("current")
    return document


@pytest.fixture(scope="module")
def on_pandas(project, batch):
    whole = project / "whole.parquet"
    batch.to_parquet(whole, index=False)
    with inside(project):
        return checks_of(whole, engine="pandas")


def test_the_batch_gives_every_check_something_to_find(on_pandas):
    results = {r["id"]: r for r in on_pandas["results"]}
    assert results["data.duplicates"]["details"]["duplicate_rows"] == 3
    assert results["data.leakage"]["details"]["shared_rows"] >= 6
    assert results["data.schema"]["status"] == "fail"
    assert "workclass" in results["data.missing_values"]["details"]["columns"]
    assert "native-country" in results["data.unseen_categories"]["details"]["columns"]
    assert results["drift.features"]["status"] == "fail"
    assert {r["status"] for r in on_pandas["results"]} >= {"pass", "fail"}
    # Every check of the data and drift suites judged or failed, but target leakage: it is
    # judged on the training split, not on a batch.
    assert len(results) == 13
    assert results["data.target_leakage"]["status"] == "skip"


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cuts=st.lists(st.integers(1, 1508), min_size=0, max_size=4, unique=True),
    row_group=st.sampled_from([97, 500, 100_000]),
)
def test_any_partitioning_gives_the_pandas_paths_evidence(
    project, batch, on_pandas, cluster, tmp_path_factory, cuts, row_group
):
    # Named as the whole file is: the evidence names the batch.
    parts = write_parts(batch, tmp_path_factory.mktemp("parts") / "whole.parquet", cuts, row_group)
    with inside(project):
        on_dask = checks_of(parts, engine="dask", scheduler=cluster)
    assert on_dask == on_pandas


def test_an_unlabelled_batch_on_dask(project, batch, cluster, tmp_path):
    unlabelled = batch.drop(columns="income")
    unlabelled.to_parquet(tmp_path / "whole.parquet", index=False)
    parts = write_parts(unlabelled, tmp_path / "parts" / "whole.parquet", [700], 300)
    with inside(project):
        on_pandas = checks_of(tmp_path / "whole.parquet", engine="pandas")
        on_dask = checks_of(parts, engine="dask", scheduler=cluster)
    assert on_dask == on_pandas
    balance = next(r for r in on_dask["results"] if r["id"] == "data.label_balance")
    assert balance["status"] == "skip"
    assert "has no labels" in balance["summary"]


def test_the_cli_runs_the_checks_on_a_cluster(project, batch, cluster, tmp_path, capsys):
    parts = write_parts(batch, tmp_path / "parts", [400, 1000], 250)
    out = tmp_path / "dask.json"
    with inside(project):
        code = run(
            ["check", "--current", str(parts), "--engine", "dask", "--scheduler", cluster,
             "--output", str(out)]
        )  # fmt: skip
    assert code == 1  # the batch fails: drift, schema, duplicates
    written = json.loads(out.read_text())
    assert written["provenance"]["current_rows"] == len(batch)


def test_bad_uses_of_the_engine_are_refused(project, batch, tmp_path, capsys):
    whole = tmp_path / "whole.parquet"
    batch.to_parquet(whole, index=False)
    with inside(project):
        assert run(["check", "--engine", "dask"]) == 2
        assert "use them with --current" in capsys.readouterr().err
        scheduler = ["--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"]
        assert run(["check", "--current", str(whole), *scheduler]) == 3
        assert "tcp://127.0.0.1:9 cannot be reached" in capsys.readouterr().err
        assert run(["check", "--current", "nosuch.parquet", "--engine", "dask"]) == 2
        assert "nosuch.parquet not found. Check the --current path" in capsys.readouterr().err
        text = str(project / "data/source/adult.test.gz")
        assert run(["check", "--current", text, "--engine", "dask"]) == 2
        assert "the dask engine reads parquet" in capsys.readouterr().err
        params = project / "params.yaml"
        original = params.read_text()
        try:
            params.write_text(original.replace("engine: scipy", "engine: alibi"))
            assert run(["check", "--current", str(whole), "--engine", "dask"]) == 2
            assert "runs on the pandas engine only" in capsys.readouterr().err
        finally:
            params.write_text(original)
