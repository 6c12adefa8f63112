"""The loop after promotion, played through the real workflows' shell steps.

The story: a team's repository (a bare ``team/model`` behind a ``file://`` server URL) has a
reproduced ``main`` whose outputs are on a DVC remote. A labelled batch whose outcomes follow a
new concept arrives in ``data/incoming/`` (DVC-tracked). A runner plays ``monitor.yml``: the
``monitor`` job judges the batch and alerts, ``record`` keeps the history on the
``mlgate-monitor`` branch, ``alert`` opens the model's issue through a stateful fake ``gh``, and
``retrain`` (a call of ``retrain.yml``) adds the batch to the training data on a branch, pushes it
and opens a pull request. The pull request's CI (``ci.yml``'s ``pipeline`` job, a call of
``mlgate-gate.yml``) then decides, as it decides any change. A second run with a new batch finds
the history, skips the batch it judged, and updates the same issue.

Steps that install or fetch from the network (``uses:`` actions, ``uv sync``) are stood in for:
the runner's PATH holds this test's environment, and each job's artifact is copied by hand.
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.integration.project_copy import copy_project
from tests.integration.test_pr_workflow import BIN, sh
from tests.integration.workflow_runner import (
    load_workflow,
    play_call,
    play_job,
    runner_env,
)

pytestmark = [pytest.mark.slow, pytest.mark.integration]

INSTALL = "Install the project's environment"
FIRST, SECOND = "2026-11-28", "2026-11-29"


def concept_batch(test: pd.DataFrame, *, rows: int, seed: int) -> pd.DataFrame:
    """Test rows whose labels changed for 30% of women: the inputs alone cannot tell."""
    batch = test.sample(rows, random_state=seed).reset_index(drop=True)
    flip = (batch["sex"] == "Female").to_numpy() & (np.random.default_rng(seed).random(rows) < 0.3)
    other = np.where(batch["income"] == ">50K", "<=50K", ">50K")
    batch["income"] = pd.Series(np.where(flip, other, batch["income"]), dtype=batch["income"].dtype)
    return batch


def add_batch(origin: Path, name: str, frame: pd.DataFrame) -> None:
    """What the team does when a batch arrives: DVC-track it, commit, push data and commit."""
    path = f"data/incoming/{name}.parquet"
    frame.to_parquet(origin / path, index=False)
    sh(origin, "dvc", "add", "--quiet", path)
    sh(origin, "git", "add", f"{path}.dvc", "data/incoming/.gitignore")
    sh(origin, "git", "commit", "-q", "-m", f"Batch of {name}")
    sh(origin, "dvc", "push", "--quiet")
    sh(origin, "git", "push", "-q", "origin", "main")


def clone(bare: Path, target: Path, ref: str = "main") -> Path:
    """actions/checkout with fetch-depth 0."""
    subprocess.run(["git", "clone", "-q", "--branch", ref, str(bare), str(target)], check=True)
    return target


def download(artifact: Path, runner_temp: Path) -> None:
    """download-artifact of `mlgate-monitor` into ${{ runner.temp }}/monitor.

    upload-artifact leaves hidden files out (``include-hidden-files: false``): monitor's lock.
    """
    target = runner_temp / "monitor"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(artifact, target, ignore=shutil.ignore_patterns(".*"))


def describe(steps) -> str:
    return "\n".join(
        f"--- {s.name} ({s.returncode})\n{s.stdout[-1500:]}\n{s.stderr[-2500:]}" for s in steps
    )


def assert_ran(job, *names: str) -> None:
    ran = {step.name: step.returncode for step in job.steps}
    assert all(ran.get(name) == 0 for name in names), describe(job.steps)


class Team:
    """The team's repository, its DVC remote, the server, and a runner's tools."""

    def __init__(self, root: Path, project_root: Path) -> None:
        self.root = root
        self.remote = root / "dvc-remote"
        self.server = root / "server"
        self.bare = self.server / "team" / "model"
        self.origin = root / "origin"
        self.project_root = project_root
        tools = root / "tools"
        tools.mkdir()
        gh = tools / "gh"
        gh.write_text((Path(__file__).parent / "fake_gh.py").read_text())
        gh.chmod(0o755)
        (root / "home").mkdir()
        self.env = runner_env(root / "home", [tools, BIN]) | {
            "GH_RECORD": str(root / "gh.jsonl"),
            "GH_STATE": str(root / "gh-state.json"),
            "FAKE_GIT_REMOTE": str(self.bare),
            "GITHUB_STEP_SUMMARY": str(root / "step-summary.md"),
        }

    def build(self) -> None:
        copy_project(self.project_root, self.origin)
        for name, lines in (("adult.data.gz", 6000), ("adult.test.gz", 3000)):
            path = self.origin / "data/source" / name
            kept = gzip.decompress(path.read_bytes()).splitlines(True)[:lines]
            path.write_bytes(gzip.compress(b"".join(kept), mtime=0))
        params = self.origin / "params.yaml"
        params.write_text(params.read_text().replace("max_iter: 200", "max_iter: 40"))
        sh(self.origin, "git", "init", "-q", "-b", "main")
        sh(self.origin, "dvc", "remote", "add", "--default", "storage", str(self.remote))
        sh(self.origin, "dvc", "repro", "--quiet")
        sh(self.origin, "dvc", "push", "--quiet")
        sh(self.origin, "git", "add", "-A")
        sh(self.origin, "git", "commit", "-q", "-m", "main: reproduced")
        self.bare.parent.mkdir(parents=True)
        sh(self.root, "git", "init", "-q", "--bare", "-b", "main", str(self.bare))
        sh(self.origin, "git", "remote", "add", "origin", str(self.bare))
        sh(self.origin, "git", "push", "-q", "origin", "main")

    def context(self, runner_temp: Path, *, run_id: int, **extra) -> dict:
        runner_temp.mkdir(parents=True, exist_ok=True)
        return {
            "github": {
                "server_url": f"file://{self.server}",
                "repository": "team/model",
                "token": "ghs_fake",
                "run_id": run_id,
                "ref": "refs/heads/main",
                "event_name": "workflow_dispatch",
            },
            "runner": {"temp": str(runner_temp)},
            "vars": {},
            "secrets": {"DVC_REMOTE_URL": str(self.remote)},
            "inputs": {"labels": True, "retrain": True},
            **extra,
        }

    def gh_state(self) -> dict:
        return json.loads((self.root / "gh-state.json").read_text())

    def play_monitor_run(self, name: str, run_id: int) -> dict:
        """The monitor workflow's monitor, record and alert jobs; returns what each did."""
        workflow = load_workflow(self.project_root / ".github/workflows/monitor.yml")
        runner = clone(self.bare, self.root / f"runner-{name}")
        temp = self.root / f"temp-{name}"
        env = self.env | {"RUNNER_TEMP": str(temp)}
        context = self.context(temp, run_id=run_id)
        monitor = play_job(
            workflow, "monitor", workdir=runner, context=context, base_env=env, skip=(INSTALL,)
        )
        assert_ran(monitor, "Get the model and the new batches", "Monitor")
        needs = {"needs": {"monitor": {"outputs": monitor.outputs}}}
        download(runner / "reports/monitor", temp)
        jobs = {"monitor": monitor, "runner": runner, "temp": temp}
        for job_id in ("record", "alert"):
            jobs[job_id] = play_job(
                workflow, job_id, workdir=temp, context={**context, **needs}, base_env=env
            )
        jobs["retrain"] = (workflow, {**context, **needs}, env)
        return jobs


@pytest.fixture(scope="module")
def team(tmp_path_factory, project_root):
    team = Team(tmp_path_factory.mktemp("loop"), project_root)
    team.build()
    test = pd.read_parquet(team.origin / "data/ingested/test.parquet")
    add_batch(team.origin, FIRST, concept_batch(test, rows=1000, seed=1))
    return team


@pytest.fixture(scope="module")
def first_run(team):
    return team.play_monitor_run(FIRST, run_id=101)


def test_the_batch_alerts_and_names_concept_drift(first_run):
    outputs = first_run["monitor"].outputs
    assert outputs == {
        "judged": "true",
        "alert": "true",
        "retrain-batch": f"data/incoming/{FIRST}.parquet",
    }
    evidence = json.loads((first_run["runner"] / f"reports/monitor/{FIRST}.json").read_text())
    assert evidence["tests"]["concept_drift"]["status"] == "signal"
    assert evidence["batch"]["labelled"] is True


def test_the_history_is_kept_on_its_own_branch(team, first_run):
    assert_ran(first_run["record"], "Commit the history")
    listed = sh(team.bare, "git", "ls-tree", "-r", "--name-only", "mlgate-monitor").stdout.split()
    assert f"reports/monitor/{FIRST}.json" in listed
    assert "reports/monitor/history.parquet" in listed
    assert "params.yaml" not in listed  # main's files never mix with the history


def test_one_issue_is_opened_with_the_marker_and_the_label(team, first_run):
    assert_ran(first_run["alert"], "Open or update the issue")
    (issue,) = team.gh_state()["issues"]
    assert issue["title"] == "Monitoring alert: model"
    assert issue["labels"] == ["mlgate-monitor"]
    assert "<!-- mlgate-monitor: model=model -->" in issue["body"]
    assert "| Concept drift | signal |" in issue["body"]
    assert "/actions/runs/101" in issue["body"]


@pytest.fixture(scope="module")
def retrained(team, first_run):
    """The retrain job (monitor.yml calls retrain.yml) on a fresh checkout of main."""
    workflow, context, env = first_run["retrain"]
    workdir = clone(team.bare, team.root / "runner-retrain")
    played = play_call(
        workflow, "retrain", repository_root=team.project_root, workdir=workdir,
        context=context, base_env=env, skip=(INSTALL,),
    )  # fmt: skip
    return played.jobs["retrain"], workdir


def test_retraining_pushes_a_branch_and_opens_a_pull_request(team, retrained):
    job, _ = retrained
    assert_ran(job, "Retrain on a branch", "Push the batch, the outputs and the branch")
    branch = f"retrain/{FIRST}"
    assert sh(team.bare, "git", "rev-parse", "--verify", f"refs/heads/{branch}").returncode == 0
    files = sh(team.bare, "git", "show", "--name-only", "--format=", branch).stdout.split()
    assert f"data/retrain/{FIRST}.parquet.dvc" in files
    assert "dvc.lock" in files
    (pull,) = team.gh_state()["pulls"]
    assert (pull["base"], pull["head"]) == ("main", branch)
    assert "1,000 labelled rows" in pull["body"]
    # Opened with the workflow's token, so CI does not start: the pull request says so.
    assert "close and reopen" in pull["comments"][0]


def test_the_pull_requests_ci_runs_the_gate_and_decides(team, retrained):
    """ci.yml's pipeline job on the retraining branch: it reproduces, checks and gates."""
    ci = load_workflow(team.project_root / ".github/workflows/ci.yml")
    workdir = clone(team.bare, team.root / "runner-pr", ref=f"retrain/{FIRST}")
    temp = team.root / "temp-pr"
    context = team.context(temp, run_id=202) | {"inputs": {}}
    context["github"] |= {"event_name": "pull_request", "base_ref": "main"}
    played = play_call(
        ci, "pipeline", repository_root=team.project_root, workdir=workdir, context=context,
        base_env=team.env | {"RUNNER_TEMP": str(temp)}, skip=(INSTALL,),
    )  # fmt: skip
    steps = played.jobs["gate"].steps
    gate = json.loads((workdir / "reports/gate.json").read_text())
    # The batch's rows come from the test file: training on them leaks the test set, and the
    # gate refuses the retrained model, as it would refuse a person's change that did this.
    assert gate["decision"] == "reject", describe(steps)
    assert any("data.leakage" in reason for reason in gate["reasons"])
    assert steps[-1].returncode != 0  # the pipeline job fails: the pull request cannot merge


def test_a_second_run_skips_the_judged_batch_and_updates_the_same_issue(team, first_run):
    test = pd.read_parquet(team.origin / "data/ingested/test.parquet")
    add_batch(team.origin, SECOND, concept_batch(test, rows=1000, seed=2))
    second = team.play_monitor_run(SECOND, run_id=102)
    monitor_steps = describe(second["monitor"].steps)
    assert f"{FIRST}: already monitored" in monitor_steps
    assert second["monitor"].outputs["alert"] == "true"
    history = pd.read_parquet(second["runner"] / "reports/monitor/history.parquet")
    assert history["batch_id"].tolist() == [FIRST, SECOND]
    state = team.gh_state()
    (issue,) = state["issues"]
    assert "/actions/runs/102" in issue["body"]
    assert len(issue["comments"]) == 1


def test_the_retrained_model_is_compared_with_main_on_the_same_rows(team, retrained):
    """`--challenger main` on the retraining branch: a shadow comparison, offline."""
    _, workdir = retrained
    batch = f"data/incoming/{FIRST}.parquet"
    done = subprocess.run(
        [str(BIN / "mlgate"), "monitor", batch, "--labels", "--challenger", "main",
         "--batch-id", "shadow"],
        cwd=workdir, env=team.env, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    shadow = json.loads((workdir / "reports/monitor/shadow.json").read_text())["shadow"]
    assert shadow["challenger"]["rev"] == "main"
    # Rows main was trained on (the same inputs as one of its training rows) are left out.
    assert shadow["rows"] + shadow["training_overlap"]["rows"] == 1000
    commit = shadow["challenger"]["commit"]
    assert shadow["training_overlap"]["source"].endswith(f"at main ({commit[:12]})")
    assert set(shadow["metrics"]) == {"roc_auc", "accuracy"}
    summary = (workdir / "reports/monitor/summary.md").read_text()
    assert "**Shadow comparison** with `main`" in summary
    missing = subprocess.run(
        [str(BIN / "mlgate"), "monitor", batch, "--challenger", "no-such-branch"],
        cwd=workdir, env=team.env, capture_output=True, text=True,
    )  # fmt: skip
    assert missing.returncode == 2
    assert "git revision 'no-such-branch' does not exist" in missing.stderr
