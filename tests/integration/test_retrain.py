"""``mlgate retrain`` refuses what it cannot commit cleanly, and undoes a failed retraining.

Each test works in a fresh clone of the reproduced project (the session's ``seed``). A successful
retraining, pushed and opened as a pull request, is played in ``test_monitor_workflow.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tests.integration.registry_repo import mlgate, run

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def head(work: Path) -> tuple[str, str]:
    branch = run(work, "git", "rev-parse", "--abbrev-ref", "HEAD").stdout.strip()
    return branch, run(work, "git", "rev-parse", "HEAD").stdout.strip()


def test_a_dirty_tree_is_refused(work):
    params = work / "params.yaml"
    params.write_text(params.read_text() + "\n")
    done = mlgate(work, "retrain", "--with", str(work.parent / "2026-12-01.parquet"))
    assert done.returncode == 2
    assert "uncommitted changes (params.yaml)" in done.stderr


def test_an_unlabelled_batch_is_refused(work):
    unlabelled = work.parent / "unlabelled.parquet"
    pd.read_parquet(work.parent / "2026-12-01.parquet").drop(columns=["income"]).to_parquet(
        unlabelled, index=False
    )
    done = mlgate(work, "retrain", "--with", str(unlabelled))
    assert done.returncode == 2
    assert "only labelled rows can be added" in done.stderr
    assert head(work)[0] == "main"


def test_a_batch_added_before_is_refused(work):
    (work / "data/retrain/2026-12-01.parquet.dvc").write_text("outs: []\n")
    done = mlgate(work, "retrain", "--with", str(work.parent / "2026-12-01.parquet"))
    assert done.returncode == 2
    assert "was added before" in done.stderr


def test_a_retraining_that_fails_leaves_the_repository_as_it_was(work):
    before = head(work)
    # The pipeline's stages run `mlgate` from PATH: without it there, `dvc repro` fails after
    # the branch, the batch file and its DVC record exist.
    env = {**os.environ, "PATH": "/usr/bin:/bin", "DVC_NO_ANALYTICS": "1"}
    batch = str(work.parent / "2026-12-01.parquet")
    done = subprocess.run(
        [sys.executable, "-m", "mlgate", "retrain", "--with", batch],
        cwd=work, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert "`dvc repro --quiet` failed" in done.stderr
    assert head(work) == before
    assert run(work, "git", "branch", "--list", "retrain/*").stdout.strip() == ""
    assert run(work, "git", "status", "--porcelain").stdout == ""
    assert sorted(p.name for p in (work / "data/retrain").iterdir()) == ["README.md"]
