"""``mlgate predict``: a raw CSV batch and its parquet twin, SHAP, chunks, bad input, identity."""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from mlgate.model.estimators import positive_scores
from mlgate.model.files import load_model
from mlgate.registry.evidence import evidence_digest, evidence_hashes
from tests.cli.conftest import run

COLUMNS = [
    "row",
    "input_sha256",
    "score",
    "decision",
    "label",
    "model_version",
    "model_tag",
    "model_sha256",
    "evidence_digest",
    "model_trust",
    "scored_at",
]
RAW = "data/source/adult.test.gz"  # the source format: no header, ", ", '?' missing, "|" comment
INGESTED = "data/ingested/test.parquet"  # the same rows, ingested


@pytest.fixture
def trained(built_projects, tmp_path, monkeypatch):
    project = built_projects(("ingest", "prepare", "train"), tmp_path / "project")
    monkeypatch.chdir(project)
    return project


def predictions(path="out.parquet") -> pd.DataFrame:
    return pd.read_parquet(path)


def footer(path="out.parquet") -> dict:
    return json.loads(pq.read_metadata(path).metadata[b"mlgate"])


def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".out.parquet"))


def test_a_raw_csv_batch_and_its_parquet_twin_score_alike(trained, capsys):
    assert run(["predict", "--input", RAW, "--output", "out.parquet"]) == 0
    err = capsys.readouterr().err
    from_csv = predictions()
    assert run(["predict", "--input", INGESTED, "--output", "out.parquet"]) == 0
    from_parquet = predictions()
    assert list(from_csv.columns) == COLUMNS
    rows = len(pd.read_parquet(INGESTED))
    assert len(from_csv) == rows
    same = ["row", "input_sha256", "score", "decision", "label", "model_sha256"]
    pd.testing.assert_frame_equal(from_csv[same], from_parquet[same])
    # The scores are the model's own, on the rows as ingest reads them.
    model = load_model("models/model.skops")
    X = pd.read_parquet(INGESTED)[[*model.feature_names_in_]]
    np.testing.assert_array_equal(from_csv["score"], positive_scores(model, X))
    assert from_csv["label"].isin([">50K", "<=50K"]).all()
    assert from_csv["scored_at"].nunique() == 1
    positives = int((from_csv["decision"] == ">50K").sum())
    assert f"[predict] {rows:,} rows, {positives:,} decided '>50K'; wrote out.parquet" in err
    assert "[predict] model models/model.skops: unregistered, sha256 " in err
    assert "[predict] scoring" in err  # the progress bar, on standard error


def test_an_unregistered_model_carries_the_working_folders_evidence(trained):
    assert run(["predict", "--input", INGESTED, "--output", "out.parquet"]) == 0
    out = predictions()
    assert set(out["model_version"]) == set(out["model_tag"]) == {"unregistered"}
    assert set(out["model_trust"]) == {"unregistered"}
    assert set(out["evidence_digest"]) == {evidence_digest(evidence_hashes())}
    sha = hashlib.sha256((trained / "models/model.skops").read_bytes()).hexdigest()
    assert set(out["model_sha256"]) == {sha}


def test_explain_adds_shap_values_that_add_up_to_the_models_log_odds(trained, project_root):
    pd.read_parquet(INGESTED).head(150).to_parquet("few.parquet")
    assert run(["predict", "--input", "few.parquet", "--output", "out.parquet", "--explain"]) == 0
    out = predictions()
    model = load_model("models/model.skops")
    features = [f"shap_{f}" for f in model.feature_names_in_]
    assert list(out.columns) == [*COLUMNS[:5], *features, "shap_base_value", *COLUMNS[5:]]
    # The explain stage's unit (reports/shap_method.json): log-odds, the classifier's margin.
    method = json.loads((project_root / "reports/shap_method.json").read_text())
    assert method.items() <= footer()["shap"].items()
    X = pd.read_parquet("few.parquet")
    margin = model.named_steps["classifier"].decision_function(
        model.named_steps["preprocess"].transform(X)
    )
    total = out[features].sum(axis=1) + out["shap_base_value"]
    np.testing.assert_allclose(total, margin, rtol=1e-9, atol=1e-9)


def test_chunks_change_nothing_but_the_time(trained):
    pd.read_parquet(INGESTED).head(300).to_parquet("few.parquet")
    outputs = []
    for rows in ("7", "100000"):
        args = ["predict", "--input", "few.parquet", "--output", "out.parquet"]
        assert run([*args, "--chunk-rows", rows]) == 0
        outputs.append(predictions().drop(columns="scored_at"))
    pd.testing.assert_frame_equal(outputs[0], outputs[1])


def raw_lines(count=40) -> list[str]:
    with gzip.open(RAW, "rt") as handle:
        return [next(handle) for _ in range(count)]


def write_csv(lines: list[str]) -> str:
    with open("batch.csv", "w") as handle:
        handle.writelines(lines)
    return "batch.csv"


def non_numeric_age() -> str:
    lines = raw_lines()
    lines[30] = "thirty" + lines[30][lines[30].index(",") :]  # line 31: data row 30
    return write_csv(lines)


def missing_column() -> str:
    pd.read_parquet(INGESTED).drop(columns=["occupation"]).to_parquet("batch.parquet")
    return "batch.parquet"


def short_row() -> str:
    lines = raw_lines()
    lines[12] = lines[12].rsplit(",", 2)[0] + "\n"  # data row 12 loses two fields
    return write_csv(lines)


def text_named_parquet() -> str:
    Path("batch.parquet").write_text("".join(raw_lines()))
    return "batch.parquet"


def a_model_file() -> str:
    return "models/model.skops"


BAD_INPUTS = {
    "non_numeric_age": (
        non_numeric_age,
        r"'age' has text in 1 rows \(row 30: 6 characters of text, not shown",
    ),
    "missing_column": (missing_column, r"lacks the columns \['occupation'\]"),
    "short_row": (short_row, r"fewer than the 15 fields .*\(row 12 has 13"),
    "text_named_parquet": (text_named_parquet, r"batch\.parquet is not a parquet file"),
    "a_model_file": (a_model_file, r"models/model\.skops is not valid utf-8: byte \d+"),
    "missing_file": (lambda: "nope.csv", r"nope\.csv not found\. Check the --input path"),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_exits_2_naming_the_problem_and_leaves_nothing(trained, capsys, name):
    make, expected = BAD_INPUTS[name]
    path = make()
    (trained / "out").mkdir()
    args = ["predict", "--input", path, "--output", "out/out.parquet", "--chunk-rows", "10"]
    assert run(args) == 2
    err = capsys.readouterr().err
    assert re.search(expected, err), err
    assert list((trained / "out").iterdir()) == []


def test_the_model_is_chosen_once(trained, capsys):
    args = ["predict", "--input", INGESTED, "--output", "out.parquet"]
    assert run([*args, "--model", "models/model.skops", "--stage", "prod"]) == 2
    assert "give one of --model, --stage and --version" in capsys.readouterr().err
    assert run([*args, "--model", "models/other.skops"]) == 2
    assert "model file models/other.skops not found" in capsys.readouterr().err
    assert run([*args, "--stage", "qa"]) == 2
    assert "--stage 'qa' is not a registry stage" in capsys.readouterr().err
    # Not a git repository: nothing is registered, so nothing holds a stage.
    assert run([*args, "--stage", "prod"]) == 2
    assert "no version of 'model' is in stage 'prod'" in capsys.readouterr().err
    assert run([*args, "--version", "v1.0.0"]) == 2
    assert "has no registered version 'v1.0.0'" in capsys.readouterr().err
    assert not (trained / "out.parquet").exists()
