"""The judge on batches it cannot fully judge: nothing crashes, nothing alerts by accident."""

from __future__ import annotations

import copy
import json

import numpy as np

from mlgate.monitor.history import history_row
from mlgate.monitor.judge import judge_batch
from mlgate.monitor.policy import apply_policy
from mlgate.monitor.summary import summarise_chunk
from mlgate.report.monitor import render_summary
from tests.conftest import small_monitor_config

SMALL = small_monitor_config()


def test_a_metric_undefined_on_the_batch_is_skipped_and_still_valid_json(
    small_fingerprint, adult_sample, small_model, cfg
):
    # A calibration that says nobody is positive: the estimated ROC AUC has no positives.
    degenerate = copy.deepcopy(small_fingerprint)
    degenerate["scores"]["probabilities"] = [
        [0.0] * len(row) for row in degenerate["scores"]["probabilities"]
    ]
    summary = summarise_chunk(adult_sample.iloc[2000:2400], small_model, degenerate, data=cfg.data)
    judged = judge_batch(summary, degenerate, cfg=SMALL, fairness=None, labelled=False)
    auc = judged["tests"]["estimated_performance"]["metrics"]["roc_auc"]
    assert auc["estimate"] is None
    assert auc["p_value"] is None
    assert (auc["status"], auc["reason"]) == ("skip", "undefined on this batch")
    estimated = judged["tests"]["estimated_performance"]
    accuracy = estimated["metrics"]["accuracy"]
    # Bonferroni over the metrics defined on the batch only: accuracy alone.
    assert estimated["p_value"] == min(1.0, accuracy["p_value"])
    evidence = {
        "batch": {"id": "b", "sha256": "-", "rows": 400, "labelled": False},
        "model": {"sha256": "0" * 64, "version": None},
        "monitored_at": "-",
        "alert": apply_policy(judged["run_p_value"], 1.0, cfg=SMALL.alert),
        **judged,
    }
    json.dumps(evidence, allow_nan=False)
    assert np.isnan(history_row(evidence)["estimated_roc_auc"])
    text = render_summary([evidence | {"status": "ok"}], model="model")
    assert "ROC AUC: undefined on this batch" in text


def test_a_batch_of_one_class_skips_the_labelled_tests_with_the_reason(
    small_fingerprint, adult_sample, small_model, cfg
):
    rows = adult_sample.iloc[2000:]
    negatives = rows[rows[cfg.data.target] == cfg.data.negative_label].iloc[:300]
    summary = summarise_chunk(negatives, small_model, small_fingerprint, data=cfg.data)
    judged = judge_batch(summary, small_fingerprint, cfg=SMALL, fairness=None, labelled=True)
    for name in ("realized_performance", "concept_drift"):
        assert judged["tests"][name]["status"] == "skip"
        assert "one class only" in judged["tests"][name]["reason"]
    assert judged["tests"]["fairness"]["status"] == "skip"
    assert "realized_performance" not in judged["judged"]
