"""``mlgate check``: evidence file, exit codes, batches, and bad input."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.cli.conftest import run


@pytest.fixture
def trained(built_projects, tmp_path, monkeypatch):
    project = built_projects(("ingest", "prepare", "train", "evaluate"), tmp_path / "project")
    monkeypatch.chdir(project)
    return project


def evidence(project, name="checks.json"):
    return json.loads((project / "reports" / name).read_text())


def set_param(project, old, new):
    params = project / "params.yaml"
    text = params.read_text()
    assert old in text
    params.write_text(text.replace(old, new))


def test_check_writes_evidence_and_exit_code_follows_the_required_results(trained, capsys):
    code = run(["check"])
    report = evidence(trained)
    blocking = report["blocking"]
    assert code == (1 if blocking else 0)
    ids = {r["id"] for r in report["results"]}
    assert {"data.schema", "drift.features", "performance.trivial_baseline"} <= ids
    assert any(i.startswith("performance.metrics.") for i in ids)
    champion = next(r for r in report["results"] if r["id"] == "comparison.champion")
    assert champion["status"] == "skip"
    assert report["provenance"]["model_sha256"]
    out = capsys.readouterr().out
    assert "data\n  ✓ pass  data.schema" in out


def test_a_failing_required_check_exits_1_unless_no_fail(trained):
    set_param(trained, "min: {roc_auc: 0.9,", "min: {roc_auc: 0.999,")
    assert run(["check"]) == 1
    assert "performance.metrics.roc_auc" in evidence(trained)["blocking"]
    assert run(["check", "--no-fail"]) == 0
    assert "performance.metrics.roc_auc" in evidence(trained)["blocking"]


def test_an_optional_check_failing_does_not_block(trained):
    set_param(trained, "min: {roc_auc: 0.9,", "min: {roc_auc: 0.999,")
    set_param(
        trained,
        "    metrics:\n      n_bootstrap",
        "    metrics:\n      required: false\n      n_bootstrap",
    )
    run(["check"])
    report = evidence(trained)
    result = next(r for r in report["results"] if r["id"] == "performance.metrics.roc_auc")
    assert result["status"] == "fail"
    assert result["required"] is False
    assert "performance.metrics.roc_auc" not in report["blocking"]


def test_suite_option_runs_only_that_suite(trained):
    run(["check", "--suite", "drift"])
    assert {r["suite"] for r in evidence(trained)["results"]} == {"drift"}


def batch_from_test(project, transform, name):
    frame = pd.read_parquet(project / "data/ingested/test.parquet")
    path = project / name
    frame = transform(frame)
    if name.endswith(".parquet"):
        frame.to_parquet(path)
    else:
        frame.to_csv(path, header=False, index=False, sep=",", na_rep="?")
    return path


def test_a_drifted_batch_is_flagged(trained, capsys):
    def older(frame):
        frame["age"] = frame["age"] + 8
        return frame

    path = batch_from_test(trained, older, "batch.parquet")
    assert run(["check", "--current", str(path)]) == 1
    report = evidence(trained, "batch_checks.json")
    assert {r["suite"] for r in report["results"]} == {"data", "drift"}
    features = next(r for r in report["results"] if r["id"] == "drift.features")
    assert features["status"] == "fail"
    assert "age" in features["details"]["drifted"]
    assert report["provenance"]["current"] == str(path)


def test_a_csv_batch_in_the_source_format_without_labels(trained):
    path = batch_from_test(trained, lambda f: f.drop(columns=["income"]), "batch.csv")
    assert run(["check", "--current", str(path), "--no-fail"]) == 0
    report = evidence(trained, "batch_checks.json")
    balance = next(r for r in report["results"] if r["id"] == "data.label_balance")
    assert balance["status"] == "skip"


def test_a_batch_missing_a_column_is_an_input_error(trained, capsys):
    path = batch_from_test(trained, lambda f: f.drop(columns=["occupation"]), "batch.parquet")
    assert run(["check", "--current", str(path)]) == 2
    assert "lacks the columns ['occupation']" in capsys.readouterr().err


def test_an_empty_batch_is_judged_not_crashed(trained):
    path = batch_from_test(trained, lambda f: f.iloc[:0], "empty.parquet")
    run(["check", "--current", str(path), "--no-fail"])
    statuses = {r["id"]: r["status"] for r in evidence(trained, "batch_checks.json")["results"]}
    assert statuses["drift.features"] == "skip"
    assert statuses["data.duplicates"] == "skip"
    assert "error" not in statuses.values()


def test_a_batch_with_a_new_category_is_reported(trained):
    def novel(frame):
        frame.loc[:400, "workclass"] = "Space-agency"
        return frame

    path = batch_from_test(trained, novel, "batch.parquet")
    run(["check", "--current", str(path), "--no-fail"])
    unseen = next(
        r
        for r in evidence(trained, "batch_checks.json")["results"]
        if r["id"] == "data.unseen_categories"
    )
    assert unseen["status"] == "fail"
    assert unseen["details"]["columns"]["workclass"]["categories"] == {"Space-agency": 401}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    duplicates:", "    duplicate_rows:", r"unknown checks \['data\.duplicate_rows'\]"),
        (
            "max_duplicate_rate: 0.005",
            "max_duplicate_rate: 5",
            r"data\.duplicates\.max_duplicate_rate: Input should be less than or equal to 1",
        ),
        (
            "columns: [fnlwgt]",
            "columns: [fnlwgt, salary]",
            r"checks\.data\.denied_inputs: names columns \['salary'\]",
        ),
    ],
)
def test_bad_check_params_exit_2_naming_the_key(trained, capsys, old, new, message):
    import re

    set_param(trained, old, new)
    assert run(["check"]) == 2
    assert re.search(message, capsys.readouterr().err)


def test_check_without_pipeline_outputs_is_an_input_error(project, capsys):
    assert run(["check"]) == 2
    assert "data/ingested/train.parquet not found" in capsys.readouterr().err
