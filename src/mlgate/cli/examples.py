"""``mlgate examples``: shifted batches from the test rows, to try monitoring on (DVC stage)."""

from __future__ import annotations

import click

from mlgate import io, paths
from mlgate.cli.common import pass_config, say
from mlgate.config import Config
from mlgate.stages.examples import build_examples


@click.command("examples")
@pass_config
def examples_cmd(cfg: Config) -> None:
    """Draw example batches from the test rows, shifted in stated ways (DVC stage ``examples``)."""
    batches = build_examples(io.read_parquet(paths.INGESTED_TEST), data=cfg.data, cfg=cfg.examples)
    io.write_files(
        {
            paths.EXAMPLES_DIR / f"{name}.parquet": io.parquet_bytes(batch)
            for name, batch in batches.items()
        }
    )
    positive = cfg.data.positive_label
    for name, batch in batches.items():
        share = (batch[cfg.data.target] == positive).mean()
        say("examples", f"{name}: {len(batch):,} rows, {share:.1%} {positive!r}")
