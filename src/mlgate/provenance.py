"""What a model was made from: data hashes, params, git commit and library versions.

Nothing here embeds the time: two runs on the same inputs write the same model card.
"""

from __future__ import annotations

import platform
import subprocess
from importlib import metadata
from pathlib import Path

#: Distributions whose versions decide what a saved model computes.
KEY_LIBRARIES = ("mlgate", "scikit-learn", "numpy", "scipy", "pandas", "pyarrow", "skops")


def library_versions() -> dict[str, str]:
    """Return the versions of Python and of :data:`KEY_LIBRARIES`."""
    versions = {"python": platform.python_version()}
    for name in KEY_LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_commit(cwd: str | Path = ".") -> str | None:
    """Return the commit ``HEAD`` points at in ``cwd``, or None outside a git repository."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, check=False
        )
    except FileNotFoundError:  # git itself is not installed
        return None
    return result.stdout.strip() if result.returncode == 0 else None
