"""Monitor one batch: read it in chunks, summarise, judge, apply the alert policy; the evidence.

Nothing here writes a file: :func:`monitor_batch` returns the evidence record, and the command
writes it with the history, so an interrupted run leaves the history as it was.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from mlgate import io
from mlgate.config import Config, DataConfig, TableRules
from mlgate.distributed.cluster import folder_sha256
from mlgate.errors import ConfigError, DataError
from mlgate.monitor.batch_run import BatchReading, RunRecord, Shadow
from mlgate.monitor.evidence_schema import MonitorFile
from mlgate.monitor.judge import judge_batch
from mlgate.monitor.logged import RESCORED_ROWS, draw_seed, logged_scores
from mlgate.monitor.outcome import BatchVerdict
from mlgate.monitor.policy import apply_policy
from mlgate.monitor.shadow import compare_shadow
from mlgate.monitor.summary import BatchSummary, summarise_chunk
from mlgate.tables.rules import folder_files
from mlgate.versioned import check_written

#: The evidence file's format tag.
FORMAT = MonitorFile.FORMAT.recorded

#: A batch identifier names files: letters, digits, ``._-``, starting with a letter or digit.
BATCH_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

_SUFFIXES = (".gz", ".bz2", ".xz", ".zst", ".parquet", ".csv", ".tsv", ".txt", ".data", ".test")


def batch_identifiers(paths: tuple[str, ...], batch_id: str | None) -> list[str]:
    """Each batch's identifier: ``batch_id`` for the one batch, else from each file's name.

    Raises
    ------
    ConfigError
        When ``batch_id`` is given for several batches or is not an identifier, or two batches
        would get the same one.
    DataError
        When a file name leaves no valid identifier.
    """
    if batch_id is not None and (len(paths) > 1 or not BATCH_ID.match(batch_id)):
        raise ConfigError(
            "--batch-id names one batch: letters, digits, '.', '_' or '-' (at most 100)."
        )
    identifiers = [batch_id] if batch_id else [batch_id_of(path) for path in paths]
    if len(set(identifiers)) < len(identifiers):
        raise ConfigError(f"two batches have the same identifier: {identifiers}.")
    return identifiers


def batch_id_of(path: str) -> str:
    """The identifier a batch gets from its file name: the name without its extensions.

    Raises
    ------
    DataError
        When the name leaves no valid identifier (give ``--batch-id``).
    """
    name = path.rstrip("/").rsplit("/", 1)[-1]
    while name.lower().endswith(_SUFFIXES):
        name = name[: name.rfind(".")]
    if not BATCH_ID.match(name):
        raise DataError(
            f"{path}: its file name gives the batch identifier {name!r}, which is not one: "
            "expected letters, digits, '.', '_' or '-' (at most 100). Rename the file or give "
            "--batch-id."
        )
    return name


def batch_sha256(path: str) -> str:
    """The SHA-256 of the batch's content (decompressed, as it is read); a folder's files'."""
    files = folder_files(path)
    if files is not None:
        return folder_sha256(path, files)
    digest = hashlib.sha256()
    with io.open_source(path, named_by="the BATCH argument") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def monitor_batch(
    reading: BatchReading,
    model: Any,
    fingerprint: dict,
    *,
    cfg: Config,
    record: RunRecord,
    shadow: Shadow | None = None,
) -> dict:
    """The evidence of one batch: every test, the run's p-value and the alert decision.

    Parameters
    ----------
    reading : BatchReading
        The batch, whether it is labelled, how it is read and where its scores come from.
    model : estimator
        The model the fingerprint describes.
    fingerprint : dict
        ``models/fingerprint.json`` of that model.
    cfg : Config
        ``data``, ``ingest``, ``monitor``, ``batches`` and the fairness limits of ``checks``.
    record : RunRecord
        The batch's and the model's identity, the time and the alert statistic carried.
    shadow : Shadow, optional
        A challenger scored beside the model on the same rows (``shadow`` in the evidence).

    Raises
    ------
    DataError
        When the batch breaks the schema, or it is labelled and a row has no label.
    """
    if reading.scores_column is not None and reading.scores_seed is None:
        reading = replace(reading, scores_seed=draw_seed())
    summary = summarise_batch(reading, model, fingerprint, rules=cfg.table_rules, shadow=shadow)
    fairness = cfg.checks.get("fairness.group_parity")
    judged = judge_batch(
        summary, fingerprint, cfg=cfg.monitor, fairness=fairness, labelled=reading.labelled
    )
    alert = apply_policy(judged["run_p_value"], record.previous, cfg=cfg.monitor.alert)
    status = BatchVerdict.ALERT if alert["alert"] else BatchVerdict.OK
    if judged["run_p_value"] is None:
        status = BatchVerdict.UNJUDGED
    if shadow is not None:
        judged["shadow"] = compare_shadow(
            summary,
            fingerprint,
            cfg=cfg.monitor,
            fairness=fairness,
            labelled=reading.labelled,
            rng=np.random.default_rng(cfg.monitor.seed),
            trained_rows=shadow.trained_rows,
        )
    scores = reading.scores_column
    evidence = {
        "format": FORMAT,
        "batch": record.batch
        | {
            "path": reading.path,
            "rows": summary.rows,
            "labelled": reading.labelled,
            # Where the scores came from: the model, or a logged column checked against it.
            "scores": f"logged:{scores}" if scores else "model",
        }
        # The rows re-scored differ from run to run: the seed and the chunks say which they were
        # (on Dask, each partition is drawn by its position: logged.rescored_rows).
        | ({"scores_check": _scores_check(reading)} if scores else {}),
        "status": status,
        "model": record.model,
        "monitored_at": record.monitored_at,
        **judged,
        "alert": alert,
    }
    return check_written(evidence, MonitorFile)


def _scores_check(reading: BatchReading) -> dict[str, Any]:
    chunks = reading.engine.pieces_recorded(reading.chunk_rows)
    return {"seed": reading.scores_seed, "rows_per_chunk": RESCORED_ROWS, "chunk_rows": chunks}


def last_run(evidences: list[dict]) -> dict:
    """What one run of ``mlgate monitor`` judged: each new batch's path, status and labels."""
    return {
        "format": "mlgate.monitor-run/1",
        "alert": any(evidence["status"] == "alert" for evidence in evidences),
        "batches": [
            {
                "id": evidence["batch"]["id"],
                "path": evidence["batch"]["path"],
                "status": evidence["status"],
                "labelled": evidence["batch"]["labelled"],
            }
            for evidence in evidences
        ],
    }


def summarise_batch(
    reading: BatchReading,
    model: Any,
    fingerprint: dict,
    *,
    rules: TableRules,
    shadow: Shadow | None = None,
) -> BatchSummary:
    """The batch's counts over the fingerprint's bins, read by ``reading.engine`` under ``rules``.

    ``pandas`` reads the batch in chunks of ``reading.chunk_rows`` here; ``dask`` summarises each
    partition on its cluster (parquet only). Both give the same counts. Logged scores are checked
    on rows drawn from ``reading.scores_seed`` (a new seed when None).
    """
    path = reading.path
    logged = (
        functools.partial(
            logged_scores,
            model=model,
            column=reading.scores_column,
            path=path,
            seed=draw_seed() if reading.scores_seed is None else reading.scores_seed,
        )
        if reading.scores_column is not None
        else None
    )
    work = ChunkSummary(
        model,
        fingerprint,
        rules.data,
        labels_of=path if reading.labelled else None,
        logged=logged,
        shadow=shadow,
    )
    return reading.engine.fold(
        path,
        work,
        start=BatchSummary(),
        rules=rules,
        chunk_rows=reading.chunk_rows,
        named_by="the BATCH argument",
        on_rows=reading.on_rows,
    )


@dataclass(frozen=True)
class ChunkSummary:
    """One validated piece of a batch summarised: what either engine runs on each piece.

    A module-level record, so that it pickles: the Dask engine ships it to the workers once.

    Attributes
    ----------
    model : estimator
        The model the fingerprint describes.
    fingerprint : dict
        ``models/fingerprint.json``.
    data : DataConfig
        The inputs and the target.
    labels_of : str, optional
        The batch's path when its labels were asked for (every piece must then carry them).
    logged : callable, optional
        The logged scores' reader (:func:`.logged.logged_scores`); None: score every row.
    shadow : Shadow, optional
        A challenger scored beside the model, and the rows it was trained on.
    """

    model: Any
    fingerprint: dict
    data: DataConfig
    labels_of: str | None
    logged: Any
    shadow: Shadow | None

    def __call__(self, rows: Any, partition: int) -> BatchSummary:
        """The piece's summary.

        ``partition`` draws the piece's own rows to re-score: Dask's pieces are each read from
        row 0, so two partitions would otherwise draw the same rows.
        """
        if self.labels_of is not None:
            _require_labels(rows, path=self.labels_of, target=self.data.target)
        scores = self.logged(rows, partition=partition) if self.logged is not None else None
        return summarise_chunk(
            rows,
            self.model,
            self.fingerprint,
            data=self.data,
            challenger=self.shadow.model if self.shadow is not None else None,
            scores=scores,
            trained_rows=self.shadow.trained_rows if self.shadow is not None else None,
        )


def _require_labels(chunk: Any, *, path: str, target: str) -> None:
    """Refuse a batch without its label column when labels were asked for."""
    # A batch's label column, when present, is complete (the batch rules refuse gaps).
    if target not in chunk.columns:
        raise DataError(
            f"{path}: --labels was given, but the batch has no {target!r} column (data.target). "
            "Add the labels, or monitor without --labels."
        )
