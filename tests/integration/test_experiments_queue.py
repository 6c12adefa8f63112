"""Many experiments at once: a two-point grid through DVC's queue, ranked by the gate.

A small copy of the project (the first rows of Adult, fewer boosting rounds), reproduced and
committed; two experiments queued with ``dvc exp run --queue -S ...`` and run by two workers
(``dvc queue start -j 2``); then ``mlgate experiments`` says which the gate would promote and
which it rejects, on what, with each one's metrics and intervals.
"""

from __future__ import annotations

import gzip
import subprocess
import time

import pytest

from tests.integration.project_copy import copy_project
from tests.integration.test_pr_workflow import sh

pytestmark = [pytest.mark.slow, pytest.mark.integration]

STRICT = "checks.performance.metrics.min.roc_auc=0.99"
SLOWER = "train.hist_gradient_boosting.learning_rate=0.05"


@pytest.fixture(scope="module")
def queued(tmp_path_factory, project_root):
    repo = tmp_path_factory.mktemp("queue") / "repo"
    copy_project(project_root, repo)
    for name, lines in (("adult.data.gz", 6000), ("adult.test.gz", 3000)):
        path = repo / "data/source" / name
        kept = gzip.decompress(path.read_bytes()).splitlines(True)[:lines]
        path.write_bytes(gzip.compress(b"".join(kept), mtime=0))
    params = repo / "params.yaml"
    params.write_text(params.read_text().replace("max_iter: 200", "max_iter: 40"))
    sh(repo, "git", "init", "-q", "-b", "main")
    sh(repo, "dvc", "repro", "--quiet")
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-q", "-m", "main: reproduced")
    for change in (STRICT, SLOWER):
        sh(repo, "dvc", "exp", "run", "--queue", "-S", change)
    sh(repo, "dvc", "queue", "start", "-j", "2")
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        status = sh(repo, "dvc", "queue", "status").stdout
        if "Queued" not in status and "Running" not in status:
            break
        time.sleep(3)
    else:
        pytest.fail(f"the queue did not finish:\n{status}")
    return repo, status


def test_both_queued_experiments_ran(queued):
    _, status = queued
    assert status.count("Success") == 2, status


def test_the_ranking_says_which_pass_and_which_fail_on_what(queued):
    repo, _ = queued
    done = sh(repo, "mlgate", "experiments", "--output", "experiments.md")
    rows = [line for line in done.stdout.splitlines() if line.startswith("| `")]
    assert len(rows) == 2
    strict = next(row for row in rows if "min.roc_auc" in row)
    assert "❌ reject" in strict
    assert "performance.metrics.roc\\_auc" in strict  # escaped: data is text in markdown
    slower = next(row for row in rows if "learning_rate" in row)
    assert "`0.05`" in slower
    # Promotable experiments come first; each shows its ROC AUC with an interval.
    if "✅ promote" in slower:
        assert rows.index(slower) < rows.index(strict)
    for row in rows:
        assert row.count("(") >= 2
    assert (repo / "experiments.md").read_text() == done.stdout
    assert "2 experiments" in done.stderr


def test_without_experiments_it_says_how_to_queue_some(tmp_path, project_root):
    repo = tmp_path / "empty"
    copy_project(project_root, repo)
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-q", "-m", "template")
    done = sh(repo, "mlgate", "experiments")
    assert "dvc exp run --queue" in done.stdout
