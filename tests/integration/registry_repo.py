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

#: The people of the tests' registry: each has an SSH key the seed's allowed_signers allows to
#: register and assign every stage (``make_seed``); ``Mallory`` has a key nobody allowed.
USERS = ("Ann", "Bob", "Cy", "Win")
#: Where the keys are, once ``make_seed`` made them (one folder per test process).
KEYS: dict[str, Path] = {}


#: The tagger the release workflows set (promote.yml), whose key is the ``ci`` key.
BOT_EMAIL = "41898282+github-actions[bot]@users.noreply.github.com"


def email_of(user: str) -> str:
    return BOT_EMAIL if user == "ci" else f"{user.lower()}@example.invalid"


def make_keys(folder: Path) -> None:
    """An ed25519 key per user (and Mallory), in ``folder``; remembered in :data:`KEYS`."""
    folder.mkdir(parents=True, exist_ok=True)
    for user in (*USERS, "ci", "Mallory"):
        key = folder / user.lower()
        if not key.exists():
            subprocess.run(
                ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", email_of(user), "-f", key],
                check=True,
            )
        KEYS[user] = key


def allowed_signers(stages: tuple[str, ...] = ("staging", "prod")) -> str:
    """The allowed_signers text that lets every user of :data:`USERS` do everything."""
    grants = ",".join(["mlgate:register", *(f"mlgate:stage:{s}" for s in stages)])
    lines = []
    for user in (*USERS, "ci"):
        public = KEYS[user].with_suffix(".pub").read_text().split()[:2]
        lines.append(f"{email_of(user)},{grants} {' '.join(public)}")
    return "\n".join(lines) + "\n"


def signing_env(user: str) -> dict[str, str]:
    """git's configuration, as environment variables, to sign with ``user``'s key."""
    if user not in KEYS:
        return {}
    return {
        "GIT_CONFIG_COUNT": "2",
        "GIT_CONFIG_KEY_0": "gpg.format",
        "GIT_CONFIG_VALUE_0": "ssh",
        "GIT_CONFIG_KEY_1": "user.signingkey",
        "GIT_CONFIG_VALUE_1": str(KEYS[user]),
    }


def run(
    repo: Path, *args: str, check: bool = True, user: str = "Ann"
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "DVC_NO_ANALYTICS": "1",
        "GIT_AUTHOR_NAME": user,
        "GIT_AUTHOR_EMAIL": email_of(user),
        "GIT_COMMITTER_NAME": user,
        "GIT_COMMITTER_EMAIL": email_of(user),
        **signing_env(user),
    }
    env.pop("GITHUB_ACTOR", None)
    result = subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


def make_seed(tmp_path_factory, project_root) -> Path:
    """The project after `dvc repro`, committed on main (its DVC cache is shared by the clones).

    Its ``.mlgate/allowed_signers`` lets each user of :data:`USERS` sign the registry's tags.
    """
    seed = tmp_path_factory.mktemp("seed")
    make_keys(seed.parent / f"{seed.name}-keys")
    copy_project(project_root, seed, untracked=False)
    (seed / ".mlgate").mkdir(exist_ok=True)
    (seed / ".mlgate" / "allowed_signers").write_text(allowed_signers())
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
    unsigned = message.split("-----BEGIN SSH SIGNATURE-----", 1)[0]
    return json.loads(unsigned.split("\n\n", 1)[1])


def commit_all(repo: Path, message: str, *, push: bool = True) -> None:
    run(repo, "git", "add", "-A")
    run(repo, "git", "commit", "-q", "-m", message)
    if push:
        run(repo, "git", "push", "-q", "origin", "HEAD:main")
