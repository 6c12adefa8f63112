"""``mlgate init`` leaves columns that leak the target out of the inputs, and says why."""

from __future__ import annotations

import shutil

import pytest

from mlgate.config import load_config
from tests.cli.conftest import run
from tests.statistical.leakage_corpus import corpus_table

#: Inputs init already takes out as personal data (an id, dates): not what this test is about.
PERSONAL = ("case_number", "closed_on", "opened_on", "row_number", "code")


@pytest.fixture
def template(project_root, tmp_path, monkeypatch):
    for name in ("params.yaml", "dvc.yaml"):
        shutil.copy(project_root / name, tmp_path / name)
    (tmp_path / "data").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def init_on(template, frame) -> int:
    frame.to_csv(template / "data/table.csv", index=False)
    return run(["init", "--data", "data/table.csv", "--target", "outcome", "--force"])


def test_init_denies_the_leaking_columns_and_prints_the_statistic(template, capsys):
    frame, _ = corpus_table(3, rows=1500)
    assert init_on(template, frame.drop(columns=list(PERSONAL))) == 0
    out = capsys.readouterr().out
    assert "target leakage: predicts the label alone" in out
    assert "  reoffended: single-feature ROC AUC 0.9" in out
    assert "  days_to_rearrest: single-feature ROC AUC 0.9" in out
    assert "missing-indicator ROC AUC" in out
    assert "its name has 'rearrest', 'days to'" in out
    cfg = load_config("params.yaml")
    assert {"reoffended", "days_to_rearrest"}.isdisjoint(cfg.data.features)
    assert {"measure_0", "grade", "gappy"} <= set(cfg.data.features)
    assert cfg.checks["data.denied_inputs"].columns == ("days_to_rearrest", "reoffended")
    assert cfg.checks["data.target_leakage"].allow == {}


def test_init_on_a_clean_table_denies_nothing(template, capsys):
    frame, _ = corpus_table(3, rows=1500, leaks=False)
    assert init_on(template, frame.drop(columns=[c for c in PERSONAL if c in frame])) == 0
    out = capsys.readouterr().out
    assert "target leakage" not in out
    assert load_config("params.yaml").checks["data.denied_inputs"].columns == ()


def test_init_says_when_the_table_is_too_small_to_look_for_leakage(template, capsys):
    frame, _ = corpus_table(3, rows=120)
    assert init_on(template, frame.drop(columns=list(PERSONAL))) == 0
    assert (
        "target leakage not looked for: the training data has 120 rows" in capsys.readouterr().out
    )
