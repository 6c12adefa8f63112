"""The gate's pure decision: what it promotes, and every way evidence makes it reject."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlgate.gate.decide import ExpectedCheck, Fingerprint, GateConfig, decide

FORMAT = {"name": "mlgate.checks", "version": 2}
NOW = Fingerprint(
    model_sha256="m" * 64,
    data_sha256={"train": "t", "test": "u"},
    params_sha256="p",
    code_sha256="c",
    mlgate_version="1.0",
    evidence_format=FORMAT,
)
POLICY = GateConfig(allow_skip=("comparison.champion",))


def check(check_id, *items, required=True, evidence_only=()):
    blocking = {rid: required and rid not in evidence_only for rid in (check_id, *items)}
    return ExpectedCheck(check_id, tuple(items), blocking)


# What params.yaml configures in these tests: two single checks, an itemised one, the champion.
EXPECTED = [
    check("data.schema"),
    check("drift.features"),
    check("performance.metrics", "performance.metrics.roc_auc", "performance.metrics.accuracy"),
    check("comparison.champion", "comparison.champion.accuracy", "comparison.champion.roc_auc"),
]


def r(check_id, status, required=True):
    return {
        "id": check_id,
        "status": status,
        "required": required,
        "summary": f"{check_id} said {status}",
    }


def passing(**override):
    statuses = {
        "data.schema": "pass",
        "drift.features": "warn",
        "performance.metrics.roc_auc": "pass",
        "performance.metrics.accuracy": "pass",
        "comparison.champion": "skip",
        **override,
    }
    return [r(rid, status) for rid, status in statuses.items() if status is not None]


def evidence(*results, fmt=FORMAT, **provenance):
    base = {
        "model_sha256": "m" * 64,
        "data_sha256": {"train": "t", "test": "u"},
        "params_sha256": "p",
        "code_sha256": "c",
        "mlgate_version": "1.0",
    }
    return {"format": fmt, "provenance": {**base, **provenance}, "results": list(results)}


def judge(document, expected=EXPECTED, now=NOW, policy=POLICY):
    return decide(document, now, policy=policy, expected=expected)


def test_promotes_when_every_configured_check_passed():
    decision = judge(evidence(*passing()))
    assert decision.promote, decision.reasons
    assert decision.counts == {"pass": 3, "warn": 1, "skip": 1}
    assert decision.judged["model_sha256"] == NOW.model_sha256


@pytest.mark.parametrize("status", ["fail", "error"])
def test_a_failure_or_error_rejects(status):
    decision = judge(evidence(*passing(**{"drift.features": status})))
    assert not decision.promote
    assert decision.reasons == [f"drift.features {status}: drift.features said {status}"]


def test_required_comes_from_params_not_from_the_evidence():
    """A failing required check edited to ``required: false`` still rejects."""
    results = passing(**{"drift.features": "fail"})
    for record in results:
        record["required"] = False
    assert not judge(evidence(*results)).promote
    optional = [check("data.schema"), check("drift.features", required=False)]
    kept = [x for x in results if x["id"] in ("data.schema", "drift.features")]
    assert judge(evidence(*kept), expected=optional).promote


def test_deleting_records_rejects():
    """Every record but one deleted: each configured check without a result is named."""
    decision = judge(evidence(r("data.schema", "pass")))
    assert not decision.promote
    assert "evidence incomplete: no result for drift.features, which params.yaml configures" in (
        decision.reasons
    )
    one_item_gone = judge(evidence(*passing(**{"performance.metrics.accuracy": None})))
    assert one_item_gone.reasons == [
        "evidence incomplete: no result for performance.metrics.accuracy"
    ]


def test_an_itemised_check_cannot_be_replaced_by_one_pass():
    results = passing(**{"performance.metrics.roc_auc": None, "performance.metrics.accuracy": None})
    decision = judge(evidence(*results, r("performance.metrics", "pass")))
    assert not decision.promote
    assert "reports one pass where params.yaml expects a result per item" in decision.reasons[0]
    # ...but a check that could not run at all says so under its own id: a required skip.
    skipped = judge(evidence(*results, r("performance.metrics", "skip")))
    assert skipped.reasons == [
        "performance.metrics could not judge (skip) and is required: performance.metrics said skip"
    ]


def test_unknown_ids_non_objects_and_unknown_statuses_reject_with_the_reason():
    decision = judge(
        evidence(*passing(), r("made.up", "pass"), "all good", {"status": "pass"}, r("x.y", "ok"))
    )
    assert not decision.promote
    assert "unknown check made.up: params.yaml configures no such check" in decision.reasons
    assert "malformed evidence: result #6 is not an object" in decision.reasons
    assert "malformed evidence: result #7 has no string id" in decision.reasons
    assert any("x.y has status 'ok'" in reason for reason in decision.reasons)
    extra_item = judge(evidence(*passing(), r("performance.metrics.f1", "pass")))
    assert extra_item.reasons == [
        "unknown check performance.metrics.f1: params.yaml expects no such result"
    ]


def test_a_duplicated_result_rejects():
    decision = judge(evidence(*passing(), r("drift.features", "pass")))
    assert "malformed evidence: drift.features has more than one result" in decision.reasons


def test_evidence_only_results_do_not_block():
    items = ("fairness.group_parity.sex", "fairness.group_parity.age")
    expected = [check("fairness.group_parity", *items, evidence_only=(items[1],))]
    ok = evidence(r("fairness.group_parity.sex", "pass"), r("fairness.group_parity.age", "fail"))
    assert judge(ok, expected=expected).promote
    bad = evidence(r("fairness.group_parity.sex", "fail"), r("fairness.group_parity.age", "pass"))
    assert not judge(bad, expected=expected).promote


def test_a_run_in_which_nothing_could_judge_never_promotes():
    expected = [check("comparison.champion", "comparison.champion.accuracy")]
    decision = judge(evidence(r("comparison.champion", "skip")), expected=expected)
    assert decision.reasons == ["no required check could judge: every blocking result was skipped"]
    assert not judge(evidence(), expected=[]).promote


def test_missing_evidence_rejects():
    decision = decide(
        None, NOW, policy=POLICY, expected=EXPECTED, evidence_problem="no usable evidence: gone"
    )
    assert decision.reasons == ["no usable evidence: gone"]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"model_sha256": "x" * 64}, "stale evidence: reports/checks.json judged model xxxxxxxx"),
        ({"data_sha256": {"train": "t", "test": "old"}}, "stale evidence: test changed"),
        ({"params_sha256": "old"}, "the checks' params changed"),
        ({"code_sha256": "other"}, "the check code changed since the checks ran"),
        ({"mlgate_version": "0.9"}, "written by mlgate '0.9', this is '1.0'"),
        ({"code_sha256": None}, "the check code changed"),
    ],
)
def test_stale_evidence_rejects(changes, reason):
    decision = judge(evidence(*passing(), **changes))
    assert not decision.promote
    assert any(reason in text for text in decision.reasons), decision.reasons


@pytest.mark.parametrize("fmt", [None, {"name": "mlgate.checks", "version": 1}, "2"])
def test_evidence_in_another_format_rejects(fmt):
    decision = judge(evidence(*passing(), fmt=fmt))
    assert any("stale evidence: reports/checks.json is in format" in x for x in decision.reasons)


def test_no_model_rejects():
    now = Fingerprint(None, {}, "p", "c", "1.0", FORMAT)
    assert not judge(evidence(*passing()), now=now).promote


def test_malformed_documents_reject_without_raising():
    assert not judge({"format": FORMAT, "provenance": "x", "results": "all good"}).promote
    assert not judge({"results": [None, 3, []]}).promote
    assert not judge({}).promote


statuses = st.sampled_from(["pass", "warn", "fail", "error", "skip", "unknown"])
ids = st.sampled_from(
    ["data.schema", "drift.features", "performance.metrics.roc_auc", "comparison.champion", "x.y"]
)
records = st.lists(
    st.one_of(st.builds(r, ids, statuses, st.booleans()), st.none(), st.integers()), max_size=12
)


@given(records=records)
def test_never_promotes_unless_every_configured_check_passed(records):
    decision = judge(evidence(*records))
    if decision.promote:
        by_id = {x["id"]: x["status"] for x in records if isinstance(x, dict)}
        assert len(by_id) == len(records)
        assert by_id["data.schema"] in ("pass", "warn")
        assert by_id["drift.features"] in ("pass", "warn")
        assert set(by_id) <= {rid for c in EXPECTED for rid in c.blocking}
