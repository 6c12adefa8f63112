"""The shadow comparison: a challenger scored beside the model on the same rows.

Rows the challenger was trained on (the same values in its input columns as a row of its
``data/prepared/*`` split) flatter it: they are left out of the comparison, and the evidence says
how many, with a warning. When they cannot be read, it is not judged on labels.
"""

from __future__ import annotations

import numpy as np
import pytest

from mlgate.config.monitor import MonitorConfig
from mlgate.data.row_hash import canonical_row
from mlgate.model.estimators import fit_model
from mlgate.monitor.fingerprint import build_fingerprint
from mlgate.monitor.shadow import compare_shadow
from mlgate.monitor.summary import summarise_chunk
from mlgate.monitor.training_rows import TrainedRows, trained_rows_of

SMALL = MonitorConfig(reference_bins=30, calibrators=3, draws=300)


def fitted(frame, cfg, **settings):
    boosting = cfg.train.hist_gradient_boosting.model_copy(update=settings)
    small = cfg.train.model_copy(update={"hist_gradient_boosting": boosting})
    return fit_model(frame, data=cfg.data, preprocessing=cfg.prepare.preprocessing, cfg=small)


@pytest.fixture(scope="module")
def honest_model(adult_sample, cfg):
    """Fitted on the first 2,000 rows only: the batch (the last 1,000) is new to it."""
    return fitted(adult_sample.iloc[:2000], cfg, max_iter=20)


@pytest.fixture(scope="module")
def setting(adult_sample, honest_model, cfg):
    train, batch = adult_sample.iloc[:2000], adult_sample.iloc[2000:]
    fingerprint = build_fingerprint(
        honest_model, train, train, data=cfg.data, cfg=SMALL, decision_threshold=0.5,
        model_sha256="0" * 64,
    )  # fmt: skip
    return fingerprint, batch


def rows_of(cfg, *frames) -> TrainedRows:
    return trained_rows_of(
        list(frames), columns=cfg.data.features, numeric=cfg.data.numeric, source="main (abc)"
    )


def compare(setting, cfg, model, challenger, *, labelled=True, trained=None):
    fingerprint, batch = setting
    if trained is None:  # what the honest challengers were trained on: not the batch
        trained = rows_of(cfg, batch.iloc[:0])
    summary = summarise_chunk(
        batch, model, fingerprint, data=cfg.data, challenger=challenger, trained_rows=trained
    )
    return compare_shadow(
        summary,
        fingerprint,
        cfg=SMALL,
        fairness=cfg.checks.get("fairness.group_parity"),
        labelled=labelled,
        rng=np.random.default_rng(0),
        trained_rows=trained,
    )


def test_a_model_against_itself_differs_in_nothing(setting, cfg, honest_model):
    record = compare(setting, cfg, honest_model, honest_model)
    assert record["decision_agreement"] == 1.0
    for name in ("roc_auc", "accuracy"):
        metrics = record["metrics"][name]
        assert metrics["difference"] == metrics["low"] == metrics["high"] == 0.0
        assert metrics["challenger_is"] == "no clear difference"
    assert record["mcnemar"]["challenger_only_right"] == 0
    assert record["mcnemar"]["p_challenger_more_accurate"] == 1.0


def test_a_worse_challenger_is_found_worse(setting, cfg, honest_model, adult_sample):
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
    record = compare(setting, cfg, honest_model, noise)
    assert record["metrics"]["roc_auc"]["challenger_is"] == "worse"
    assert record["mcnemar"]["p_challenger_less_accurate"] < 0.01
    assert record["decision_agreement"] < 1.0


def test_without_labels_only_decisions_are_compared(setting, cfg, honest_model):
    record = compare(setting, cfg, honest_model, honest_model, labelled=False)
    assert set(record) == {"rows", "decision_agreement", "positive_rate", "training_overlap"}
    assert record["training_overlap"]["rows"] == 0


@pytest.fixture(scope="module")
def memorising(setting, cfg):
    """A challenger fitted on the batch itself, deep enough to remember it."""
    _, batch = setting
    return fitted(batch, cfg, max_iter=200, min_samples_leaf=2, max_leaf_nodes=63)


def test_a_challenger_trained_on_the_batch_is_not_called_better(
    setting, cfg, honest_model, memorising
):
    # Without the overlap it read "better" on ROC AUC (1.0 against 0.90) and accuracy.
    _, batch = setting
    record = compare(setting, cfg, honest_model, memorising, trained=rows_of(cfg, batch))
    assert record["training_overlap"] == {"rows": 1000, "share": 1.0, "source": "main (abc)"}
    assert record["status"] == "skip"
    assert record["reason"] == "every row of the batch is one the challenger was trained on"
    assert "metrics" not in record
    assert "challenger_is" not in str(record)  # no verdict anywhere
    assert record["warning"].startswith(
        "1,000 of the 1,000 rows (100.0%) are rows the challenger was trained on (the same "
        "values in its input columns as a row of main (abc))"
    )


def test_rows_it_was_trained_on_are_left_out_of_the_comparison(
    setting, cfg, honest_model, adult_sample
):
    _, batch = setting
    # Trained on half of the batch: judged on the other half only, which it has never seen.
    half = fitted(batch.iloc[:500], cfg, max_iter=200, min_samples_leaf=2, max_leaf_nodes=63)
    record = compare(setting, cfg, honest_model, half, trained=rows_of(cfg, batch.iloc[:500]))
    # A few rows of the second half have the same inputs as one of the first (other people, the
    # same values): on them too it answers from memory. Counted here by the hash's definition.
    canonical = [
        canonical_row(row, numeric=cfg.data.numeric)
        for row in batch.loc[:, list(cfg.data.features)].to_dict("records")
    ]
    overlapping = sum(text in set(canonical[:500]) for text in canonical)
    assert 500 <= overlapping < 510
    assert record["training_overlap"]["rows"] == overlapping
    assert record["rows"] == 1000 - overlapping
    assert record["warning"].endswith(
        f"so they are left out and the comparison is on the other {1000 - overlapping}"
    )
    for name in ("roc_auc", "accuracy"):
        assert record["metrics"][name]["challenger_is"] != "better"
    assert record["mcnemar"]["challenger_only_right"] + record["mcnemar"]["model_only_right"] < 500


def test_a_few_rows_it_was_trained_on_are_said_so(setting, cfg, honest_model, adult_sample):
    _, batch = setting
    seen = batch.iloc[[3, 500, 999]]
    record = compare(
        setting, cfg, honest_model, honest_model, trained=rows_of(cfg, adult_sample[:10], seen)
    )
    assert record["training_overlap"] == {"rows": 3, "share": 0.003, "source": "main (abc)"}
    assert record["rows"] == 997
    assert "metrics" in record
    assert record["warning"].startswith("3 of the 1,000 rows (0.3%) are rows the challenger")


def test_rows_are_matched_on_values_whatever_their_types(setting, cfg, honest_model):
    # The batch read from a CSV file: integers and categories, where training had floats and text.
    _, batch = setting
    seen = batch.iloc[:50].copy()
    seen["age"] = seen["age"].astype("int64")
    seen["race"] = seen["race"].astype("category")
    record = compare(setting, cfg, honest_model, honest_model, trained=rows_of(cfg, seen))
    assert record["training_overlap"]["rows"] == 50


def test_when_its_training_rows_cannot_be_read_it_is_not_judged_on_labels(
    setting, cfg, honest_model, memorising
):
    unknown = TrainedRows.unavailable(
        source="main (abc)", reason="data/prepared/train.parquet is not in the DVC cache"
    )
    record = compare(setting, cfg, honest_model, memorising, trained=unknown)
    assert record["status"] == "skip"
    assert "metrics" not in record
    assert "not in the DVC cache" in record["reason"]
    assert record["training_overlap"] == {"rows": None, "reason": unknown.reason}
    assert "decision_agreement" in record


@pytest.fixture
def splits_at_rev(monkeypatch, adult_sample):
    """The challenger's data/prepared/* at a revision, as DVC would hand them out."""
    import hashlib
    import io

    from mlgate import paths
    from mlgate.monitor import training_rows

    stored = {}
    for path, frame in (
        (paths.PREPARED_TRAIN, adult_sample[:20]),
        (paths.PREPARED_VALIDATION, adult_sample[20:25]),
    ):
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        stored[path] = buffer.getvalue()
    locked = {path: hashlib.md5(data).hexdigest() for path, data in stored.items()}
    monkeypatch.setattr(training_rows, "locked_md5", lambda rev, path: locked[path])
    monkeypatch.setattr(training_rows, "read_output_bytes", lambda rev, path: stored[path])
    return stored


def test_the_training_rows_are_both_prepared_splits_at_the_revision(splits_at_rev, cfg):
    from mlgate.monitor.training_rows import trained_rows_at

    trained = trained_rows_at("main", "c" * 40, columns=cfg.data.features, numeric=cfg.data.numeric)
    assert trained.reason is None
    assert len(trained.keys) == 25
    assert trained.source.endswith("at main (cccccccccccc)")


def test_training_rows_that_do_not_match_the_lock_are_not_used(splits_at_rev, cfg):
    from mlgate import paths
    from mlgate.monitor.training_rows import trained_rows_at

    splits_at_rev[paths.PREPARED_VALIDATION] += b"tampered"
    trained = trained_rows_at("main", "c" * 40, columns=cfg.data.features, numeric=cfg.data.numeric)
    assert trained.keys is None
    assert trained.reason == (
        "data/prepared/validation.parquet at main: its bytes are not the ones dvc.lock there "
        "records"
    )


def test_training_rows_missing_from_the_dvc_cache_are_said_so(monkeypatch, cfg):
    from mlgate.monitor import training_rows
    from mlgate.revisions import OutputUnavailable

    def not_cached(rev, path):
        raise OutputUnavailable(path, rev, FileNotFoundError(path))

    monkeypatch.setattr(training_rows, "locked_md5", lambda rev, path: "0" * 32)
    monkeypatch.setattr(training_rows, "read_output_bytes", not_cached)
    trained = training_rows.trained_rows_at(
        "main", "c" * 40, columns=cfg.data.features, numeric=cfg.data.numeric
    )
    assert trained.keys is None
    assert "data/prepared/train.parquet at main is not in the DVC cache or remote" in trained.reason
