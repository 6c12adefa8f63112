"""``mlgate serve``: serve a package ``mlgate package`` wrote, after verifying it."""

from __future__ import annotations

import click

from mlgate.cli.common import say
from mlgate.registry.mlflow_package import load_package, serve_model


@click.command("serve")
@click.option(
    "--model",
    "model",
    required=True,
    help="The MLflow model folder `mlgate package` wrote, or an MLflow URI (models:/NAME@ALIAS).",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option(
    "--port", default=5001, type=click.IntRange(1, 65535), show_default=True, help="The port."
)
@click.option(
    "--trusted-type",
    "trusted_types",
    multiple=True,
    help="A type the package may add to the allow-list (your train.custom.trusted_types); "
    "repeat for each.",
)
def serve_cmd(model: str, host: str, port: int, trusted_types: tuple[str, ...]) -> None:
    """Verify an MLflow model mlgate packaged, then serve it with MLflow's scoring server."""
    loaded = load_package(model, trusted_types=frozenset(trusted_types))
    say("serve", f"verified {model}; serving http://{host}:{port}/invocations (Ctrl-C stops)")
    serve_model(loaded, host=host, port=port)
