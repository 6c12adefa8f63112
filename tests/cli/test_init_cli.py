"""``mlgate init``: a one-file table with a header reaches valid params in one command."""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest

from mlgate.config import load_config
from tests.cli.conftest import run


def write_table(path, rows=600, seed=0):
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        {
            "id": np.arange(rows),
            "email": [f"p{i}@example.org" for i in range(rows)],
            "age": rng.integers(18, 80, rows),
            "sex": rng.choice(["f", "m"], rows),
            "plan": rng.choice(["basic", "plus", None], rows),
            "spend": np.round(rng.gamma(2, 50, rows), 2),
            "left": rng.integers(0, 2, rows),
        }
    )
    frame.to_csv(path, index=False)


@pytest.fixture
def template(project_root, tmp_path, monkeypatch):
    for name in ("params.yaml", "dvc.yaml"):
        shutil.copy(project_root / name, tmp_path / name)
    (tmp_path / "data").mkdir()
    write_table(tmp_path / "data/table.csv")
    monkeypatch.chdir(tmp_path)
    return tmp_path


INIT = ["init", "--data", "data/table.csv", "--target", "left", "--sensitive", "sex"]


def test_init_refuses_to_replace_a_dataset_without_force(template, capsys):
    before = (template / "params.yaml").read_bytes()
    assert run(INIT) == 2
    assert "already describes a dataset ('data/source/adult.data.gz'" in capsys.readouterr().err
    assert (template / "params.yaml").read_bytes() == before


def test_init_writes_valid_params_for_the_table_and_clears_the_old_columns(template, capsys):
    assert run([*INIT, "--force"]) == 0
    out = capsys.readouterr().out
    assert "id: its name says so (id)" in out
    assert "email: its name says so (email)" in out
    cfg = load_config("params.yaml")
    assert cfg.data.target == "left"
    assert cfg.data.labels == ("0", "1")
    assert cfg.data.numeric == ("age", "spend")
    assert cfg.data.categorical == ("sex", "plan")
    assert cfg.data.personal == ("email", "id")
    assert cfg.ingest.test_path is None
    assert cfg.train.mitigation.sensitive_feature == "sex"
    assert cfg.train.hist_gradient_boosting.monotonic_increasing == ()
    assert "robustness.monotonic" not in cfg.checks
    assert "robustness.invariance" not in cfg.checks
    assert cfg.checks["fairness.group_parity"].limits.keys() == {"sex"}  # a default, stated
    assert cfg.checks["data.missing_values"].per_column.keys() == {"plan"}
    text = (template / "params.yaml").read_text()
    assert "Adult" not in text.split("checks:")[0].split("prepare:")[0]
    assert "# Every knob of the pipeline." in text  # the rest of the file, comments included
    assert "${ingest.test_path}" not in (template / "dvc.yaml").read_text()
    assert run(["validate"]) == 0


def test_init_with_a_test_file_keeps_the_dependency(template):
    write_table(template / "data/test.csv", seed=1)
    assert run([*INIT, "--test", "data/test.csv", "--force"]) == 0
    assert load_config("params.yaml").ingest.test_path == "data/test.csv"
    assert "${ingest.test_path}" in (template / "dvc.yaml").read_text()


def test_init_on_a_bad_table_writes_nothing(template, capsys):
    before = (template / "params.yaml").read_bytes()
    assert run(["init", "--data", "data/table.csv", "--target", "age", "--force"]) == 2
    assert "the target 'age' has 62 distinct values" in capsys.readouterr().err
    assert (template / "params.yaml").read_bytes() == before


def test_a_small_table_makes_drift_optional_but_never_performance(template, capsys):
    write_table(template / "data/test.csv", rows=120, seed=1)
    assert run([*INIT, "--test", "data/test.csv", "--force"]) == 0
    out = capsys.readouterr().out
    cfg = load_config("params.yaml")
    assert cfg.checks["drift.psi"].required is False  # needs 500 rows; the test set has 120
    assert cfg.checks["drift.features"].required is True  # needs 30
    assert cfg.checks["performance.metrics"].required is True
    assert "checks.drift.psi: made optional; it needs 500 rows" in out


def test_on_one_file_drift_is_evidence_not_a_verdict(template, capsys):
    assert run([*INIT, "--force"]) == 0
    cfg = load_config("params.yaml")
    drift = [check_id for check_id in cfg.checks if check_id.startswith("drift.")]
    assert drift
    assert all(cfg.checks[check_id].required is False for check_id in drift)
    assert "the test set is a random part of the same file" in capsys.readouterr().out


def test_rows_without_a_label_are_dropped_when_init_finds_them(template, capsys):
    frame = pd.read_csv(template / "data/table.csv")
    frame.loc[[3, 9], "left"] = None
    frame.to_csv(template / "data/table.csv", index=False)
    assert run([*INIT, "--force"]) == 0
    assert "ingest.unlabelled_rows: drop (2 rows have no 'left')" in capsys.readouterr().out
    assert load_config("params.yaml").ingest.unlabelled_rows == "drop"


HOSTILE_NAMES = ("plan: basic", "#tier", "{region}", 'it\'s "quoted"', "two\nlines", "a\x85b")


def test_hostile_names_and_labels_reach_params_yaml_as_they_are_in_the_table(template):
    frame = pd.read_csv(template / "data/table.csv")
    frame.columns = [*HOSTILE_NAMES, "left"]
    frame["left"] = frame["left"].map({0: "no: #0", 1: "yes\x85{1}"})
    frame.to_csv(template / "data/table.csv", index=False)
    assert run(["init", "--data", "data/table.csv", "--target", "left", "--force"]) == 0
    cfg = load_config("params.yaml")
    assert set(cfg.data.numeric) | set(cfg.data.categorical) | set(cfg.data.personal) == set(
        HOSTILE_NAMES
    )
    assert set(cfg.data.labels) == {"no: #0", "yes\x85{1}"}


def test_init_refuses_a_folder_and_a_header_naming_a_column_twice(template, capsys):
    before = (template / "params.yaml").read_bytes()
    assert run(["init", "--data", "data", "--target", "left", "--force"]) == 2
    assert "data is a folder, not a file" in capsys.readouterr().err
    lines = (template / "data/table.csv").read_text().splitlines(True)
    header = lines[0].replace("spend", "age")
    (template / "data/table.csv").write_text(header + "".join(lines[1:]))
    assert run([*INIT, "--force"]) == 2
    assert "data/table.csv: its header names the column 'age' twice" in capsys.readouterr().err
    assert (template / "params.yaml").read_bytes() == before


#: What the template says about Adult, in its params, comments and card text.
ADULT_WORDS = (
    "adult", "census", "1994", "income", "50K", "fnlwgt", "native-country", "education",
    "marital", "occupation", "workclass", "relationship", "race", "over-50s", "women",
)  # fmt: skip


def test_no_sentence_about_adult_survives_init(template):
    assert run([*INIT, "--force"]) == 0
    text = (template / "params.yaml").read_text().lower()
    assert [word for word in ADULT_WORDS if word.lower() in text] == []
    # The generic explanations are kept; only those about the old table went.
    assert "# equalized odds (equal true and false positive rates across groups)" in text
    assert "# a smaller batch is not judged" in text


def test_the_card_is_a_placeholder_that_fails_until_written(template, capsys):
    assert run([*INIT, "--force"]) == 0
    assert "card: every section is a TODO" in capsys.readouterr().out
    cfg = load_config("params.yaml")
    from mlgate.gate.card_completeness import PLACEHOLDER

    sections = cfg.card.model_dump()
    assert all(text.startswith("TODO: ") for text in sections.values())
    # What the card's check looks for: each section keeps `mlgate card` at exit 1.
    assert all(PLACEHOLDER.search(text) for text in sections.values())


def test_fairness_is_judged_at_a_stated_default_with_group_sizes_from_the_table(template, capsys):
    frame = pd.read_csv(template / "data/table.csv")
    rows = 3000
    pd.concat([frame] * (rows // len(frame)), ignore_index=True).to_csv(
        template / "data/table.csv", index=False
    )
    assert run([*INIT, "--force"]) == 0
    out = capsys.readouterr().out
    cfg = load_config("params.yaml")
    parity = cfg.checks["fairness.group_parity"]
    assert parity.limits["sex"].max_equalized_odds_difference == 0.2
    # 0.5·(1.96/0.2)² = 48.02 -> 49 rows of the rarer class; about half the rows are positive.
    positive = frame["left"].mean()
    assert parity.min_group_size == int(np.ceil(49 / min(positive, 1 - positive)))
    assert cfg.checks["performance.slices"].min_group_size == parity.min_group_size
    assert "= 49 rows of the rarer class per group" in out
    assert "sex: 2 groups of about" in out
    assert "2 reach" in out
    assert ": judged" in out
    # Example batches hold half the 600 test rows, and monitoring judges them.
    assert cfg.examples.rows == 300
    assert cfg.monitor.min_rows == 200


def test_init_holds_out_the_smallest_test_share_that_judges_each_sensitive_feature(
    template, capsys
):
    # 600 rows, half positive: a group needs 102 rows. At 0.2 the two sexes hold about 60 test
    # rows each; at 0.3 about 90; at 0.4 about 120.
    assert run([*INIT, "--sensitive", "age", "--force"]) == 0
    out = capsys.readouterr().out
    cfg = load_config("params.yaml")
    assert cfg.ingest.test_size == 0.4
    assert cfg.data.sensitive_bins["age"] == (50.0,)  # quartiles or thirds would be too small
    assert "ingest.test_size: 0.4 (~240 test rows); age in 2 groups" in out
    assert "fair model passes only about half the time" in out
    assert "sex: 2 groups of about 124, 116 test rows; 2 reach 102: judged" in out
    assert cfg.examples.rows == 120  # half the 240 test rows
    assert cfg.monitor.min_rows == 120  # not the template's 200: every batch would skip
    assert "monitor.min_rows: 120 (the example batches hold 120 rows; 200 would" in out


def test_on_a_small_table_init_says_fairness_cannot_be_judged(template, capsys):
    write_table(template / "data/table.csv", rows=200)
    assert run([*INIT, "--force"]) == 0
    out = capsys.readouterr().out
    assert "no split up to half the rows gives two groups" in out
    assert "0 reach" in out
    assert "fewer than two can be judged" in out
    cfg = load_config("params.yaml")
    assert cfg.ingest.test_size == 0.2  # holding out more would judge nothing more


def test_without_a_sensitive_feature_the_fairness_checks_go_with_a_reason(template, capsys):
    assert run(["init", "--data", "data/table.csv", "--target", "left", "--force"]) == 0
    out = capsys.readouterr().out
    cfg = load_config("params.yaml")
    assert "fairness.group_parity" not in cfg.checks
    assert "performance.slices" not in cfg.checks
    assert "checks.fairness.group_parity: removed (no --sensitive feature)" in out


def test_empty_and_constant_columns_are_left_out_with_a_message(template, capsys):
    frame = pd.read_csv(template / "data/table.csv")
    frame["notes"] = None
    frame["country"] = "NL"
    frame["flag"] = np.where(np.arange(len(frame)) % 3 == 0, "Y", None)  # present or not: kept
    frame.to_csv(template / "data/table.csv", index=False)
    assert run([*INIT, "--force"]) == 0
    out = capsys.readouterr().out
    assert "notes: not an input (every value is missing)" in out
    assert "country: not an input (one value on every row)" in out
    cfg = load_config("params.yaml")
    assert "notes" not in cfg.data.features
    assert "country" not in cfg.data.features
    assert "flag" in cfg.data.categorical


def test_a_coarse_table_and_a_rare_outcome_get_limits_they_meet_with_a_margin(template, capsys):
    frame = pd.read_csv(template / "data/table.csv")
    pd.concat([frame, frame.iloc[:30]]).to_csv(template / "data/table.csv", index=False)
    assert run([*INIT, "--force"]) == 0
    assert load_config("params.yaml").checks["data.duplicates"].max_duplicate_rate == 0.07
    assert "(4.8% of the table's rows repeat an earlier one" in capsys.readouterr().out
    rng = np.random.default_rng(2)
    rows = 1500
    pd.DataFrame(
        {
            "sex": rng.choice(["f", "m"], rows),
            "cabin_class": rng.choice(["1", "2", "3"], rows).astype(object) + "st",
            "claimed": np.where(rng.random(rows) < 0.06, "yes", "no"),
        }
    ).to_csv(template / "data/table.csv", index=False)
    assert run(["init", "--data", "data/table.csv", "--target", "claimed", "--force"]) == 0
    out = capsys.readouterr().out
    cfg = load_config("params.yaml")
    # 12 distinct rows: nearly every row repeats an earlier one, as different people do here.
    assert "data.duplicates" not in cfg.checks
    assert "its columns cannot tell rows apart, so a repeat says nothing" in out
    minority = cfg.checks["data.label_balance"].min_minority_rate
    assert 0.02 <= minority <= 0.04  # half the table's ~6%
    assert "(half the table's" in out
