"""Each block of the report, from evidence built in the test."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from mlgate.report.format import BASELINE_COLOUR, BRANCH_COLOUR, decimal
from mlgate.report.markdown import render_report
from mlgate.report.sections.curves import confusion_counts, curve_blocks, resample_curve
from mlgate.report.sections.drift import drift_blocks
from mlgate.report.sections.fairness import fairness_blocks
from mlgate.report.sections.metrics import metrics_blocks
from mlgate.report.sections.params import params_blocks
from mlgate.report.sections.verdict import verdict_blocks
from tests.unit.report import builders as b
from tests.unit.report.markup import shown_text


def text_of(blocks) -> str:
    return "\n\n".join(block.text for block in blocks)


def row_of(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


# --- metrics and verdict -----------------------------------------------------------------------


def with_champion(differences, *, p_value=0.003, decision="promote", **results):
    found = [b.result("data.schema"), *b.champion(differences, p_value=p_value), *results.values()]
    return b.complete(gate=b.gate(decision), checks=b.checks(*found))


def test_metrics_sit_beside_the_baseline_with_the_checks_significance():
    current = with_champion(
        {"roc_auc": (0.0123, 0.008, 0.016), "log_loss": (0.02, -0.01, 0.05)},
        p_value=0.0004,
    )
    current.files["metrics"].update(roc_auc=0.9383, log_loss=0.30)
    baseline = b.complete("main (abc1234)")
    text = text_of(metrics_blocks(current, baseline))
    auc = row_of(text, "| ROC AUC |")
    assert auc.startswith("| ROC AUC | 0.9383 | 0.9260 | +0.0123 |")
    assert "🟢 **yes, better** (CI +0.0080 to +0.0160)" in auc
    assert row_of(text, "| Log loss |").endswith("| +0.0220 | no (CI −0.0100 to +0.0500) |")
    assert row_of(text, "| Precision |").endswith("| not tested |")
    assert "| main \\(abc1234\\) |" in text.splitlines()[2]  # reads "main (abc1234)"


def test_accuracy_shows_the_p_value_the_check_decided_with():
    current = with_champion({"accuracy": (-0.002, -0.004, 0.001)}, p_value=0.0123)
    text = text_of(metrics_blocks(current, b.complete("main")))
    accuracy = row_of(text, "| Accuracy |")
    # The recorded one-sided p, and no other p-value for the same comparison.
    assert accuracy.endswith("; McNemar one-sided p = 0.0123 |")
    assert len(re.findall(r"\bp = ", accuracy)) == 1
    assert "one-sided" in text.split("Significant:")[1]


def test_without_a_champion_the_reason_is_given():
    skipped = b.result("comparison.champion", "skip", "Not judged: the model at main is this one.")
    current = b.complete(checks=b.checks(skipped))
    text = text_of(metrics_blocks(current, None))
    assert "Significance not tested: the model at main is this one." in text


def test_a_promotion_says_which_metric_is_significantly_worse_and_what_allowed_it():
    f1_limit = b.result("performance.metrics.f1", threshold=0.65)
    current = with_champion(
        {"f1": (-0.012, -0.02, -0.005), "roc_auc": (0.001, -0.002, 0.004)}, f1=f1_limit
    )
    verdict = text_of(verdict_blocks(current, b.complete("main")))
    line = row_of(verdict, "> ⚠️ **F1 is significantly worse")
    assert "than `main`** (change −0.0120, CI −0.0200 to −0.0050), yet promoted" in line
    assert "`performance.metrics.f1` ✅ pass (threshold 0.65)" in line
    assert "ROC AUC is significantly" not in verdict
    rejected = with_champion({"f1": (-0.012, -0.02, -0.005)}, decision="reject")
    assert "significantly worse" not in text_of(verdict_blocks(rejected, None))


def test_a_worse_metric_no_check_holds_says_so():
    current = with_champion({"brier_score": (0.01, 0.004, 0.02)})
    verdict = text_of(verdict_blocks(current, None))
    assert "Brier score is significantly worse" in verdict
    assert "no check holds Brier score to a limit against the champion" in verdict


# --- fairness ----------------------------------------------------------------------------------


def test_groups_follow_the_recorded_order_and_small_groups_read_as_text():
    age = b.parity(
        "age",
        {
            "25–45": b.group(8140, 0.2, 0.62, 0.06, 0.86),
            "45–65": b.group(4528, 0.33, 0.72, 0.12, 0.82),
            "< 25": b.group(2862, 0.005, 0.4, -0.0, 0.99),
        },
        order=["< 25", "25–45", "45–65"],
        insufficient={"≥ 90": 12, "Other": {"n": 135, "positives": 25}},
    )
    text = text_of(fairness_blocks(b.complete(checks=b.checks(age))))
    rows = [line.split(" | ")[0] for line in text.splitlines() if line.startswith("| ")]
    assert rows[:4] == ["| Group", "| ---", "| &lt; 25", "| 25–45"]
    assert "Too small to judge: ≥ 90 (12 rows), Other (135 rows)." in text
    assert "{" not in text.split("```mermaid")[0]
    assert "-0" not in text
    assert "−0.000" not in text
    chart = text.split("```mermaid")[1]
    assert '"selected · under 25"' in chart
    assert chart.index("under 25") < chart.index("25–45") < chart.index("45–65")
    assert "&lt;" not in chart
    assert "<" not in chart.replace("-->", "")


def test_without_a_recorded_order_the_evidence_order_is_kept():
    sex = b.parity(
        "sex", {"Male": b.group(9, 0.2, 0.6, 0.1, 0.8), "Female": b.group(9, 0.1, 0.6, 0, 1)}
    )
    text = text_of(fairness_blocks(b.complete(checks=b.checks(sex))))
    assert text.index("| Male |") < text.index("| Female |")


def test_disparities_sit_beside_the_baseline():
    groups = {"a": b.group(10, 0.2, 0.6, 0.1, 0.8), "b": b.group(10, 0.3, 0.7, 0.1, 0.8)}
    behind = {"rate": "false_negative_rate", "highest": "a", "lowest": "b"}
    now = b.parity(
        "sex",
        groups,
        disparities={
            "demographic_parity_difference": {"value": 0.2},
            "false_negative_rate_difference": {"value": 0.1, **behind},
        },
    )
    before = b.parity("sex", groups, disparities={"demographic_parity_difference": {"value": 0.1}})
    text = text_of(
        fairness_blocks(
            b.complete(checks=b.checks(now)), b.complete("main", checks=b.checks(before))
        )
    )
    assert "| Disparity | This branch | Behind it | main |" in text
    # Evidence of an earlier mlgate names no groups behind a disparity: a dash, not a guess.
    assert "| demographic parity difference | 0.200 | – | 0.100 |" in text
    assert "| false negative rate difference | 0.100 | FNR: a 0.400 vs b 0.300 | – |" in text
    chart = text.split("```mermaid")[1]
    assert '"FPR · a"' in chart
    assert '"FNR · b"' in chart


# --- drift -------------------------------------------------------------------------------------


def test_drift_names_what_changed_against_the_baseline():
    now = b.drift(
        {"age": b.feature_test(0.001, drifted=True), "sex": b.feature_test(0.9)}, {"age": 0.3}
    )
    before = b.drift(
        {"age": b.feature_test(0.5), "sex": b.feature_test(0.001, drifted=True)}, {"age": 0.02}
    )
    current, baseline = (
        b.complete(checks=b.checks(*now)),
        b.complete("main", checks=b.checks(*before)),
    )
    text = text_of(drift_blocks(current, baseline))
    assert "Against `main`: newly drifted: **age**; no longer drifted: sex." in text
    assert "| Corrected p, main | PSI, main |" in text
    assert "| **age** | ks | 0.1 | 0.001 | 0.013 | 0.3 | 1 | 0.02 |" in text
    assert "Against" not in text_of(drift_blocks(current, None))


# --- params ------------------------------------------------------------------------------------


def test_params_that_differ_from_the_baseline_are_listed():
    current = b.complete(
        params={"train": {"learning_rate": 0.05, "max_iter": 200, "bins": [25, 45]}, "new": True}
    )
    baseline = b.complete("main", params={"train": {"learning_rate": 0.1, "max_iter": 200}})
    text = text_of(params_blocks(current, baseline))
    assert "3 param(s) of `params.yaml` differ from `main`" in text
    assert "| `train.learning_rate` | `0.1` | `0.05` |" in text
    assert "| `train.bins` | <sub>absent</sub> | `[25, 45]` |" in text
    assert "| `new` | <sub>absent</sub> | `true` |" in text
    assert "max_iter" not in text
    same = b.complete("main", params=current.get("params"))
    assert "is the same as at `main`" in text_of(params_blocks(current, same))
    assert params_blocks(current, None) == []
    assert "No `params.yaml` to compare" in text_of(params_blocks(current, b.complete(params=None)))


def test_a_param_value_with_markup_is_shown_literally():
    current = b.complete(params={"data": {"positive_label": ">50K|x"}})
    baseline = b.complete("main", params={"data": {"positive_label": "<=50K"}})
    text = text_of(params_blocks(current, baseline))
    # A code span cannot hold a pipe in a table: that value is escaped text in <code>.
    assert "| `data.positive_label` | `<=50K` | <code>&gt;50K\\|x</code> |" in text
    assert ">50K|x" in shown_text(text)


# --- curves ------------------------------------------------------------------------------------


def test_curves_have_fixed_colours_and_a_legend():
    current, baseline = b.complete(), b.complete("main (abc1234)", roc=b.roc(0.3))
    text = text_of(curve_blocks(current, baseline, figures=b.NO_FIGURES))
    assert "🟦 this branch · 🟧 `main (abc1234)`" in text
    roc = text.split('title "ROC curve"')[0].rsplit("```mermaid", 1)[1]
    assert f'"plotColorPalette": "{BASELINE_COLOUR}, {BRANCH_COLOUR}"' in roc
    chart = text.split('title "ROC curve"')[1].split("```")[0]
    lines = re.findall(r"line \[(.*)\]", chart)
    assert len(lines) == 2  # the baseline first, this branch drawn over it
    grid = [i / 20 for i in range(21)]
    assert lines[1] == ", ".join(decimal(v) for v in resample_curve(b.roc(), "fpr", "tpr", grid))
    alone = text_of(curve_blocks(current, None, figures=b.NO_FIGURES))
    assert f'"plotColorPalette": "{BRANCH_COLOUR}"' in alone
    assert "🟧" not in alone
    assert "(no baseline)" in alone
    assert "**Confusion matrix** (test set; `main (abc1234)` in brackets)" in text


def test_curves_are_resampled_onto_the_grid():
    points = [{"fpr": 0.0, "tpr": 0.0}, {"fpr": 0.5, "tpr": 0.9}, {"fpr": 1.0, "tpr": 1.0}]
    assert resample_curve(points, "fpr", "tpr", [0.0, 0.25, 0.5, 1.0]) == [0.0, 0.45, 0.9, 1.0]


def test_confusion_counts_from_dvc_records():
    records = [{"actual": "a", "predicted": "b"}] * 3 + [{"actual": "b", "predicted": "b"}]
    assert confusion_counts(records) == {("a", "b"): 3, ("b", "b"): 1}
    assert confusion_counts([]) is None


def test_every_section_is_there_with_a_baseline():
    text = render_report(b.complete(), b.complete("main"), figures=b.NO_FIGURES)
    for heading in (
        "### Metrics",
        "### What changed",
        "### Checks",
        "### Fairness",
        "### Drift",
        "### What the model relies on (SHAP)",
        "### Curves",
    ):
        assert heading in text


def test_evidence_of_0_1_0_with_text_in_its_metrics_still_renders():
    """Before metrics files held numbers only, the SHAP unit and the mitigation were in them."""
    from mlgate.report.sections.importance import shap_unit
    from mlgate.report.sections.mitigation import mitigation_params

    old = b.complete(
        "main (0.1.0)",
        importance={"mean_abs_shap": {"age": 1.0}, "output": "probability"},
        shap_method=None,
        fairness={"mitigation": {"method": "threshold_optimizer"}, "models": {}},
        params=None,
    )
    assert shap_unit(old) == "probability"
    assert mitigation_params(old) == {"method": "threshold_optimizer"}
    new = b.complete(params={"train": {"mitigation": {"method": "none"}}})
    assert shap_unit(new) == "log-odds"
    assert mitigation_params(new) == {"method": "none"}


def test_evidence_of_another_format_version_is_shown_and_said_so():
    from mlgate.checks.evidence_schema import EVIDENCE_FORMAT
    from mlgate.report.sections.params import provenance_blocks

    current = b.complete()
    checks = dict(current.get("checks"), format=dict(EVIDENCE_FORMAT))
    assert b.complete(checks=checks).format_note() is None
    old = b.complete("main (abc1234)", checks={**checks, "format": None})
    newer = b.complete(
        "main (abc1234)", checks={**checks, "format": {**EVIDENCE_FORMAT, "version": 9}}
    )
    assert "no mlgate evidence format" in old.format_note()
    assert "version 9, newer than this mlgate's" in newer.format_note()
    text = "\n".join(block.text for block in provenance_blocks(current, newer))
    assert "main (abc1234): reports/checks.json is in evidence format version 9" in shown_text(text)


def test_each_worse_metric_is_a_paragraph_of_its_own():
    current = with_champion({"f1": (-0.012, -0.02, -0.005), "recall": (-0.01, -0.015, -0.003)})
    verdict = text_of(verdict_blocks(current, b.complete("main")))
    tokens = MarkdownIt("commonmark").parse(verdict)
    quoted = [t for t in tokens if t.type == "paragraph_open" and t.level == 1]
    assert len(quoted) == 2  # without an empty quote line between them, one paragraph
