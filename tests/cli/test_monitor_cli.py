"""``mlgate monitor`` and ``mlgate fingerprint`` on a small trained project: exits, files, input."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from mlgate.monitor.history import COLUMNS
from tests.cli.conftest import run

STAGES = ("ingest", "prepare", "train", "fingerprint")
MONITOR = "reports/monitor"


@pytest.fixture
def project(built_projects, tmp_path, monkeypatch):
    project = built_projects(STAGES, tmp_path / "project")
    monkeypatch.chdir(project)
    return project


def batch(name: str, *, rows: int = 1000, seed: int = 0, flip_women: float = 0.0) -> str:
    test = pd.read_parquet("data/ingested/test.parquet")
    chosen = test.sample(rows, random_state=seed).reset_index(drop=True)
    if flip_women:
        flip = (chosen["sex"] == "Female") & (np.random.default_rng(seed).random(rows) < flip_women)
        other = np.where(chosen["income"] == ">50K", "<=50K", ">50K")
        chosen["income"] = pd.Series(np.where(flip, other, chosen["income"]), dtype="category")
    path = f"{name}.parquet"
    chosen.to_parquet(path, index=False)
    return path


def evidence(batch_id: str) -> dict:
    return json.loads(open(f"{MONITOR}/{batch_id}.json").read())


def history() -> pd.DataFrame:
    return pd.read_parquet(f"{MONITOR}/history.parquet")


def test_a_clean_batch_passes_and_is_recorded_once(project, capsys):
    path = batch("2026-11-28")
    assert run(["monitor", path, "--labels"]) == 0
    record = evidence("2026-11-28")
    assert (record["format"], record["status"]) == ("mlgate.monitor/1", "ok")
    assert (record["batch"]["rows"], record["batch"]["labelled"]) == (1000, True)
    assert set(record["tests"]) >= {"data_drift", "concept_drift", "fairness"}
    assert list(history().columns) == list(COLUMNS)
    assert len(history()) == 1
    for name in ("summary.md", "trend.json", "trend.png"):
        assert (project / MONITOR / name).is_file()
    # The same batch again: judged once per model, so the alert policy counts it once.
    assert run(["monitor", path, "--labels"]) == 0
    assert "already monitored" in capsys.readouterr().err
    assert len(history()) == 1


def test_a_concept_shift_alerts_only_with_labels(project):
    path = batch("shifted", flip_women=0.3)
    assert run(["monitor", path]) == 0
    assert run(["monitor", path, "--labels", "--batch-id", "shifted-labelled"]) == 1
    record = evidence("shifted-labelled")
    assert (record["status"], record["alert"]["alert"]) == ("alert", True)
    assert record["tests"]["concept_drift"]["status"] == "signal"
    summary = (project / MONITOR / "summary.md").read_text()
    assert "<!-- mlgate-monitor: model=model -->" in summary
    assert "| Concept drift | signal |" in summary


def test_labels_asked_for_but_missing_name_the_column_and_rows(project, capsys):
    path = batch("unlabelled")
    pd.read_parquet(path).drop(columns=["income"]).to_parquet(path, index=False)
    assert run(["monitor", path, "--labels"]) == 2
    assert "no 'income' column" in capsys.readouterr().err
    partial = pd.read_parquet(batch("partial"))
    partial["income"] = partial["income"].astype(object)
    partial.loc[[3, 7], "income"] = None
    partial.to_parquet("partial.parquet", index=False)
    assert run(["monitor", "partial.parquet", "--labels"]) == 2
    assert "'income' is missing in 2 rows" in capsys.readouterr().err
    assert not (project / MONITOR).exists()


def test_a_batch_too_small_to_judge_is_not_a_pass(project, capsys):
    assert run(["monitor", batch("tiny", rows=50)]) == 3
    assert evidence("tiny")["status"] == "unjudged"
    assert "fewer than monitor.min_rows" in evidence("tiny")["tests"]["data_drift"]["reason"]


def test_a_batch_breaking_the_schema_writes_nothing(project, capsys):
    path = batch("broken")
    pd.read_parquet(path).drop(columns=["age"]).to_parquet(path, index=False)
    assert run(["monitor", path]) == 2
    assert "age" in capsys.readouterr().err
    assert not (project / MONITOR).exists()


def test_an_identifier_reused_for_other_content_is_refused(project, capsys):
    assert run(["monitor", batch("a", seed=1), "--batch-id", "day-1"]) == 0
    assert run(["monitor", batch("b", seed=2), "--batch-id", "day-1"]) == 2
    assert "monitored before with other content" in capsys.readouterr().err
    assert len(history()) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--batch-id", "../escape"], "--batch-id names one batch"),
        (["--batch-id", "x", "b.parquet"], "--batch-id names one batch"),
        (["--model", "m.skops", "--stage", "prod"], "give one of --model, --stage and --version"),
    ],
)
def test_usage_errors(project, capsys, argv, message):
    assert run(["monitor", batch("b"), *argv]) == 2
    assert message in capsys.readouterr().err


def test_a_file_name_that_is_no_identifier_asks_for_one(project, capsys):
    path = batch("b")
    (project / "bad name!.parquet").write_bytes((project / path).read_bytes())
    assert run(["monitor", "bad name!.parquet"]) == 2
    assert "give --batch-id" in capsys.readouterr().err


def test_another_models_fingerprint_is_refused(project, capsys):
    fingerprint = json.loads((project / "models/fingerprint.json").read_text())
    fingerprint["model_sha256"] = "0" * 64
    (project / "models/fingerprint.json").write_text(json.dumps(fingerprint))
    assert run(["monitor", batch("b")]) == 2
    assert "not the monitored one" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (
            lambda f: f.update(format="mlgate.fingerprint/0"),
            "is in mlgate.fingerprint version 0, written by an earlier mlgate; this mlgate reads "
            "version 1 only. Rebuild it with `dvc repro fingerprint`.",
        ),
        (lambda f: f.update(format="mlgate.fingerprint/99"), "written by a newer mlgate"),
        (lambda f: f.update(format="mlgate.checks/1"), "is a mlgate.checks file"),
        (
            lambda f: f["scores"].update(counts=f["scores"]["counts"][:-1]),
            "scores: Value error, counts: expected",
        ),
        (lambda f: f["features"]["age"].update(counts="many"), "features.age.numeric.counts:"),
        (lambda f: f["features"]["age"].update(missing=True), "features.age.numeric.missing:"),
        (
            lambda f: f["multivariate"].update(components=[[1.0]]),
            "multivariate: Value error, components[0]: expected",
        ),
        (lambda f: f.pop("groups"), "groups: Field required"),
        (lambda f: f.update(comment="hand-edited"), "comment: Extra inputs are not permitted"),
    ],
)
def test_a_malformed_fingerprint_is_refused_with_its_key(project, capsys, tamper, message):
    fingerprint = json.loads((project / "models/fingerprint.json").read_text())
    tamper(fingerprint)
    (project / "models/fingerprint.json").write_text(json.dumps(fingerprint))
    assert run(["monitor", batch("b")]) == 2
    err = capsys.readouterr().err
    assert "models/fingerprint.json " in err
    assert message in err


def test_without_a_fingerprint_the_message_says_how_to_build_it(project, capsys):
    (project / "models/fingerprint.json").unlink()
    assert run(["monitor", batch("b")]) == 2
    assert "dvc repro fingerprint" in capsys.readouterr().err


def test_a_text_batch_in_the_source_format_is_read_in_chunks(project):
    assert run(["monitor", "data/source/adult.test.gz", "--chunk-rows", "700", "--labels"]) in (
        0,
        1,
    )
    record = evidence("adult")
    assert record["batch"]["rows"] > 2500
    assert record["status"] in ("ok", "alert")


def test_the_fingerprint_is_the_same_bytes_when_built_again(project):
    before = (project / "models/fingerprint.json").read_bytes()
    assert run(["fingerprint"]) == 0
    assert (project / "models/fingerprint.json").read_bytes() == before


def with_logged_scores(path: str, *, tamper_row: int | None = None) -> str:
    """The batch with the model's scores in a `score` column, as a serving log keeps them."""
    from mlgate.config import load_config
    from mlgate.model.estimators import positive_scores
    from mlgate.model.files import load_model

    frame = pd.read_parquet(path)
    features = list(load_config().data.features)
    frame["score"] = positive_scores(load_model("models/model.skops"), frame[features])
    if tamper_row is not None:
        frame.loc[tamper_row, "score"] = 1.0 - frame.loc[tamper_row, "score"]
    logged = path.replace(".parquet", "-logged.parquet")
    frame.to_parquet(logged, index=False)
    return logged


def test_logged_scores_give_the_verdict_scoring_gives(project):
    path = batch("scored", flip_women=0.3)
    assert run(["monitor", path, "--labels", "--batch-id", "rescored"]) == 1
    logged = with_logged_scores(path)
    assert run(["monitor", logged, "--labels", "--scores-column", "score"]) == 1
    rescored, from_log = evidence("rescored"), evidence("scored-logged")
    assert from_log["batch"]["scores"] == "logged:score"
    assert from_log["tests"] == rescored["tests"]
    # The rows checked are drawn anew on every run, and the evidence says which they were.
    check = from_log["batch"]["scores_check"]
    assert (check["rows_per_chunk"], check["chunk_rows"]) == (256, 250_000)
    again = ["monitor", logged, "--labels", "--scores-column", "score", "--batch-id", "again"]
    assert run(again) == 1
    assert evidence("again")["batch"]["scores_check"]["seed"] != check["seed"]
    assert evidence("again")["tests"] == from_log["tests"]


def test_a_log_whose_scores_are_not_the_models_is_refused(project, capsys):
    # Every row is checked here: the batch is smaller than the sample of 256 rows a chunk.
    logged = with_logged_scores(batch("edited", rows=250), tamper_row=17)
    assert run(["monitor", logged, "--scores-column", "score"]) == 2
    assert "data row 18" in capsys.readouterr().err
    assert run(["monitor", logged, "--scores-column", "nope"]) == 2
    assert "--scores-column 'nope' is not a column" in capsys.readouterr().err


def forged_log(shifted: str, clean: str, *, predicted_rows: np.ndarray) -> str:
    """A serving log of ``shifted`` whose scores are honest only on ``predicted_rows``.

    Elsewhere the score of each row whose label the shift flipped is flipped too, so that the
    logged scores agree with the shifted labels as the model's scores agree with the reference's:
    the concept shift disappears from every test that reads the scores.
    """
    logged = pd.read_parquet(with_logged_scores(shifted))
    changed = (pd.read_parquet(clean)["income"] != logged["income"]).to_numpy()
    forged = ~np.isin(np.arange(len(logged)), predicted_rows) & changed
    logged.loc[forged, "score"] = 1.0 - logged.loc[forged, "score"]
    path = shifted.replace(".parquet", "-forged.parquet")
    logged.to_parquet(path, index=False)
    return path


def test_a_log_honest_only_where_the_committed_seed_looks_is_refused(project, capsys):
    # The attack: params.yaml's monitor.seed is public, so a logger that knows which rows the
    # check re-scores keeps them honest and fabricates the rest, turning an alert into a pass.
    from mlgate.config import load_config

    shifted, clean = batch("shifted", flip_women=0.3), batch("clean")
    honest = with_logged_scores(shifted)
    assert run(["monitor", honest, "--labels", "--scores-column", "score"]) == 1
    assert evidence("shifted-logged")["status"] == "alert"
    seed = load_config().monitor.seed
    predicted = np.random.default_rng([seed, 0]).choice(1000, size=256, replace=False)
    forged = forged_log(shifted, clean, predicted_rows=predicted)
    capsys.readouterr()
    assert run(["monitor", forged, "--labels", "--scores-column", "score"]) == 2
    err = capsys.readouterr().err
    assert "scores logged in column 'score' are not the monitored model's" in err
    assert "rows re-scored differ (rows drawn with seed" in err
    assert not (project / MONITOR / "shifted-forged.json").exists()
