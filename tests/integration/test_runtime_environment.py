"""The checks run in an environment with only mlgate's runtime dependencies (no dev tools).

A team installs mlgate without its test tools; a check that imports a dev-only library there errs,
and the gate then rejects every model. This syncs such an environment from the committed lock
(offline: the test run's own sync filled uv's cache) and runs every check in it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def uv_command(project_root: Path) -> str:
    found = shutil.which("uv") or project_root / ".tools/bin/uv"
    if not Path(found).is_file():
        pytest.fail("uv is neither on PATH nor in .tools/bin: run `make setup` first")
    return str(found)


def test_every_check_runs_without_the_dev_dependencies(project_root, built_projects, tmp_path):
    environment = tmp_path / "runtime-env"
    env = {**os.environ, "UV_PROJECT_ENVIRONMENT": str(environment), "UV_PYTHON_DOWNLOADS": "never"}
    subprocess.run(
        [uv_command(project_root), "sync", "--locked", "--no-default-groups", "--offline",
         "--python", sys.executable],
        cwd=project_root, env=env, check=True, capture_output=True,
    )  # fmt: skip
    missing = subprocess.run(
        [environment / "bin/python", "-c", "import pytest"], capture_output=True, check=False
    )
    assert missing.returncode != 0, "the runtime environment must not have the dev tools"

    project = built_projects(
        ("ingest", "prepare", "train", "evaluate", "explain"), tmp_path / "project"
    )
    subprocess.run(
        [environment / "bin/mlgate", "check", "--no-fail"], cwd=project, check=True,
        capture_output=True,
    )  # fmt: skip
    results = json.loads((project / "reports/checks.json").read_text())["results"]
    errors = {r["id"]: r["summary"] for r in results if r["status"] == "error"}
    assert errors == {}
    assert next(r for r in results if r["id"] == "robustness.inputs")["status"] == "pass"
