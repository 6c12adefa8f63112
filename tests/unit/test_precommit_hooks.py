"""The pre-commit files are valid, and the local hooks run the same commands others install."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pre_commit.clientlib import load_config, load_manifest

from mlgate.cli.app import COMMANDS


@pytest.fixture(scope="module")
def manifest(project_root):
    return {hook["id"]: hook for hook in load_manifest(project_root / ".pre-commit-hooks.yaml")}


@pytest.fixture(scope="module")
def local_hooks(project_root):
    config = load_config(project_root / ".pre-commit-config.yaml")
    assert [repo["repo"] for repo in config["repos"]] == ["local"]  # nothing to download
    return {hook["id"]: hook for hook in config["repos"][0]["hooks"]}


def test_the_manifest_offers_the_three_mlgate_hooks(manifest):
    assert list(manifest) == ["mlgate-validate", "mlgate-guard-files", "mlgate-lock-check"]
    for hook in manifest.values():
        assert hook["language"] == "python"  # pre-commit installs mlgate from the repository
        program, command = hook["entry"].split()
        assert program == "mlgate"
        assert command in COMMANDS


def test_local_hooks_run_what_the_manifest_runs_from_the_project_environment(manifest, local_hooks):
    for hook_id, hook in manifest.items():
        local = local_hooks[hook_id]
        assert local["entry"] == f".venv/bin/{hook['entry']}"
        assert (local["files"], local["pass_filenames"]) == (hook["files"], hook["pass_filenames"])


def test_every_local_hook_runs_a_program_of_the_environment(local_hooks):
    assert set(local_hooks) >= {"ruff-check", "ruff-format"}
    for hook in local_hooks.values():
        assert hook["language"] in ("system", "unsupported")  # pre-commit 4.4 renamed system
        program = hook["entry"].split()[0]
        assert program.startswith(".venv/bin/")
        assert (Path(sys.prefix) / "bin" / Path(program).name).is_file()
