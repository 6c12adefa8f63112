"""The rows a shadow challenger was trained on, to find them in a batch it is compared on.

A model scores the rows it was fitted on better than new ones, so a comparison on a batch that
repeats them favours it: a challenger retrained on a batch and compared on that batch looks
"better" on rows it has memorised. Its training rows are its ``data/prepared/*`` split (train and
validation) at its revision, as ``dvc.lock`` there records them; a batch row is one of them when
its values in the challenger's input columns are (:mod:`mlgate.data.row_hash`, so that types read
from a CSV file or a parquet file compare alike).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

import numpy as np

from mlgate import paths
from mlgate.data.row_hash import row_sha256
from mlgate.errors import ModelError
from mlgate.revisions import OutputUnavailable, locked_md5, read_output_bytes

if TYPE_CHECKING:
    import pandas as pd

#: The challenger's training split: what ``mlgate train`` fits on and stops early on.
TRAINING_SPLITS = (paths.PREPARED_TRAIN, paths.PREPARED_VALIDATION)


@dataclass(frozen=True)
class TrainedRows:
    """Keys of the rows a challenger was trained on, or why they could not be read.

    Attributes
    ----------
    source : str
        Where the rows come from, for messages (``data/prepared/* at main (1a2b3c4d5e6f)``).
    columns, numeric : tuple of str
        The input columns a row is matched on, and those of them that are numbers.
    keys : numpy.ndarray or None
        The sorted, distinct first 64 bits of each training row's SHA-256; None when unknown.
    reason : str or None
        Why the rows could not be read (then ``keys`` is None).
    """

    source: str
    columns: tuple[str, ...] = ()
    numeric: tuple[str, ...] = ()
    keys: np.ndarray | None = None
    reason: str | None = None

    @classmethod
    def unavailable(cls, *, source: str, reason: str) -> TrainedRows:
        """Rows that could not be read, and why (the comparison is then not judged on labels)."""
        return cls(source=source, reason=reason)

    def seen(self, chunk: pd.DataFrame) -> np.ndarray:
        """Whether each row of ``chunk`` is a training row (a boolean per row)."""
        if self.keys is None:
            raise ValueError(f"the rows of {self.source} are unknown: {self.reason}")
        return np.isin(row_keys(chunk.loc[:, list(self.columns)], numeric=self.numeric), self.keys)


def row_keys(frame: pd.DataFrame, *, numeric: Sequence[str]) -> np.ndarray:
    """The first 64 bits of each row's SHA-256 (:mod:`mlgate.data.row_hash`), as integers.

    Eight bytes keep millions of training rows in a few megabytes; two distinct rows share a key
    with a chance of about one in 10^19 per pair.
    """
    digests = row_sha256(frame, numeric=numeric)
    return np.array([int(digest[:16], 16) for digest in digests], dtype=np.uint64)


def trained_rows_of(
    frames: Sequence[pd.DataFrame], *, columns: Sequence[str], numeric: Sequence[str], source: str
) -> TrainedRows:
    """The training rows in ``frames``, matched on ``columns`` (``numeric`` of them numbers)."""
    used = tuple(columns)
    numbers = tuple(name for name in numeric if name in used)
    keys = [row_keys(frame.loc[:, list(used)], numeric=numbers) for frame in frames]
    merged = np.unique(np.concatenate(keys)) if keys else np.array([], dtype=np.uint64)
    return TrainedRows(source=source, columns=used, numeric=numbers, keys=merged)


def input_columns(model: Any, *, declared: Sequence[str]) -> tuple[str, ...]:
    """The columns ``model`` was fitted on (``feature_names_in_``), else the ``declared`` ones."""
    fitted = getattr(getattr(model, "base", model), "feature_names_in_", None)
    return tuple(str(name) for name in fitted) if fitted is not None else tuple(declared)


def trained_rows_at(
    rev: str, commit: str, *, columns: Sequence[str], numeric: Sequence[str]
) -> TrainedRows:
    """The rows of ``data/prepared/*`` that ``dvc.lock`` records at ``commit``, through DVC.

    Parameters
    ----------
    rev, commit : str
        The challenger's revision as given (for messages) and the commit it resolves to.
    columns, numeric : sequence of str
        The challenger's input columns, and those of them that are numbers.

    Returns
    -------
    TrainedRows
        Unavailable, with the reason, when a split is not in the DVC cache or remote, its bytes
        are not those ``dvc.lock`` records, or it lacks an input column.
    """
    import pandas as pd

    source = f"{', '.join(p.as_posix() for p in TRAINING_SPLITS)} at {rev} ({commit[:12]})"
    frames = []
    for path in TRAINING_SPLITS:
        try:
            expected = locked_md5(commit, path)
            data = read_output_bytes(commit, path)
        except ModelError as exc:
            return TrainedRows.unavailable(source=source, reason=str(exc))
        except OutputUnavailable as exc:
            return TrainedRows.unavailable(
                source=source,
                reason=f"{path} at {rev} is not in the DVC cache or remote ({exc.kind}); "
                "`dvc pull` it",
            )
        if hashlib.md5(data).hexdigest() != expected:
            return TrainedRows.unavailable(
                source=source,
                reason=f"{path} at {rev}: its bytes are not the ones dvc.lock there records",
            )
        frame = pd.read_parquet(BytesIO(data))
        missing = sorted(set(columns) - set(frame.columns))
        if missing:
            return TrainedRows.unavailable(
                source=source, reason=f"{path} at {rev} has no column {missing!r}"
            )
        frames.append(frame)
    return trained_rows_of(frames, columns=columns, numeric=numeric, source=source)
