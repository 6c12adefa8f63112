"""Every registered monitoring test obeys the contract, on batches it can and cannot judge.

The contract (:mod:`mlgate.monitor.catalogue`): a record with a status of the shared vocabulary; a
judged record has a p-value in [0, 1] and the details its ``TypedDict`` names; a skip has a reason
and no p-value; the summary puts every test's finding in words, and a test the renderer does not
know is still listed.
"""

from __future__ import annotations

import json
import typing

import numpy as np
import pytest

from mlgate.checks.status import Status
from mlgate.monitor.batch_tests import MONITOR_TESTS
from mlgate.monitor.catalogue import BatchInputs
from mlgate.monitor.outcome import TestStatus
from mlgate.monitor.performance import simulated_metrics
from mlgate.monitor.policy import apply_policy
from mlgate.monitor.summary import summarise_chunk
from mlgate.report.monitor import FINDINGS, render_batch
from tests.conftest import small_monitor_config

SMALL = small_monitor_config()
TEST_IDS = list(MONITOR_TESTS)


def inputs_for(rows, small_model, small_fingerprint, cfg) -> BatchInputs:
    summary = summarise_chunk(rows, small_model, small_fingerprint, data=cfg.data)
    rng = np.random.default_rng(SMALL.seed)
    simulated = simulated_metrics(summary, small_fingerprint["scores"], cfg=SMALL, rng=rng)
    fairness = cfg.checks["fairness.group_parity"]  # the template's limits, as the gate's
    return BatchInputs(summary, small_fingerprint, simulated, SMALL, fairness, rng)


def test_the_registry_holds_the_seven_tests_in_the_judges_order():
    assert TEST_IDS == [
        "data_drift",
        "multivariate_drift",
        "prediction_drift",
        "estimated_performance",
        "realized_performance",
        "concept_drift",
        "fairness",
    ]
    assert [t.id for t in MONITOR_TESTS.values() if t.needs_labels] == TEST_IDS[4:]


@pytest.mark.parametrize("test_id", TEST_IDS)
def test_a_judged_record_has_a_p_value_and_its_declared_details(
    test_id, adult_sample, small_model, small_fingerprint, cfg
):
    test = MONITOR_TESTS[test_id]
    record = test.function(
        inputs_for(adult_sample.iloc[2000:3000], small_model, small_fingerprint, cfg)
    )
    assert record["status"] in (TestStatus.PASS, TestStatus.SIGNAL), record.get("reason")
    assert 0.0 <= record["p_value"] <= 1.0
    assert set(typing.get_type_hints(test.details)) <= set(record)
    json.dumps(record, allow_nan=False)
    assert test.function.__doc__, "the reference page shows the docstring"


@pytest.mark.parametrize("test_id", TEST_IDS)
def test_a_batch_without_values_or_a_second_class_is_skipped_with_a_reason(
    test_id, adult_sample, small_model, small_fingerprint, cfg
):
    # One class only, and every feature value missing where it can be: nothing can be judged
    # on some tests; none may pass for it, none may crash.
    rows = adult_sample.iloc[2000:3000]
    rows = rows[rows[cfg.data.target] == cfg.data.labels[0]].copy()
    record = MONITOR_TESTS[test_id].function(inputs_for(rows, small_model, small_fingerprint, cfg))
    assert record["status"] in tuple(TestStatus)
    if record["status"] is TestStatus.SKIP:
        assert record["reason"]
        assert record.get("p_value") is None
    else:
        assert 0.0 <= record["p_value"] <= 1.0
    if test_id in ("realized_performance", "concept_drift", "fairness"):
        assert record["status"] is TestStatus.SKIP


def test_each_status_maps_to_the_checks_vocabulary():
    assert {s.value: s.as_check_status() for s in TestStatus} == {
        "pass": Status.PASS,
        "signal": Status.FAIL,
        "skip": Status.SKIP,
    }


def test_every_registered_test_has_its_finding_put_in_words():
    assert set(FINDINGS) == set(MONITOR_TESTS)


def test_a_test_the_renderer_does_not_know_is_still_listed():
    evidence = {
        "batch": {"id": "b", "rows": 100, "labelled": False},
        "model": {"sha256": "0" * 64, "version": None},
        "status": "ok",
        "alert": apply_policy(0.5, 1.0, cfg=SMALL.alert),
        "run_p_value": 0.5,
        "tests": {
            "data_drift": {"status": "skip", "reason": "no value"},
            "a_newer_test": {"status": "pass", "p_value": 0.5},
        },
    }
    text = render_batch(evidence)
    assert "| Data drift | skip |" in text
    assert "| a\\_newer\\_test | pass | 0.5 | – |" in text
