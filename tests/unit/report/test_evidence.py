"""Reading the evidence of the working tree and of a git revision, params.yaml included."""

from __future__ import annotations

import json
import subprocess

import pytest

from mlgate.errors import ConfigError
from mlgate.report.evidence import parse_params, revision_evidence, working_tree_evidence


def git(*args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True, capture_output=True
    )


def test_the_working_tree_and_a_revision_each_give_their_params(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports/metrics.json").write_text(json.dumps({"accuracy": 0.8}))
    (tmp_path / "params.yaml").write_text("train:\n  learning_rate: 0.1\n")
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "-m", "baseline")
    (tmp_path / "params.yaml").write_text("train:\n  learning_rate: 0.05\n")

    current = working_tree_evidence(tmp_path)
    baseline = revision_evidence("HEAD")
    assert current.get("params") == {"train": {"learning_rate": 0.05}}
    assert baseline.get("params") == {"train": {"learning_rate": 0.1}}
    assert baseline.get("metrics") == {"accuracy": 0.8}
    assert "reports/checks.json" in baseline.missing
    assert baseline.label.startswith("HEAD (")
    with pytest.raises(ConfigError, match="'nope' is not a git revision"):
        revision_evidence("nope")


def test_params_that_are_not_a_mapping_are_left_out():
    assert parse_params("a: [1, 2]\n") == {"a": [1, 2]}
    assert parse_params("- a\n") is None
    assert parse_params("a: [\n") is None
    assert parse_params("") is None
