"""The project's pre-commit checks: ``validate``, ``guard-files`` and ``lock-check``.

Each reads only YAML and file sizes (no data, no model, no DVC), so that a commit stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from mlgate.cli.app import COMMANDS
from mlgate.cli.common import say
from mlgate.errors import ConfigError
from mlgate.io import parse_yaml
from mlgate.project import file_guard
from mlgate.project.dvc_lock import lock_status, params_files_to_read
from mlgate.project.dvcfile import cached_outputs, var_file_names
from mlgate.project.validate import validate_project

_DVC_YAML = click.option(
    "--dvc-yaml",
    "dvc_yaml",
    type=click.Path(dir_okay=False, path_type=Path),
    default="dvc.yaml",
    show_default=True,
    help="The pipeline file.",
)


@click.command("validate")
@_DVC_YAML
@click.pass_context
def validate_cmd(ctx: click.Context, dvc_yaml: Path) -> int:
    """Check that params.yaml and dvc.yaml agree with each other and with the code.

    params.yaml is valid; every params key a stage lists and every ${...} in dvc.yaml exist in
    it; every column it names is declared; each stage runs the mlgate command of its name and
    declares the outputs that command writes. Prints one line per problem (file: key: what was
    expected) and exits 2 if there is any, 0 otherwise.
    """
    params_path: Path = ctx.obj["params_path"]
    params, dvc = read_yaml(params_path), read_yaml(dvc_yaml)
    var_files = {
        name: read_yaml(dvc_yaml.parent / name)
        for name in var_file_names(dvc)
        if (dvc_yaml.parent / name).is_file()
    }
    problems = validate_project(
        params,
        dvc,
        commands=COMMANDS,
        params_file=str(params_path),
        dvc_file=str(dvc_yaml),
        var_files=var_files,
    )
    for problem in problems:
        click.echo(str(problem))
    say("validate", f"{len(problems)} problems" if problems else f"{params_path}, {dvc_yaml}: ok")
    return 2 if problems else 0


@click.command("guard-files")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--allow",
    "allowed",
    multiple=True,
    default=file_guard.DEFAULT_ALLOWED,
    show_default=True,
    metavar="PATTERN",
    help="A path kept in git whatever its type or size: a folder ending in '/' or a glob ('*' "
    "also matches '/'). Repeat it for more; giving it replaces the defaults.",
)
@click.option(
    "--managed-dir",
    "managed_dirs",
    multiple=True,
    default=file_guard.DEFAULT_MANAGED_DIRS,
    show_default=True,
    metavar="DIR",
    help="A folder of pipeline outputs that DVC manages. Repeatable; replaces the defaults.",
)
@click.option(
    "--max-kb",
    type=click.IntRange(min=1),
    default=file_guard.DEFAULT_MAX_KB,
    show_default=True,
    help="The largest file (KiB) that may be committed outside the allowed paths.",
)
@_DVC_YAML
def guard_files_cmd(
    files: tuple[Path, ...],
    allowed: tuple[str, ...],
    managed_dirs: tuple[str, ...],
    max_kb: int,
    dvc_yaml: Path,
) -> int:
    """Refuse data and model files committed to git instead of DVC (pre-commit passes FILES).

    A file is refused when it is a cached output of a stage of --dvc-yaml (if present) or lies
    under a managed folder, has a data or model type (.csv, .parquet, .skops, .pkl, ...), or is
    over --max-kb. Exits 1 naming each refused file, why, and the fix; 0 otherwise.
    """
    policy = file_guard.GuardPolicy(
        allowed=allowed,
        managed_dirs=managed_dirs,
        max_bytes=max_kb * 1024,
        pipeline_outputs=cached_outputs(read_yaml(dvc_yaml)) if dvc_yaml.is_file() else {},
    )
    refused = file_guard.guard_files(((_relative(f), _size(f)) for f in files), policy=policy)
    for refusal in refused:
        click.echo(str(refusal))
    if refused:
        say("guard-files", f"{len(refused)} of {len(files)} files refused")
    return 1 if refused else 0


@click.command("lock-check")
@_DVC_YAML
def lock_check_cmd(dvc_yaml: Path) -> int:
    """Check that dvc.lock records the params the params files hold now (no dvc run: fast).

    For every stage, the params values dvc.lock (next to --dvc-yaml) recorded are compared with
    params.yaml (and any other params file dvc.yaml names, next to it) as `dvc status` compares
    them; a stage of dvc.yaml missing from dvc.lock counts too. Exits 1 listing stage, key,
    locked and current value, and the fix (`dvc repro`); 0 when dvc.lock is current.
    """
    dvc = read_yaml(dvc_yaml)
    lock_path = dvc_yaml.with_suffix(".lock")
    lock = read_yaml(lock_path) if lock_path.is_file() else None
    params_files = {
        name: read_yaml(dvc_yaml.parent / name) if (dvc_yaml.parent / name).is_file() else None
        for name in params_files_to_read(lock, dvc)
    }
    status = lock_status(lock, dvc, params_files)
    for line in status.report():
        click.echo(line)
    say("lock-check", f"{lock_path}: current" if status.is_current else f"{lock_path}: stale")
    return 0 if status.is_current else 1


def read_yaml(path: Path) -> dict[str, Any]:
    """Parse a YAML (or JSON) file as DVC does; a missing or unreadable file is a ConfigError."""
    if path.suffix not in (".yaml", ".yml", ".json", ".lock"):
        raise ConfigError(
            f"{path}: mlgate reads YAML and JSON files (.yaml, .yml, .json); found {path.suffix!r}."
        )
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path} not found. Run mlgate from the project root.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path} cannot be read as text: {exc}") from None
    return parse_yaml(text, source=str(path))


def _relative(path: Path) -> str:
    """``path`` relative to the working directory (pre-commit passes relative paths already)."""
    if path.is_absolute() and path.is_relative_to(Path.cwd()):
        return path.relative_to(Path.cwd()).as_posix()
    return path.as_posix()


def _size(path: Path) -> int | None:
    """The size git would store: a symbolic link's own, not its target's; None if absent."""
    try:
        return path.lstat().st_size
    except FileNotFoundError:
        return None
