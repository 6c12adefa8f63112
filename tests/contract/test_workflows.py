"""The GitHub workflows: valid against GitHub's schema, clean under zizmor, hardened by rule."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

BIN = Path(sys.executable).parent


def workflows(project_root: Path) -> list[Path]:
    found = sorted((project_root / ".github/workflows").glob("*.yml"))
    assert found
    return found


def test_workflows_match_githubs_schema(project_root):
    result = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows"]
        + [str(p) for p in workflows(project_root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing(project_root):
    result = subprocess.run(
        [BIN / "zizmor", "--offline", "--no-progress", str(project_root / ".github/workflows")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


@pytest.mark.parametrize("name", ["ci.yml", "pr-report.yml"])
def test_hardening_rules_hold(project_root, name):
    workflow = YAML(typ="safe").load((project_root / ".github/workflows" / name).read_text())
    triggers = workflow.get("on") or workflow.get(True)  # YAML 1.1 reads `on` as True
    assert "pull_request_target" not in triggers
    assert workflow["permissions"] == {}
    for job in workflow["jobs"].values():
        assert "permissions" in job
        writes = {k for k, v in job["permissions"].items() if v == "write"}
        assert writes <= {"pull-requests"}
        for step in job["steps"]:
            assert "${{" not in step.get("run", "")
            uses = step.get("uses", "")
            if uses:
                ref = uses.split("@", 1)[1]
                assert len(ref) == 40, uses
                assert all(c in "0123456789abcdef" for c in ref), uses
            if uses.startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
    if name == "pr-report.yml":
        # The job with a write token never checks out or runs the pull request's code.
        steps = workflow["jobs"]["comment"]["steps"]
        assert not any(s.get("uses", "").startswith("actions/checkout@") for s in steps)
        assert not any("make " in s.get("run", "") or "pip" in s.get("run", "") for s in steps)
