"""The GitHub workflows: valid against GitHub's schema, clean under zizmor, hardened by rule."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.integration.workflow_runner import call_workflow, triggers

BIN = Path(sys.executable).parent
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def load(name: str) -> dict:
    return YAML(typ="safe").load((PROJECT_ROOT / ".github/workflows" / name).read_text())


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


WORKFLOWS = sorted(p.name for p in (PROJECT_ROOT / ".github/workflows").glob("*.yml"))
REUSABLE = [name for name in WORKFLOWS if "workflow_call" in triggers(load(name))]
LEVELS = {"none": 0, "read": 1, "write": 2}
SHA = re.compile(r"^[0-9a-f]{40}$")
# A command that would build or run the project (in command position: a line's start, after
# `;`, `&&`, `|` or inside `$(...)`). Python reading its program from the workflow itself
# (`python3 -` with a heredoc, `python3 -c`) runs none of the project's code; a script or a
# module (`python3 x.py`, `python3 -m mlgate`) would.
RUNS_PROJECT_CODE = re.compile(
    r"(?m)(^\s*|[;&|(]\s*)((make|pip3?|uv|dvc|mlgate)\b|python3?\b(?!\s+-c?\s))"
)


def test_this_repository_offers_the_reusable_workflows():
    assert {"mlgate-gate.yml", "mlgate-comment.yml"} <= set(REUSABLE)


UNTRUSTED_EVENTS = {"pull_request", "pull_request_target", "workflow_run", "issue_comment"}


@pytest.mark.parametrize("name", WORKFLOWS)
def test_hardening_rules_hold(name):
    workflow = load(name)
    assert "pull_request_target" not in triggers(workflow)
    assert workflow["permissions"] == {}
    for job_id, job in workflow["jobs"].items():
        assert "permissions" in job, job_id
        writes = {k for k, v in job["permissions"].items() if v == "write"}
        if (name, job_id) in TRUSTED_WRITERS or (name, job_id) in CALLERS_OF_WRITERS:
            # Runs the project's code with a write token: main's code only, never on a pull
            # request's event.
            assert_trusted_writer(name, job_id, job, workflow, writes)
            continue
        assert writes <= {"pull-requests", "issues", "contents"}, job_id
        if "contents" in writes:
            # Pushing a branch of records (the monitoring history): never on a pull request's event.
            assert not UNTRUSTED_EVENTS & set(triggers(workflow)), name
        if "uses" in job:
            # A called workflow: this repository's own (resolved at the running commit), or
            # another's pinned to a full commit SHA; secrets passed by name, never inherited.
            uses = job["uses"]
            assert uses.startswith("$/") or SHA.match(uses.rsplit("@", 1)[-1]), uses
            assert job.get("secrets") != "inherit", job_id
            continue
        for step in job["steps"]:
            assert "${{" not in step.get("run", "")
            uses = step.get("uses", "")
            if uses:
                assert SHA.match(uses.split("@", 1)[1]), uses
            if uses.startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
        if writes:
            # Any other job with a write token never checks out or runs the project's code.
            steps = job["steps"]
            assert not any(s.get("uses", "").startswith("actions/checkout@") for s in steps)
            for script in (s.get("run", "") for s in steps):
                assert not RUNS_PROJECT_CODE.search(script), script


#: Jobs that run the project's code with a write token, and what they may write: promotion
#: (the registry's tags) and retraining (a branch and its pull request).
TRUSTED_WRITERS = {
    ("promote.yml", "promote"): {"contents"},
    ("retrain.yml", "retrain"): {"contents", "pull-requests"},
}
#: Jobs that call a trusted writer's workflow, and the condition that holds a caller with
#: pull-request events to pushes on main.
CALLERS_OF_WRITERS = {
    ("ci.yml", "promote"): (
        "promote.yml",
        "github.event_name == 'push' && github.ref == 'refs/heads/main'",
    ),
    ("monitor.yml", "retrain"): ("retrain.yml", None),
}


def assert_trusted_writer(name: str, job_id: str, job: dict, workflow: dict, writes: set) -> None:
    if "uses" in job:
        called, condition = CALLERS_OF_WRITERS[(name, job_id)]
        assert job["uses"] == f"$/.github/workflows/{called}"
        assert writes == TRUSTED_WRITERS[(called, called.removesuffix(".yml"))]
        if UNTRUSTED_EVENTS & set(triggers(workflow)):
            assert job["if"] == condition
        return
    assert writes == TRUSTED_WRITERS[(name, job_id)]
    assert not UNTRUSTED_EVENTS & set(triggers(workflow)), name
    first = job["steps"][0]
    assert 'if [ "$REF" != "refs/heads/main" ]' in first["run"]
    assert job["env"]["REF"] == "${{ github.ref }}"
    assert job["concurrency"] == {"group": f"mlgate-{job_id}", "cancel-in-progress": False}
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    for step in job["steps"]:
        assert "${{" not in step.get("run", "")
        if step.get("uses"):
            assert SHA.match(step["uses"].split("@", 1)[1]), step["uses"]


def test_release_workflows_deploy_only_verified_tags():
    deploy = load("deploy.yml")
    job = deploy["jobs"]["deploy"]
    assert job["permissions"] == {"contents": "read"}
    scripts = [s.get("run", "") for s in job["steps"]]
    verify = next(i for i, text in enumerate(scripts) if "mlgate registry verify" in text)
    runs_code = [i for i, text in enumerate(scripts) if "dvc " in text or "predict" in text]
    assert verify < min(runs_code)  # nothing of the tagged commit runs before the verification
    promote = load("promote.yml")
    assert promote["jobs"]["deploy"]["if"] == "inputs.stage == 'prod'"
    assert promote["jobs"]["promote"]["environment"].startswith("${{ inputs.stage == 'prod'")


@pytest.mark.parametrize("name", REUSABLE)
def test_reusable_workflows_declare_every_input_they_use(name):
    workflow = load(name)
    call = triggers(workflow)["workflow_call"]
    declared = call.get("inputs") or {}
    for input_name, spec in declared.items():
        assert spec.get("description"), input_name
        kind = {"string": str, "boolean": bool, "number": int | float}[spec["type"]]
        if not spec.get("required"):
            # An explicit default: a caller reads what it gets without reading the jobs.
            assert isinstance(spec.get("default"), kind), input_name
    text = (PROJECT_ROOT / ".github/workflows" / name).read_text()
    used = set(re.findall(r"\binputs\.([A-Za-z0-9_-]+)", text))
    assert used == set(declared), "declared but unused, or used but undeclared"
    for secret, spec in (call.get("secrets") or {}).items():
        assert spec.get("required") is False, secret  # optional: forks get none
    for output, spec in (call.get("outputs") or {}).items():
        job_id, _, key = re.fullmatch(r"\$\{\{ jobs\.(\S+) \}\}", spec["value"])[1].partition(
            ".outputs."
        )
        assert key in workflow["jobs"][job_id]["outputs"], output
    # The caller's `github` context would name the group, and collide with the caller's own.
    assert "concurrency" not in workflow


def test_the_gate_takes_the_params_path_and_the_python_version():
    workflow = load("mlgate-gate.yml")
    inputs = triggers(workflow)["workflow_call"]["inputs"]
    assert inputs["params-path"]["default"] == "params.yaml"
    assert inputs["python-version"]["default"] == "3.11"
    job = workflow["jobs"]["gate"]
    assert job["permissions"] == {"contents": "read"}
    assert job["env"]["PARAMS_PATH"] == "${{ inputs.params-path }}"
    setup = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/setup-python@"))
    assert setup["with"]["python-version"] == "${{ inputs.python-version }}"
    commands = [
        line.strip()
        for step in job["steps"]
        for line in step.get("run", "").splitlines()
        if re.match(r"\s*mlgate\b", line)
    ]
    assert len(commands) >= 4  # check, gate, report, and the gate enforced
    for command in commands:
        assert command.startswith('mlgate --params "$PARAMS_PATH" '), command


def calls(workflow: dict) -> list[tuple[str, dict]]:
    return [(job_id, job) for job_id, job in workflow["jobs"].items() if "uses" in job]


def tutorial_callers() -> list[dict]:
    """The caller workflows the adoption tutorial shows an adopter, as YAML."""
    section = (PROJECT_ROOT / "docs/tutorials/adopting.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)
    found = [YAML(typ="safe").load(b) for b in blocks if "/.github/workflows/mlgate-" in b]
    return [w for w in found if isinstance(w, dict) and "jobs" in w]


def test_the_adoption_tutorial_shows_callers_that_pin_a_commit():
    callers = tutorial_callers()
    assert len(callers) >= 2  # the same-run form, and the workflow_run form for forks
    for caller in callers:
        assert caller["permissions"] == {}
        for _, job in calls(caller):
            reference, _, ref = job["uses"].partition("@")
            assert reference.startswith("OWNER/mlgate/.github/workflows/mlgate-"), job["uses"]
            assert ref == "COMMIT_SHA", "the tutorial tells the adopter to pin a full commit SHA"


@pytest.mark.parametrize(
    "caller",
    [load(name) for name in WORKFLOWS] + tutorial_callers(),
    ids=[*WORKFLOWS, *(f"adopting-{i}" for i in range(len(tutorial_callers())))],
)
def test_callers_pass_declared_inputs_and_grant_what_called_jobs_need(caller):
    """What GitHub checks when the run starts: inputs, types, secrets, permissions."""

    def resolve(uses: str) -> Path:
        return PROJECT_ROOT / ".github/workflows" / uses.split("/")[-1].split("@")[0]

    context = {"github": {}, "vars": {}, "secrets": {}}
    for job_id, _ in calls(caller):
        called, _ = call_workflow(
            caller, job_id, repository_root=PROJECT_ROOT, context=context, resolve=resolve
        )
        assert called["jobs"]


def test_monitoring_runs_on_a_schedule_and_by_hand_with_issues_written_by_one_job():
    monitor = load("monitor.yml")
    assert {"schedule", "workflow_dispatch"} == set(triggers(monitor))
    writers = {
        job_id: {k for k, v in job["permissions"].items() if v == "write"}
        for job_id, job in monitor["jobs"].items()
    }
    assert writers == {
        "monitor": set(),
        "record": {"contents"},
        "alert": {"issues"},
        "retrain": {"contents", "pull-requests"},
    }
    # The jobs with a write token run no project code: what they act on is the artifact.
    for job_id in ("record", "alert"):
        steps = monitor["jobs"][job_id]["steps"]
        assert not any(s.get("uses", "").startswith("actions/checkout@") for s in steps)
    assert monitor["concurrency"] == {"group": "mlgate-monitor", "cancel-in-progress": False}
    assert "60 days" in (PROJECT_ROOT / "docs/tutorials/monitoring.md").read_text()


def test_the_docs_are_built_read_only_and_published_by_a_job_that_runs_no_project_code():
    docs = load("docs.yml")
    assert set(triggers(docs)) == {"push", "workflow_dispatch"}
    build, publish = docs["jobs"]["build"], docs["jobs"]["publish"]
    assert build["permissions"] == {"contents": "read"}
    assert any(step.get("run") == "make docs" for step in build["steps"])
    assert publish["permissions"] == {"contents": "write"}
    assert publish["needs"] == "build"
    uses = [step.get("uses", "") for step in publish["steps"]]
    assert not any(u.startswith("actions/checkout@") for u in uses)
    scripts = " ".join(step.get("run", "") for step in publish["steps"])
    for project_code in ("make", "mlgate", "uv ", "python", "pip"):
        assert project_code not in scripts.split(), project_code
