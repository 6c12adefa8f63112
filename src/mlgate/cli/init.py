"""``mlgate init``: point the template's params.yaml and dvc.yaml at your own table."""

from __future__ import annotations

from pathlib import Path

import click

from mlgate.cli.common import plain_file_names, say
from mlgate.project.init import initialise


@click.command("init")
@click.option(
    "--data",
    "data_path",
    required=True,
    callback=plain_file_names,
    help="The table: a local path or fsspec URL.",
)
@click.option(
    "--test",
    "test_path",
    default=None,
    callback=plain_file_names,
    help="A separate held-out test file. Without it, ingest holds out a seeded, stratified 20%.",
)
@click.option("--target", required=True, help="The column to predict (two distinct values).")
@click.option(
    "--sensitive",
    multiple=True,
    help="A column to slice fairness evidence by (repeatable), e.g. sex, age.",
)
@click.option(
    "--force", is_flag=True, help="Replace the data: and ingest: sections params.yaml already has."
)
@click.pass_context
def init_cmd(
    ctx: click.Context,
    data_path: str,
    test_path: str | None,
    target: str,
    sensitive: tuple[str, ...],
    force: bool,
) -> None:
    """Infer the schema of a table and write params.yaml's data: and ingest: sections for it."""
    params_path = Path(ctx.obj["params_path"])
    written, review = initialise(
        params_path,
        params_path.parent / "dvc.yaml",
        data_path=data_path,
        test_path=test_path,
        target=target,
        sensitive=sensitive,
        force=force,
    )
    click.echo(written)
    click.echo("\nReview before `dvc repro`:")
    for note in review:
        click.echo(f"  - {note}")
    say("init", f"wrote {params_path} and {params_path.parent / 'dvc.yaml'}")
