"""``mlgate monitor``: judge new batches against the model's fingerprint; exit 1 on an alert."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from mlgate import io, paths
from mlgate.cli.common import (
    Timer,
    batch_paths,
    engine_options,
    model_options,
    one_model_at_most,
    pass_config,
    say,
)
from mlgate.config import Config
from mlgate.engines import BatchEngine, engine_for
from mlgate.monitor import history as monitor_history
from mlgate.monitor import store as monitor_store
from mlgate.monitor.batch_run import BatchReading, RunRecord, Shadow
from mlgate.monitor.evidence_schema import MonitorFile
from mlgate.monitor.fingerprint_file import load_fingerprint
from mlgate.monitor.run import batch_identifiers, batch_sha256, last_run, monitor_batch
from mlgate.monitor.training_rows import TrainedRows, input_columns, trained_rows_at
from mlgate.registry.serving import ServedModel, served_model
from mlgate.report.monitor import render_summary
from mlgate.stages.champion import load_model_at
from mlgate.versioned import read_versioned

if TYPE_CHECKING:
    import pandas as pd


class Challenger(NamedTuple):
    """The model ``--challenger`` names, what the evidence says about it, and its training rows."""

    model: Any
    identity: dict
    trained_rows: TrainedRows


class Options(NamedTuple):
    """How each batch is monitored."""

    labels: bool
    chunk_rows: int | None
    challenger: Challenger | None
    scores_column: str | None
    engine: BatchEngine


#: Exit codes: an alert is a failed check (1); a batch nothing could judge could not run (3).
EXIT_ALERT, EXIT_UNJUDGED = 1, 3


@click.command("monitor")
@click.argument("batches", nargs=-1, required=True, callback=batch_paths)
@click.option(
    "--labels",
    is_flag=True,
    help="The batches carry their labels (data.target) on every row: also judge realized "
    "performance, concept drift and fairness.",
)
@click.option(
    "--batch-id",
    default=None,
    help="The batch's identifier (one batch only) [default: its file name without extension].",
)
@model_options(what="Monitor", default=f"{paths.MODEL}, with {paths.FINGERPRINT}")
@click.option(
    "--challenger",
    "challenger_rev",
    default=None,
    help="Also score each batch with the model at this git revision (a branch, tag or commit) "
    "and compare the two on the same rows: a shadow deployment, offline. No alert comes of it.",
)
@click.option(
    "--scores-column",
    default=None,
    help="A column of the batch holding the model's scores as logged when it served the rows: "
    "used instead of scoring every row again (256 rows per chunk, drawn anew on every run, are "
    "scored again, and the batch is refused if one differs).",
)
@engine_options(what="summarised")
@click.option(
    "--chunk-rows",
    type=click.IntRange(min=1),
    default=None,
    help="Rows read and scored at a time [default: monitor.chunk_rows in params.yaml].",
)
@pass_config
def monitor_cmd(
    cfg: Config,
    batches: tuple[str, ...],
    labels: bool,
    batch_id: str | None,
    model_path: Path | None,
    stage: str | None,
    version: str | None,
    allow_unsigned: bool,
    challenger_rev: str | None,
    scores_column: str | None,
    engine: str | None,
    scheduler: str | None,
    chunk_rows: int | None,
) -> int:
    """Judge new batches against the model's fingerprint: drift, performance, alerts."""
    one_model_at_most(model_path, stage, version)
    chosen = engine_for(cfg.batches, engine=engine, scheduler=scheduler)
    identifiers = batch_identifiers(batches, batch_id)
    served = served_model(
        cfg.registry,
        model_path=model_path,
        stage=stage,
        version=version,
        extra_types=cfg.train.trusted_types,
        allow_unsigned=allow_unsigned,
    )
    say("monitor", f"model {served.describe()}")
    registered = stage is not None or version is not None
    fingerprint = load_fingerprint(
        model_sha256=served.identity.model_sha256,
        commit=served.identity.commit if registered else None,
        features=cfg.data.features,
    )
    challenger = None if challenger_rev is None else _challenger(cfg, challenger_rev)
    # One run at a time, from reading the history to writing it: none loses another's batches.
    with monitor_store.locked(paths.MONITOR_DIR, on_wait=_say_waiting):
        evidences = _complete_interrupted_run()
        history = monitor_history.read_history(paths.MONITOR_HISTORY)
        for path, identifier in zip(batches, identifiers, strict=True):
            evidence = _monitor_one(
                cfg,
                path,
                identifier,
                served,
                fingerprint,
                history,
                Options(labels, chunk_rows, challenger, scores_column, chosen),
            )
            if evidence is not None:
                evidences.append(evidence)
                row = monitor_history.history_row(evidence)
                history = monitor_history.appended(history, [row])
        _write(evidences, history, model=cfg.registry.artifact)
    return _exit_code(evidences)


def _challenger(cfg: Config, rev: str) -> Challenger:
    """The model at git revision ``rev``, to score beside the monitored one, and its rows."""
    model, sha256, commit = load_model_at(rev, extra_types=cfg.train.trusted_types)
    columns = input_columns(model, declared=cfg.data.features)
    trained = trained_rows_at(rev, commit, columns=columns, numeric=cfg.data.numeric)
    say("monitor", f"challenger {paths.MODEL} at {rev} ({commit[:12]})")
    return Challenger(model, {"rev": rev, "commit": commit, "sha256": sha256}, trained)


def _exit_code(evidences: list[dict]) -> int:
    """1 when a batch alerts; else 3 when one could not be judged; else 0."""
    statuses = {evidence["status"] for evidence in evidences}
    return EXIT_ALERT if "alert" in statuses else EXIT_UNJUDGED if "unjudged" in statuses else 0


def _monitor_one(
    cfg: Config,
    path: str,
    identifier: str,
    served: ServedModel,
    fingerprint: dict,
    history: pd.DataFrame,
    options: Options,
) -> dict | None:
    sha256 = batch_sha256(path)
    identity = served.identity
    if not monitor_history.is_new_batch(history, identity.model_sha256, identifier, sha256):
        say("monitor", f"{identifier}: already monitored with this model, skipped")
        return None
    timer = Timer()
    total = options.engine.rows_known(path, named_by="the BATCH argument")
    # A text batch's row count is unknown until it is read: the bar then counts rows only.
    with click.progressbar(
        iter(()) if total is None else None,
        length=total,
        label=f"[monitor] {identifier}",
        show_pos=True,
        file=sys.stderr,
    ) as bar:
        evidence = monitor_batch(
            BatchReading(
                path,
                labelled=options.labels,
                chunk_rows=options.chunk_rows or cfg.monitor.chunk_rows,
                scores_column=options.scores_column,
                on_rows=bar.update,
                engine=options.engine,
            ),
            served.model,
            fingerprint,
            cfg=cfg,
            record=RunRecord(
                batch={"id": identifier, "sha256": sha256},
                model={
                    "sha256": identity.model_sha256,
                    "version": identity.version,
                    "tag": identity.tag,
                    "commit": identity.commit,
                },
                monitored_at=datetime.now(UTC).isoformat(timespec="seconds"),
                previous=monitor_history.carried_statistic(history, identity.model_sha256),
            ),
            shadow=(
                Shadow(options.challenger.model, options.challenger.trained_rows)
                if options.challenger
                else None
            ),
        )
    if options.challenger is not None:
        evidence["shadow"] = {"challenger": options.challenger.identity} | evidence["shadow"]
        warning = evidence["shadow"].get("warning")
        if warning is not None:
            say("monitor", f"WARNING: {identifier}: shadow comparison: {warning}.")
    alert = evidence["alert"]
    say(
        "monitor",
        f"{identifier}: {evidence['batch']['rows']:,} rows, {evidence['status']} (statistic "
        f"{alert['statistic']:.3g}, alert at {alert['threshold']:.3g}) in {timer}",
    )
    return evidence


def _say_waiting() -> None:
    lock = paths.MONITOR_DIR / monitor_store.LOCK
    say("monitor", f"waiting for another mlgate monitor run to finish (it holds {lock})")


def _complete_interrupted_run() -> list[dict]:
    """Finish the write of a run killed while writing; its batches' evidence, to report again.

    That run recorded its batches but never reported them (it had no exit status): they go into
    this run's ``last-run.json``, summary and exit status, so that no alert is lost.
    """
    if not monitor_store.complete_interrupted_write(paths.MONITOR_DIR):
        return []
    batches = io.read_json(paths.MONITOR_LAST_RUN)["batches"]
    evidences = [_read_evidence(paths.MONITOR_DIR / f"{batch['id']}.json") for batch in batches]
    listed = ", ".join(batch["id"] for batch in batches) or "none"
    say(
        "monitor",
        f"completed the write of a run killed while writing (batches: {listed}); its batches "
        "are reported with this run's",
    )
    return evidences


def _read_evidence(path: Path) -> dict:
    """A batch's evidence as an earlier run wrote it, held to this mlgate's format."""
    evidence = io.read_json(path)
    read_versioned(
        evidence,
        MonitorFile,
        source=str(path),
        remedy=f"Move {paths.MONITOR_DIR} aside and monitor the batches again.",
    )
    return evidence


def _write(evidences: list[dict], history: pd.DataFrame, *, model: str) -> None:
    """Write the run's evidence, the history and its trends, the summary: as one step.

    ``last-run.json`` lists what this run judged (a workflow reads it); without a new batch it
    is the only file written. It goes last, after the history it is drawn from.
    """
    files = {}
    if evidences:
        files |= {f"{e['batch']['id']}.json": io.json_bytes(e) for e in evidences}
        files |= {
            paths.MONITOR_TREND.name: io.json_bytes(monitor_history.trend_records(history)),
            "trend.png": io.figure_png(monitor_history.trend_figure(history)),
            paths.MONITOR_SUMMARY.name: render_summary(evidences, model=model).encode("utf-8"),
            paths.MONITOR_HISTORY.name: io.parquet_bytes(history),
        }
    files[paths.MONITOR_LAST_RUN.name] = io.json_bytes(last_run(evidences))
    monitor_store.write_together(paths.MONITOR_DIR, files)
    say("monitor", f"wrote {len(files)} file{'s' * (len(files) > 1)} under {paths.MONITOR_DIR}")
