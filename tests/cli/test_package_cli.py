"""`mlgate package`: the model as an MLflow model folder that scores as mlgate does, no pickle."""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from tests.conftest import run_cli


@pytest.fixture
def trained(built_projects, tmp_path, monkeypatch):
    project = built_projects(("ingest", "prepare", "train"), tmp_path / "project")
    monkeypatch.chdir(project)
    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    monkeypatch.setenv("DO_NOT_TRACK", "true")
    return project


def test_the_packaged_model_scores_as_mlgate_and_holds_no_pickle(trained, cfg):
    import mlflow

    from mlgate.model.estimators import positive_scores
    from mlgate.model.files import load_model

    assert run_cli(["package", "--output", "served"]) == 0
    files = sorted(p.name for p in (trained / "served").rglob("*"))
    assert "MLmodel" in files
    assert "model.skops" in files
    assert not [name for name in files if name.endswith((".pkl", ".pickle", ".joblib"))]
    assert "python_model:" not in (trained / "served/MLmodel").read_text()

    rows = pd.read_parquet("data/ingested/test.parquet").loc[:, list(cfg.data.features)]
    rows = rows.dropna().head(100).reset_index(drop=True)
    scored = mlflow.pyfunc.load_model("served").predict(rows)
    np.testing.assert_array_equal(
        scored["score"].to_numpy(), positive_scores(load_model("models/model.skops"), rows)
    )
    threshold = cfg.evaluate.decision_threshold
    expected = np.where(scored["score"] >= threshold, cfg.data.positive_label, cfg.data.labels[0])
    assert list(scored["decision"]) == list(expected)


def test_an_existing_folder_is_refused_and_left_alone(trained, capsys):
    (trained / "served").mkdir()
    (trained / "served/keep.txt").write_text("mine")
    assert run_cli(["package", "--output", "served"]) == 2
    assert "served exists: name a new folder" in capsys.readouterr().err
    assert os.listdir(trained / "served") == ["keep.txt"]
    assert not [p for p in os.listdir(trained) if p.startswith(".served-")]


def test_without_a_model_nothing_is_written(built_projects, tmp_path, monkeypatch, capsys):
    project = built_projects(("ingest",), tmp_path / "project")
    monkeypatch.chdir(project)
    assert run_cli(["package", "--output", "served"]) == 2
    assert "model file models/model.skops not found" in capsys.readouterr().err
    assert not (project / "served").exists()
    assert not [p for p in os.listdir(project) if p.startswith(".served-")]
