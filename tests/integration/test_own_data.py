"""Bring your own table: from a fresh clone, `mlgate init` and `dvc repro` reach a gate decision.

The table is written here: one CSV with a header row, no separate test file, 0/1 labels, an id,
names and emails (personal data), a missing-value marker, and a categorical sensitive feature.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from tests.integration.project_copy import copy_project
from tests.integration.test_dvc_pipeline import sh

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def write_loans(path, rows=2500, seed=3):
    rng = np.random.default_rng(seed)
    income = np.round(rng.lognormal(10.5, 0.5, rows), 2)
    debt = np.round(income * rng.uniform(0, 1.2, rows), 2)
    purpose = rng.choice(["car", "home", "study", "business"], rows)
    logit = -3 + 4 * debt / income + (purpose == "business") * 1.0
    frame = pd.DataFrame(
        {
            "loan_id": np.arange(5000, 5000 + rows),
            "name": [f"Client {i}" for i in range(rows)],
            "email": [f"client{i}@example.org" for i in range(rows)],
            "age": rng.integers(18, 75, rows),
            "gender": rng.choice(["female", "male"], rows),
            "income": income,
            "debt": debt,
            "purpose": np.where(rng.random(rows) < 0.03, "NA", purpose),
            "defaulted": (rng.random(rows) < 1 / (1 + np.exp(-logit))).astype(int),
        }
    )
    frame.to_csv(path, index=False)


def test_a_one_file_table_reaches_a_gate_decision_with_init_and_two_edits(tmp_path, project_root):
    repo = tmp_path / "clone"
    repo.mkdir()
    copy_project(project_root, repo, untracked=False)
    sh(repo, "git", "init", "-q", "-b", "main")
    # As a new user does first: the template's own model, which becomes the champion at main.
    sh(repo, "dvc", "repro", "train")
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-q", "-m", "the template, trained")
    write_loans(repo / "data/source/loans.csv")

    init = sh(
        repo, "mlgate", "init", "--data", "data/source/loans.csv", "--target", "defaulted",
        "--sensitive", "gender", "--force",
    )  # fmt: skip
    assert "loan_id: its name says so (id)" in init.stdout
    assert "email: its name says so (email)" in init.stdout
    # The two manual edits: this model's own performance limits, in place of Adult's.
    params = repo / "params.yaml"
    text = params.read_text()
    text = text.replace(
        "min: {roc_auc: 0.9, accuracy: 0.85, balanced_accuracy: 0.75}", "min: {roc_auc: 0.6}"
    )
    text = text.replace("max: {log_loss: 0.32, brier_score: 0.1}", "max: {brier_score: 0.25}")
    params.write_text(text)
    sh(repo, "mlgate", "validate")

    sh(repo, "dvc", "repro")
    decision = json.loads((repo / "reports/gate.json").read_text())
    assert decision["decision"] in ("promote", "reject")
    results = json.loads((repo / "reports/checks.json").read_text())["results"]
    assert [r["id"] for r in results if r["status"] == "error"] == []
    champion = next(r for r in results if r["id"] == "comparison.champion")
    # The champion at main was trained on Adult: not comparable, so not compared (never a crash).
    assert champion["status"] == "skip"
    assert "trained on other inputs" in champion["summary"]
    # Fairness is judged at init's stated default, on groups sized from this table.
    gender = next(r for r in results if r["id"] == "fairness.group_parity.gender")
    assert gender["status"] in ("pass", "fail"), gender["summary"]
    # Nothing of Adult is left, and the card waits for its owners' text: promotion is refused.
    card = sh(repo, "mlgate", "card", check=False)
    assert card.returncode == 1, card.stdout
    assert "a placeholder ('TODO')" in card.stdout
    written = (repo / "models/MODEL_CARD.md").read_text() + params.read_text()
    for word in ("Adult", "census", "1994", "fnlwgt", ">50K", "native-country"):
        assert word not in written
    ingested = pd.read_parquet(repo / "data/ingested/train.parquet")
    assert {"loan_id", "name", "email"}.isdisjoint(ingested.columns)
    for output in ("reports/checks.json", "reports/shap_importance.json", "models/model.json"):
        assert "example.org" not in (repo / output).read_text()
    # Monitoring follows the new table: its example batches, judged against its own fingerprint.
    # They hold 250 rows (half the test set). The covariate example can draw its over-weighted
    # rows only from 500 test rows: its age PSI comes out near the 0.1 floor, which 250 rows
    # cannot tell apart from it (no alert, rightly). A batch ten years older is far past it:
    # on 250 rows it is evidence, not yet proof (the statistic nears 100); the next one like it
    # reaches the alert.
    older = pd.read_parquet(repo / "data/examples/uniform.parquet")
    older["age"] = older["age"] + 10
    older.to_parquet(repo / "older.parquet")
    again = pd.read_parquet(repo / "data/examples/uniform.parquet").sample(frac=1, random_state=1)
    again["age"] = again["age"] + 10
    again.to_parquet(repo / "older-again.parquet")  # other bytes: a batch of its own
    monitor = sh(
        repo, "mlgate", "monitor", "data/examples/uniform.parquet",
        "data/examples/covariate.parquet", "older.parquet", "older-again.parquet", "--labels",
        check=False,
    )  # fmt: skip
    assert monitor.returncode == 1, monitor.stderr
    run = json.loads((repo / "reports/monitor/last-run.json").read_text())
    statuses = [batch["status"] for batch in run["batches"]]
    assert statuses == ["ok", "ok", "ok", "alert"]
    drift = json.loads((repo / "reports/monitor/older.json").read_text())["tests"]["data_drift"]
    assert drift["drifted"] == ["age"]
    covariate = json.loads((repo / "reports/monitor/covariate.json").read_text())
    ages = covariate["tests"]["data_drift"]["features"]["age"]
    assert ages["p_value"] < 0.001  # it did shift: the KS test sees it
    assert ages["psi_above_floor_p_value"] > 0.05  # but not shown past the floor
    # The dask engine on this table (dask's threads in this process): the same evidence.
    for engine in ("pandas", "dask"):
        sh(
            repo, "mlgate", "check", "--current", "data/examples/covariate.parquet",
            "--engine", engine, "--output", f"reports/{engine}.json", check=False,
        )  # fmt: skip
    assert (repo / "reports/dask.json").read_bytes() == (repo / "reports/pandas.json").read_bytes()
