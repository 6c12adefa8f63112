"""Every git call mlgate makes: read committed files, and the tag traffic of promotion.

Metrics, plots and check results are DVC outputs with ``cache: false``: DVC keeps them in git, so
a revision's own commit holds what DVC recorded there, and ``dvc.lock`` says which model it was.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from mlgate.errors import RunError


def resolve(rev: str) -> str | None:
    """The commit ``rev`` names (full SHA), or None if git, or this revision, is not here."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return None
    return out.stdout.strip() or None


def read_text_at(rev: str, path: Path | str) -> str | None:
    """The text of ``path`` as committed at ``rev``; None if the revision or file is absent."""
    if resolve(rev) is None:
        return None
    # `./`: relative to this folder, not the repository's root, so that a project in a
    # subfolder of its repository (a monorepo) reads its own files.
    shown = subprocess.run(
        ["git", "show", f"{rev}:./{Path(path).as_posix()}"],
        capture_output=True,
        text=True,
        check=False,
    )
    return shown.stdout if shown.returncode == 0 else None


def read_json_at(rev: str, path: Path | str) -> Any:
    """The JSON file ``path`` as committed at ``rev``; None if absent there or not JSON."""
    text = read_text_at(rev, path)
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def folder_prefix() -> str:
    """The working folder's path from the repository's root (``ml/``); ``""`` at the root."""
    return subprocess.run(
        ["git", "rev-parse", "--show-prefix"], capture_output=True, text=True, check=True
    ).stdout.strip()


def read_bytes_at(rev: str, path: Path | str) -> bytes | None:
    """The bytes of ``path`` as committed at ``rev``; None if the revision or file is absent."""
    shown = subprocess.run(
        ["git", "show", f"{rev}:./{Path(path).as_posix()}"], capture_output=True, check=False
    )
    return shown.stdout if shown.returncode == 0 else None


def run_git(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``git args...`` (an argument list, never a shell) and capture its output.

    Raises
    ------
    RunError
        When ``check`` and git exits non-zero: the command and git's own message.
    """
    try:
        done = subprocess.run(["git", *args], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise RunError("git is not installed (or not on PATH): install git.") from None
    if check and done.returncode != 0:
        raise RunError(f"`git {' '.join(args)}` failed: {done.stderr.strip() or done.stdout}")
    return done


def tracked_changes() -> list[str]:
    """Tracked files that differ from HEAD (staged or not), as ``git status`` names them."""
    out = run_git("status", "--porcelain", "--untracked-files=no").stdout
    return [line[3:] for line in out.splitlines() if line.strip()]


def is_tracked(path: Path | str) -> bool:
    """Whether git tracks ``path`` (False outside a repository, or without git)."""
    try:
        return run_git("ls-files", "--error-unmatch", "--", str(path), check=False).returncode == 0
    except RunError:  # git is not installed: nothing is tracked
        return False


def is_ancestor(commit: str, of: str) -> bool:
    """Whether ``commit`` is ``of`` or one of its ancestors (it is on that branch)."""
    return run_git("merge-base", "--is-ancestor", commit, of, check=False).returncode == 0


def has_remote(remote: str) -> bool:
    """Whether this repository has a remote of that name."""
    return run_git("remote", "get-url", remote, check=False).returncode == 0


def fetch_tags_and_branch(remote: str, branch: str | None) -> None:
    """Make the local tags exactly the remote's, and fetch ``branch`` as ``remote/branch``.

    ``--force`` and ``--prune-tags``: a tag another clone moved or deleted, or a local tag a failed
    push left behind, is replaced by the remote's, which is the registry's truth.
    """
    refspecs = ["+refs/tags/*:refs/tags/*"]
    if branch:
        refspecs.append(f"+refs/heads/{branch}:refs/remotes/{remote}/{branch}")
    run_git("fetch", "--quiet", "--force", "--prune", "--prune-tags", remote, *refspecs)


def push_tags_atomic(remote: str, tags: list[str]) -> tuple[bool, str]:
    """Push ``tags`` all or none (``--atomic``); whether the remote took them, and git's message."""
    done = run_git(
        "push",
        "--atomic",
        "--porcelain",
        remote,
        *[f"refs/tags/{t}:refs/tags/{t}" for t in tags],
        check=False,
    )
    return done.returncode == 0, (done.stderr.strip() or done.stdout.strip())


def delete_local_tags(tags: list[str]) -> None:
    """Delete local tags (those a rejected push created), leaving the remote's untouched."""
    if tags:
        run_git("tag", "--delete", *tags, check=False)


def identity() -> tuple[str, str]:
    """Who is acting, as git would record it: name and email ("" and "" when git knows neither).

    ``git var GIT_COMMITTER_IDENT`` honours ``GIT_COMMITTER_NAME``/``EMAIL`` as well as
    ``user.name``/``user.email``, as ``git tag`` itself does.
    """
    ident = run_git("var", "GIT_COMMITTER_IDENT", check=False).stdout.strip()
    name, _, rest = ident.partition(" <")
    email = rest.partition(">")[0]
    return (name.strip(), email.strip()) if email else ("", "")


def tag_object(tag: str) -> bytes | None:
    """The raw annotated tag object ``refs/tags/<tag>`` (None when it is absent or lightweight)."""
    kind = subprocess.run(
        ["git", "cat-file", "-t", f"refs/tags/{tag}"], capture_output=True, check=False
    )
    if kind.returncode != 0 or kind.stdout.strip() != b"tag":
        return None
    shown = subprocess.run(
        ["git", "cat-file", "tag", f"refs/tags/{tag}"], capture_output=True, check=False
    )
    return shown.stdout if shown.returncode == 0 else None


def replace_tag_object(tag: str, data: bytes, *, old: str) -> None:
    """Point ``refs/tags/<tag>`` at a new tag object made of ``data`` (``git mktag``).

    ``old`` is the object the ref must still hold (compare and swap): a tag another process
    moved meanwhile is not overwritten.

    Raises
    ------
    RunError
        When git refuses the object (``mktag`` checks its format) or the ref moved.
    """
    made = subprocess.run(["git", "mktag"], input=data, capture_output=True, check=False)
    if made.returncode != 0:
        raise RunError(f"`git mktag` refused the tag object for {tag}: {made.stderr.decode()}")
    run_git("update-ref", f"refs/tags/{tag}", made.stdout.decode().strip(), old)


def tag_object_id(tag: str) -> str | None:
    """The object id ``refs/tags/<tag>`` holds (the tag object, not the commit); None if absent."""
    done = run_git("rev-parse", "--verify", "--quiet", f"refs/tags/{tag}", check=False)
    return done.stdout.strip() or None


def config_value(key: str) -> str | None:
    """A git config value as git resolves it for this repository (None when unset)."""
    done = run_git("config", "--get", key, check=False)
    return done.stdout.strip() or None


def git_dir() -> Path:
    """The git directory of this repository (``.git``, or a worktree's own), absolute."""
    return Path(run_git("rev-parse", "--absolute-git-dir").stdout.strip())
