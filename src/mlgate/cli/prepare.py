"""``mlgate prepare``: split the training data into train and validation (DVC stage ``prepare``)."""

from __future__ import annotations

import click

from mlgate import io, paths
from mlgate.cli.common import pass_config, say
from mlgate.config import Config
from mlgate.stages.prepare import split_train_validation


@click.command("prepare")
@pass_config
def prepare_cmd(cfg: Config) -> None:
    """Split the training data into train and validation sets (DVC stage ``prepare``)."""
    train, validation = split_train_validation(
        io.read_parquet(paths.INGESTED_TRAIN), target=cfg.data.target, cfg=cfg.prepare
    )
    io.write_parquet(paths.PREPARED_TRAIN, train)
    io.write_parquet(paths.PREPARED_VALIDATION, validation)
    say("prepare", f"train {len(train):,} rows, validation {len(validation):,} rows")
