"""``mlgate retrain``: add a labelled batch to the training data and reproduce on a branch."""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from pathlib import Path

import click

from mlgate import io
from mlgate.cli.common import Timer, batch_paths, pass_config, plain_file_names, say
from mlgate.config import Config
from mlgate.monitor.interruption import STOPPING, Interrupted
from mlgate.monitor.retrain import recover_interrupted, retrain_with, summary_record
from mlgate.monitor.run import BATCH_ID, batch_id_of
from mlgate.report.retrain import render_retraining


@click.command("retrain")
@click.option(
    "--with",
    "batch_path",
    default=None,
    callback=batch_paths,
    help="The labelled batch: parquet or text in the source files' format, local or fsspec URL.",
)
@click.option(
    "--recover",
    is_flag=True,
    help="Only undo a retraining that was killed half-way (kill -9, a power cut): back to the "
    "branch it started from, its branch and files removed. `--with` does this first too.",
)
@click.option(
    "--batch-id",
    default=None,
    help="The batch's identifier [default: its file name without extension]; names the file "
    "under ingest.retrain_dir and the branch retrain/<id>.",
)
@click.option(
    "--pr-body",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    callback=plain_file_names,
    help="Write the pull request's body (markdown) here, outside the repository's tracked files.",
)
@click.option(
    "--chunk-rows",
    type=click.IntRange(min=1),
    default=250_000,
    show_default=True,
    help="Rows read at a time while the batch is checked.",
)
@pass_config
def retrain_cmd(
    cfg: Config,
    batch_path: str | None,
    recover: bool,
    batch_id: str | None,
    pr_body: Path | None,
    chunk_rows: int,
) -> None:
    """Add a labelled batch to the training data and reproduce the pipeline on a branch."""
    if (batch_path is not None) == recover:
        raise click.UsageError("give --with BATCH to retrain, or --recover alone.")
    if batch_id is not None and not BATCH_ID.match(batch_id):
        raise click.UsageError("--batch-id: letters, digits, '.', '_' or '-' (at most 100).")
    if recover:
        if not recover_interrupted(on_step=lambda step: say("retrain", step)):
            say("retrain", "nothing to recover: no retraining was interrupted here")
        return
    timer = Timer()
    with _stopping_raises():
        retraining = retrain_with(
            batch_path,
            batch_id=batch_id or batch_id_of(batch_path),
            cfg=cfg,
            chunk_rows=chunk_rows,
            on_step=lambda step: say("retrain", step),
        )
    record = summary_record(retraining)
    if pr_body is not None:
        io.write_bytes(pr_body, render_retraining(record).encode("utf-8"))
    say(
        "retrain",
        f"{retraining.rows:,} rows added as {retraining.batch_file}; committed "
        f"{retraining.commit[:12]} on {retraining.branch}; the gate says "
        f"{retraining.gate.get('decision')} ({timer})",
    )
    click.echo(retraining.branch)


@contextlib.contextmanager
def _stopping_raises() -> Iterator[None]:
    """SIGTERM, SIGINT and SIGHUP raise :class:`Interrupted` (once), so the retraining undoes."""

    def interrupt(signum: int, frame: object) -> None:
        # A second signal is ignored: the first one's undoing is under way.
        for stopping in STOPPING:
            signal.signal(stopping, signal.SIG_IGN)
        raise Interrupted(signum)

    previous = {stopping: signal.signal(stopping, interrupt) for stopping in STOPPING}
    try:
        yield
    finally:
        for stopping, handler in previous.items():
            signal.signal(stopping, handler)
