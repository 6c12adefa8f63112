"""The model suite: the checks configured in params.yaml, one pytest item each.

The evidence comes from the real pipeline, reproduced up to the ``check`` stage before the tests
start (``make test`` runs ``dvc repro check`` first). The suite only reads it: a test that
reproduced the pipeline in the checkout would rewrite tracked files while the other tests, in
parallel, read them. A pipeline that is not reproduced fails the suite, saying what changed.
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
    status = subprocess.run(
        ["dvc", "status", "--json", "check"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    if status.returncode != 0:
        pytest.fail(f"dvc status check failed:\n{status.stdout}\n{status.stderr}")
    changed = json.loads(status.stdout or "{}")
    if changed:
        pytest.fail(
            f"the pipeline is not reproduced up to check (changed: {', '.join(sorted(changed))}): "
            "run `dvc repro check` first (`make test` does). The model suite reads the evidence; "
            "it does not rewrite the checkout while other tests read it."
        )
    return json.loads((PROJECT_ROOT / "reports/checks.json").read_text())
