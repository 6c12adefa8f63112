"""Monitoring's invariants: chunks merge to the whole, a batch like the reference never drifts,
and the report renders any evidence the judge can produce."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlgate.config.monitor import MonitorConfig
from mlgate.monitor.fingerprint import build_fingerprint
from mlgate.monitor.judge import judge_batch
from mlgate.monitor.policy import apply_policy
from mlgate.monitor.summary import BatchSummary, row_cells, summarise_chunk, summarise_rows
from mlgate.report.monitor import render_summary

SMALL = MonitorConfig(reference_bins=30, calibrators=5, draws=200)


@pytest.fixture(scope="module")
def monitored(adult_sample, small_model, cfg):
    train, validation = adult_sample.iloc[:2000], adult_sample.iloc[2000:]
    fingerprint = build_fingerprint(
        small_model,
        train,
        validation,
        data=cfg.data,
        cfg=SMALL,
        decision_threshold=0.5,
        model_sha256="0" * 64,
    )
    return fingerprint, row_cells(adult_sample, small_model, fingerprint, data=cfg.data)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 2999), max_size=6, unique=True))
def test_a_batch_in_chunks_sums_to_the_whole_batch(monitored, adult_sample, small_model, cfg, cuts):
    fingerprint, cells = monitored
    bounds = [0, *sorted(cuts), 3000]
    merged = BatchSummary()
    for start, stop in itertools.pairwise(bounds):
        chunk = adult_sample.iloc[start:stop]
        merged = merged.merge(summarise_chunk(chunk, small_model, fingerprint, data=cfg.data))
    whole = summarise_rows(cells)
    assert merged.rows == whole.rows == 3000
    assert merged.missing == whole.missing
    assert merged.counts.keys() == whole.counts.keys()
    for key, counts in whole.counts.items():
        np.testing.assert_array_equal(merged.counts[key], counts, err_msg=key)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.booleans())
def test_judged_evidence_always_renders(monitored, cfg, seed, labelled):
    fingerprint, cells = monitored
    rows = np.random.default_rng(seed).choice(3000, size=400, replace=True)
    judged = judge_batch(
        summarise_rows(cells, rows),
        fingerprint,
        cfg=SMALL,
        fairness=cfg.checks.get("fairness.group_parity"),
        labelled=labelled,
    )
    assert all(0.0 <= t["p_value"] <= 1.0 for t in judged["tests"].values() if "p_value" in t)
    evidence = {
        "batch": {"id": "b", "rows": 400, "labelled": labelled},
        "model": {"version": None, "sha256": "0" * 64},
        "status": "ok",
        "alert": apply_policy(judged["run_p_value"], 1.0, cfg=SMALL.alert),
        **judged,
    }
    text = render_summary([evidence], model="model")
    assert "### Batch `b`" in text
    assert "| Data drift |" in text


def test_the_reference_itself_does_not_drift(monitored, adult_sample):
    fingerprint, cells = monitored
    # The training part of the sample is the fingerprint's input reference: identical counts.
    summary = summarise_rows(cells, np.arange(2000))
    judged = judge_batch(summary, fingerprint, cfg=SMALL, fairness=None, labelled=False)
    drift = judged["tests"]["data_drift"]
    assert all(f["statistic"] == 0 for f in drift["features"].values())
    assert judged["tests"]["multivariate_drift"]["ks_statistic"] == 0
