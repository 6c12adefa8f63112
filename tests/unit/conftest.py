"""The project's own YAML files, parsed as DVC parses them, fresh for each test to change."""

from __future__ import annotations

import copy

import pytest

from mlgate.io import parse_yaml


@pytest.fixture(scope="session")
def project_yaml(project_root) -> dict:
    """``params.yaml``, ``dvc.yaml`` and ``dvc.lock``, parsed once."""
    return {
        name: parse_yaml((project_root / name).read_text(), source=name)
        for name in ("params.yaml", "dvc.yaml", "dvc.lock")
    }


@pytest.fixture
def params(project_yaml):
    return copy.deepcopy(project_yaml["params.yaml"])


@pytest.fixture
def dvc(project_yaml):
    return copy.deepcopy(project_yaml["dvc.yaml"])


@pytest.fixture
def lock(project_yaml):
    return copy.deepcopy(project_yaml["dvc.lock"])
