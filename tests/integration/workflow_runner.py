"""Play a GitHub Actions job's shell steps locally, in order, as the runner would.

Only what the workflows here use is supported, and anything else is an error rather than a guess:
expressions made of context paths, ``'text'`` and ``true``/``false`` literals, ``==``, ``!=``,
``!``, ``&&`` and ``||``, ``always()`` and ``cancelled()`` (no parentheses, no other function),
evaluated against a context the test
provides (``github``, ``vars``, ``secrets``, ``runner``; ``inputs`` and ``secrets`` of a called
workflow from :func:`call_workflow`; ``steps`` from the outputs the job's steps write), in
``env:`` values, ``if:`` conditions of jobs and ``run:`` steps, ``working-directory`` and job
``outputs:``. ``run:`` scripts are executed by ``bash --noprofile --norc -eo pipefail``, GitHub's
default shell on Linux, with the job's and the step's ``env:`` as environment variables: exactly
how values reach a script on GitHub. ``$GITHUB_OUTPUT`` and ``$GITHUB_PATH`` work as on a runner.
A ``uses:`` step is not run; the caller stands in for it (checkout, setup, artifacts).

A job that calls a reusable workflow (``uses: $/.github/workflows/x.yml`` or ``./...``) is
resolved by :func:`call_workflow` as GitHub resolves it: its ``with:`` checked against the called
workflow's declared inputs and typed, defaults filled in, only declared secrets passed, and the
called jobs' permissions held to what the caller grants.
"""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}", re.DOTALL)
# The runs played here are never cancelled; success() and failure() would need the run's state.
_STATUS = {"always()": True, "cancelled()": False}
_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$")


def load_workflow(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text())


def evaluate(expression: str, context: dict) -> Any:
    """Evaluate one expression (without the ``${{ }}``) against ``context``.

    Operators bind as on GitHub: ``||`` loosest, then ``&&``, then ``==``/``!=``, then ``!``;
    ``||`` and ``&&`` return an operand, not a boolean, as GitHub's do.
    """
    expression = expression.strip()
    for operator in ("||", "&&"):
        if operator in expression:
            left, right = (part.strip() for part in expression.split(operator, 1))
            value = evaluate(left, context)
            if operator == "||":
                return value or evaluate(right, context)
            return value and evaluate(right, context)
    for operator in ("!=", "=="):
        if operator in expression:
            left, right = (part.strip() for part in expression.split(operator, 1))
            equal = _loose(evaluate(left, context)) == _loose(evaluate(right, context))
            return equal if operator == "==" else not equal
    if expression.startswith("!"):
        return not evaluate(expression[1:], context)
    if expression in _STATUS:
        return _STATUS[expression]
    if expression.startswith("'") and expression.endswith("'") and len(expression) >= 2:
        return expression[1:-1].replace("''", "'")
    if expression in ("true", "false"):
        return expression == "true"
    if not _PATH.match(expression):
        raise ValueError(f"unsupported expression: {expression!r}")
    node: Any = context
    for part in expression.split("."):
        if not isinstance(node, dict):
            return ""
        node = node.get(part, "")
    return node


def _loose(value: Any) -> Any:
    """GitHub compares strings case-insensitively; a number equals its string form."""
    if isinstance(value, bool):
        return value
    return str(value).casefold() if isinstance(value, str | int | float) else value


def interpolate(value: Any, context: dict) -> str:
    """A YAML value with every ``${{ }}`` replaced, as GitHub renders it into a string."""
    text = str(value)

    def render(match: re.Match) -> str:
        result = evaluate(match.group(1), context)
        if isinstance(result, bool):
            return "true" if result else "false"
        return "" if result is None else str(result)

    return _EXPRESSION.sub(render, text)


@dataclass
class StepRun:
    name: str
    returncode: int
    stdout: str
    stderr: str


@dataclass
class JobRun:
    """What playing a job gave: each step run, the job's outputs, and whether ``if:`` skipped it."""

    steps: list[StepRun] = field(default_factory=list)
    outputs: dict[str, str] = field(default_factory=dict)
    skipped: bool = False


def run_job(
    workflow: dict,
    job_id: str,
    *,
    workdir: Path,
    context: dict,
    base_env: dict[str, str],
    skip: tuple[str, ...] = (),
    only: tuple[str, ...] | None = None,
    stop_on_failure: bool = True,
) -> list[StepRun]:
    """Run the job's ``run:`` steps in order in ``workdir``; return each step's outcome.

    ``skip`` names steps the test stands in for (for example a network install); ``only``, if
    given, names the only steps to run.
    """
    return play_job(
        workflow,
        job_id,
        workdir=workdir,
        context=context,
        base_env=base_env,
        skip=skip,
        only=only,
        stop_on_failure=stop_on_failure,
    ).steps


def play_job(
    workflow: dict,
    job_id: str,
    *,
    workdir: Path,
    context: dict,
    base_env: dict[str, str],
    skip: tuple[str, ...] = (),
    only: tuple[str, ...] | None = None,
    stop_on_failure: bool = True,
) -> JobRun:
    """As :func:`run_job`, and also the job's ``outputs:`` from what its steps wrote."""
    job = workflow["jobs"][job_id]
    if "uses" in job:
        raise ValueError(f"job {job_id!r} calls a workflow: resolve it with call_workflow first")
    condition = job.get("if")
    if condition is not None and not evaluate(_strip(condition), context):
        return JobRun(skipped=True)
    context = {**context, "steps": {}}
    job_env = {k: interpolate(v, context) for k, v in (job.get("env") or {}).items()}
    defaults = {
        **((workflow.get("defaults") or {}).get("run") or {}),
        **((job.get("defaults") or {}).get("run") or {}),
    }
    added_paths: list[str] = []  # newest first, as the runner prepends each $GITHUB_PATH line
    played = JobRun()
    with tempfile.TemporaryDirectory(prefix="runner-files-") as files:
        for index, step in enumerate(job["steps"]):
            if "run" not in step or step.get("name") in skip:
                continue
            if only is not None and step.get("name") not in only:
                continue
            if "if" in step and not evaluate(_strip(str(step["if"])), context):
                continue
            if step.get("shell", defaults.get("shell", "bash")) != "bash":
                raise ValueError(f"step {step.get('name')!r}: only the bash shell is played")
            script = step["run"]
            if "${{" in script:
                raise AssertionError(
                    f"step {step.get('name')!r} expands an expression in its script"
                )
            step_env = {k: interpolate(v, context) for k, v in (step.get("env") or {}).items()}
            output_file = Path(files) / f"output-{index}"
            path_file = Path(files) / f"path-{index}"
            output_file.touch()
            path_file.touch()
            env = {
                **base_env,
                **job_env,
                **step_env,
                "GITHUB_OUTPUT": str(output_file),
                "GITHUB_PATH": str(path_file),
            }
            env["PATH"] = os.pathsep.join([*added_paths, env["PATH"]])
            directory = step.get("working-directory", defaults.get("working-directory", "."))
            result = subprocess.run(
                ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
                cwd=workdir / interpolate(directory, context),
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            name = step.get("name", script[:40])
            played.steps.append(StepRun(name, result.returncode, result.stdout, result.stderr))
            if "id" in step:
                outcome = "success" if result.returncode == 0 else "failure"
                context["steps"][step["id"]] = {
                    "outputs": parse_outputs(output_file.read_text()),
                    "outcome": outcome,
                    "conclusion": outcome,
                }
            added_paths[:0] = reversed(path_file.read_text().splitlines())
            if result.returncode != 0 and stop_on_failure:
                break
    played.outputs = {k: interpolate(v, context) for k, v in (job.get("outputs") or {}).items()}
    return played


def parse_outputs(text: str) -> dict[str, str]:
    """The ``name=value`` and ``name<<DELIMITER`` ... ``DELIMITER`` lines of ``$GITHUB_OUTPUT``."""
    outputs: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            body = []
            for inner in lines:
                if inner == delimiter:
                    break
                body.append(inner)
            else:
                raise ValueError(f"$GITHUB_OUTPUT: {name!r} has no closing {delimiter!r}")
            outputs[name] = "\n".join(body)
        elif "=" in line:
            name, value = line.split("=", 1)
            outputs[name] = value
        elif line.strip():
            raise ValueError(f"$GITHUB_OUTPUT: not an output line: {line!r}")
    return outputs


_LEVELS = {"none": 0, "read": 1, "write": 2}


def call_workflow(
    caller: dict,
    job_id: str,
    *,
    repository_root: Path,
    context: dict,
    resolve: Callable[[str], Path] | None = None,
) -> tuple[dict, dict]:
    """The workflow a caller's job calls, and the context its jobs run with.

    ``$/...`` and ``./...`` name a file under ``repository_root``; any other reference (such as
    ``OWNER/mlgate/.github/workflows/x.yml@SHA``) needs ``resolve``, which maps it to a file.
    Raises ``ValueError`` where GitHub would refuse to start the run.
    """
    job = caller["jobs"][job_id]
    uses = job["uses"]
    if uses.startswith(("$/", "./")):
        path = repository_root / uses[2:]
    elif resolve is not None:
        path = resolve(uses)
    else:
        raise ValueError(f"job {job_id!r}: cannot resolve {uses!r}")
    called = load_workflow(path)
    trigger = triggers(called).get("workflow_call")
    if not isinstance(trigger, dict):
        raise ValueError(f"{path.name} has no `on: workflow_call` with inputs to call")
    declared = trigger.get("inputs") or {}
    given = job.get("with") or {}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise ValueError(f"job {job_id!r} passes inputs {path.name} does not declare: {unknown}")
    inputs = {}
    for name, spec in declared.items():
        if name in given:
            value = _evaluate_value(given[name], context)
        elif spec.get("required"):
            raise ValueError(f"job {job_id!r} does not pass the required input {name!r}")
        else:
            value = spec.get("default", {"boolean": False, "number": 0}.get(spec["type"], ""))
        inputs[name] = _typed(value, spec["type"], name)
    secrets_given = job.get("secrets") or {}
    if secrets_given == "inherit":
        secrets = dict(context.get("secrets") or {})
    else:
        declared_secrets = trigger.get("secrets") or {}
        unknown = sorted(set(secrets_given) - set(declared_secrets))
        if unknown:
            raise ValueError(f"job {job_id!r} passes undeclared secrets {unknown}")
        secrets = {k: interpolate(v, context) for k, v in secrets_given.items()}
    granted = job.get("permissions", caller.get("permissions"))
    if granted is not None:
        for called_id, called_job in called["jobs"].items():
            for scope, level in (called_job.get("permissions") or {}).items():
                if _LEVELS[level] > _LEVELS[(granted or {}).get(scope, "none")]:
                    raise ValueError(
                        f"the nested job {called_id!r} is requesting '{scope}: {level}', but is "
                        f"only allowed '{scope}: {(granted or {}).get(scope, 'none')}'"
                    )
    return called, {**context, "inputs": inputs, "secrets": secrets}


@dataclass
class CallRun:
    """A called workflow played: each job (in file order), and the workflow's ``outputs:``."""

    jobs: dict[str, JobRun] = field(default_factory=dict)
    outputs: dict[str, str] = field(default_factory=dict)
    skipped: bool = False


def play_call(
    caller: dict,
    job_id: str,
    *,
    repository_root: Path,
    workdir: Path,
    context: dict,
    base_env: dict[str, str],
    resolve: Callable[[str], Path] | None = None,
    skip: tuple[str, ...] = (),
    only: tuple[str, ...] | None = None,
) -> CallRun:
    """Play the caller's job ``job_id``, which calls a reusable workflow: each called job in turn.

    The caller's ``if:`` is evaluated first, in the caller's context. The called workflow's jobs
    are played in the order the file lists them (the workflows here need no ``needs:`` order).
    """
    condition = caller["jobs"][job_id].get("if")
    if condition is not None and not evaluate(_strip(condition), context):
        return CallRun(skipped=True)
    called, inner = call_workflow(
        caller, job_id, repository_root=repository_root, context=context, resolve=resolve
    )
    played = CallRun()
    for called_id in called["jobs"]:
        played.jobs[called_id] = play_job(
            called, called_id, workdir=workdir, context=inner, base_env=base_env, skip=skip,
            only=only,
        )  # fmt: skip
    jobs = {name: {"outputs": run.outputs} for name, run in played.jobs.items()}
    declared = triggers(called)["workflow_call"].get("outputs") or {}
    played.outputs = {
        name: interpolate(spec["value"], {**inner, "jobs": jobs}) for name, spec in declared.items()
    }
    return played


def triggers(workflow: dict) -> dict:
    """The workflow's ``on:`` as a mapping (a YAML 1.1 reader turns the key ``on`` into True)."""
    found = workflow.get("on", workflow.get(True))
    if isinstance(found, str):
        return {found: None}
    if isinstance(found, list):
        return dict.fromkeys(found)
    return found or {}


def _evaluate_value(value: Any, context: dict) -> Any:
    """A ``with:`` value: one whole expression keeps its type; text around one makes a string."""
    if isinstance(value, str):
        whole = _EXPRESSION.fullmatch(value.strip())
        if whole:
            return evaluate(whole.group(1), context)
        return interpolate(value, context)
    return value


def _typed(value: Any, kind: str, name: str) -> Any:
    if kind == "boolean" and isinstance(value, bool):
        return value
    if kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if kind == "string" and not isinstance(value, dict | list):
        if isinstance(value, bool):
            return "true" if value else "false"
        return "" if value is None else str(value)
    raise ValueError(f"input {name!r} is declared {kind}, and was given {value!r}")


def _strip(condition: str) -> str:
    match = _EXPRESSION.fullmatch(condition.strip())
    return match.group(1) if match else condition


def runner_env(home: Path, path_prefix: list[Path]) -> dict[str, str]:
    """A minimal environment like a runner's: PATH with the given tools first, no secrets."""
    return {
        "PATH": os.pathsep.join([*map(str, path_prefix), os.environ["PATH"]]),
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "DVC_NO_ANALYTICS": "1",
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_OFFLINE": "1",
        "GIT_AUTHOR_NAME": "runner",
        "GIT_AUTHOR_EMAIL": "runner@example.invalid",
        "GIT_COMMITTER_NAME": "runner",
        "GIT_COMMITTER_EMAIL": "runner@example.invalid",
    }
