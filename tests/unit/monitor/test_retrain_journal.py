"""A retraining's journal: what a killed ``mlgate retrain`` left is undone from it, nothing else."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from mlgate.errors import DataError
from mlgate.monitor import retrain_journal
from mlgate.monitor.interruption import group_members


def git(*args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "A", "GIT_AUTHOR_EMAIL": "a@example.invalid",
           "GIT_COMMITTER_NAME": "A", "GIT_COMMITTER_EMAIL": "a@example.invalid"}  # fmt: skip
    return subprocess.run(
        ["git", *args], capture_output=True, text=True, check=True, env=env
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    git("init", "-q", "-b", "main")
    (tmp_path / "data/retrain").mkdir(parents=True)
    (tmp_path / "data/retrain/README.md").write_text("batches\n")
    git("add", "-A")
    git("commit", "-q", "-m", "start")
    return tmp_path


def killed_half_way(repo, *, group: int | None = None) -> str:
    """What a retraining killed during `dvc repro` leaves: its branch, its files, its journal."""
    with retrain_journal.exclusive() as path:
        journal = retrain_journal.begin(
            path,
            branch="retrain/b1",
            batch_file=repo.joinpath("data/retrain/b1.parquet").relative_to(repo),
            created_ignore=repo.joinpath("data/retrain/.gitignore").relative_to(repo),
        )
        journal.group = group
        journal.save()
    git("switch", "-q", "-c", "retrain/b1")
    # A writer killed while writing the batch leaves its hidden temporary file (its pid, gone).
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    for name in ("b1.parquet", "b1.parquet.dvc", ".gitignore", f".b1.parquet.{gone}.abc.tmp"):
        (repo / "data/retrain" / name).write_text("x")
    (repo / "data/retrain/README.md").write_text("edited by a stage\n")
    return str(path)


def test_recovery_restores_the_branch_and_removes_what_was_added(repo):
    start = git("rev-parse", "HEAD")
    killed_half_way(repo)
    said = []
    with retrain_journal.exclusive() as path:
        assert retrain_journal.recover(path, say=said.append) is True
        assert retrain_journal.recover(path, say=said.append) is False
    assert (git("rev-parse", "--abbrev-ref", "HEAD"), git("rev-parse", "HEAD")) == ("main", start)
    assert git("branch", "--list", "retrain/*") == ""
    assert git("status", "--porcelain") == ""
    assert sorted(p.name for p in (repo / "data/retrain").iterdir()) == ["README.md"]
    assert "was interrupted" in said[0]
    assert "removed branch retrain/b1, data/retrain/b1.parquet" in said[-1]


def test_recovery_stops_the_processes_the_killed_run_left(repo):
    orphan = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(300)  # dvc repro"],
        start_new_session=True,
    )
    killed_half_way(repo, group=orphan.pid)
    said = []
    with retrain_journal.exclusive() as path:
        retrain_journal.recover(path, say=said.append)
    assert orphan.wait(timeout=30) == -signal.SIGTERM
    assert group_members(orphan.pid) == []
    assert f"process group {orphan.pid}" in said[1]


def test_a_process_group_that_reuses_the_id_is_left_alone(repo):
    other = subprocess.Popen(["sleep", "300"], start_new_session=True)
    try:
        killed_half_way(repo, group=other.pid)
        with retrain_journal.exclusive() as path:
            retrain_journal.recover(path, say=print)
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


def test_a_retraining_committed_before_the_kill_is_kept(repo):
    killed_half_way(repo)
    git("add", "-A")
    git("commit", "-q", "-m", "Retrain with batch b1")
    commit = git("rev-parse", "HEAD")
    said = []
    with retrain_journal.exclusive() as path:
        retrain_journal.recover(path, say=said.append)
    assert git("rev-parse", "retrain/b1") == commit
    assert "was made: kept" in said[-1]
    assert not (repo / ".git" / retrain_journal.JOURNAL).exists()


@pytest.mark.parametrize(
    "tamper",
    [
        {"batch_file": "../../home/someone/precious.parquet"},
        {"batch_file": "/etc/passwd"},
        {"created_ignore": "src/mlgate/__init__.py"},
        {"branch": "main"},
        {"group": 1},
        {"format": "other/1"},
    ],
)
def test_a_journal_mlgate_did_not_write_is_refused(repo, tamper):
    journal = Path(killed_half_way(repo))
    journal.write_text(json.dumps(json.loads(journal.read_text()) | tamper))
    with retrain_journal.exclusive() as path, pytest.raises(DataError, match="not a retraining"):
        retrain_journal.recover(path, say=print)
    assert (repo / "data/retrain/b1.parquet").exists()


def test_a_second_retraining_is_refused_while_one_runs(repo):
    with (
        retrain_journal.exclusive(),
        pytest.raises(DataError, match="another mlgate retrain is running"),
        retrain_journal.exclusive(),
    ):
        pass


def test_work_done_since_on_another_branch_is_not_discarded(repo):
    killed_half_way(repo)
    git("switch", "-q", "-c", "my-work")
    (repo / "data/retrain/README.md").write_text("my own edit\n")
    with retrain_journal.exclusive() as path, pytest.raises(DataError, match="my-work is checked"):
        retrain_journal.recover(path, say=print)
    assert (repo / "data/retrain/README.md").read_text() == "my own edit\n"
    assert path.is_file()


def test_killed_before_switching_the_tree_is_left_as_it_is(repo):
    with retrain_journal.exclusive() as path:
        retrain_journal.begin(path, branch="retrain/b2", batch_file=Path("data/retrain/b2.parquet"),
                              created_ignore=None)  # fmt: skip
    (repo / "data/retrain/README.md").write_text("my own edit, after the kill\n")
    said = []
    with retrain_journal.exclusive() as path:
        assert retrain_journal.recover(path, say=said.append)
    assert (repo / "data/retrain/README.md").read_text() == "my own edit, after the kill\n"
    assert "removed nothing" in said[-1]
    assert not path.exists()
