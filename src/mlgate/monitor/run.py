"""Monitor one batch: read it in chunks, summarise, judge, apply the alert policy; the evidence.

Nothing here writes a file: :func:`monitor_batch` returns the evidence record, and the command
writes it with the history, so an interrupted run leaves the history as it was.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from typing import Any

import numpy as np

from mlgate import io
from mlgate.config import Config
from mlgate.distributed.cluster import folder_sha256
from mlgate.errors import DataError
from mlgate.monitor.distributed import summarise_on_dask
from mlgate.monitor.judge import judge_batch
from mlgate.monitor.logged import RESCORED_ROWS, draw_seed, logged_scores
from mlgate.monitor.outcome import BatchVerdict
from mlgate.monitor.policy import apply_policy
from mlgate.monitor.shadow import compare_shadow
from mlgate.monitor.summary import BatchSummary, summarise_chunk
from mlgate.monitor.training_rows import TrainedRows
from mlgate.tables.batch_chunks import read_batch_chunks
from mlgate.tables.rules import folder_files

#: The evidence file's format tag.
FORMAT = "mlgate.monitor/1"

#: A batch identifier names files: letters, digits, ``._-``, starting with a letter or digit.
BATCH_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")

_SUFFIXES = (".gz", ".bz2", ".xz", ".zst", ".parquet", ".csv", ".tsv", ".txt", ".data", ".test")


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
    path: str,
    model: Any,
    fingerprint: dict,
    *,
    cfg: Config,
    batch: dict[str, Any],
    model_identity: dict[str, Any],
    monitored_at: str,
    labelled: bool,
    previous: float,
    chunk_rows: int,
    challenger: Any | None = None,
    challenger_trained_rows: TrainedRows | None = None,
    scores_column: str | None = None,
    scores_seed: int | None = None,
    on_rows: Callable[[int], None] = lambda rows: None,
) -> dict:
    """The evidence of one batch: every test, the run's p-value and the alert decision.

    Parameters
    ----------
    path : str
        The batch: parquet or text in the source files' format (``ingest:``).
    model : estimator
        The model the fingerprint describes.
    fingerprint : dict
        ``models/fingerprint.json`` of that model.
    cfg : Config
        ``data``, ``ingest``, ``monitor`` and the fairness limits of ``checks``.
    batch : dict
        ``id`` and ``sha256`` of the batch, recorded in the evidence.
    model_identity : dict
        ``sha256``, ``version``, ``tag`` and ``commit`` of the model, recorded in the evidence.
    monitored_at : str
        When the run started (ISO 8601, UTC): the history's time axis.
    labelled : bool
        Judge with the batch's labels: every row must carry one.
    previous : float
        The alert statistic the last run of this model carried (1 for its first).
    chunk_rows : int
        Rows read and scored at a time.
    challenger : estimator, optional
        A model scored beside it on the same rows (``shadow`` in the evidence; no alert).
    challenger_trained_rows : TrainedRows, optional
        The rows the challenger was trained on (required with it): the comparison counts them.
    scores_column : str, optional
        A column holding the model's scores, logged when the rows were served: used instead of
        scoring every row, once a sample of each chunk, scored again, matches it.
    scores_seed : int, optional
        The seed that draws the rows re-scored (:mod:`.logged`); by default a new one from the
        operating system's randomness, so that a logger cannot know which rows are checked.
        Recorded in the evidence either way.
    on_rows : callable
        Called with each chunk's row count (progress).

    Raises
    ------
    DataError
        When the batch breaks the schema, or ``labelled`` and a row has no label.
    """
    if challenger is not None and challenger_trained_rows is None:
        raise ValueError("a challenger needs its training rows (challenger_trained_rows)")
    if scores_column is not None and scores_seed is None:
        scores_seed = draw_seed()
    summary = summarise_batch(
        path,
        model,
        fingerprint,
        cfg=cfg,
        labelled=labelled,
        chunk_rows=chunk_rows,
        challenger=challenger,
        trained_rows=challenger_trained_rows,
        scores_column=scores_column,
        scores_seed=scores_seed,
        on_rows=on_rows,
    )
    judged = judge_batch(
        summary,
        fingerprint,
        cfg=cfg.monitor,
        fairness=cfg.checks.get("fairness.group_parity"),
        labelled=labelled,
    )
    alert = apply_policy(judged["run_p_value"], previous, cfg=cfg.monitor.alert)
    status = BatchVerdict.ALERT if alert["alert"] else BatchVerdict.OK
    if judged["run_p_value"] is None:
        status = BatchVerdict.UNJUDGED
    if challenger is not None and challenger_trained_rows is not None:
        judged["shadow"] = compare_shadow(
            summary,
            fingerprint,
            cfg=cfg.monitor,
            fairness=cfg.checks.get("fairness.group_parity"),
            labelled=labelled,
            rng=np.random.default_rng(cfg.monitor.seed),
            trained_rows=challenger_trained_rows,
        )
    return {
        "format": FORMAT,
        "batch": batch
        | {
            "path": path,
            "rows": summary.rows,
            "labelled": labelled,
            # Where the scores came from: the model, or a logged column checked against it.
            "scores": f"logged:{scores_column}" if scores_column else "model",
        }
        # The rows re-scored differ from run to run: the seed and the chunks say which they were
        # (on Dask, each partition is drawn by its position: logged.rescored_rows).
        | ({"scores_check": _scores_check(scores_seed, cfg, chunk_rows)} if scores_column else {}),
        "status": status,
        "model": model_identity,
        "monitored_at": monitored_at,
        **judged,
        "alert": alert,
    }


def _scores_check(seed: int | None, cfg: Config, chunk_rows: int) -> dict[str, Any]:
    chunks = "partitions" if cfg.batches.distributed else chunk_rows
    return {"seed": seed, "rows_per_chunk": RESCORED_ROWS, "chunk_rows": chunks}


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
    path: str,
    model: Any,
    fingerprint: dict,
    *,
    cfg: Config,
    labelled: bool,
    chunk_rows: int,
    challenger: Any | None,
    scores_column: str | None,
    on_rows: Callable[[int], None],
    scores_seed: int | None = None,
    trained_rows: TrainedRows | None = None,
) -> BatchSummary:
    """The batch's counts over the fingerprint's bins, read by ``batches.engine``.

    ``pandas`` reads the batch in chunks of ``chunk_rows`` here; ``dask`` summarises each
    partition on the cluster at ``batches.scheduler`` (parquet only). Both give the same counts.
    Logged scores are checked on rows drawn from ``scores_seed`` (a new seed when None).
    """
    labels = (
        functools.partial(_require_labels, path=path, target=cfg.data.target) if labelled else None
    )
    logged = (
        functools.partial(
            logged_scores,
            model=model,
            column=scores_column,
            path=path,
            seed=draw_seed() if scores_seed is None else scores_seed,
        )
        if scores_column is not None
        else None
    )
    if cfg.batches.distributed:
        summary = summarise_on_dask(
            path,
            model,
            fingerprint,
            cfg=cfg,
            scheduler=cfg.batches.scheduler,
            labelled_check=labels,
            challenger=challenger,
            logged=logged,
            trained_rows=trained_rows,
        )
        on_rows(summary.rows)
        return summary
    summary = BatchSummary()
    chunks = read_batch_chunks(
        path,
        ingest=cfg.ingest,
        data=cfg.data,
        chunk_rows=chunk_rows,
        named_by="the BATCH argument",
        require_rows=True,
    )
    for chunk in chunks:
        if labels is not None:
            labels(chunk)
        scores = logged(chunk) if logged is not None else None
        summary = summary.merge(
            summarise_chunk(
                chunk,
                model,
                fingerprint,
                data=cfg.data,
                challenger=challenger,
                scores=scores,
                trained_rows=trained_rows,
            )
        )
        on_rows(len(chunk))
    return summary


def _require_labels(chunk: Any, *, path: str, target: str) -> None:
    """Refuse a batch without its label column when labels were asked for."""
    # A batch's label column, when present, is complete (the batch rules refuse gaps).
    if target not in chunk.columns:
        raise DataError(
            f"{path}: --labels was given, but the batch has no {target!r} column (data.target). "
            "Add the labels, or monitor without --labels."
        )
