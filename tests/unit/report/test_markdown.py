"""The pull-request report as a whole: verdict first, every status shown, always postable."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from mlgate.report.blocks import Figures
from mlgate.report.markdown import MAX_CHARS, render_report
from tests.unit.report import builders as b
from tests.unit.report.markup import live_markup, shown_text


def rejected(**changes):
    auc = b.result(
        "performance.metrics.roc_auc", "fail", "roc_auc 0.71 (95% CI 0.69–0.73); must be ≥ 0.9."
    )
    changes.setdefault("checks", b.checks(b.result("data.schema"), auc, b.result("drift.psi")))
    return b.complete(
        gate=b.gate(
            "reject",
            "performance.metrics.roc_auc fail: roc_auc 0.71 (95% CI 0.69–0.73); must be ≥ 0.9.",
            "stale evidence: the check code changed since the checks ran",
        ),
        **changes,
    )


def test_the_verdict_comes_first():
    text = render_report(b.complete(), None, figures=b.NO_FIGURES)
    assert text.startswith("## ✅ mlgate: promote")
    reject = render_report(rejected(), None, figures=b.NO_FIGURES)
    verdict = reject.split("### Metrics")[0]
    assert verdict.startswith("## ❌ mlgate: reject")
    # A reason about a listed check is said once, with the check; the others in the head.
    assert "- stale evidence: the check code changed since the checks ran" in verdict
    assert "- performance.metrics.roc_auc fail" not in verdict
    assert "- ❌ `performance.metrics.roc_auc`: roc\\_auc 0.71" in verdict


def test_no_gate_decision_is_never_shown_as_a_pass():
    current = b.complete(gate=None, missing=("reports/gate.json",))
    text = render_report(current, None, figures=b.NO_FIGURES)
    assert text.startswith("## ❓ mlgate: no gate decision")
    assert "not promoted" in text
    assert "Missing in this branch: `reports/gate.json`" in text


def test_missing_checks_are_said_not_hidden():
    text = render_report(b.complete(checks=None), None, figures=b.NO_FIGURES)
    assert "`reports/checks.json` is missing: no check evidence." in text
    assert "### Checks" not in text


def test_warnings_are_counted_listed_and_shown_like_every_other_status():
    psi = b.result("drift.psi", "warn", "Largest PSI 0.140 (age); limit 0.25, warning above 0.1.")
    current = b.complete(checks=b.checks(b.result("data.schema"), b.result("drift.features"), psi))
    text = render_report(current, None, figures=b.NO_FIGURES)
    verdict = text.split("### Metrics")[0]
    assert "✅ 2 passed · ⚠️ 1 warned · ❌ 0 failed · 💥 0 errors · ⏭️ 0 skipped" in verdict
    assert "- ⚠️ `drift.psi`: Largest PSI 0.140" in verdict
    assert "<summary><b>drift</b> ⚠️1 ✅1</summary>" in text
    assert "| ⚠️ | `drift.psi` |" in text
    assert "⚠️ `drift.psi`: Largest PSI" in text.split("### Drift")[1]


def test_checks_are_grouped_by_suite_with_failures_open():
    text = render_report(rejected(), None, figures=b.NO_FIGURES)
    suites = dict(
        (name, bool(opened))
        for opened, name in re.findall(r"<details( open)?><summary><b>(\w+)</b>", text)
    )
    assert suites == {"data": False, "performance": True, "drift": False}
    assert "| ❌ | `performance.metrics.roc_auc` |" in text


def test_figures_are_linked_or_embedded():
    figures = {"roc.png": "report/roc.png"}
    linked = render_report(b.complete(), None, figures=Figures(figures, embed=False))
    assert "[roc.png](report/roc.png)" in linked
    assert "![" not in linked
    embedded = render_report(b.complete(), None, figures=Figures(figures, embed=True))
    assert "![roc.png](report/roc.png)" in embedded


def test_the_report_is_deterministic():
    first = render_report(b.complete(), b.complete("main"), figures=b.NO_FIGURES, title="#7: x")
    second = render_report(b.complete(), b.complete("main"), figures=b.NO_FIGURES, title="#7: x")
    assert first == second


def test_a_huge_report_is_cut_to_fit_a_comment_but_keeps_its_verdict():
    features = {f"feature_{i:05d}": b.feature_test(0.5) for i in range(4000)}
    huge = rejected(checks=b.checks(b.result("data.schema", "fail"), *b.drift(features)))
    text = render_report(huge, None, figures=b.NO_FIGURES)
    assert len(text) <= MAX_CHARS
    assert text.startswith("## ❌ mlgate: reject")
    assert "`data.schema`" in text.split("###")[0]
    assert "left out to stay under GitHub's comment limit" in text
    assert "### Metrics" in text  # summaries outlive the detail
    small = render_report(huge, None, figures=b.NO_FIGURES, max_chars=3_000)
    assert len(small) <= 3_000
    assert small.startswith("## ❌ mlgate: reject")
    tiny = render_report(huge, None, figures=b.NO_FIGURES, max_chars=40)
    assert len(tiny) <= 40
    assert tiny.startswith("## ❌")


def test_the_title_comes_right_under_the_heading():
    current = b.complete(checks=b.checks(b.result("x.y", "warn")))
    text = render_report(current, None, figures=b.NO_FIGURES, title="#7: a change")
    # "#7" shows as written, and refers to no issue (a zero-width space after the "#").
    assert text.startswith(
        "## ✅ mlgate: promote\n\n<sub>\\#\u200b7: a change</sub>\n\nEvery required"
    )


def test_a_pull_request_title_cannot_inject_markup():
    title = "#7: $(touch pwned) `rm -rf /` <img src=x onerror=alert(1)> [x](http://evil) @team"
    text = render_report(b.complete(), None, figures=b.NO_FIGURES, title=title)
    line = next(line for line in text.splitlines() if line.startswith("<sub>\\#"))
    assert "<img" not in line
    assert "](http" not in line
    assert " @team" not in line
    assert "\\`rm -rf /\\`" in line
    assert live_markup(line) == []
    assert shown_text(line).strip() == title


@given(st.text(max_size=200))
def test_titles_are_shown_as_text_never_as_markup(title):
    text = render_report(b.evidence(), None, figures=b.NO_FIGURES, title=title)
    shown = text.split("<sub>", 1)[1].split("</sub>", 1)[0] if title.strip() else ""
    assert "\n" not in shown
    assert "<" not in shown
    assert ">" not in shown
    # Every markdown-active character is escaped.
    assert not re.search(r"(?<!\\)[`*_\[\]()#!|~$]", shown.replace("\\\\", ""))
    assert live_markup(text) == []
