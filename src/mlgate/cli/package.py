"""``mlgate package``: the model as an MLflow model folder, for serving and deployment."""

from __future__ import annotations

from pathlib import Path

import click

from mlgate.cli.common import pass_config, say
from mlgate.config import Config
from mlgate.registry.mlflow_backend import package_model


@click.command("package")
@click.option(
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="A new folder for the MLflow model.",
)
@pass_config
def package_cmd(cfg: Config, output: Path) -> None:
    """Save the model as an MLflow model (code and skops file, no pickle) for serving."""
    package_model(cfg, output)
    say(
        "package",
        f"wrote {output}: serve it with `mlgate serve --model {output}` (which verifies it first)",
    )
