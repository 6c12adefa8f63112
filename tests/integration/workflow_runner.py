"""Play a GitHub Actions job's shell steps locally, in order, as the runner would.

Only what the workflows here use is supported, and anything else is an error rather than a guess:
``${{ <context path> }}``, ``${{ <path> || '<text>' }}`` and ``<path> == '<text>'`` expressions,
evaluated against a context the test provides (``github``, ``vars``, ``secrets``), in ``env:``
values and ``if:`` conditions. ``run:`` scripts are executed by
``bash --noprofile --norc -eo pipefail``, GitHub's default shell on Linux, with the job's and the
step's ``env:`` as environment variables: exactly how values reach a script on GitHub. A
``uses:`` step is not run; the caller stands in for it (checkout, setup, artifacts).
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

_EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$")


def load_workflow(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text())


def evaluate(expression: str, context: dict) -> Any:
    """Evaluate one expression (without the ``${{ }}``) against ``context``."""
    expression = expression.strip()
    if "||" in expression:
        left, right = (part.strip() for part in expression.split("||", 1))
        return evaluate(left, context) or evaluate(right, context)
    if "==" in expression:
        left, right = (part.strip() for part in expression.split("==", 1))
        return evaluate(left, context) == evaluate(right, context)
    if expression.startswith("'") and expression.endswith("'"):
        return expression[1:-1].replace("''", "'")
    if not _PATH.match(expression):
        raise ValueError(f"unsupported expression: {expression!r}")
    node: Any = context
    for part in expression.split("."):
        if not isinstance(node, dict):
            return ""
        node = node.get(part, "")
    return node


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
    job = workflow["jobs"][job_id]
    condition = job.get("if")
    if condition is not None and not evaluate(_strip(condition), context):
        return []
    job_env = {k: interpolate(v, context) for k, v in (job.get("env") or {}).items()}
    runs = []
    for step in job["steps"]:
        if "run" not in step or step.get("name") in skip:
            continue
        if only is not None and step.get("name") not in only:
            continue
        script = step["run"]
        if "${{" in script:
            raise AssertionError(f"step {step.get('name')!r} expands an expression in its script")
        step_env = {k: interpolate(v, context) for k, v in (step.get("env") or {}).items()}
        env = {**base_env, **job_env, **step_env}
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=workdir,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        runs.append(
            StepRun(step.get("name", script[:40]), result.returncode, result.stdout, result.stderr)
        )
        if result.returncode != 0 and stop_on_failure:
            break
    return runs


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
