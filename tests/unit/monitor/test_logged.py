"""The rows re-scored to check a serving log: unpredictable per run, reproducible from the seed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlgate.errors import DataError
from mlgate.monitor.logged import (
    RESCORED_ROWS,
    SEED_BITS,
    draw_seed,
    escape_probability,
    logged_scores,
    rescored_rows,
)


class Constant:
    """A model that scores every row 0.25 (``positive_scores`` reads ``predict_proba``)."""

    classes_ = np.array([0, 1])

    def predict_proba(self, X):
        return np.tile([0.75, 0.25], (len(X), 1))


def test_the_seed_is_drawn_anew_and_fits_a_json_integer():
    seeds = {draw_seed() for _ in range(20)}
    assert len(seeds) == 20
    assert all(0 <= seed < 2**SEED_BITS <= 2**53 for seed in seeds)


def test_the_rows_follow_from_the_seed_and_the_chunk_only():
    rows = rescored_rows(1000, seed=7, first_row=2000)
    assert len(rows) == RESCORED_ROWS == len(set(rows))
    assert np.array_equal(rows, rescored_rows(1000, seed=7, first_row=2000))
    assert not np.array_equal(rows, rescored_rows(1000, seed=8, first_row=2000))
    assert not np.array_equal(rows, rescored_rows(1000, seed=7, first_row=3000))
    assert not np.array_equal(rows, rescored_rows(1000, seed=7, first_row=2000, partition=1))
    assert np.array_equal(rescored_rows(100, seed=7, first_row=0), np.arange(100))


def test_the_escape_probability_is_what_the_draw_gives():
    # 20 forged rows of 1,000: how often do 256 rows drawn from 4,000 seeds miss all of them?
    forged = np.arange(300, 320)
    missed = np.mean(
        [not np.isin(rescored_rows(1000, seed=s, first_row=0), forged).any() for s in range(4000)]
    )
    expected = escape_probability(1000, 20)
    assert expected == pytest.approx(np.prod([(744 - i) / (1000 - i) for i in range(20)]))
    assert abs(missed - expected) < 4 * np.sqrt(expected * (1 - expected) / 4000)
    assert escape_probability(1000, 74) < 1e-9
    assert escape_probability(100, 1) == 0.0
    assert escape_probability(250_000, 2500) < (1 - 256 / 250_000) ** 2500


def test_a_forged_row_among_those_drawn_is_named_with_the_seed():
    chunk = pd.DataFrame({"x": np.zeros(1000), "score": np.full(1000, 0.25)})
    chunk.index = pd.RangeIndex(5000, 6000)
    row = rescored_rows(1000, seed=11, first_row=5000)[3]
    chunk.iloc[row, 1] = 0.9
    with pytest.raises(DataError, match=rf"1 of the 256 rows re-scored differ \(rows drawn with "
                       rf"seed 11\), data rows {5000 + row + 1}, counted from 1"):  # fmt: skip
        logged_scores(chunk, Constant(), column="score", path="b.parquet", seed=11)
    # Outside the rows that seed draws, the same forgery is not seen: why the seed must be secret.
    unseen = next(r for r in range(1000) if r not in rescored_rows(1000, seed=11, first_row=5000))
    chunk["score"] = 0.25
    chunk.iloc[unseen, 1] = 0.9
    scores = logged_scores(chunk, Constant(), column="score", path="b.parquet", seed=11)
    assert scores[unseen] == 0.9


def test_each_dask_partition_draws_its_own_rows(adult_sample, small_model, cfg, tmp_path):
    # Every partition is read from row 0: without its position, all would check the same rows.
    from mlgate.config.monitor import MonitorConfig
    from mlgate.engines import DaskEngine
    from mlgate.model.estimators import positive_scores
    from mlgate.monitor.batch_run import BatchReading
    from mlgate.monitor.fingerprint import build_fingerprint
    from mlgate.monitor.run import summarise_batch

    small = MonitorConfig(reference_bins=30, calibrators=3, draws=200)
    reference = adult_sample.iloc[:1000]
    fingerprint = build_fingerprint(
        small_model, reference, reference, data=cfg.data, cfg=small, decision_threshold=0.5,
        model_sha256="0" * 64,
    )  # fmt: skip
    batch = adult_sample.iloc[1000:1600].reset_index(drop=True)
    batch["score"] = positive_scores(small_model, batch[list(cfg.data.features)])
    first, second = (rescored_rows(300, seed=5, first_row=0, partition=p) for p in (0, 1))
    unchecked_in_first = next(int(r) for r in second if r not in first)

    def summarised(forged_partition: int):
        folder = tmp_path / f"forged-in-{forged_partition}"
        folder.mkdir()
        for part in (0, 1):
            rows = batch.iloc[300 * part : 300 * (part + 1)].reset_index(drop=True)
            if part == forged_partition:
                rows.loc[unchecked_in_first, "score"] = 1 - rows.loc[unchecked_in_first, "score"]
            rows.to_parquet(folder / f"part-{part}.parquet", index=False)
        reading = BatchReading(
            str(folder),
            labelled=False,
            chunk_rows=300,
            scores_column="score",
            scores_seed=5,
            engine=DaskEngine(scheduler=None),
        )
        return summarise_batch(reading, small_model, fingerprint, rules=cfg.table_rules)

    assert summarised(0).rows == 600
    with pytest.raises(DataError, match=f"data rows {unchecked_in_first + 1}, counted from 1"):
        summarised(1)
