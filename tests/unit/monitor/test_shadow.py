"""The shadow comparison: a challenger scored beside the model on the same rows."""

from __future__ import annotations

import numpy as np
import pytest

from mlgate.config.monitor import MonitorConfig
from mlgate.model.estimators import fit_model
from mlgate.monitor.fingerprint import build_fingerprint
from mlgate.monitor.shadow import compare_shadow
from mlgate.monitor.summary import summarise_chunk

SMALL = MonitorConfig(reference_bins=30, calibrators=3, draws=300)


@pytest.fixture(scope="module")
def setting(adult_sample, small_model, cfg):
    train, batch = adult_sample.iloc[:2000], adult_sample.iloc[2000:]
    fingerprint = build_fingerprint(
        small_model, train, train, data=cfg.data, cfg=SMALL, decision_threshold=0.5,
        model_sha256="0" * 64,
    )  # fmt: skip
    return fingerprint, batch


def compare(setting, cfg, model, challenger, *, labelled=True):
    fingerprint, batch = setting
    summary = summarise_chunk(batch, model, fingerprint, data=cfg.data, challenger=challenger)
    return compare_shadow(
        summary,
        fingerprint,
        cfg=SMALL,
        fairness=cfg.checks.get("fairness.group_parity"),
        labelled=labelled,
        rng=np.random.default_rng(0),
    )


def test_a_model_against_itself_differs_in_nothing(setting, cfg, small_model):
    record = compare(setting, cfg, small_model, small_model)
    assert record["decision_agreement"] == 1.0
    for name in ("roc_auc", "accuracy"):
        metrics = record["metrics"][name]
        assert metrics["difference"] == metrics["low"] == metrics["high"] == 0.0
        assert metrics["challenger_is"] == "no clear difference"
    assert record["mcnemar"]["challenger_only_right"] == 0
    assert record["mcnemar"]["p_challenger_more_accurate"] == 1.0


def test_a_worse_challenger_is_found_worse(setting, cfg, small_model, adult_sample):
    # A challenger trained on labels shuffled within the sample: no better than chance.
    shuffled = adult_sample.iloc[:2000].copy()
    shuffled[cfg.data.target] = shuffled[cfg.data.target].sample(frac=1, random_state=0).to_numpy()
    small = cfg.train.model_copy(
        update={
            "hist_gradient_boosting": cfg.train.hist_gradient_boosting.model_copy(
                update={"max_iter": 10}
            )
        }
    )
    noise = fit_model(shuffled, data=cfg.data, preprocessing=cfg.prepare.preprocessing, cfg=small)
    record = compare(setting, cfg, small_model, noise)
    assert record["metrics"]["roc_auc"]["challenger_is"] == "worse"
    assert record["mcnemar"]["p_challenger_less_accurate"] < 0.01
    assert record["decision_agreement"] < 1.0


def test_without_labels_only_decisions_are_compared(setting, cfg, small_model):
    record = compare(setting, cfg, small_model, small_model, labelled=False)
    assert set(record) == {"rows", "decision_agreement", "positive_rate"}
