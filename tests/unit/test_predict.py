"""The predict stage: scores, decisions, SHAP and identity per row; chunking changes no byte."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
from scipy.special import expit

import mlgate.scoring.predict
from mlgate.errors import DataError
from mlgate.model.estimators import positive_scores
from mlgate.model.shap_values import explain
from mlgate.registry.identity import ModelIdentity
from mlgate.scoring.audit_table import prediction_schema
from mlgate.scoring.predict import Scorer, predict_batch

IDENTITY = ModelIdentity(
    "ab" * 32, "v1.2.0", "model@v1.2.0", "c0ffee", "sha256:" + "cd" * 32, trust="signed"
)
SCORED_AT = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def batch(adult_sample, tmp_path):
    """120 Adult rows as parquet, without labels, with a missing value."""
    rows = adult_sample.head(120).drop(columns=["income"]).copy()
    rows.loc[5, "occupation"] = None
    path = tmp_path / "batch.parquet"
    rows.to_parquet(path)
    return path, rows


def predict(path, output, model, cfg, *, explain_cfg=None, background=None, **options):
    options = {"scored_at": SCORED_AT, **options}
    scorer = Scorer(
        model,
        IDENTITY,
        cfg.data,
        cfg.evaluate.decision_threshold,
        explain_cfg=explain_cfg,
        background=background,
    )
    return predict_batch(str(path), output, scorer, ingest=cfg.ingest, **options)


def test_each_row_is_scored_decided_and_stamped(batch, small_model, cfg, tmp_path):
    path, rows = batch
    result = predict(path, tmp_path / "out.parquet", small_model, cfg)
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.schema.equals(prediction_schema())
    out = table.to_pandas()
    expected = positive_scores(small_model, rows[list(cfg.data.features)])
    np.testing.assert_array_equal(out["score"], expected)
    assert out["row"].tolist() == list(range(120))
    decided = np.where(expected >= 0.5, ">50K", "<=50K")
    assert out["decision"].tolist() == decided.tolist()
    assert out["label"].isna().all()
    assert (result.rows, result.positives) == (120, int((expected >= 0.5).sum()))
    assert set(out["model_version"]) == {"v1.2.0"}
    assert set(out["model_tag"]) == {"model@v1.2.0"}
    assert set(out["model_sha256"]) == {"ab" * 32}
    assert set(out["evidence_digest"]) == {"sha256:" + "cd" * 32}
    assert set(out["model_trust"]) == {"signed"}
    assert set(out["scored_at"]) == {pd.Timestamp(SCORED_AT)}
    assert out["input_sha256"].str.fullmatch("[0-9a-f]{64}").all()
    footer = json.loads(pq.read_metadata(tmp_path / "out.parquet").metadata[b"mlgate"])
    assert footer["rows"] == 120
    assert footer["positives"] == result.positives
    assert footer["shap"] is None


def test_a_labelled_batch_keeps_its_labels(adult_sample, small_model, cfg, tmp_path):
    path = tmp_path / "labelled.parquet"
    adult_sample.head(30).to_parquet(path)
    predict(path, tmp_path / "out.parquet", small_model, cfg)
    out = pd.read_parquet(tmp_path / "out.parquet")
    assert out["label"].tolist() == adult_sample.head(30)["income"].tolist()


@pytest.mark.parametrize("explained", [False, True])
def test_the_chunk_size_changes_no_byte(batch, small_model, cfg, tmp_path, monkeypatch, explained):
    monkeypatch.setattr(mlgate.scoring.predict, "ROW_GROUP_ROWS", 50)  # three row groups
    path, _ = batch
    files = []
    for rows in (7, 100_000):
        files.append(tmp_path / f"out-{rows}.parquet")
        predict(
            path,
            files[-1],
            small_model,
            cfg,
            chunk_rows=rows,
            explain_cfg=cfg.explain if explained else None,
        )
    assert pq.read_metadata(files[0]).num_row_groups == 3
    assert files[0].read_bytes() == files[1].read_bytes()


def test_shap_values_add_up_to_the_log_odds_of_each_score(batch, small_model, cfg, tmp_path):
    path, rows = batch
    result = predict(path, tmp_path / "out.parquet", small_model, cfg, explain_cfg=cfg.explain)
    out = pd.read_parquet(tmp_path / "out.parquet")
    shap_columns = [f"shap_{f}" for f in cfg.data.features]
    assert [c for c in out.columns if c.startswith("shap_")] == [*shap_columns, "shap_base_value"]
    # Histogram gradient boosting: TreeExplainer's values are log-odds, as the explain stage's.
    assert result.shap["output"] == "log-odds"
    margin = out[shap_columns].sum(axis=1) + out["shap_base_value"]
    np.testing.assert_allclose(expit(margin), out["score"], rtol=1e-9, atol=1e-12)
    # The explain stage's own values for the same rows.
    stage = explain(small_model, rows, background=None, seed=cfg.explain.seed)
    np.testing.assert_allclose(out[shap_columns].to_numpy(), stage.values, rtol=1e-12)


def test_a_bad_row_in_a_later_chunk_leaves_nothing(batch, small_model, cfg, tmp_path):
    path, rows = batch
    bad = rows.astype({"age": str})
    bad.loc[95, "age"] = "ninety"
    bad.to_parquet(path)
    output = tmp_path / "out.parquet"
    output.write_bytes(b"an earlier file")
    seen = []
    with pytest.raises(
        DataError, match=r"'age' has text in 1 rows \(row 96: 6 characters of text, not shown"
    ):
        predict(path, output, small_model, cfg, chunk_rows=10, on_rows=seen.append)
    assert seen == [10] * 9  # nine chunks were scored and written before the tenth failed
    assert output.read_bytes() == b"an earlier file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batch.parquet", "out.parquet"]


def test_a_missing_column_stops_the_run_before_the_output_folder_is_made(
    batch, small_model, cfg, tmp_path
):
    path, rows = batch
    rows.drop(columns=["sex"]).to_parquet(path)
    with pytest.raises(DataError, match=r"lacks the columns \['sex'\]"):
        predict(path, tmp_path / "new" / "out.parquet", small_model, cfg)
    assert not (tmp_path / "new").exists()


def test_an_empty_batch_gives_an_empty_file_with_every_column(batch, small_model, cfg, tmp_path):
    path, rows = batch
    rows.iloc[:0].to_parquet(path)
    result = predict(path, tmp_path / "out.parquet", small_model, cfg, explain_cfg=cfg.explain)
    table = pq.read_table(tmp_path / "out.parquet")
    assert (result.rows, table.num_rows) == (0, 0)
    assert "shap_age" in table.column_names
