"""The real ``pre-commit`` with the project's hooks, in a temporary git clone, offline.

The clone's ``.venv`` links to the environment running the tests, as ``make setup`` would have made
it; ``PRE_COMMIT_HOME`` is a temporary folder and nothing is downloaded (every hook is local).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.project_copy import copy_project

pytestmark = [pytest.mark.slow, pytest.mark.integration]

VENV = Path(sys.prefix)
HOOK_NAMES = (
    "ruff check (lint)",
    "ruff format --check",
    "mlgate validate",
    "mlgate guard-files",
    "mlgate lock-check",
)


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("home")
    (home / "gitconfig").write_text("")
    return {
        **os.environ,
        "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "PRE_COMMIT_HOME": str(home / "pre-commit"),
        # The machine's git configuration (a hooksPath, signing) must not change what git does.
        "GIT_CONFIG_GLOBAL": str(home / "gitconfig"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
        "DVC_NO_ANALYTICS": "1",
    }


def sh(repo: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, check=False)


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, f"{result.args}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def repo(tmp_path_factory, project_root, env) -> Path:
    """A git repository holding the project's files as a clone has them, hooks installed."""
    repo = tmp_path_factory.mktemp("clone")
    copy_project(project_root, repo)
    (repo / ".venv").symlink_to(VENV, target_is_directory=True)  # ignored by git, as after setup
    ok(sh(repo, env, "git", "init", "-q", "-b", "main"))
    ok(sh(repo, env, "git", "add", "-A"))
    ok(sh(repo, env, "git", "commit", "-q", "-m", "template"))
    ok(sh(repo, env, ".venv/bin/pre-commit", "install"))
    return repo


@pytest.fixture
def clean(repo, env):
    """The clone at its last commit again after the test, whatever the test left behind."""
    yield repo
    ok(sh(repo, env, "git", "reset", "-q", "--hard", "HEAD"))
    ok(sh(repo, env, "git", "clean", "-q", "-fd"))


def head(repo: Path, env: dict[str, str]) -> str:
    return ok(sh(repo, env, "git", "rev-parse", "HEAD")).stdout.strip()


def commit_refused(repo: Path, env: dict[str, str], *paths: str) -> str:
    """Stage ``paths``, try to commit; assert the hooks refuse it; return their output."""
    before = head(repo, env)
    ok(sh(repo, env, "git", "add", *paths))
    attempt = sh(repo, env, "git", "commit", "-m", "should be refused")
    assert attempt.returncode != 0, f"the commit went through:\n{attempt.stdout}"
    assert head(repo, env) == before, "a commit was created"
    return attempt.stdout + attempt.stderr


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def outcome(output: str, hook_name: str) -> str:
    """What pre-commit printed for a hook: Passed, Failed or Skipped (the end of its line)."""
    line = next(line for line in output.splitlines() if line.startswith(hook_name))
    return line.rstrip(".").rsplit(".", 1)[-1]


def test_every_hook_passes_on_the_clean_project(repo, env):
    run = sh(repo, env, ".venv/bin/pre-commit", "run", "--all-files")
    assert run.returncode == 0, run.stdout + run.stderr
    assert [outcome(run.stdout, name) for name in HOOK_NAMES] == ["Passed"] * len(HOOK_NAMES)


def test_a_commit_that_passes_the_hooks_is_made(clean, env):
    before = head(clean, env)
    edit(clean / "params.yaml", "# Every knob", "# Each knob")
    ok(sh(clean, env, "git", "commit", "-qam", "a comment in params.yaml"))
    assert head(clean, env) != before
    ok(sh(clean, env, "git", "reset", "-q", "--hard", before))


def test_a_stage_param_removed_from_params_yaml_stops_the_commit(clean, env):
    edit(clean / "params.yaml", "  validation_size: 0.2\n", "")
    output = commit_refused(clean, env, "params.yaml")
    assert outcome(output, "mlgate validate") == "Failed"
    assert "params.yaml: prepare.validation_size: required key is missing" in output
    assert "dvc.yaml: stages.prepare.params: lists 'prepare.validation_size', which " in output


def test_an_unknown_params_key_stops_the_commit(clean, env):
    edit(clean / "params.yaml", "learning_rate: 0.1", "learning_rat: 0.1")
    output = commit_refused(clean, env, "params.yaml")
    assert "params.yaml: train.hist_gradient_boosting.learning_rat: unknown key" in output


def test_a_csv_added_to_git_stops_the_commit(clean, env):
    (clean / "data" / "extra.csv").write_text("age,income\n39,<=50K\n")
    output = commit_refused(clean, env, "data/extra.csv")
    assert outcome(output, "mlgate guard-files") == "Failed"
    assert "data/extra.csv: is a .csv file: data and models belong in DVC, not in git." in output
    assert "`git rm --cached data/extra.csv`" in output
    assert "`dvc add data/extra.csv`" in output


def test_a_params_change_without_dvc_repro_stops_the_commit(clean, env):
    edit(clean / "params.yaml", "learning_rate: 0.1", "learning_rate: 0.05")
    output = commit_refused(clean, env, "params.yaml")
    assert outcome(output, "mlgate validate") == "Passed"
    assert outcome(output, "mlgate lock-check") == "Failed"
    assert (
        "dvc.lock: stage train: train.hist_gradient_boosting.learning_rate is 0.1 in dvc.lock "
        "but 0.05 in params.yaml"
    ) in output
    assert "Run `dvc repro`" in output


def test_unformatted_python_stops_the_commit(clean, env):
    (clean / "src" / "mlgate" / "scratch.py").write_text('"""Scratch."""\n\nx=[1,2]\n')
    output = commit_refused(clean, env, "src/mlgate/scratch.py")
    assert outcome(output, "ruff format --check") == "Failed"
    assert "src/mlgate/scratch.py" in output
    assert "1 file would be reformatted" in output
