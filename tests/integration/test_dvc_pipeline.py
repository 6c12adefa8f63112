"""The real ``dvc repro`` in a temporary git repository made from this project's files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.project_copy import copy_project

pytestmark = [pytest.mark.slow, pytest.mark.integration]

BIN = Path(sys.executable).parent


def sh(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "DVC_NO_ANALYTICS": "1",
        "GIT_AUTHOR_NAME": "test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    result = subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        raise AssertionError(
            f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


@pytest.fixture(scope="module")
def repo(tmp_path_factory, project_root) -> Path:
    """A fresh git repository holding the project's files as a clone would have them."""
    repo = tmp_path_factory.mktemp("clone")
    copy_project(project_root, repo, untracked=False)
    sh(repo, "git", "init", "-q", "-b", "main")
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-q", "-m", "template")
    return repo


def stage_hashes(repo: Path) -> dict[str, str]:
    from ruamel.yaml import YAML

    lock = YAML(typ="safe").load((repo / "dvc.lock").read_text())
    return {
        out["path"]: out["md5"]
        for stage in lock["stages"].values()
        for out in stage.get("outs", [])
    }


def test_repro_runs_every_stage_then_is_a_no_op_and_is_deterministic(repo):
    first = sh(repo, "dvc", "repro")
    for stage in ("ingest", "prepare", "train", "evaluate", "explain"):
        assert f"Running stage '{stage}'" in first.stdout
    # A fresh clone (no DVC cache) rebuilds exactly what the project committed, so the evidence
    # kept in git (checks.json, gate.json) is already current, and nothing changes.
    for stage in ("check", "gate"):
        assert f"Stage '{stage}' didn't change, skipping" in first.stdout
    assert sh(repo, "git", "status", "--porcelain").stdout == ""
    # Each curve is drawn once, by its named definition (not a second time as a bare output).
    drawn = json.loads(sh(repo, "dvc", "plots", "show", "--json").stdout)["data"]
    assert sorted(drawn) == [
        "Calibration",
        "Confusion matrix",
        "Precision-recall curve",
        "ROC curve",
    ]
    assert "[train] fitting hist_gradient_boosting" in first.stdout + first.stderr
    assert (repo / "models/model.skops").is_file()
    hashes = stage_hashes(repo)

    # Byte-code that running Python leaves in the code's folders is not a change (.dvcignore).
    sh(repo, sys.executable, "-m", "compileall", "-q", "src")
    assert list((repo / "src/mlgate/checks").rglob("*.pyc"))
    again = sh(repo, "dvc", "repro")
    assert "Data and pipelines are up to date." in again.stdout
    assert "Running stage" not in again.stdout

    # The first run and a forced rerun, in a row: every output byte-identical, the model included.
    sh(repo, "dvc", "repro", "-f")
    assert stage_hashes(repo) == hashes, "dvc repro -f changed an output's bytes"
    assert json.loads((repo / "reports/gate.json").read_text())["decision"] == "promote"
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-q", "--allow-empty", "-m", "baseline run")


def test_a_param_change_reruns_only_its_dependents(repo):
    params = repo / "params.yaml"
    original = params.read_text()
    params.write_text(original.replace("learning_rate: 0.1", "learning_rate: 0.05"))
    run = sh(repo, "dvc", "repro", "evaluate")  # explain, check and gate follow the same way
    assert "Stage 'ingest' didn't change, skipping" in run.stdout
    assert "Stage 'prepare' didn't change, skipping" in run.stdout
    assert "Running stage 'train'" in run.stdout
    assert "Running stage 'evaluate'" in run.stdout

    params_diff = sh(repo, "dvc", "params", "diff").stdout
    assert "train.hist_gradient_boosting.learning_rate" in params_diff
    assert "0.1" in params_diff
    assert "0.05" in params_diff
    metrics_diff = sh(repo, "dvc", "metrics", "diff").stdout
    assert "roc_auc" in metrics_diff
    sh(repo, "git", "checkout", "--", ".")
    sh(repo, "dvc", "checkout", "-q")


def test_experiments_run_and_show_metrics(repo):
    sh(
        repo,
        "dvc",
        "exp",
        "run",
        "evaluate",
        "-n",
        "slow-learner",
        "-S",
        "train.hist_gradient_boosting.learning_rate=0.03",
    )
    shown = sh(repo, "dvc", "exp", "show", "--csv").stdout
    header, *rows = shown.splitlines()
    assert "roc_auc" in header
    assert "train.hist_gradient_boosting.learning_rate" in header
    experiment = next(row for row in rows if "slow-learner" in row)
    assert "0.03" in experiment


def test_dvc_plots_render(repo, tmp_path):
    out = sh(repo, "dvc", "plots", "show", "-o", str(tmp_path / "plots"))
    assert "index.html" in out.stdout
    html = (tmp_path / "plots" / "index.html").read_text()
    assert "ROC curve" in html
    assert "Confusion matrix" in html
