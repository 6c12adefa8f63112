"""A reproduced project in git with a bare remote, and the commands the registry tests run in it.

``seed`` (session-scoped, in ``conftest.py``) runs `dvc repro` once; each test clones a fresh bare
copy of it and checks the pipeline's outputs out of the seed's DVC cache.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.integration.project_copy import copy_project

BIN = Path(sys.executable).parent


def run(
    repo: Path, *args: str, check: bool = True, user: str = "Ann"
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "DVC_NO_ANALYTICS": "1",
        "GIT_AUTHOR_NAME": user,
        "GIT_AUTHOR_EMAIL": f"{user.lower()}@example.invalid",
        "GIT_COMMITTER_NAME": user,
        "GIT_COMMITTER_EMAIL": f"{user.lower()}@example.invalid",
    }
    env.pop("GITHUB_ACTOR", None)
    result = subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


def make_seed(tmp_path_factory, project_root) -> Path:
    """The project after `dvc repro`, committed on main (its DVC cache is shared by the clones)."""
    seed = tmp_path_factory.mktemp("seed")
    copy_project(project_root, seed, untracked=False)
    run(seed, "git", "init", "-q", "-b", "main")
    run(seed, "dvc", "repro", "--quiet")
    run(seed, "git", "add", "-A")
    run(seed, "git", "commit", "-q", "-m", "template, reproduced")
    return seed


def mlgate(repo: Path, *args: str, user: str = "Ann") -> subprocess.CompletedProcess:
    return run(repo, "mlgate", *args, check=False, user=user)


def promote(repo: Path, *args: str, user: str = "Ann") -> subprocess.CompletedProcess:
    """`mlgate promote` without re-running the checks (one test runs them; they take ~15 s)."""
    return mlgate(repo, "promote", "--no-recheck", *args, user=user)


def tags(repo: Path, *, remote: bool = False) -> set[str]:
    if remote:
        out = run(repo, "git", "ls-remote", "--tags", "origin").stdout
        return {line.split("refs/tags/")[1] for line in out.splitlines() if "^{}" not in line}
    return set(run(repo, "git", "tag", "--list").stdout.split())


def record_of(repo: Path, tag: str) -> dict:
    message = run(repo, "git", "for-each-ref", "--format=%(contents)", f"refs/tags/{tag}").stdout
    return json.loads(message.split("\n\n", 1)[1])


def commit_all(repo: Path, message: str, *, push: bool = True) -> None:
    run(repo, "git", "add", "-A")
    run(repo, "git", "commit", "-q", "-m", message)
    if push:
        run(repo, "git", "push", "-q", "origin", "HEAD:main")
