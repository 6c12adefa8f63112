from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlgate.gate.decide import Fingerprint, GateConfig, decide

NOW = Fingerprint(model_sha256="m" * 64, data_sha256={"train": "t", "test": "u"}, params_sha256="p")
POLICY = GateConfig(allow_skip=("comparison.champion",))


def evidence(*results, **provenance):
    base = {
        "model_sha256": "m" * 64,
        "data_sha256": {"train": "t", "test": "u"},
        "params_sha256": "p",
    }
    return {"provenance": {**base, **provenance}, "results": list(results)}


def r(check_id, status, required=True):
    return {
        "id": check_id,
        "status": status,
        "required": required,
        "summary": f"{check_id} said {status}",
    }


def test_promotes_when_every_required_check_passes():
    decision = decide(
        evidence(r("data.schema", "pass"), r("drift.psi", "warn")), NOW, policy=POLICY
    )
    assert decision.promote
    assert decision.reasons == []
    assert decision.counts == {"pass": 1, "warn": 1}
    assert decision.judged["model_sha256"] == NOW.model_sha256


@pytest.mark.parametrize("status", ["fail", "error"])
def test_a_required_failure_or_error_rejects(status):
    decision = decide(
        evidence(r("data.schema", "pass"), r("drift.features", status)), NOW, policy=POLICY
    )
    assert not decision.promote
    assert decision.reasons == [f"drift.features {status}: drift.features said {status}"]


def test_an_optional_failure_does_not_reject():
    assert decide(
        evidence(r("a.b", "pass"), r("c.d", "fail", required=False)), NOW, policy=POLICY
    ).promote


def test_a_required_skip_rejects_unless_allowed():
    skipped = decide(
        evidence(r("a.b", "pass"), r("performance.metrics", "skip")), NOW, policy=POLICY
    )
    assert not skipped.promote
    assert "could not judge (skip) and is required" in skipped.reasons[0]
    allowed = decide(
        evidence(r("a.b", "pass"), r("comparison.champion", "skip")), NOW, policy=POLICY
    )
    assert allowed.promote


def test_missing_evidence_rejects():
    decision = decide(None, NOW, policy=POLICY, evidence_problem="no usable evidence: not found")
    assert not decision.promote
    assert decision.reasons == ["no usable evidence: not found"]


@pytest.mark.parametrize(
    ("provenance", "reason"),
    [
        (
            {"model_sha256": "x" * 64},
            "stale evidence: reports/checks.json judged model xxxxxxxxxxxx",
        ),
        ({"data_sha256": {"train": "t", "test": "old"}}, "stale evidence: test changed"),
        ({"params_sha256": "old"}, "the checks' params changed"),
    ],
)
def test_stale_evidence_rejects(provenance, reason):
    decision = decide(evidence(r("a.b", "pass"), **provenance), NOW, policy=POLICY)
    assert not decision.promote
    assert any(reason in text for text in decision.reasons)


def test_no_model_rejects():
    now = Fingerprint(model_sha256=None, data_sha256={}, params_sha256="p")
    assert not decide(evidence(r("a.b", "pass")), now, policy=POLICY).promote


def test_empty_or_malformed_results_reject():
    assert not decide(evidence(), NOW, policy=POLICY).promote
    assert not decide({"provenance": {}, "results": "all good"}, NOW, policy=POLICY).promote
    assert not decide(evidence(r("a.b", "pass"), r("c.d", "great")), NOW, policy=POLICY).promote


statuses = st.sampled_from(["pass", "warn", "fail", "error", "skip", "unknown"])
results = st.lists(
    st.builds(
        r,
        st.sampled_from(["data.x", "drift.y", "comparison.champion", "perf.z"]),
        statuses,
        st.booleans(),
    ),
    max_size=12,
)


@given(results=results)
def test_never_promotes_past_a_required_failure(results):
    decision = decide(evidence(*results), NOW, policy=POLICY)
    blocked = any(x["required"] and x["status"] in ("fail", "error", "unknown") for x in results)
    if blocked or not results:
        assert not decision.promote
    if decision.promote:
        assert all(
            x["status"] in ("pass", "warn") or not x["required"] or x["id"] == "comparison.champion"
            for x in results
        )
