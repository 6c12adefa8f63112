"""``mlgate ingest``: read the source files into typed parquet tables (DVC stage ``ingest``)."""

from __future__ import annotations

import click

from mlgate import io, paths
from mlgate.cli.common import Timer, pass_config, say
from mlgate.config import Config
from mlgate.stages.ingest import ingest_tables


@click.command("ingest")
@pass_config
def ingest_cmd(cfg: Config) -> None:
    """Read the source files into typed parquet tables (DVC stage ``ingest``)."""
    timer = Timer()

    def progress(source, frame):
        say("ingest", f"{source}: {len(frame):,} rows × {frame.shape[1]} columns ({timer})")

    # Written only once both tables are valid: a bad test file leaves no new train file behind.
    train, test = ingest_tables(cfg.ingest, cfg.data, on_read=progress)
    for destination, frame in ((paths.INGESTED_TRAIN, train), (paths.INGESTED_TEST, test)):
        io.write_parquet(destination, frame)
        say("ingest", f"wrote {destination}: {len(frame):,} rows")
