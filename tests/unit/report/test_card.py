"""The model card: each Annex IV section filled from the evidence or `card:`, or named missing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlgate.config import CardConfig
from mlgate.gate.card_completeness import ANNEX_IV, card_problems
from mlgate.report.card import card_sections, render_card
from mlgate.report.escape import prose
from mlgate.report.evidence import Evidence
from tests.unit.report import builders as b

PROVENANCE = {
    "model": {"path": "models/model.skops", "sha256": "cd" * 32},
    "data": {"train": {"path": "data/prepared/train.parquet", "sha256": "ef" * 32}},
    "versions": {"mlgate": "0.1.0", "scikit-learn": "1.9.1"},
}


def evidence() -> Evidence:
    results = [
        b.result("performance.metrics.roc_auc", value=0.926, ci_low=0.92, ci_high=0.93),
        b.parity("sex", {"Female": b.group(5421, 0.09, 0.61, 0.02, 0.94)}),
        b.result("drift.psi"),
    ]
    return Evidence(
        "this branch",
        files={
            "checks": b.checks(*results),
            "gate": b.gate("promote"),
            "importance": {"mean_abs_shap": {"age": 0.5, "sex": 0.1}, "rows": 5000},
            "shap_method": {"explainer": "TreeExplainer", "output": "log-odds"},
        },
    )


def with_card(cfg, **text):
    return cfg.model_copy(update={"card": CardConfig(**text)})


def test_the_template_card_is_complete(cfg):
    sections = card_sections(cfg, evidence(), provenance=PROVENANCE)
    assert set(sections) == set(ANNEX_IV)
    assert card_problems(sections) == []
    assert "0.926" in sections["Evaluation"]
    assert "Female" in sections["Fairness"]
    assert "`age`" in sections["Explanations"]
    assert "**promote**" in sections["Gate decision"]
    assert "`drift.psi`" in sections["Gate decision"]
    assert "`drift.psi`" in sections["Monitoring plan"]


def test_empty_text_and_missing_evidence_are_named(cfg):
    sections = card_sections(
        with_card(cfg, owners="  ", intended_use="Scores census rows."),
        Evidence("this branch"),
        provenance={},
    )
    problems = card_problems(sections)
    assert "Owners: empty (Annex IV 1(a))" in problems
    assert not any(p.startswith("Intended use") for p in problems)
    for evidence_section in ("Model details", "Evaluation", "Fairness", "Gate decision"):
        assert any(p.startswith(f"{evidence_section}: empty") for p in problems)


@pytest.mark.parametrize(
    "text", ["TODO: write this", "[More Information Needed]", "tbd", "A placeholder for now."]
)
def test_a_placeholder_is_not_content(cfg, text):
    complete = card_sections(cfg, evidence(), provenance=PROVENANCE)
    problems = card_problems({**complete, "Risks": text})
    assert len(problems) == 1
    assert problems[0].startswith("Risks: a placeholder")


def test_the_rendered_card_says_what_is_missing_and_maps_annex_iv(cfg):
    sections = card_sections(with_card(cfg), evidence(), provenance=PROVENANCE)
    rendered = render_card(cfg.registry.artifact, sections)
    assert "**Incomplete**, so promotion is refused" in rendered
    assert "*Not written.* Set `card.risks` in params.yaml." in rendered
    assert "# EU AI Act, Annex IV" in rendered
    assert "9 post-market monitoring (Art. 72)" in rendered
    assert rendered == render_card(cfg.registry.artifact, sections)  # the same bytes every time


@given(st.text(max_size=200))
def test_any_text_is_content_or_named_under_its_own_section(text):
    problems = card_problems({**dict.fromkeys(ANNEX_IV, "Written."), "Owners": text})
    assert all(problem.startswith("Owners: ") for problem in problems)
    assert len(problems) <= 1
    if not text.strip():
        assert problems == ["Owners: empty (Annex IV 1(a))"]


def test_a_rejection_lists_its_reasons_as_written_and_a_skip_shows_no_empty_table(cfg):
    reason = "fairness.group_parity.sex could not judge (skip) and is required: Not judged."
    unjudged = b.result("fairness.group_parity.sex", "skip", "Not judged: groups too small.")
    rejected = Evidence(
        "this branch",
        files={"checks": b.checks(unjudged), "gate": b.gate("reject", reason)},
    )
    sections = card_sections(cfg, rejected, provenance=PROVENANCE)
    assert sections["Gate decision"].splitlines()[1] == "- " + prose(reason)
    assert ".." not in sections["Gate decision"]
    assert "Not judged: groups too small." in sections["Fairness"]
    assert "| group |" not in sections["Fairness"]
