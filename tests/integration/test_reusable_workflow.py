"""A repository that installs mlgate as a package calls the reusable workflows, played through.

The team's repository is not a copy of this template. Its model project sits in ``ml/``, a DVC
project in a subfolder of the git repository; its params file is ``ml/config/gate.yaml``; its
``dvc.yaml`` runs ``mlgate --params config/gate.yaml <stage>`` and lists none of mlgate's code;
its DVC remote is committed as the project's default. Its workflow calls ``mlgate-gate.yml`` and
then ``mlgate-comment.yml`` in the same pull-request run, as the README shows an adopter, with
``OWNER/mlgate/...@<sha>`` references that the test maps to this checkout's files.

The gate job's install step runs for real: a fresh ``.venv`` from a pinned lock (``pylock.toml``,
exported here from this project's ``uv.lock``, offline from uv's cache), then mlgate itself from a
requirement naming this project as a package. A fake ``cml`` and ``gh`` record what is posted.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.integration.project_copy import copy_project
from tests.integration.test_pr_workflow import (
    checkout_like_actions,
    describe,
    runner_tools,
    sh,
    upload_artifact,
    uv_directory,
)
from tests.integration.workflow_runner import load_workflow, play_call

pytestmark = [pytest.mark.slow, pytest.mark.integration]

PR_NUMBER = 12
PARAMS = "config/gate.yaml"
PINNED = "0123456789abcdef0123456789abcdef01234567"
CALLER = """\
name: model
on:
  pull_request:
permissions: {{}}
jobs:
  gate:
    permissions:
      contents: read
    uses: OWNER/mlgate/.github/workflows/mlgate-gate.yml@{pinned}
    with:
      working-directory: ml
      params-path: {params}
      python-version: "3.11"
      requirements: pylock.toml
      mlgate-spec: "mlgate @ {package}"
  comment:
    needs: gate
    if: ${{{{ !cancelled() }}}}
    permissions:
      actions: read
      pull-requests: write
    uses: OWNER/mlgate/.github/workflows/mlgate-comment.yml@{pinned}
"""


def adopt_dvc_yaml(template: str) -> dict:
    """The template's pipeline as a package's user writes it: other params file, no mlgate code."""
    pipeline = YAML(typ="safe").load(template)
    for stage in pipeline["stages"].values():
        program, arguments = stage["cmd"].split(" ", 1)
        assert program == "mlgate"
        stage["cmd"] = f"mlgate --params {PARAMS} {arguments}"
        stage["deps"] = [dep for dep in stage["deps"] if not dep.startswith("src/")]
        stage["params"] = [{PARAMS: stage["params"]}]
    return {"vars": [PARAMS], **pipeline}


def make_team_repository(root: Path, project_root: Path, remote: Path) -> tuple[Path, str]:
    """``main`` reproduced and pushed, and a pull request branch that lowers the learning rate."""
    template = root / "template"
    copy_project(project_root, template, untracked=False)
    origin = root / "origin"
    ml = origin / "ml"
    for folder in ("data", "models", ".dvc"):
        shutil.copytree(template / folder, ml / folder)
    shutil.copy(template / ".dvcignore", ml / ".dvcignore")
    (ml / "reports").mkdir()
    for name, lines in (("adult.data.gz", 6000), ("adult.test.gz", 3000)):
        path = ml / "data/source" / name
        kept = gzip.decompress(path.read_bytes()).splitlines(True)[:lines]
        path.write_bytes(gzip.compress(b"".join(kept), mtime=0))
    params = ml / PARAMS
    params.parent.mkdir()
    params.write_text(
        (template / "params.yaml").read_text().replace("max_iter: 200\n", "max_iter: 40\n")
    )
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    with (ml / "dvc.yaml").open("w") as handle:
        yaml.dump(adopt_dvc_yaml((template / "dvc.yaml").read_text()), handle)
    (origin / ".gitignore").write_text(".venv/\n/ml/reports/report.md\n/ml/reports/report/\n")
    # The lock the team installs from: this project's runtime dependencies, pinned and hashed.
    subprocess.run(
        [uv_directory(project_root) / "uv", "export", "--locked", "--offline", "--format",
         "pylock.toml", "--no-default-groups", "--no-emit-project", "-o", str(ml / "pylock.toml")],
        cwd=project_root, check=True, capture_output=True,
    )  # fmt: skip
    sh(origin, "git", "init", "-q", "-b", "main")
    sh(ml, "dvc", "remote", "add", "--default", "storage", str(remote))
    sh(ml, "dvc", "repro")
    sh(ml, "dvc", "push")
    sh(origin, "git", "add", "-A")
    sh(origin, "git", "commit", "-q", "-m", "main: reproduced")
    sh(origin, "git", "checkout", "-q", "-b", "tune-learning-rate")
    params.write_text(params.read_text().replace("learning_rate: 0.1", "learning_rate: 0.05"))
    sh(ml, "dvc", "repro")
    sh(ml, "dvc", "push")
    sh(origin, "git", "add", "-A")
    sh(origin, "git", "commit", "-q", "-m", "Lower the learning rate")
    head = sh(origin, "git", "rev-parse", "HEAD").stdout.strip()
    sh(origin, "git", "checkout", "-q", "main")
    return origin, head


def pull_request_context(head: str, runner_temp: str, *, head_repository: str) -> dict:
    return {
        "github": {
            "base_ref": "main",
            "repository": "team/model",
            "token": "ghs_fake",
            "run_id": 99,
            "event_name": "pull_request",
            "event": {
                "pull_request": {
                    "number": PR_NUMBER,
                    "title": "Lower the learning rate",
                    "head": {"sha": head, "repo": {"full_name": head_repository}},
                }
            },
        },
        "runner": {"temp": runner_temp},
        "vars": {},
        "secrets": {},
    }


def resolver(project_root: Path):
    """Map ``OWNER/mlgate/.github/workflows/NAME@SHA`` to this checkout's file."""

    def resolve(uses: str) -> Path:
        reference, _, sha = uses.partition("@")
        owner_repo, _, path = reference.partition("/.github/workflows/")
        assert owner_repo == "OWNER/mlgate", uses
        assert len(sha) == 40, uses
        return project_root / ".github/workflows" / path

    return resolve


@pytest.fixture(scope="module")
def adopted(tmp_path_factory, project_root):
    root = tmp_path_factory.mktemp("adopter")
    origin, head = make_team_repository(root, project_root, root / "dvc-remote")
    package = root / "mlgate-package"
    copy_project(project_root, package, untracked=False)
    caller = YAML(typ="safe").load(
        CALLER.format(pinned=PINNED, params=PARAMS, package=package.as_uri())
    )
    runner = root / "runner"
    checkout_like_actions(origin, runner, head)
    env = runner_tools(root, project_root) | {"FAKE_PR_HEAD_SHA": head}
    context = pull_request_context(head, env["RUNNER_TEMP"], head_repository="team/model")
    common = {"repository_root": project_root, "resolve": resolver(project_root)}
    gate = play_call(caller, "gate", workdir=runner, context=context, base_env=env, **common)
    poster = root / "poster"
    gate_workflow = load_workflow(project_root / ".github/workflows/mlgate-gate.yml")
    upload_artifact(gate_workflow, "gate", "Upload the report", context, poster / "pr-report")
    comment = play_call(
        caller, "comment", workdir=poster, context=context, base_env=env,
        skip=("Install CML",), **common,
    )  # fmt: skip
    cml = root / "cml.jsonl"
    return {
        "root": root,
        "origin": origin,
        "runner": runner,
        "caller": caller,
        "context": context,
        "common": common,
        "env": env,
        "gate": gate,
        "comment": comment,
        "cml": [json.loads(line) for line in cml.read_text().splitlines()] if cml.exists() else [],
        "gh": (root / "gh.jsonl").read_text() if (root / "gh.jsonl").exists() else "",
    }


def test_the_gate_runs_in_the_project_folder_with_its_params_file(adopted):
    steps = adopted["gate"].jobs["gate"].steps
    assert [s.name for s in steps] == [
        "Install mlgate and the project's environment",
        "Use the DVC remote, if one is configured",
        "Name the baseline branches locally",
        "Reproduce the pipeline",
        "Check this commit against the current baseline",
        "Write the report",
        "Enforce the gate",
    ], describe(steps)
    assert all(s.returncode == 0 for s in steps[:-1]), describe(steps)
    ml = adopted["runner"] / "ml"
    gate = json.loads((ml / "reports/gate.json").read_text())
    # The verdict comes out as the workflow's output, and the last step enforces it.
    assert adopted["gate"].outputs == {"decision": gate["decision"]}
    assert steps[-1].returncode == (0 if gate["decision"] == "promote" else 1)
    # No params.yaml anywhere: every mlgate command read config/gate.yaml, or it would have
    # stopped with exit code 2.
    assert not list(adopted["runner"].rglob("params.yaml"))
    assert "No DVC remote" not in steps[1].stdout  # the committed default remote was pulled


def test_mlgate_was_installed_as_a_package_not_copied(adopted):
    ml = adopted["runner"] / "ml"
    install = adopted["gate"].jobs["gate"].steps[0]
    assert "mlgate, version" in install.stdout, describe([install])
    assert not (adopted["runner"] / "src").exists()
    where = subprocess.run(
        # -I: the runner's environment, not this test run's PYTHONPATH.
        [ml / ".venv/bin/python", "-I", "-c", "import mlgate; print(mlgate.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "/ml/.venv/lib/" in where
    assert "site-packages/mlgate/" in where


def test_the_report_is_posted_on_the_pull_request(adopted):
    comment = adopted["comment"].jobs["comment"]
    assert not comment.skipped
    assert all(s.returncode == 0 for s in comment.steps), describe(comment.steps)
    (call,) = adopted["cml"]
    assert call["args"][:2] == ["comment", "update"]
    assert f"--target=pr/{PR_NUMBER}" in call["args"]
    assert "--repo=https://github.com/team/model" in call["args"]
    assert f"repos/team/model/pulls/{PR_NUMBER}" in adopted["gh"]
    markdown = call["markdown"]
    gate = json.loads((adopted["runner"] / "ml/reports/gate.json").read_text())
    first_line = markdown.splitlines()[0]
    assert first_line.startswith(f"## {'✅' if gate['decision'] == 'promote' else '❌'} mlgate: ")
    # The title is data: escaped, and "#12" references no issue (a zero-width space after '#').
    assert f"\\#\u200b{PR_NUMBER}: Lower the learning rate" in markdown
    # The baseline was read from the project's folder at main, and its model from the remote.
    main_metrics = json.loads(
        sh(adopted["origin"], "git", "show", "main:ml/reports/metrics.json").stdout
    )
    row = next(line for line in markdown.splitlines() if line.startswith("| ROC AUC |"))
    assert f"| {main_metrics['roc_auc']:.4f} |" in row
    assert "not tested" not in row
    assert "compared with `main (" in first_line


def test_a_fork_pull_request_gets_no_comment_from_the_same_run(adopted, tmp_path):
    """Its token is read-only: posting is left to a workflow_run caller."""
    context = adopted["context"]
    fork = {**context["github"]}
    fork["event"] = {
        "pull_request": {
            **context["github"]["event"]["pull_request"],
            "head": {"sha": "feed", "repo": {"full_name": "someone/model-fork"}},
        }
    }
    played = play_call(
        adopted["caller"], "comment", workdir=tmp_path, context={**context, "github": fork},
        base_env=adopted["env"], **adopted["common"],
    )  # fmt: skip
    assert played.jobs["comment"].skipped
