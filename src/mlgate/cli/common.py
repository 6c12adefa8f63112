"""What the commands share: loading the config once, progress lines, elapsed time."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

import click

from mlgate.config import load_config


def pass_config(command: Callable[..., Any]) -> Callable[..., Any]:
    """Load and validate ``params.yaml`` once, then call ``command(cfg, ...)``."""

    @functools.wraps(command)
    @click.pass_context
    def wrapper(ctx: click.Context, /, *args: Any, **kwargs: Any) -> Any:
        return command(load_config(ctx.obj["params_path"]), *args, **kwargs)

    return wrapper


def say(stage: str, message: str) -> None:
    """Progress on standard error, prefixed by the stage, so stdout stays clean for data."""
    click.echo(f"[{stage}] {message}", err=True)


class Timer:
    """Elapsed wall time, for progress lines."""

    def __init__(self) -> None:
        self.start = time.perf_counter()

    @property
    def seconds(self) -> float:
        """Seconds since the timer started."""
        return time.perf_counter() - self.start

    def __str__(self) -> str:
        return f"{self.seconds:.1f} s"
