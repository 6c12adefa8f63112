"""Every git call mlgate makes: resolve a revision, read a committed file.

Metrics, plots and check results are DVC outputs with ``cache: false``: DVC keeps them in git, so
a revision's own commit holds what DVC recorded there, and ``dvc.lock`` says which model it was.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any


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
