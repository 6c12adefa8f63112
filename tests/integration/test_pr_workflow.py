"""A pull request, played through the real workflows' shell steps, with a recording fake ``cml``.

The story: a team's repository (``origin``) has a reproduced ``main`` pushed to a DVC remote; a
pull request branch lowers the boosting learning rate, reproduces and pushes. A runner checks out
the pull request (a fresh clone with history), plays the ``pipeline`` job of ``ci.yml`` step by
step (a call of the reusable ``mlgate-gate.yml``, its inputs and secrets resolved as GitHub
resolves them; its install step runs ``uv sync --locked`` for real, offline from uv's cache), then
the ``comment`` job of ``pr-report.yml`` (a call of ``mlgate-comment.yml``) on the artifact it
uploaded, with a fake ``cml`` and a fake ``gh`` on PATH that record what they are asked. The pull
request's title is hostile: shell metacharacters that would run commands if a step expanded it
into a script.

The data is cut to the first rows of Adult and the model to fewer rounds so that four pipeline
runs fit in a test; nothing else differs from what a user's repository holds.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.project_copy import copy_project
from tests.integration.workflow_runner import interpolate, load_workflow, play_call, runner_env

pytestmark = [pytest.mark.slow, pytest.mark.integration]

BIN = Path(sys.executable).parent
PR_NUMBER = 7
HOSTILE_TITLE = 'Tune $(touch pwned-dollar) `touch pwned-backtick` "; touch pwned-quote; echo "'
FAKE_CML = """#!/usr/bin/env python3
import json, os, subprocess, sys
args = sys.argv[1:]
# Like the real CML: without --repo it reads the origin remote from git, and fails outside a clone.
if not any(a.startswith("--repo=") for a in args):
    found = subprocess.run(["git", "config", "--get", "remote.origin.url"], capture_output=True)
    if found.returncode != 0:
        sys.exit("Error: Command failed: git config --get remote.origin.url")
markdown_path = args[-1]
with open(markdown_path, encoding="utf-8") as handle:
    markdown = handle.read()
with open(os.environ["CML_RECORD"], "a", encoding="utf-8") as record:
    record.write(json.dumps({"args": args, "cwd": os.getcwd(), "markdown": markdown}) + "\\n")
"""
FAKE_GH = """#!/usr/bin/env python3
# The `gh api` calls the comment job makes, against a pull request whose comments live in
# $GH_COMMENTS (a JSON list). Like the real gh: an unknown flag or endpoint is an error, a comment
# that is not there is HTTP 404, `-F body=@FILE` reads the file, and --slurp wraps the pages.
import json, os, re, sys
args = sys.argv[1:]
with open(os.environ["GH_RECORD"], "a", encoding="utf-8") as record:
    record.write(json.dumps(args) + "\\n")
store = os.environ.get("GH_COMMENTS")
comments = json.load(open(store)) if store and os.path.exists(store) else []
if args[:1] != ["api"]:
    sys.exit(f"unknown command {args[:1]} for gh")
method, fields, endpoint, jq, flags = "GET", {}, None, None, set()
rest = args[1:]
while rest:
    arg = rest.pop(0)
    if arg == "--method":
        method = rest.pop(0)
    elif arg == "-F":
        name, _, value = rest.pop(0).partition("=")
        fields[name] = open(value[1:], encoding="utf-8").read() if value.startswith("@") else value
    elif arg == "--jq":
        jq = rest.pop(0)
    elif arg in ("--paginate", "--slurp"):
        flags.add(arg)
    elif arg.startswith("-"):
        sys.exit(f"unknown flag: {arg}")
    else:
        endpoint = arg
if re.fullmatch(r"repos/[^/]+/[^/]+/pulls/\\d+", endpoint or ""):
    print(os.environ["FAKE_PR_HEAD_SHA"] if jq == ".head.sha" else json.dumps({}))
elif re.fullmatch(r"repos/[^/]+/[^/]+/issues/\\d+/comments", endpoint or "") and method == "GET":
    if "--slurp" in flags and "--paginate" not in flags:
        sys.exit("`--slurp` is only supported with `--paginate`")
    print(json.dumps([comments] if "--slurp" in flags else comments))
elif re.fullmatch(r"repos/[^/]+/[^/]+/issues/\\d+/comments", endpoint or "") and method == "POST":
    comment = {"id": 1000 + len(comments), "user": {"login": "github-actions[bot]"},
               "body": fields["body"]}
    comments.append(comment)
    json.dump(comments, open(store, "w"))
    print(f"https://github.com/x/y/pull/1#issuecomment-{comment['id']}")
elif method == "PATCH" and (
    m := re.fullmatch(r"repos/[^/]+/[^/]+/issues/comments/(\\d+)", endpoint or "")
):
    found = [c for c in comments if c["id"] == int(m.group(1))]
    if not found:
        sys.exit("gh: Not Found (HTTP 404)")
    found[0]["body"] = fields["body"]
    json.dump(comments, open(store, "w"))
    print(f"https://github.com/x/y/pull/1#issuecomment-{found[0]['id']}")
else:
    sys.exit(f"gh: Not Found (HTTP 404): {method} {endpoint}")
"""


def sh(repo: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
        "DVC_NO_ANALYTICS": "1",
        "GIT_AUTHOR_NAME": "dev",
        "GIT_AUTHOR_EMAIL": "dev@example.invalid",
        "GIT_COMMITTER_NAME": "dev",
        "GIT_COMMITTER_EMAIL": "dev@example.invalid",
        **(env or {}),
    }
    result = subprocess.run(args, cwd=repo, env=full_env, capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError(
            f"{args} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result


def make_origin(root: Path, project_root: Path, remote: Path) -> tuple[Path, str]:
    """The team's repository: main reproduced and pushed, and a PR branch that changes a param."""
    origin = root / "origin"
    copy_project(project_root, origin)
    for name, lines in (("adult.data.gz", 6000), ("adult.test.gz", 3000)):
        path = origin / "data/source" / name
        kept = gzip.decompress(path.read_bytes()).splitlines(True)[:lines]
        path.write_bytes(gzip.compress(b"".join(kept), mtime=0))
    params = origin / "params.yaml"
    params.write_text(params.read_text().replace("max_iter: 200", "max_iter: 40"))
    for evidence in ("reports/checks.json", "reports/gate.json"):
        (origin / evidence).unlink(missing_ok=True)
    sh(origin, "git", "init", "-q", "-b", "main")
    sh(origin, "dvc", "remote", "add", "--default", "storage", str(remote))
    sh(origin, "dvc", "repro")
    sh(origin, "dvc", "push")
    sh(origin, "git", "add", "-A")
    sh(origin, "git", "commit", "-q", "-m", "main: reproduced")
    sh(origin, "git", "checkout", "-q", "-b", "tune-learning-rate")
    params.write_text(params.read_text().replace("learning_rate: 0.1", "learning_rate: 0.05"))
    sh(origin, "dvc", "repro")
    sh(origin, "dvc", "push")
    sh(origin, "git", "add", "-A")
    sh(origin, "git", "commit", "-q", "-m", "Lower the learning rate")
    head = sh(origin, "git", "rev-parse", "HEAD").stdout.strip()
    sh(origin, "git", "checkout", "-q", "main")
    return origin, head


def checkout_like_actions(origin: Path, workdir: Path, ref: str) -> None:
    """actions/checkout with fetch-depth 0: full history, remote branches, one detached head."""
    subprocess.run(["git", "clone", "-q", "--no-checkout", str(origin), str(workdir)], check=True)
    subprocess.run(["git", "checkout", "-q", "--detach", ref], cwd=workdir, check=True)


def uv_directory(project_root: Path) -> Path:
    """Where uv is (setup-uv's stand-in): on PATH, or bootstrapped by `make setup`."""
    found = shutil.which("uv") or project_root / ".tools/bin/uv"
    if not Path(found).is_file():
        pytest.fail("uv is neither on PATH nor in .tools/bin: run `make setup` first")
    return Path(found).parent


def runner_tools(root: Path, project_root: Path) -> dict[str, str]:
    """A runner's environment with a recording fake cml and gh, uv, and python3 (setup-python).

    The install step then builds the job's environment with uv, offline: uv's cache, filled
    when this test run's own environment was synced, stands in for PyPI.
    """
    tools = root / "tools"
    tools.mkdir()
    for name, body in (("cml", FAKE_CML), ("gh", FAKE_GH)):
        (tools / name).write_text(body)
        (tools / name).chmod(0o755)
    (root / "home").mkdir()
    (root / "runner-temp").mkdir()
    uv = uv_directory(project_root)
    cache = subprocess.run(
        [uv / "uv", "cache", "dir"], capture_output=True, text=True, check=True
    ).stdout.strip()
    env = runner_env(root / "home", [tools, uv])
    return env | {
        "GITHUB_STEP_SUMMARY": str(root / "step-summary.md"),
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "team/model",
        "RUNNER_TEMP": str(root / "runner-temp"),
        "UV_CACHE_DIR": cache,
        "CML_RECORD": str(root / "cml.jsonl"),
        "GH_RECORD": str(root / "gh.jsonl"),
    }


def upload_artifact(workflow: dict, job_id: str, step_name: str, context: dict, target: Path):
    """What upload-artifact + download-artifact do with the step's ``path:`` folder."""
    step = next(s for s in workflow["jobs"][job_id]["steps"] if s.get("name") == step_name)
    folder = Path(interpolate(step["with"]["path"], context))
    shutil.copytree(folder, target, dirs_exist_ok=True)


@pytest.fixture(scope="module")
def played(tmp_path_factory, project_root):
    """Both workflows played for the pull request; what was posted, and where."""
    root = tmp_path_factory.mktemp("pr")
    remote = root / "dvc-remote"
    origin, head = make_origin(root, project_root, remote)
    runner = root / "runner"
    checkout_like_actions(origin, runner, head)
    env = runner_tools(root, project_root) | {"FAKE_PR_HEAD_SHA": head}
    context = {
        "github": {
            "base_ref": "main",
            "repository": "team/model",
            "token": "ghs_fake",
            "event_name": "pull_request",
            "event": {"pull_request": {"number": PR_NUMBER, "title": HOSTILE_TITLE}},
        },
        "runner": {"temp": env["RUNNER_TEMP"]},
        "vars": {},
        "secrets": {"DVC_REMOTE_URL": str(remote)},
    }
    ci = load_workflow(project_root / ".github/workflows/ci.yml")
    pipeline = play_call(
        ci, "pipeline", repository_root=project_root, workdir=runner, context=context,
        base_env=env,
    )  # fmt: skip
    gate_workflow = load_workflow(project_root / ".github/workflows/mlgate-gate.yml")
    artifact_dir = root / "artifact-run" / "pr-report"
    upload_artifact(gate_workflow, "gate", "Upload the report", context, artifact_dir)

    comment = play_poster(project_root, artifact_dir.parent, head_sha=head, env=env)
    records = [json.loads(line) for line in (root / "cml.jsonl").read_text().splitlines()]
    return {
        "root": root,
        "runner": runner,
        "pipeline": pipeline.jobs["gate"].steps,
        "outputs": pipeline.outputs,
        "comment": comment,
        "cml": records,
        "gh": (root / "gh.jsonl").read_text(),
        "summary": (root / "step-summary.md").read_text(),
        "artifact": artifact_dir,
        "origin": origin,
    }


def play_poster(
    project_root: Path, workdir: Path, *, head_sha: str, env: dict, variables: dict | None = None
) -> list:
    """The ``comment`` job of pr-report.yml, run where the artifact was downloaded.

    ``variables`` are the repository's (``vars``): ``MLGATE_PUBLISH_IMAGES`` turns publishing on.
    """
    poster = load_workflow(project_root / ".github/workflows/pr-report.yml")
    context = {
        "github": {
            "repository": "team/model",
            "token": "ghs_fake",
            "run_id": 4243,
            "event_name": "workflow_run",
            "event": {"workflow_run": {"id": 4242, "head_sha": head_sha, "event": "pull_request"}},
        },
        "vars": variables or {},
        "secrets": {},
    }
    played = play_call(
        poster,
        "comment",
        repository_root=project_root,
        workdir=workdir,
        context=context,
        base_env=env | {"FAKE_PR_HEAD_SHA": head_sha},
        skip=("Install CML",),  # npm is the network; the fake cml on PATH stands in
    )
    return played.jobs["comment"].steps


def forged_artifact_env(played: dict, tmp_path: Path) -> dict:
    env = runner_env(tmp_path, [played["root"] / "tools", BIN])
    return env | {
        "CML_RECORD": str(tmp_path / "cml.jsonl"),
        "GH_RECORD": str(tmp_path / "gh.jsonl"),
    }


def describe(runs) -> str:
    return "\n".join(
        f"--- {r.name} ({r.returncode})\n{r.stdout[-2000:]}\n{r.stderr[-3000:]}" for r in runs
    )


def test_the_pipeline_job_runs_every_step(played):
    names = [r.name for r in played["pipeline"]]
    assert names[:6] == [
        "Install mlgate and the project's environment",
        "Use the DVC remote, if one is configured",
        "Name the baseline branches locally",
        "Reproduce the pipeline",
        "Check this commit against the current baseline",
        "Write the report",
    ], describe(played["pipeline"])
    # Every step up to the gate succeeded; the gate's own exit code is the job's status.
    assert all(r.returncode == 0 for r in played["pipeline"][:-1]), describe(played["pipeline"])
    gate = json.loads((played["runner"] / "reports/gate.json").read_text())
    assert played["pipeline"][-1].name == "Enforce the gate"
    assert played["pipeline"][-1].returncode == (0 if gate["decision"] == "promote" else 1)
    assert played["outputs"] == {"decision": gate["decision"]}
    # The job's environment was built from this repository's lock, mlgate included.
    assert (played["runner"] / ".venv/bin/mlgate").is_file()


def test_one_comment_is_posted_on_the_pull_request_and_kept_up_to_date(played):
    assert all(r.returncode == 0 for r in played["comment"]), describe(played["comment"])
    (call,) = played["cml"]
    assert call["args"][:2] == ["comment", "update"]
    assert f"--target=pr/{PR_NUMBER}" in call["args"]
    assert "--repo=https://github.com/team/model" in call["args"]
    assert "--publish=false" in call["args"]  # images stay off third-party hosts by default
    assert any(a.startswith("--watermark-title=") for a in call["args"])
    # The PR number was checked against the pull request's head before posting.
    assert f"repos/team/model/pulls/{PR_NUMBER}" in played["gh"]


def test_the_comment_names_the_changed_metric_the_baseline_and_the_verdict(played):
    markdown = played["cml"][0]["markdown"]
    origin = played["origin"]
    main_metrics = json.loads(
        subprocess.run(
            ["git", "show", "main:reports/metrics.json"],
            cwd=origin,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    branch_metrics = json.loads((played["runner"] / "reports/metrics.json").read_text())
    gate = json.loads((played["runner"] / "reports/gate.json").read_text())
    first_line = markdown.splitlines()[0]
    assert first_line.startswith(f"## {'✅' if gate['decision'] == 'promote' else '❌'} mlgate: ")
    assert gate["decision"] in first_line
    assert "compared with `main (" in first_line
    row = next(line for line in markdown.splitlines() if line.startswith("| ROC AUC |"))
    assert f"| {branch_metrics['roc_auc']:.4f} | {main_metrics['roc_auc']:.4f} |" in row
    assert branch_metrics["roc_auc"] != main_metrics["roc_auc"]
    # The champion's model came from the DVC remote, so the change was tested for significance.
    assert "not tested" not in row
    assert "yes," in row or "no (CI" in row
    assert played["summary"] == (played["runner"] / "reports/report.md").read_text()


def test_every_image_the_comment_links_exists(played):
    markdown = played["cml"][0]["markdown"]
    links = re.findall(r"\]\(([^)]+)\)", markdown)
    assert links, "the report links its figures"
    base = Path(played["cml"][0]["args"][-1]).parent
    base = base if base.is_absolute() else Path(played["cml"][0]["cwd"]) / base
    for link in links:
        image = base / link
        assert image.is_file(), link
        assert image.read_bytes()[:4] == b"\x89PNG"


def test_a_hostile_pull_request_title_runs_nothing(played):
    for where in (played["root"], played["runner"], played["artifact"].parent):
        assert not list(where.rglob("pwned*")), "a command in the PR title was executed"
    markdown = played["cml"][0]["markdown"]
    assert "$\\(touch pwned-dollar\\)" in markdown  # shown as text, escaped
    assert "\\`touch pwned-backtick\\`" in markdown


def test_the_poster_refuses_a_pr_number_that_is_not_a_number(played, project_root, tmp_path):
    artifact = tmp_path / "pr-report"
    shutil.copytree(played["artifact"], artifact)
    (artifact / "pr-number.txt").write_text("7; touch pwned-number\n")
    env = forged_artifact_env(played, tmp_path)
    runs = play_poster(project_root, tmp_path, head_sha="abc", env=env)
    assert runs[-1].returncode == 1
    assert "not a number" in runs[-1].stdout
    assert not (tmp_path / "cml.jsonl").exists()
    assert not list(tmp_path.rglob("pwned*"))


def test_the_poster_refuses_a_report_that_links_other_files(played, project_root, tmp_path):
    artifact = tmp_path / "pr-report"
    shutil.copytree(played["artifact"], artifact)
    report = artifact / "report.md"
    report.write_text(report.read_text() + "\n![x](../../../../etc/passwd)\n")
    env = forged_artifact_env(played, tmp_path)
    runs = play_poster(project_root, tmp_path, head_sha="feed", env=env)
    assert runs[-1].returncode == 1
    assert "links something other than its own figures" in runs[-1].stdout
    assert not (tmp_path / "cml.jsonl").exists()


def test_a_first_push_reports_without_a_baseline(project_root, tmp_path):
    """A fresh copy of the template has one commit: the report step must not need a parent."""
    repo = tmp_path / "first"
    for name in (
        "metrics.json",
        "checks.json",
        "gate.json",
        "fairness.json",
        "shap_importance.json",
    ):
        (repo / "reports").mkdir(parents=True, exist_ok=True)
        shutil.copy(project_root / "reports" / name, repo / "reports" / name)
    shutil.copytree(project_root / "reports/plots", repo / "reports/plots")
    sh(repo, "git", "init", "-q", "-b", "main")
    sh(repo, "git", "add", "-A")
    sh(repo, "git", "commit", "-q", "-m", "Initial commit from the template")
    summary = tmp_path / "summary.md"
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    env = runner_env(tmp_path, [BIN]) | {
        "GITHUB_STEP_SUMMARY": str(summary),
        "RUNNER_TEMP": str(temp),
        # The code under test, whichever checkout the test environment was installed from.
        "PYTHONPATH": str(project_root / "src"),
    }
    context = {
        "github": {"base_ref": "", "event_name": "push", "event": {}},
        "runner": {"temp": str(temp)},
        "vars": {},
        "secrets": {},
    }
    ci = load_workflow(project_root / ".github/workflows/ci.yml")
    played = play_call(
        ci, "pipeline", repository_root=project_root, workdir=repo, context=context,
        base_env=env, only=("Write the report",),
    )  # fmt: skip
    (step,) = played.jobs["gate"].steps
    assert step.returncode == 0, step.stdout + step.stderr
    assert "No revision HEAD~1 to compare with" in step.stdout
    report = (repo / "reports/report.md").read_text()
    assert report.startswith("## ✅ mlgate: promote\n")
    assert summary.read_text() == report
    assert (temp / "mlgate-report/report.md").read_text() == report
    assert not (temp / "mlgate-report/pr-number.txt").exists()


WATERMARK = re.compile(
    r'!\[\]\(https://cml\.dev/watermark\.png#[0-9a-f]+ "CML watermark mlgate report"\)'
)


def test_the_gh_poster_keeps_one_comment_found_by_the_watermark_cml_writes(
    played, project_root, tmp_path
):
    """`poster: gh` (the MLGATE_COMMENT_POSTER variable): CML is not installed, gh posts.

    A comment CML made earlier is the one updated (the same watermark); a comment someone else
    wrote with that watermark is left alone; a second push updates, never adds.
    """
    shutil.copytree(played["artifact"], tmp_path / "pr-report")
    env = forged_artifact_env(played, tmp_path) | {
        "GH_COMMENTS": str(tmp_path / "comments.json"),
        "GITHUB_SERVER_URL": "https://github.com",
    }
    head = "c0ffee"
    earlier = '![](https://cml.dev/watermark.png#abc123 "CML watermark mlgate report")'
    (tmp_path / "comments.json").write_text(
        json.dumps(
            [
                {"id": 1, "user": {"login": "someone"}, "body": f"forged\n\n{earlier}"},
                {"id": 2, "user": {"login": "github-actions[bot]"}, "body": f"old\n\n{earlier}"},
                {"id": 3, "user": {"login": "github-actions[bot]"}, "body": "an unrelated note"},
            ]
        )
    )
    variables = {"MLGATE_COMMENT_POSTER": "gh"}
    for _ in range(2):
        runs = play_poster(project_root, tmp_path, head_sha=head, env=env, variables=variables)
        assert all(r.returncode == 0 for r in runs), describe(runs)
    comments = {c["id"]: c for c in json.loads((tmp_path / "comments.json").read_text())}
    assert sorted(comments) == [1, 2, 3]  # updated, never added
    assert comments[1]["body"].startswith("forged")  # not the bot's: untouched
    body = comments[2]["body"]
    assert body.startswith(played["cml"][0]["markdown"].splitlines()[0])
    assert WATERMARK.search(body.splitlines()[-1])
    assert f"#{head} " in body.splitlines()[-1]
    run_url = "https://github.com/team/model/actions/runs/4242"
    assert "](report/" not in body
    assert f"]({run_url})" in body
    assert not (tmp_path / "cml.jsonl").exists()  # CML was not asked
    calls = [json.loads(line) for line in (tmp_path / "gh.jsonl").read_text().splitlines()]
    assert [c for c in calls if "--method" in c] == [
        ["api", "--method", "PATCH", "repos/team/model/issues/comments/2", "-F",
         "body=@pr-report/comment.md", "--jq", ".html_url"],
    ] * 2  # fmt: skip


def test_the_gh_poster_creates_the_comment_when_there_is_none(played, project_root, tmp_path):
    shutil.copytree(played["artifact"], tmp_path / "pr-report")
    env = forged_artifact_env(played, tmp_path) | {
        "GH_COMMENTS": str(tmp_path / "comments.json"),
        "GITHUB_SERVER_URL": "https://github.com",
    }
    variables = {"MLGATE_COMMENT_POSTER": "gh"}
    runs = play_poster(project_root, tmp_path, head_sha="feed", env=env, variables=variables)
    assert all(r.returncode == 0 for r in runs), describe(runs)
    (comment,) = json.loads((tmp_path / "comments.json").read_text())
    assert WATERMARK.search(comment["body"])


def test_an_unknown_poster_is_refused(played, project_root, tmp_path):
    shutil.copytree(played["artifact"], tmp_path / "pr-report")
    env = forged_artifact_env(played, tmp_path)
    variables = {"MLGATE_COMMENT_POSTER": "carrier-pigeon"}
    runs = play_poster(project_root, tmp_path, head_sha="feed", env=env, variables=variables)
    assert runs[-1].returncode == 1
    assert "the poster input is cml or gh, not carrier-pigeon" in runs[-1].stdout
    assert not (tmp_path / "cml.jsonl").exists()
