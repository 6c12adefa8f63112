"""What mlgate writes by default outside the DVC pipeline is ignored by git, never left untracked.

A file neither tracked nor ignored shows in every ``git status`` and goes into the next
``git add -A``: ``reports/batch_checks.json`` (``mlgate check --current``) did.
"""

from __future__ import annotations

import subprocess

import pytest

from mlgate import paths
from mlgate.cli.report import DEFAULT_OUTPUT
from mlgate.stages.check_evidence import timings_path

WRITTEN_OUTSIDE_THE_PIPELINE = {
    "check --current": paths.BATCH_CHECKS,
    "check --current (wall times)": timings_path(paths.BATCH_CHECKS),
    "check (wall times)": timings_path(paths.CHECKS),
    "report": DEFAULT_OUTPUT,
    "report (figures)": DEFAULT_OUTPUT.with_suffix("") / "roc.png",
    "monitor": paths.MONITOR_SUMMARY,
    "monitor (history)": paths.MONITOR_HISTORY,
    "package, as the README serves it": "build/model/MLmodel",
}


@pytest.mark.parametrize("command", list(WRITTEN_OUTSIDE_THE_PIPELINE))
def test_a_default_output_is_ignored_by_git(project_root, command):
    path = str(WRITTEN_OUTSIDE_THE_PIPELINE[command])
    found = subprocess.run(
        ["git", "check-ignore", "--no-index", "--quiet", path], cwd=project_root, check=False
    )
    assert found.returncode == 0, f"{path} (mlgate {command}) is not ignored by git"
