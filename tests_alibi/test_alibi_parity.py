"""In the alibi environment: the alibi engine runs, and agrees with scipy where methods coincide.

Run by ``make test-alibi`` (part of ``make test``) in ``.venv-alibi``, which has alibi-detect with
numpy < 2 and pandas < 3.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from mlgate import io
from mlgate.checks.base import CheckContext, Status
from mlgate.checks.drift.features import FeatureDriftConfig, check_feature_drift
from mlgate.config import load_config
from mlgate.stages.ingest import read_source

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def cfg():
    return load_config(ROOT / "params.yaml")


@pytest.fixture(scope="module")
def adult(cfg):
    path = ROOT / cfg.ingest.train_path
    with io.open_source(str(path)) as handle:
        return read_source(handle, source=str(path), ingest=cfg.ingest, data=cfg.data)


def halves(frame, seed):
    order = np.random.default_rng(seed).permutation(len(frame))
    half = len(frame) // 2
    return (
        frame.iloc[order[:half]].reset_index(drop=True),
        frame.iloc[order[half:]].reset_index(drop=True),
    )


def coincide(reference: pd.DataFrame, current: pd.DataFrame, column: str, cfg) -> bool:
    """Both engines run the same test: KS above 10,000 rows; chi-squared, no pooling or Yates."""
    if column in cfg.data.numeric:
        return min(len(reference), len(current)) > 10_000
    counts = pd.concat([reference[column], current[column]]).value_counts(dropna=False)
    share = min(len(reference), len(current)) / (len(reference) + len(current))
    return len(counts) > 2 and (counts * share).min() >= 5


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("shift", [0.0, 0.05])
def test_engines_agree_where_methods_coincide(adult, cfg, seed, shift):
    reference, current = halves(adult, seed)
    current = current.copy()
    current["hours-per-week"] += shift * current["hours-per-week"].std()
    ctx = CheckContext(data=cfg.data, reference=reference, current=current, current_name="test")
    scipy_run = check_feature_drift(ctx, FeatureDriftConfig(engine="scipy"))
    alibi_run = check_feature_drift(ctx, FeatureDriftConfig(engine="alibi"))
    compared = [c for c in cfg.data.features if coincide(reference, current, c, cfg)]
    assert len(compared) >= 8
    for column in compared:
        ours = scipy_run.details["features"][column]
        theirs = alibi_run.details["features"][column]
        assert theirs["p_value"] == pytest.approx(ours["p_value"], abs=1e-6), column
        assert theirs["statistic"] == pytest.approx(ours["statistic"], rel=1e-5), column


def test_alibi_engine_flags_a_drifted_feature(adult, cfg):
    reference, current = halves(adult, 0)
    current = current.copy()
    current["age"] += 0.3 * current["age"].std()
    ctx = CheckContext(data=cfg.data, reference=reference, current=current, current_name="test")
    outcome = check_feature_drift(ctx, FeatureDriftConfig(engine="alibi"))
    assert outcome.status is Status.FAIL
    assert "age" in outcome.details["drifted"]
    assert outcome.details["engine"] == "alibi"
