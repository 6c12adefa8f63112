"""The model card records each input kept by data.target_leakage's allow, with its reason."""

from __future__ import annotations

import pytest

from mlgate.report.card import card_sections
from mlgate.report.evidence import Evidence
from tests.unit.report import builders as b
from tests.unit.report.test_card import PROVENANCE


def sections_with(cfg, details: dict) -> dict[str, str]:
    files = {"checks": b.checks(b.result("data.target_leakage", details=details))}
    return card_sections(cfg, Evidence("this branch", files=files), provenance=PROVENANCE)


def test_an_allowed_input_and_its_reason_are_in_the_training_data_section(cfg):
    allowed = {"prior_score": {"reason": "set at intake, *before* the outcome", "would_flag": True}}
    data = sections_with(cfg, {"allowed": allowed})["Training data"]
    assert "`checks.data.target_leakage.allow`: `prior_score`: set at intake" in data
    assert "*before*" not in data  # the reason is shown as inert text


def test_no_allowed_input_adds_nothing(cfg):
    assert "target_leakage" not in sections_with(cfg, {"allowed": {}})["Training data"]


@pytest.mark.parametrize("details", [["x"], {"allowed": ["prior_score"]}, {"allowed": {"a": 1}}])
def test_malformed_evidence_adds_nothing_and_never_raises(cfg, details):
    assert "target_leakage" not in sections_with(cfg, details)["Training data"]
