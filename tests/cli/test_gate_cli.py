"""``mlgate gate`` on real evidence: promote, and reject on each way evidence can fail."""

from __future__ import annotations

import json

import pytest

from tests.cli.conftest import run


def relaxed(params: str) -> str:
    """The small project's model is weaker than the Adult one: relax the limits so that its
    evidence passes, then break the evidence in each test."""
    text = params.replace(
        "min: {roc_auc: 0.9, accuracy: 0.85, balanced_accuracy: 0.75}", "min: {roc_auc: 0.7}"
    )
    text = text.replace("max: {log_loss: 0.32, brier_score: 0.1}", "max: {log_loss: 0.6}")
    text = text.replace("min_value: 0.8", "min_value: 0.5")
    return text.replace(
        "sex: {max_equalized_odds_difference: 0.15}", "sex: {max_equalized_odds_difference: 0.5}"
    )


@pytest.fixture
def checked(built_projects, tmp_path, monkeypatch):
    stages = ("ingest", "prepare", "train", "evaluate", "explain", "check")
    project = built_projects(stages, tmp_path / "project", setup=relaxed)
    monkeypatch.chdir(project)
    return project


def gate(project):
    code = run(["gate"])
    return code, json.loads((project / "reports/gate.json").read_text())


def test_promotes_current_passing_evidence(checked):
    code, decision = gate(checked)
    assert (code, decision["decision"]) == (0, "promote")
    assert decision["format"] == {"name": "mlgate.gate", "version": 1}
    assert decision["mlgate_version"]
    assert decision["judged"]["model_sha256"]


def test_rejects_a_failing_required_check(checked):
    evidence = json.loads((checked / "reports/checks.json").read_text())
    evidence["results"][0]["status"] = "fail"
    (checked / "reports/checks.json").write_text(json.dumps(evidence))
    code, decision = gate(checked)
    assert (code, decision["decision"]) == (1, "reject")
    assert decision["reasons"][0].startswith(evidence["results"][0]["id"] + " fail")


def test_rejects_an_erroring_check(checked):
    evidence = json.loads((checked / "reports/checks.json").read_text())
    evidence["results"][3]["status"] = "error"
    (checked / "reports/checks.json").write_text(json.dumps(evidence))
    assert gate(checked)[0] == 1


def test_rejects_stale_evidence_when_the_model_changes(checked):
    params = checked / "params.yaml"
    params.write_text(params.read_text().replace("max_iter: 15", "max_iter: 16"))
    assert run(["train"]) == 0
    code, decision = gate(checked)
    assert code == 1
    assert any("stale evidence" in reason for reason in decision["reasons"])


def test_rejects_missing_evidence(checked, capsys):
    (checked / "reports/checks.json").unlink()
    code, decision = gate(checked)
    assert code == 1
    assert "no usable evidence" in decision["reasons"][0]
    assert "REJECT" in capsys.readouterr().out


def test_rejects_unreadable_evidence(checked):
    (checked / "reports/checks.json").write_text("{not json")
    assert gate(checked)[0] == 1


def test_no_fail_records_the_decision_and_exits_0(checked):
    (checked / "reports/checks.json").unlink()
    assert run(["gate", "--no-fail"]) == 0
    assert json.loads((checked / "reports/gate.json").read_text())["decision"] == "reject"


def edit_evidence(project, change) -> None:
    path = project / "reports/checks.json"
    evidence = json.loads(path.read_text())
    change(evidence)
    path.write_text(json.dumps(evidence))


def test_rejects_evidence_with_every_record_but_one_deleted(checked):
    edit_evidence(checked, lambda e: e.update(results=e["results"][:1]))
    code, decision = gate(checked)
    assert (code, decision["decision"]) == (1, "reject")
    assert (
        "evidence incomplete: no result for drift.features, which params.yaml configures"
        in (decision["reasons"])
    )


def test_rejects_a_failing_required_check_edited_to_optional(checked):
    def demote(evidence):
        record = next(r for r in evidence["results"] if r["id"] == "drift.features")
        record.update(status="fail", required=False)
        evidence["blocking"] = []

    edit_evidence(checked, demote)
    code, decision = gate(checked)
    assert (code, decision["decision"]) == (1, "reject")
    assert any(reason.startswith("drift.features fail") for reason in decision["reasons"])


def test_rejects_non_object_records_and_unknown_statuses_without_crashing(checked):
    def corrupt(evidence):
        evidence["results"][0]["status"] = "passed"
        evidence["results"].append("pass")

    edit_evidence(checked, corrupt)
    code, decision = gate(checked)
    assert code == 1
    assert any("is not an object" in reason for reason in decision["reasons"])
    assert any("has status 'passed'" in reason for reason in decision["reasons"])


def test_rejects_evidence_made_by_other_check_code(checked):
    edit_evidence(checked, lambda e: e["provenance"].update(code_sha256="0" * 64))
    code, decision = gate(checked)
    assert code == 1
    assert "stale evidence: the check code changed since the checks ran" in decision["reasons"]


@pytest.fixture
def recorded(tmp_path, monkeypatch, project_root):
    """A project whose reports/gate.json records a rejection (nothing else is needed to show it)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "params.yaml").write_text((project_root / "params.yaml").read_text())
    (tmp_path / "reports").mkdir()
    document = {
        "decision": "reject",
        "reasons": ["performance.metrics.roc_auc failed: 0.81 < 0.9"],
        "judged": {
            "model_sha256": "a" * 64,
            "data_sha256": {"data/ingested/train.parquet": "b" * 64},
            "params_sha256": "c" * 64,
            "code_sha256": "d" * 64,
        },
        "counts": {"pass": 29, "fail": 1},
        "format": {"name": "mlgate.gate", "version": 1},
        "mlgate_version": "0.1.0",
    }
    (tmp_path / "reports/gate.json").write_text(json.dumps(document))
    return tmp_path


def test_show_prints_the_recorded_decision_and_writes_nothing(recorded, capsys):
    """`make repro` on a fresh clone runs no stage (the evidence is current): it shows this."""
    before = {p: p.read_bytes() for p in recorded.rglob("*") if p.is_file()}
    assert run(["gate", "--show"]) == 0  # a print, not a verdict to enforce
    out = capsys.readouterr().out
    assert out.startswith("gate: REJECT (recorded in reports/gate.json: 29 pass, 1 fail)\n")
    assert "  - performance.metrics.roc_auc failed: 0.81 < 0.9\n" in out
    assert {p: p.read_bytes() for p in recorded.rglob("*") if p.is_file()} == before


def test_show_without_a_recorded_decision_says_how_to_make_one(recorded, capsys):
    (recorded / "reports/gate.json").unlink()
    assert run(["gate", "--show"]) == 2
    assert "reports/gate.json not found. Run the stage that writes it" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"decision": "maybe"},
            "reports/gate.json is not a valid mlgate.gate version 1 file: decision: Input "
            "should be 'promote' or 'reject'. Run the gate again (dvc repro, or mlgate gate).",
        ),
        ({"reasons": "none"}, "reasons: Input should be a valid list"),
        (
            {"format": {"name": "mlgate.gate", "version": 0}},
            "reports/gate.json is in mlgate.gate version 0, written by an earlier mlgate; this "
            "mlgate reads version 1 only. Run the gate again",
        ),
    ],
)
def test_show_names_what_is_wrong_in_a_recorded_decision(recorded, capsys, change, message):
    document = json.loads((recorded / "reports/gate.json").read_text()) | change
    (recorded / "reports/gate.json").write_text(json.dumps(document))
    assert run(["gate", "--show"]) == 2
    assert message in capsys.readouterr().err


def test_make_repro_prints_the_verdict_after_the_pipeline(project_root):
    import shutil
    import subprocess

    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    planned = subprocess.run(
        ["make", "--dry-run", "--no-print-directory", "repro"],
        cwd=project_root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert planned[-2:] == ["dvc repro", "mlgate gate --show"]
