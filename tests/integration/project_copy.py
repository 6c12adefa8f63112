"""Copy this project's files into a folder, as a fresh clone would hold them."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def copy_project(project_root: Path, target: Path, *, untracked: bool = True) -> None:
    """Copy every file git tracks (and, with ``untracked``, new files it does not ignore)."""
    command = ["git", "ls-files", "--cached", "-z"]
    if untracked:
        command[2:2] = ["--others", "--exclude-standard"]
    listed = subprocess.run(
        command, cwd=project_root, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, listed):
        source = project_root / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
