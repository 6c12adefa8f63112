"""``mlgate predict``: score a batch into an audit parquet file (not a DVC stage)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from mlgate import paths
from mlgate.cli.common import (
    Timer,
    batch_paths,
    engine_options,
    model_options,
    one_model_at_most,
    pass_config,
    plain_file_names,
    say,
)
from mlgate.config import Config
from mlgate.engines import engine_for
from mlgate.registry.serving import served_model
from mlgate.scoring.predict import Predictions, Scorer


@click.command("predict")
@click.option(
    "--input",
    "input_path",
    required=True,
    callback=batch_paths,
    help="The batch: parquet (a .parquet name) or text in the source files' format (ingest: in "
    "params.yaml); a local path or an fsspec URL. Labels are optional.",
)
@click.option(
    "--output",
    type=click.Path(path_type=Path),
    required=True,
    callback=plain_file_names,
    help="The audit parquet file to write: one row per input row (replaced only on success). "
    "With --engine dask, a folder of files, one per partition.",
)
@click.option(
    "--explain",
    is_flag=True,
    help="Add each feature's SHAP value (shap_<feature>) and the base value: much slower.",
)
@model_options(what="Score with", default=str(paths.MODEL))
@click.option(
    "--chunk-rows",
    type=click.IntRange(min=1),
    default=50_000,
    show_default=True,
    help="Rows read, scored and written at a time (memory grows with it, not with the batch).",
)
@engine_options(what="scored (dask: --output is a folder, a file per partition)")
@pass_config
def predict_cmd(
    cfg: Config,
    input_path: str,
    output: Path,
    explain: bool,
    model_path: Path | None,
    stage: str | None,
    version: str | None,
    allow_unsigned: bool,
    chunk_rows: int,
    engine: str | None,
    scheduler: str | None,
) -> None:
    """Score a batch into an audit parquet file: scores, decisions, the model's identity."""
    one_model_at_most(model_path, stage, version)
    if Path(input_path).resolve() == output.resolve():
        raise click.UsageError("--output must not be the --input file.")
    chosen = engine_for(cfg.batches, engine=engine, scheduler=scheduler)
    chosen.check_output(output)
    total = chosen.rows_known(input_path, named_by="the --input path")
    served = served_model(
        cfg.registry,
        model_path=model_path,
        stage=stage,
        version=version,
        extra_types=cfg.train.trusted_types,
        allow_unsigned=allow_unsigned,
    )
    say("predict", f"model {served.describe()}")
    scorer = Scorer.for_model(served.model, served.identity, cfg, explained=explain)
    timer = Timer()
    # A row count unknown until the batch is read (text, a folder) leaves the bar counting rows.
    with click.progressbar(
        iter(()) if total is None else None,
        length=total,
        label=f"[predict] scoring ({chosen.name})",
        show_pos=True,
        file=sys.stderr,
    ) as bar:
        result = chosen.score(
            input_path,
            output,
            scorer,
            rules=cfg.table_rules,
            scored_at=datetime.now(UTC),
            chunk_rows=chunk_rows,
            on_rows=bar.update,
        )
    _done(result, output, cfg, timer)


def _done(result: Predictions, output: Path, cfg: Config, timer: Timer) -> None:
    say(
        "predict",
        f"{result.rows:,} rows, {result.positives:,} decided {cfg.data.positive_label!r}; "
        f"wrote {output} ({timer})",
    )
