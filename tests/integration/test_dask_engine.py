"""The dask engine on a real ``distributed.LocalCluster``: the same counts and p-values as pandas.

Two worker processes on loopback summarise each partition of a parquet folder; the client adds
the summaries. However the rows are cut into partitions, and in whatever order the files come,
the summary and every test's p-value equal those of the pandas path reading one file in chunks.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlgate.config import BatchesConfig
from mlgate.config.monitor import MonitorConfig
from mlgate.engines import engine_for
from mlgate.monitor.batch_run import BatchReading
from mlgate.monitor.fingerprint import build_fingerprint
from mlgate.monitor.judge import judge_batch
from mlgate.monitor.run import summarise_batch
from tests.cli.conftest import run

pytestmark = [pytest.mark.slow, pytest.mark.integration]

SMALL = MonitorConfig(reference_bins=30, calibrators=3, draws=200)


@pytest.fixture(scope="module")
def setting(adult_sample, small_model, cfg, tmp_path_factory):
    train = adult_sample.iloc[:2000]
    fingerprint = build_fingerprint(
        small_model, train, train, data=cfg.data, cfg=SMALL, decision_threshold=0.5,
        model_sha256="0" * 64,
    )  # fmt: skip
    folder = tmp_path_factory.mktemp("dask")
    batch = adult_sample.iloc[1000:].reset_index(drop=True)
    whole = folder / "whole.parquet"
    batch.to_parquet(whole, index=False)
    return fingerprint, batch, whole, folder


def summarise(path, model, fingerprint, cfg, *, engine, scheduler=None):
    chosen = engine_for(BatchesConfig(), engine=engine, scheduler=scheduler)
    return summarise_batch(
        BatchReading(str(path), labelled=True, chunk_rows=1000, engine=chosen),
        model,
        fingerprint,
        rules=cfg.table_rules,
    )


@settings(
    max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cuts=st.lists(st.integers(1, 1999), min_size=1, max_size=5, unique=True),
    seed=st.integers(0, 99),
)
def test_any_partitioning_gives_the_pandas_paths_counts_and_p_values(
    cluster, setting, small_model, cfg, cuts, seed
):
    fingerprint, batch, whole, folder = setting
    parts = folder / f"parts-{seed}-{'-'.join(map(str, sorted(cuts)))}"
    parts.mkdir()
    bounds = [0, *sorted(cuts), len(batch)]
    # File names in a shuffled order: the cluster reads the partitions in another order.
    names = np.random.default_rng(seed).permutation(len(bounds) - 1)
    for name, (start, stop) in zip(names, itertools.pairwise(bounds), strict=True):
        batch.iloc[start:stop].to_parquet(parts / f"part-{name:03d}.parquet", index=False)
    on_pandas = summarise(whole, small_model, fingerprint, cfg, engine="pandas")
    on_dask = summarise(parts, small_model, fingerprint, cfg, engine="dask", scheduler=cluster)
    assert on_dask.rows == on_pandas.rows == len(batch)
    assert on_dask.counts.keys() == on_pandas.counts.keys()
    for key, counts in on_pandas.counts.items():
        np.testing.assert_array_equal(on_dask.counts[key], counts, err_msg=key)
    judged = [
        judge_batch(summary, fingerprint, cfg=SMALL, fairness=None, labelled=True)
        for summary in (on_pandas, on_dask)
    ]
    assert judged[0] == judged[1]


def test_an_unreachable_scheduler_is_named(setting, small_model, cfg):
    from mlgate.errors import RunError

    fingerprint, _, whole, _ = setting
    with pytest.raises(RunError, match=r"tcp://127\.0\.0\.1:9 cannot be reached"):
        summarise(
            whole, small_model, fingerprint, cfg, engine="dask", scheduler="tcp://127.0.0.1:9"
        )


def test_the_dask_engine_reads_parquet_only(setting, small_model, cfg, project_root):
    from mlgate.errors import DataError

    fingerprint, _, _, _ = setting
    text = str(project_root / "data/source/adult.test.gz")
    with pytest.raises(DataError, match="the dask engine reads parquet"):
        summarise(text, small_model, fingerprint, cfg, engine="dask")


def test_the_cli_monitors_a_folder_on_a_cluster(built_projects, tmp_path, monkeypatch, cluster):
    """A folder batch: one digest of its files, judged once, the pandas path's verdict."""
    project = built_projects(("ingest", "prepare", "train", "fingerprint"), tmp_path / "project")
    monkeypatch.chdir(project)
    rows = pd.read_parquet("data/ingested/test.parquet").sample(1000, random_state=0)
    rows.to_parquet("whole.parquet", index=False)
    folder = project / "incoming" / "2026-12-01"
    folder.mkdir(parents=True)
    rows.iloc[:600].to_parquet(folder / "part-0.parquet", index=False, row_group_size=250)
    rows.iloc[600:].to_parquet(folder / "part-1.parquet", index=False, row_group_size=250)
    dask = ["--engine", "dask", "--scheduler", cluster]
    assert run(["monitor", str(folder), "--labels", *dask]) == 0
    assert run(["monitor", "whole.parquet", "--labels", "--batch-id", "whole"]) == 0
    on_dask, on_pandas = (
        json.loads((project / f"reports/monitor/{name}.json").read_text())
        for name in ("2026-12-01", "whole")
    )
    assert on_dask["tests"] == on_pandas["tests"]
    assert on_dask["batch"]["rows"] == 1000
    assert run(["monitor", str(folder), "--labels", *dask]) == 0  # the same files: skipped
    assert len(pd.read_parquet("reports/monitor/history.parquet")) == 2
    (folder / "part-2.parquet").write_bytes((folder / "part-1.parquet").read_bytes())
    assert run(["monitor", str(folder), "--labels", *dask]) == 2  # new content, same identifier
    assert run(["monitor", str(project / "nosuch"), *dask]) == 2
