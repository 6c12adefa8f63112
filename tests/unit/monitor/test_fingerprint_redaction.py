"""The fingerprint holds no value of a withheld column: counts over hash buckets, still judged."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from mlgate.config.monitor import MonitorConfig
from mlgate.errors import DataError
from mlgate.monitor.fingerprint import build_fingerprint
from mlgate.monitor.fingerprint_schema import FingerprintFile
from mlgate.monitor.judge import judge_batch
from mlgate.monitor.summary import summarise_chunk
from mlgate.versioned import read_versioned

SMALL = MonitorConfig(reference_bins=30, calibrators=3, draws=200, min_rows=50)
GIVEN = [f"{a}{b}" for a in ("Ansel", "Brigid", "Cosimo", "Orrin") for b in "abcdefghijklmnop"]
FAMILY = [f"{a}{b}" for a in ("Abernethy", "Galbraith", "Quigley") for b in "abcdefghijklmn"]
NAMES = GIVEN + FAMILY


@pytest.fixture(scope="module")
def numbered(adult_sample, cfg):
    """A model and fingerprint whose numeric input ``customer`` is an id (every value differs)."""
    from mlgate.model.estimators import fit_model

    train = adult_sample.iloc[:2000].assign(customer=np.arange(2000) * 7.0 + 441_700_000)
    data = cfg.data.model_copy(update={"numeric": (*cfg.data.numeric, "customer")})
    estimator = cfg.train.model_copy(update={"estimator": "logistic_regression"})
    model = fit_model(train, data=data, preprocessing=cfg.prepare.preprocessing, cfg=estimator)
    fingerprint = build_fingerprint(
        model, train, train, data=data, cfg=SMALL, decision_threshold=0.5, model_sha256="0" * 64
    )
    return model, data, fingerprint


def test_a_numeric_id_is_hashed_not_binned_at_its_values(numbered, adult_sample):
    model, data, fingerprint = numbered
    customer = fingerprint["features"]["customer"]
    assert customer["kind"] == "categorical"
    assert customer["hashed"]["reason"] == (
        "personal data: every value is a different whole number: an identifier"
    )
    assert "4417" not in json.dumps(fingerprint)
    FingerprintFile.model_validate(fingerprint)
    batch = adult_sample.iloc[2000:2500].assign(customer=np.arange(500) * 3.0 + 441_800_000)
    summary = summarise_chunk(batch, model, fingerprint, data=data)
    judged = judge_batch(summary, fingerprint, cfg=SMALL, fairness=None, labelled=False)
    assert judged["tests"]["data_drift"]["features"]["customer"]["test"] == "chi2"


def named(frame, seed, given=GIVEN):
    """``frame`` with people's full names in place of the occupation (an input of the model)."""
    rng = np.random.default_rng(seed)
    full = [
        f"{g} {f}"
        for g, f in zip(rng.choice(given, len(frame)), rng.choice(FAMILY, len(frame)), strict=True)
    ]
    return frame.assign(occupation=full)


@pytest.fixture(scope="module")
def fingerprint(adult_sample, small_model, cfg):
    train = named(adult_sample.iloc[:2000], 0)
    return build_fingerprint(
        small_model, train, train, data=cfg.data, cfg=SMALL, decision_threshold=0.5,
        model_sha256="0" * 64,
    )  # fmt: skip


def test_a_column_of_names_is_stored_as_hash_buckets_with_no_name(fingerprint):
    text = json.dumps(fingerprint)
    assert not [name for name in NAMES if name in text]
    occupation = fingerprint["features"]["occupation"]
    assert occupation["hashed"]["buckets"] == 64
    assert occupation["hashed"]["distinct"] > 1000
    assert occupation["hashed"]["reason"].startswith("personal data: person names")
    assert set(occupation["categories"]) <= {f"#{k}" for k in range(64)}
    assert "hashed" not in fingerprint["features"]["workclass"]  # a few categories: named
    assert "Private" in fingerprint["features"]["workclass"]["categories"]
    FingerprintFile.model_validate(fingerprint)


def test_a_malformed_hashed_entry_is_refused(fingerprint):
    broken = copy.deepcopy(fingerprint)
    broken["features"]["occupation"]["hashed"]["buckets"] = "64"
    with pytest.raises(DataError, match=r"features\.occupation\.categorical\.hashed\.buckets"):
        read_versioned(broken, FingerprintFile, source="fingerprint.json", remedy="")


def test_new_names_spread_like_the_old_are_no_drift_one_name_everywhere_is(
    fingerprint, adult_sample, small_model, cfg
):
    def drift_of(batch):
        summary = summarise_chunk(batch, small_model, fingerprint, data=cfg.data)
        judged = judge_batch(summary, fingerprint, cfg=SMALL, fairness=None, labelled=False)
        return judged["tests"]["data_drift"]["features"]["occupation"]

    rows = adult_sample.iloc[2000:2600]
    new_people = [f"Zephyrin{a}{b}" for a in "abcd" for b in "abcdefghijklmnop"]
    # Many more values than buckets: a batch of new people spreads over them like the old.
    assert drift_of(named(rows, 1, new_people))["p_value"] > 0.01
    assert drift_of(rows.assign(occupation="Zephyrin Abernethya"))["p_value"] < 1e-6
