"""Retrain with a labelled batch: a new DVC data version on a branch, the pipeline reproduced.

``retrain_with`` adds the batch's rows under ``ingest.retrain_dir`` as ``<batch-id>.parquet``,
tracks that file with DVC, switches to the branch ``retrain/<batch-id>``, reproduces the pipeline
(train, evaluate, check, gate, ...) and commits the result. It promotes nothing: the branch goes to
a pull request, whose CI runs the gate again, and a merged retraining is promoted as any change
to main is. If a step fails, or a signal stops it (SIGTERM, SIGINT, SIGHUP), the processes it
started are stopped, the branch, the batch file and its DVC record are removed and the previous
branch checked out again, so an interrupted retraining leaves the repository as it was; after a
``kill -9``, the next ``mlgate retrain`` does so first, from the journal (:mod:`.retrain_journal`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mlgate import io, paths
from mlgate.config import Config, IngestConfig, TableRules
from mlgate.errors import ConfigError, DataError, RunError
from mlgate.git import read_json_at, run_git, tracked_changes
from mlgate.monitor import retrain_journal
from mlgate.monitor.interruption import Interrupted, deferred_signals
from mlgate.tables.batch_chunks import read_batch_chunks

if TYPE_CHECKING:
    import pandas as pd

#: What a retraining commit adds, besides the batch: what `dvc repro` rewrote in git.
COMMITTED = ("dvc.lock", "reports", "models")


@dataclass(frozen=True)
class Retraining:
    """A retraining committed on its branch.

    Attributes
    ----------
    batch_id, branch, commit : str
        The batch's identifier, the branch and the commit that holds the retraining.
    rows, positives : int
        The batch's rows, and how many are labelled positive.
    batch_file : Path
        Where its rows were written (DVC-tracked).
    metrics_before, metrics_after : dict
        ``reports/metrics.json`` on the starting commit and after reproducing.
    gate : dict
        ``reports/gate.json`` after reproducing: the decision CI will recompute.
    """

    batch_id: str
    branch: str
    commit: str
    rows: int
    positives: int
    batch_file: Path
    metrics_before: dict
    metrics_after: dict
    gate: dict


def retrain_with(
    path: str,
    *,
    batch_id: str,
    cfg: Config,
    chunk_rows: int,
    on_step: Callable[[str], None] = lambda step: None,
) -> Retraining:
    """Add the labelled batch at ``path`` to the training data and reproduce on a branch.

    ``on_step`` is told each step as it starts (progress: reproducing takes a while).

    Raises
    ------
    ConfigError
        When ``ingest.retrain_dir`` is not set.
    DataError
        When the batch is unlabelled or breaks the schema, was added before, the working tree
        has uncommitted changes, or the branch exists.
    RunError
        When DVC or git fails (the repository is then restored).
    """
    with retrain_journal.exclusive() as journal_path:
        retrain_journal.recover(journal_path, say=on_step)
        folder = _retrain_dir(cfg.ingest)
        batch_file = folder / f"{batch_id}.parquet"
        branch = f"retrain/{batch_id}"
        if batch_file.exists() or Path(f"{batch_file}.dvc").exists():
            raise DataError(
                f"batch {batch_id!r} was added before ({batch_file}). Give another --batch-id, "
                f"or remove it first (`dvc remove {batch_file}.dvc`)."
            )
        rows = _labelled_rows(path, rules=cfg.table_rules, chunk_rows=chunk_rows)
        start = _clean_start(branch)
        # DVC writes the folder's .gitignore; one it creates goes again with a failed retraining.
        ignore = folder / ".gitignore"
        journal = retrain_journal.begin(
            journal_path,
            branch=branch,
            batch_file=batch_file,
            created_ignore=None if ignore.exists() else ignore,
        )
        try:
            on_step(f"{len(rows):,} labelled rows checked; on branch {branch}")
            gate = _reproduce(journal, rows, folder=folder, batch_id=batch_id, on_step=on_step)
        except BaseException as exc:
            why = f"interrupted by {exc.signal_name}" if isinstance(exc, Interrupted) else "failed"
            on_step(f"the retraining {why}: undoing it")
            retrain_journal.restore(journal, say=on_step)
            raise
        journal.path.unlink()
    return Retraining(
        batch_id=batch_id,
        branch=branch,
        commit=run_git("rev-parse", "HEAD").stdout.strip(),
        rows=len(rows),
        positives=int((rows[cfg.data.target] == cfg.data.positive_label).sum()),
        batch_file=batch_file,
        metrics_before=read_json_at(start, paths.METRICS) or {},
        metrics_after=io.read_json(paths.METRICS),
        gate=gate,
    )


def recover_interrupted(*, on_step: Callable[[str], None]) -> bool:
    """Undo a retraining a ``kill -9`` left half-done; whether there was one.

    Raises
    ------
    DataError
        When another ``mlgate retrain`` is running.
    RunError
        When git fails (the journal stays, so it can be run again).
    """
    with retrain_journal.exclusive() as journal_path:
        return retrain_journal.recover(journal_path, say=on_step)


def _reproduce(
    journal: retrain_journal.Journal,
    rows: pd.DataFrame,
    *,
    folder: Path,
    batch_id: str,
    on_step: Callable[[str], None],
) -> dict:
    """On the new branch: the batch added, tracked by DVC, the pipeline reproduced, committed."""
    batch_file = Path(journal.batch_file)
    # Git commands are not cut short by a signal (a killed git leaves its index locked).
    with deferred_signals():
        run_git("switch", "--quiet", "-c", journal.branch)
    io.write_parquet(batch_file, rows)
    _dvc(journal, "add", "--quiet", str(batch_file))
    on_step(f"{batch_file} tracked by DVC; reproducing the pipeline (dvc repro)")
    _dvc(journal, "repro", "--quiet")
    gate = io.read_json(paths.GATE)
    message = (
        f"Retrain with batch {batch_id}: {len(rows):,} labelled rows added to the training "
        f"data\n\nThe gate on this commit says {gate.get('decision')}; CI decides again."
    )
    with deferred_signals():
        run_git("add", "-A", "--", str(folder), *COMMITTED)
        run_git("commit", "--quiet", "-m", message)
    return gate


def _retrain_dir(ingest: IngestConfig) -> Path:
    if ingest.retrain_dir is None:
        raise ConfigError(
            "ingest.retrain_dir is not set in params.yaml: name the folder that holds the "
            "batches added to the training data (the template uses data/retrain), and list it "
            "as a dependency of the ingest stage in dvc.yaml (- ${ingest.retrain_dir})."
        )
    return Path(ingest.retrain_dir)


def _labelled_rows(path: str, *, rules: TableRules, chunk_rows: int):
    import pandas as pd

    chunks = list(
        read_batch_chunks(
            path,
            ingest=rules.ingest,
            data=rules.data,
            chunk_rows=chunk_rows,
            named_by="the --with path",
        )
    )
    rows = pd.concat(chunks, ignore_index=True)
    if rules.data.target not in rows.columns:
        raise DataError(
            f"{path} has no {rules.data.target!r} column (data.target): only labelled rows can be "
            "added to the training data."
        )
    if rows.empty:
        raise DataError(f"{path} has no rows: nothing to add to the training data.")
    missing = sorted(set(_training_columns()) - set(rows.columns))
    if missing:
        raise DataError(
            f"{path} lacks the columns {missing} that the training rows have "
            f"({paths.INGESTED_TRAIN}): a batch added to them holds every column of the source "
            "files."
        )
    return rows


def _training_columns() -> list[str]:
    """The columns of the ingested training rows (none known before the first `dvc repro`)."""
    import pyarrow.parquet as pq

    if not paths.INGESTED_TRAIN.is_file():
        return []
    return list(pq.read_schema(paths.INGESTED_TRAIN).names)


def _clean_start(branch: str) -> str:
    """The commit retraining starts from; refuses a dirty tree or an existing branch."""
    changed = tracked_changes()
    if changed:
        raise DataError(
            f"the working tree has uncommitted changes ({', '.join(changed[:5])}): commit or "
            "stash them first, so that the retraining commit holds the retraining only."
        )
    if run_git("rev-parse", "--verify", "--quiet", f"refs/heads/{branch}", check=False).stdout:
        raise DataError(f"branch {branch} exists: delete it, or give another --batch-id.")
    return run_git("rev-parse", "HEAD").stdout.strip()


def _dvc(journal: retrain_journal.Journal, *args: str) -> None:
    done = journal.run([sys.executable, "-m", "dvc", *args])
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise RunError(f"`dvc {' '.join(args)}` failed:\n{tail}")


def summary_record(retraining: Retraining) -> dict:
    """The retraining as JSON-ready data (what the pull request's body is rendered from)."""
    return {
        "batch_id": retraining.batch_id,
        "branch": retraining.branch,
        "commit": retraining.commit,
        "rows": retraining.rows,
        "positives": retraining.positives,
        "batch_file": retraining.batch_file.as_posix(),
        "metrics_before": retraining.metrics_before,
        "metrics_after": retraining.metrics_after,
        "gate": {
            "decision": retraining.gate.get("decision"),
            "reasons": list(retraining.gate.get("reasons", [])),
        },
    }
