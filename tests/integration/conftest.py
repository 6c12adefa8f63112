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
