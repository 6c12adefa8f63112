"""Whether ``params.yaml`` and ``dvc.yaml`` agree: the checks behind ``mlgate validate``.

Every function here is pure: it takes the files as parsed by :func:`mlgate.io.parse_yaml` (as
DVC parses them) and returns a list of :class:`Problem`, each naming the file, the key in it and
what was expected. Nothing heavier than the params validation is imported, so that the pre-commit
hook starts in well under a second.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Collection, Mapping
from typing import Any

from mlgate.config import describe_errors, validate_params
from mlgate.errors import Problem
from mlgate.project.dvcfile import (
    DEFAULT_PARAMS_FILE,
    MISSING,
    as_list,
    interpolated_names,
    is_generated,
    listed_params,
    lookup,
    pipeline_stages,
    stage_definition,
    strings,
)
from mlgate.project.outputs import output_problems


def validate_project(
    params: Mapping[str, Any],
    dvc: Mapping[str, Any],
    *,
    commands: Collection[str],
    params_file: str = DEFAULT_PARAMS_FILE,
    dvc_file: str = "dvc.yaml",
    var_files: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[Problem]:
    """Every way in which ``params.yaml`` and ``dvc.yaml`` disagree with each other or the code.

    Parameters
    ----------
    params, dvc : mapping
        The parsed params file and ``dvc.yaml``.
    commands : collection of str
        The names of the ``mlgate`` subcommands.
    params_file, dvc_file : str
        Their paths, for the messages.
    var_files : mapping, optional
        The parsed files that ``dvc.yaml`` imports under ``vars:``, by the name it uses.

    Returns
    -------
    list of Problem
        Empty when the project is consistent.
    """
    return [
        *params_problems(params, source=params_file),
        *structure_problems(dvc, source=dvc_file),
        *command_problems(dvc, commands=commands, source=dvc_file),
        *stage_params_problems(dvc, params, source=dvc_file, params_file=params_file),
        *interpolation_problems(
            dvc, params, source=dvc_file, params_file=params_file, var_files=var_files or {}
        ),
        *output_problems(dvc, source=dvc_file),
    ]


def params_problems(params: Mapping[str, Any], *, source: str) -> list[Problem]:
    """What :func:`mlgate.config.load_config` refuses in ``params``, one problem per key."""
    from pydantic import ValidationError

    try:
        validate_params(params)
    except ValidationError as exc:
        return [dataclasses.replace(problem, file=source) for problem in describe_errors(exc)]
    return []


def structure_problems(dvc: Mapping[str, Any], *, source: str) -> list[Problem]:
    """``dvc.yaml`` is not shaped as a pipeline: ``stages`` must map names to stage mappings."""
    stages = dvc.get("stages")
    if not isinstance(stages, dict) or not stages:
        expected = "expected a mapping of stage names to stages"
        return [Problem(source, "stages", f"{expected}; found {stages!r}")]
    expected = "expected a mapping (cmd, deps, params, outs)"
    return [
        Problem(source, f"stages.{name}", f"{expected}; found {stage!r}")
        for name, stage in stages.items()
        if not isinstance(stage, dict)
    ]


def command_problems(
    dvc: Mapping[str, Any], *, commands: Collection[str], source: str
) -> list[Problem]:
    """Each stage runs ``mlgate <its own name>``, and that command exists.

    One name for one step everywhere (the stage, the command, its module and its params section)
    is what lets a reader go from ``dvc.yaml`` to the code.
    """
    known = ", ".join(sorted(commands))
    problems = []
    for name, stage in pipeline_stages(dvc).items():
        key = f"stages.{name}.cmd"
        cmd = stage_definition(stage).get("cmd")
        words = cmd.split() if isinstance(cmd, str) else []
        if len(words) < 2 or words[0] != "mlgate":
            expected = f"mlgate {name}" if name in commands else "mlgate <command>"
            problems.append(Problem(source, key, f"expected `{expected}`; found {cmd!r}"))
        elif words[1] not in commands:
            problems.append(
                Problem(source, key, f"`mlgate {words[1]}` is not an mlgate command ({known})")
            )
        elif words[1] != name and not is_generated(stage):
            problems.append(
                Problem(
                    source,
                    key,
                    f"stage {name!r} runs `mlgate {words[1]}`: name the stage after its command "
                    f"({words[1]!r}), as its module and params section are named",
                )
            )
    return problems


def stage_params_problems(
    dvc: Mapping[str, Any], params: Mapping[str, Any], *, source: str, params_file: str
) -> list[Problem]:
    """Every params key a stage lists exists in the params file (DVC stops on a missing one).

    The file itself is what counts, not the defaults :class:`mlgate.config.Config` fills in:
    DVC reads the file. Keys of other params files are not checked.
    """
    problems = []
    for name, stage in pipeline_stages(dvc).items():
        for key in listed_params(stage).get(DEFAULT_PARAMS_FILE, []):
            if not interpolated_names(key) and lookup(params, key) is MISSING:
                problems.append(
                    Problem(
                        source,
                        f"stages.{name}.params",
                        f"lists {key!r}, which {params_file} does not have: add it there, or "
                        f"remove it from the stage",
                    )
                )
    return problems


def interpolation_problems(
    dvc: Mapping[str, Any],
    params: Mapping[str, Any],
    *,
    source: str,
    params_file: str,
    var_files: Mapping[str, Mapping[str, Any]],
) -> list[Problem]:
    """Every ``${key}`` in ``dvc.yaml`` resolves, as DVC resolves it.

    DVC looks names up in the params file, then in ``vars:`` (inline mappings and imported
    files), then in the stage's own ``vars:``; ``item`` and ``key`` are ``foreach``'s and
    ``matrix``'s own names.
    """
    problems, context = _vars_context(dvc.get("vars"), params, "vars", source, var_files)
    for key, text in strings({k: v for k, v in dvc.items() if k not in ("stages", "vars")}):
        problems += _unresolved(text, context, source=source, key=key, params_file=params_file)
    for name, stage in pipeline_stages(dvc).items():
        found, scope = _vars_context(
            stage.get("vars"), context, f"stages.{name}.vars", source, var_files
        )
        problems += found
        local = {"item", "key"} if is_generated(stage) else set()
        for key, text in strings(stage, prefix=f"stages.{name}"):
            problems += _unresolved(
                text, scope, source=source, key=key, params_file=params_file, local=local
            )
    return problems


def _vars_context(
    entries: Any,
    base: Mapping[str, Any],
    key: str,
    source: str,
    var_files: Mapping[str, Mapping[str, Any]],
) -> tuple[list[Problem], dict[str, Any]]:
    context, problems = dict(base), []
    for entry in as_list(entries):
        if isinstance(entry, dict):
            context.update(entry)
            continue
        name, _, wanted = str(entry).partition(":")
        if name not in var_files:
            problems.append(Problem(source, key, f"imports {name!r}, which does not exist"))
            continue
        imported = var_files[name]
        if wanted:
            imported = {k: imported[k] for k in wanted.split(",") if k in imported}
        context.update(imported)
    return problems, context


def _unresolved(
    text: str,
    context: Mapping[str, Any],
    *,
    source: str,
    key: str,
    params_file: str,
    local: Collection[str] = (),
) -> list[Problem]:
    problems = []
    for name in interpolated_names(text):
        root = re.split(r"[.\[]", name, maxsplit=1)[0]
        if root in local or lookup(context, name) is not MISSING:
            continue
        problems.append(
            Problem(
                source,
                key,
                f"${{{name}}} does not resolve: expected the key {name!r} in {params_file} "
                f"(or in vars:)",
            )
        )
    return problems
