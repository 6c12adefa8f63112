"""Fixtures the integration tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.registry_repo import run


@pytest.fixture
def clone(seed, tmp_path):
    """Clones of a fresh bare remote made from the seed, outputs checked out from its cache."""
    remote = tmp_path / "remote.git"
    run(tmp_path, "git", "clone", "-q", "--bare", str(seed), str(remote))

    def make(name: str = "work") -> Path:
        work = tmp_path / name
        run(tmp_path, "git", "clone", "-q", str(remote), str(work))
        run(work, "dvc", "cache", "dir", "--local", str(seed / ".dvc" / "cache"))
        run(work, "dvc", "checkout", "--quiet")
        return work

    return make


@pytest.fixture
def work(clone) -> Path:
    """A clone, with a labelled batch of 300 rows beside it: ``../2026-12-01.parquet``."""
    import pandas as pd

    work = clone()
    batch = pd.read_parquet(work / "data/examples/uniform.parquet")
    batch.iloc[:300].to_parquet(work.parent / "2026-12-01.parquet", index=False)
    return work


@pytest.fixture(scope="module")
def cluster():
    """A real Dask cluster on loopback: two worker processes, one thread each; its address."""
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:  # fmt: skip
        yield cluster.scheduler_address
