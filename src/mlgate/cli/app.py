"""The click group and the pipeline's stage commands; each is a thin shell over one library call."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--params",
    "params_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default="params.yaml",
    show_default=True,
    help="The params file to read.",
)
@click.version_option(package_name="mlgate")
@click.pass_context
def cli(ctx: click.Context, params_path: Path) -> None:
    """Reproducible pipeline, model checks and promotion gate for ML in CI."""
    ctx.obj = {"params_path": params_path}


def pass_config(command: Callable[..., Any]) -> Callable[..., Any]:
    """Load and validate ``params.yaml`` once, then call ``command(cfg, ...)``."""

    @functools.wraps(command)
    @click.pass_context
    def wrapper(ctx: click.Context, /, *args: Any, **kwargs: Any) -> Any:
        from mlgate.config import load_config

        return command(load_config(ctx.obj["params_path"]), *args, **kwargs)

    return wrapper


def say(stage: str, message: str) -> None:
    """Progress on standard error, prefixed by the stage, so stdout stays clean for data."""
    click.echo(f"[{stage}] {message}", err=True)


class Timer:
    """Elapsed wall time, for progress lines."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    def __str__(self) -> str:
        return f"{time.perf_counter() - self.start:.1f} s"


from mlgate.cli import (  # noqa: E402,F401  (registers the commands)
    checks,
    explain,
    gate,
    init,
    pipeline,
    report,
    validate,
)
