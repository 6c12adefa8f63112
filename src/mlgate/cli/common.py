"""What the commands share: loading the config once, progress lines, elapsed time."""

from __future__ import annotations

import functools
import re
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
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


#: ``--allow-unsigned``: accept registry tags without a valid signature (local experiments).
ALLOW_UNSIGNED = click.option(
    "--allow-unsigned",
    is_flag=True,
    help="Accept registry tags that are not signed by an allowed signer (every other proof is "
    "still required). For local experiments only: every output says so.",
)


def model_options(*, what: str, default: str) -> Callable[[Callable[..., Any]], Any]:
    """``--model PATH``, ``--stage S``, ``--version V`` and ``--allow-unsigned``: which model.

    ``--allow-unsigned`` lets the registry's tags that name the model be unsigned.

    ``what`` says what the command does with it ("Score with", "Monitor"); ``default`` names the
    model file used when none is given. At most one may be given (:func:`one_model_at_most`).
    """

    def decorate(command: Callable[..., Any]) -> Any:
        command = ALLOW_UNSIGNED(command)
        command = click.option(
            "--version", "version", default=None, help=f"{what} this registered version."
        )(command)
        command = click.option(
            "--stage", default=None, help=f"{what} the registered version this stage holds."
        )(command)
        return click.option(
            "--model",
            "model_path",
            type=click.Path(dir_okay=False, path_type=Path),
            default=None,
            help=f"The model file [default: {default}].",
        )(command)

    return decorate


def engine_options(*, what: str) -> Callable[[Callable[..., Any]], Any]:
    """``--engine`` and ``--scheduler``: how a command reads a batch (``batches:`` in params).

    ``what`` says what is done with each part of the batch ("summarised", "scored").
    """

    def decorate(command: Callable[..., Any]) -> Any:
        command = click.option(
            "--scheduler",
            default=None,
            help="With --engine dask: the scheduler's address, e.g. tcp://10.0.0.5:8786 "
            "[default: batches.scheduler; none: dask's threads in this process].",
        )(command)
        return click.option(
            "--engine",
            type=click.Choice(["pandas", "dask"]),
            default=None,
            help=f"How the batch is read and {what}: pandas in this process, or dask, a parquet "
            "batch's partitions on a cluster [default: batches.engine in params.yaml].",
        )(command)

    return decorate


#: Unicode categories a file name given on the command line may not hold, and what each is.
_HIDDEN_CHARACTERS = {
    "Cc": "control character",
    "Cf": "invisible formatting character",
    "Zl": "line separator",
    "Zp": "paragraph separator",
    "Cs": "byte that is not UTF-8",
}


def plain_file_names(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """A click callback: refuse a file name (or several) holding a character a name never needs.

    A name that ends in a newline (pasted, or read from a list) names another file than the one
    shown; a right-to-left override makes a name read as another; and either would be written
    as it is into evidence, history and report lines. The refusal shows the name with repr().
    """
    names = value if isinstance(value, tuple) else (value,)
    for name in (str(n) for n in names if n is not None):
        hidden = [(c, _HIDDEN_CHARACTERS.get(unicodedata.category(c))) for c in name]
        found = list(dict.fromkeys(f"the {kind} {c!r}" for c, kind in hidden if kind))
        if found:
            raise click.BadParameter(
                f"{name!r} holds {', '.join(found)}: a file name may not. Rename the file, or "
                "give the name without it.",
                ctx=ctx,
                param=param,
            )
    return value


#: What makes a name a shell pattern (``glob``'s wildcards).
_PATTERN = re.compile(r"[*?[]")


def batch_paths(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """A click callback for batch paths: :func:`plain_file_names`, and no unmatched pattern.

    A shell passes a pattern that matches no file as it is (``data/incoming/*.parquet`` on an
    empty folder), which then read as a file name: "not found", or a batch identifier ``'*'``.
    Only local paths are looked at: an fsspec URL is the reader's to resolve.
    """
    plain_file_names(ctx, param, value)
    names = value if isinstance(value, tuple) else (value,)
    for name in (str(n) for n in names if n is not None):
        if "://" not in name and _PATTERN.search(name) and not Path(name).exists():
            raise click.BadParameter(
                f"no file matches the pattern {name!r} (the shell passes a pattern that matches "
                "nothing as it is written). Check that the folder holds the batches, or name "
                "the files.",
                ctx=ctx,
                param=param,
            )
    return value


def one_model_at_most(*given: object) -> None:
    """Refuse more than one of ``--model``, ``--stage`` and ``--version`` (a usage error)."""
    if sum(value is not None for value in given) > 1:
        raise click.UsageError("give one of --model, --stage and --version, not several.")


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
