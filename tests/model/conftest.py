"""The model suite: the checks configured in params.yaml, one pytest item each.

The evidence comes from the real pipeline: a session fixture runs ``dvc repro`` (a no-op when
everything is up to date), which ends with the ``check`` stage writing ``reports/checks.json``.
Each configured check then becomes a test that fails with the check's own evidence.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def pytest_generate_tests(metafunc):
    if "check_id" in metafunc.fixturenames:
        from mlgate.config import load_config

        ids = sorted(load_config(PROJECT_ROOT / "params.yaml").checks)
        metafunc.parametrize("check_id", ids, ids=ids)


@pytest.fixture(scope="session")
def evidence() -> dict:
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "DVC_NO_ANALYTICS": "1",
    }
    run = subprocess.run(
        ["dvc", "repro", "check"], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True
    )
    if run.returncode != 0:
        pytest.fail(f"dvc repro check failed:\n{run.stdout}\n{run.stderr}")
    return json.loads((PROJECT_ROOT / "reports/checks.json").read_text())
