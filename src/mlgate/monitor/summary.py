"""A batch summarised over the fingerprint's frozen bins: counts that add across chunks.

Each row falls in one cell of each counted quantity (a feature's bin, its score bin and label,
its reconstruction error's bin, its group's confusion cell): :func:`row_cells` finds them, and a
summary is their counts (:func:`summarise_rows`). :meth:`BatchSummary.merge` adds two summaries,
so a batch read in any number of chunks, or in partitions on several machines, is judged exactly
as the whole batch at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from mlgate.config import DataConfig
from mlgate.data.groups import group_labels
from mlgate.data.redaction import as_stored
from mlgate.model.estimators import positive_scores
from mlgate.monitor.fingerprint import reconstruction_errors
from mlgate.stats.binned import category_codes, numeric_codes

if TYPE_CHECKING:
    import pandas as pd

    from mlgate.monitor.training_rows import TrainedRows


@dataclass
class BatchSummary:
    """Counts of one batch over the fingerprint's bins.

    Attributes
    ----------
    rows : int
        Rows summarised.
    labelled : bool
        Whether every row came with its label.
    counts : dict
        Name -> counts per bin: ``feature:<name>`` (one more slot than bins for a categorical:
        unseen values), ``scores``, ``errors`` (multivariate), and with labels ``positives``
        (positives per score bin) and ``group:<feature>`` (groups × 4 confusion cells,
        ``(true, predicted)`` = 00, 01, 10, 11; one more group for values not in the reference).
    missing : dict
        Feature -> rows without a value.
    """

    rows: int = 0
    labelled: bool = True
    counts: dict[str, np.ndarray] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)

    def merge(self, other: BatchSummary) -> BatchSummary:
        """The summary of both batches' rows together."""
        if not self.counts:
            return other
        if not other.counts:
            return self
        return BatchSummary(
            rows=self.rows + other.rows,
            labelled=self.labelled and other.labelled,
            counts={
                key: self.counts[key] + other.counts[key]
                for key in self.counts.keys() & other.counts.keys()
            },
            missing={key: self.missing[key] + other.missing[key] for key in self.missing},
        )


@dataclass(frozen=True)
class RowCells:
    """For each counted quantity, the cell of every row (-1: missing) and the number of cells."""

    cells: dict[str, np.ndarray]
    widths: dict[str, int]
    labelled: bool


def row_cells(
    chunk: pd.DataFrame,
    model: Any,
    fingerprint: dict,
    *,
    data: DataConfig,
    challenger: Any | None = None,
    scores: np.ndarray | None = None,
    trained_rows: TrainedRows | None = None,
) -> RowCells:
    """Score ``chunk`` and place each of its rows in the fingerprint's bins.

    The chunk has passed the batch rules (declared columns, types); its labels, when the target
    column is present and filled on every row, add the labelled cells. With a ``challenger``
    model, each row is also scored by it: ``shadow`` holds (model's bin, challenger's bin, label)
    and, with labels, ``shadow_group:<feature>`` (group, label, both decisions). With the
    challenger's ``trained_rows`` (when they could be read), ``shadow_trained`` is 1 for a row it
    was trained on, and such a row is left out of the ``shadow`` cells. ``scores``, when given, are
    the model's scores logged with the rows (checked by the caller), used instead of scoring
    again.
    """
    X = chunk.loc[:, list(data.features)]
    cells: dict[str, np.ndarray] = {}
    widths: dict[str, int] = {}
    for name, reference in fingerprint["features"].items():
        key = f"feature:{name}"
        if reference["kind"] == "numeric":
            edges = np.asarray(reference["edges"], dtype=float)
            cells[key], widths[key] = numeric_codes(X[name].to_numpy(float), edges), len(edges) + 1
        else:
            categories = reference["categories"]
            values = as_stored(
                X[[name]], {name: reference["hashed"]} if "hashed" in reference else {}
            )
            cells[key], widths[key] = category_codes(values[name], categories), len(categories) + 1
    score_edges = np.asarray(fingerprint["scores"]["edges"], dtype=float)
    if scores is None:
        scores = positive_scores(model, X)
    score_bins = np.searchsorted(score_edges, scores, side="right")
    multivariate = fingerprint["multivariate"]
    error_edges = np.asarray(multivariate["error_edges"], dtype=float)
    errors = reconstruction_errors(X, multivariate)
    cells["errors"], widths["errors"] = numeric_codes(errors, error_edges), len(error_edges) + 1
    labelled = data.target in chunk.columns and bool(chunk[data.target].notna().all())
    y_true = (
        (chunk[data.target] == data.positive_label).to_numpy(dtype=np.int64)
        if labelled
        else np.zeros(len(chunk), dtype=np.int64)
    )
    # Score bin and label in one cell: the scores' counts and the positives per bin both follow.
    cells["scores"], widths["scores"] = score_bins * 2 + y_true, 2 * (len(score_edges) + 1)
    width = len(score_edges) + 1
    threshold_bin = np.searchsorted(score_edges, fingerprint["decision_threshold"])
    y_pred = (score_bins > threshold_bin).astype(np.int64)
    # Rows the challenger was trained on are left out of the shadow cells (-1: not counted).
    seen = np.zeros(len(chunk), dtype=bool)
    if challenger is not None:
        shadow_bins = np.searchsorted(score_edges, positive_scores(challenger, X), side="right")
        shadow_pred = (shadow_bins > threshold_bin).astype(np.int64)
        if trained_rows is not None and trained_rows.keys is not None:
            seen = trained_rows.seen(chunk)
            cells["shadow_trained"], widths["shadow_trained"] = seen.astype(np.int64), 2
        cells["shadow"] = np.where(seen, -1, (score_bins * width + shadow_bins) * 2 + y_true)
        widths["shadow"] = 2 * width * width
    if labelled:
        for feature, groups in fingerprint["groups"].items():
            codes = category_codes(_group_names(chunk[feature], data), groups)
            key = f"group:{feature}"
            cells[key], widths[key] = codes * 4 + y_true * 2 + y_pred, 4 * (len(groups) + 1)
            if challenger is not None:
                key = f"shadow_group:{feature}"
                cells[key] = np.where(seen, -1, codes * 8 + y_true * 4 + y_pred * 2 + shadow_pred)
                widths[key] = 8 * (len(groups) + 1)
    return RowCells(cells, widths, labelled)


def _group_names(values: pd.Series, data: DataConfig) -> np.ndarray:
    edges = data.sensitive_bins.get(str(values.name))
    return group_labels(values, edges).to_numpy(dtype=object)


def summarise_rows(row_cells: RowCells, rows: np.ndarray | None = None) -> BatchSummary:
    """The summary of the rows at positions ``rows`` (all rows when None; repeats count twice)."""
    counts: dict[str, np.ndarray] = {}
    missing: dict[str, int] = {}
    n_rows = 0
    for key, all_cells in row_cells.cells.items():
        cells = all_cells if rows is None else all_cells[rows]
        n_rows = len(cells)
        present = cells[cells >= 0]
        counted = np.bincount(present, minlength=row_cells.widths[key]).astype(np.int64)
        if key.startswith("feature:"):
            missing[key.removeprefix("feature:")] = len(cells) - len(present)
        if key == "scores":
            counts["scores"] = counted[0::2] + counted[1::2]
            if row_cells.labelled:
                counts["positives"] = counted[1::2]
        elif key.startswith("group:"):
            counts[key] = counted.reshape(-1, 4)
        elif key.startswith("shadow_group:"):
            counts[key] = counted.reshape(-1, 8)
        else:
            counts[key] = counted
    return BatchSummary(n_rows, row_cells.labelled, counts, missing)


def summarise_chunk(
    chunk: pd.DataFrame,
    model: Any,
    fingerprint: dict,
    *,
    data: DataConfig,
    challenger: Any | None = None,
    scores: np.ndarray | None = None,
    trained_rows: TrainedRows | None = None,
) -> BatchSummary:
    """Score one chunk (and with the ``challenger``) and count it over the fingerprint's bins."""
    cells = row_cells(
        chunk,
        model,
        fingerprint,
        data=data,
        challenger=challenger,
        scores=scores,
        trained_rows=trained_rows,
    )
    return summarise_rows(cells)
