"""The pull-request report: verdict first, numbers a reviewer can trust, always postable."""

from __future__ import annotations

import copy
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlgate.report.evidence import Evidence, working_tree_evidence
from mlgate.report.markdown import (
    MAX_CHARS,
    Figures,
    confusion_counts,
    mcnemar_two_sided,
    plain_text,
    render_report,
    resample_curve,
)

NO_FIGURES = Figures(links={}, embed=False)


@pytest.fixture(scope="module")
def project_evidence(project_root):
    """The evidence the committed pipeline run recorded (the template's own reports/)."""
    evidence = working_tree_evidence(project_root)
    assert not evidence.missing, evidence.missing
    return evidence


def with_files(evidence: Evidence, label: str | None = None, **changes) -> Evidence:
    files = copy.deepcopy(evidence.files)
    files.update(changes)
    return Evidence(label or evidence.label, files, [])


def rejected(evidence: Evidence) -> Evidence:
    checks = copy.deepcopy(evidence.files["checks"])
    auc = next(r for r in checks["results"] if r["id"] == "performance.metrics.roc_auc")
    auc.update(status="fail", summary="roc_auc 0.71 (95% CI 0.69–0.73); must be ≥ 0.9.")
    checks["counts"] = {"pass": 28, "fail": 1, "skip": 5}
    gate = {
        "decision": "reject",
        "reasons": ["required check performance.metrics.roc_auc failed"],
        "judged": {},
    }
    return with_files(evidence, checks=checks, gate=gate)


def test_the_verdict_comes_first(project_evidence):
    text = render_report(project_evidence, None, figures=NO_FIGURES)
    assert text.startswith("## ✅ mlgate: promote")
    reject = render_report(rejected(project_evidence), None, figures=NO_FIGURES)
    first_lines = reject.split("### Metrics")[0]
    assert first_lines.startswith("## ❌ mlgate: reject")
    assert "- required check performance.metrics.roc_auc failed" in first_lines
    assert "- ❌ `performance.metrics.roc_auc`: roc_auc 0.71" in first_lines


def test_no_gate_decision_is_never_shown_as_a_pass(project_evidence):
    files = {k: v for k, v in project_evidence.files.items() if k != "gate"}
    text = render_report(
        Evidence("this branch", files, ["reports/gate.json"]), None, figures=NO_FIGURES
    )
    assert text.startswith("## ❓ mlgate: no gate decision")
    assert "not promoted" in text
    assert "Missing in this branch: `reports/gate.json`" in text


def test_metrics_sit_beside_the_baseline_with_significance(project_evidence):
    metrics = dict(project_evidence.files["metrics"])
    baseline = with_files(project_evidence, "main (abc1234)", metrics=metrics)
    metrics_now = dict(metrics, roc_auc=metrics["roc_auc"] + 0.0123, log_loss=0.30)
    checks = copy.deepcopy(project_evidence.files["checks"])
    checks["results"].append(
        {
            "id": "comparison.champion.roc_auc",
            "suite": "comparison",
            "status": "pass",
            "summary": "ROC AUC +0.0123 vs main",
            "details": {
                "baseline_rev": "main",
                "differences": {
                    "roc_auc": {
                        "estimate": 0.0123,
                        "ci_low": 0.008,
                        "ci_high": 0.016,
                        "confidence": 0.95,
                    },
                    "log_loss": {
                        "estimate": 0.02,
                        "ci_low": -0.01,
                        "ci_high": 0.05,
                        "confidence": 0.95,
                    },
                },
            },
        }
    )
    current = with_files(project_evidence, metrics=metrics_now, checks=checks)
    text = render_report(current, baseline, figures=NO_FIGURES)
    row = next(line for line in text.splitlines() if line.startswith("| ROC AUC |"))
    assert f"| {metrics_now['roc_auc']:.4f} | {metrics['roc_auc']:.4f} | +0.0123 🟢 |" in row
    assert "**yes, better** (CI +0.0080 to +0.0160)" in row
    log_loss = next(line for line in text.splitlines() if line.startswith("| Log loss |"))
    assert log_loss.endswith("| +0.0217 | no (CI −0.0100 to +0.0500) |")  # no colour
    assert "no (CI −0.0100 to +0.0500)" in log_loss
    assert "| Precision |" in text
    assert "not tested" in text
    assert "compared with `main (abc1234)`" in text.splitlines()[0]


def test_checks_are_grouped_by_suite_with_failures_open(project_evidence):
    text = render_report(rejected(project_evidence), None, figures=NO_FIGURES)
    suites = re.findall(r"<details( open)?><summary><b>(\w+)</b>", text)
    assert [name for _, name in suites][:3] == ["data", "drift", "performance"]
    assert dict((name, bool(opened)) for opened, name in suites)["performance"] is True
    assert dict((name, bool(opened)) for opened, name in suites)["data"] is False
    assert "| ❌ | `performance.metrics.roc_auc` |" in text


def test_fairness_drift_shap_and_curves_are_there(project_evidence):
    baseline = with_files(project_evidence, "main (abc1234)")
    text = render_report(project_evidence, baseline, figures=NO_FIGURES)
    for heading in (
        "### Fairness",
        "### Drift",
        "### What the model relies on (SHAP)",
        "### Curves",
    ):
        assert heading in text
    assert "| Female | 5,421 |" in text
    assert text.count("xychart-beta") >= 6  # three group charts, SHAP, ROC, PR, calibration
    roc = text.split('title "ROC curve"')[1].split("```")[0]
    assert roc.count("    line [") == 2  # this branch and the baseline overlaid
    assert "**Confusion matrix** (test set; `main (abc1234)` in brackets)" in text


def test_figures_are_linked_or_embedded(project_evidence):
    figures = {"roc.png": "report/roc.png"}
    linked = render_report(project_evidence, None, figures=Figures(figures, embed=False))
    assert "[roc.png](report/roc.png)" in linked
    assert "![" not in linked
    embedded = render_report(project_evidence, None, figures=Figures(figures, embed=True))
    assert "![roc.png](report/roc.png)" in embedded


def test_the_report_is_deterministic(project_evidence):
    baseline = with_files(project_evidence, "main (abc1234)")
    first = render_report(project_evidence, baseline, figures=NO_FIGURES, title="#7: a change")
    second = render_report(
        with_files(project_evidence), with_files(baseline), figures=NO_FIGURES, title="#7: a change"
    )
    assert first == second


def test_a_huge_report_is_cut_to_fit_a_comment_but_keeps_its_verdict(project_evidence):
    checks = copy.deepcopy(rejected(project_evidence).files["checks"])
    drift = next(r for r in checks["results"] if r["id"] == "drift.features")
    drift["details"]["features"] = {
        f"feature_{i:05d}": {
            "test": "ks",
            "statistic": 0.1,
            "p_value": 0.5,
            "adjusted_p_value": 1.0,
        }
        for i in range(4000)
    }
    gate = rejected(project_evidence).files["gate"]
    huge = with_files(project_evidence, checks=checks, gate=gate)
    text = render_report(huge, None, figures=NO_FIGURES)
    assert len(text) <= MAX_CHARS
    assert text.startswith("## ❌ mlgate: reject")
    assert "performance.metrics.roc_auc" in text.split("###")[0]
    assert "left out to stay under GitHub's comment limit" in text
    assert "### Metrics" in text  # summaries outlive the detail
    small = render_report(huge, None, figures=NO_FIGURES, max_chars=3_000)
    assert len(small) <= 3_000
    assert small.startswith("## ❌ mlgate: reject")


@given(st.text(max_size=200))
def test_titles_are_shown_as_text_never_as_markup(title):
    shown = plain_text(title)
    assert "\n" not in shown
    assert "<" not in shown
    assert ">" not in shown
    # Every markdown-active character is escaped.
    assert not re.search(r"(?<!\\)[`*_\[\]()#!|~@]", shown.replace("\\\\", ""))


def test_a_pull_request_title_cannot_inject_markup(project_evidence):
    title = "#7: $(touch pwned) `rm -rf /` <img src=x onerror=alert(1)> [x](http://evil) @team"
    text = render_report(project_evidence, None, figures=NO_FIGURES, title=title)
    line = next(line for line in text.splitlines() if line.startswith("<sub>\\#7"))
    assert "<img" not in line
    assert "](http" not in line
    assert " @team" not in line
    assert "\\`rm -rf /\\`" in line


def test_mcnemar_two_sided():
    assert mcnemar_two_sided(0, 0) == 1.0
    assert mcnemar_two_sided(10, 10) == 1.0
    assert mcnemar_two_sided(30, 10) == pytest.approx(mcnemar_two_sided(10, 30))
    assert mcnemar_two_sided(40, 10) < 0.001


def test_curves_are_resampled_onto_the_grid():
    points = [{"fpr": 0.0, "tpr": 0.0}, {"fpr": 0.5, "tpr": 0.9}, {"fpr": 1.0, "tpr": 1.0}]
    assert resample_curve(points, "fpr", "tpr", [0.0, 0.25, 0.5, 1.0]) == [0.0, 0.45, 0.9, 1.0]


def test_confusion_counts_from_dvc_records():
    records = [{"actual": "a", "predicted": "b"}] * 3 + [{"actual": "b", "predicted": "b"}]
    assert confusion_counts(records) == {("a", "b"): 3, ("b", "b"): 1}
    assert confusion_counts([]) is None


def test_chart_numbers_are_plain_decimals(project_evidence):
    checks = copy.deepcopy(project_evidence.files["checks"])
    sex = next(r for r in checks["results"] if r["id"] == "fairness.group_parity.sex")
    sex["details"]["groups"]["Female"]["false_positive_rate"] = 2.1e-05
    text = render_report(with_files(project_evidence, checks=checks), None, figures=NO_FIGURES)
    charts = re.findall(r"```mermaid\n(.*?)```", text, flags=re.S)
    assert charts
    for chart in charts:
        for data in re.findall(r"(?:bar|line) \[(.*?)\]", chart):
            for number in data.split(", "):
                assert re.fullmatch(r"-?\d+(\.\d+)?", number), number


def test_warnings_are_counted_and_shown_like_every_other_status(project_evidence):
    checks = copy.deepcopy(project_evidence.files["checks"])
    psi = next(r for r in checks["results"] if r["id"] == "drift.psi")
    psi.update(status="warn", summary="Largest PSI 0.140 (age); limit 0.25, warning above 0.1.")
    checks["counts"] = {"pass": 28, "warn": 1, "skip": 5}
    text = render_report(with_files(project_evidence, checks=checks), None, figures=NO_FIGURES)
    verdict = text.split("### Metrics")[0]
    assert "✅ 28 passed · ⚠️ 1 warned · ❌ 0 failed" in verdict
    suite = next(line for line in text.splitlines() if "drift" in line and "⚠️1" in line)
    assert "✅3" in suite
    assert "| ⚠️ | `drift.psi` |" in text
