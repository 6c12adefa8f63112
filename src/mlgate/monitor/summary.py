"""A batch summarised over the fingerprint's frozen bins: counts that add across chunks.

:func:`summarise_chunk` reads one chunk (scored by the model); :meth:`BatchSummary.merge` adds two
summaries. Every statistic the monitor computes is a function of the summary, so a batch read in
any number of chunks, or in partitions on several machines, is judged exactly alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from mlgate.config import DataConfig
from mlgate.data.groups import group_labels
from mlgate.model.estimators import positive_scores
from mlgate.monitor.fingerprint import reconstruction_errors
from mlgate.stats.binned import bin_counts, category_counts

if TYPE_CHECKING:
    import pandas as pd


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


def summarise_chunk(
    chunk: pd.DataFrame, model: Any, fingerprint: dict, *, data: DataConfig
) -> BatchSummary:
    """Score one chunk and count it over the fingerprint's bins.

    The chunk has passed the batch rules (declared columns, types); its labels, when the target
    column is present and filled on every row, add the labelled counts.
    """
    X = chunk.loc[:, list(data.features)]
    counts: dict[str, np.ndarray] = {}
    missing: dict[str, int] = {}
    for name, reference in fingerprint["features"].items():
        if reference["kind"] == "numeric":
            edges = np.asarray(reference["edges"], dtype=float)
            counts[f"feature:{name}"], missing[name] = bin_counts(X[name].to_numpy(float), edges)
        else:
            values = X[name].to_numpy(dtype=object)
            counts[f"feature:{name}"], missing[name] = category_counts(
                values, reference["categories"]
            )
    score_edges = np.asarray(fingerprint["scores"]["edges"], dtype=float)
    score_bins = np.searchsorted(score_edges, positive_scores(model, X), side="right")
    width = len(score_edges) + 1
    counts["scores"] = np.bincount(score_bins, minlength=width)
    multivariate = fingerprint["multivariate"]
    errors = reconstruction_errors(X, multivariate)
    counts["errors"], _ = bin_counts(errors, np.asarray(multivariate["error_edges"], dtype=float))
    labelled = data.target in chunk.columns and bool(chunk[data.target].notna().all())
    if labelled:
        y_true = (chunk[data.target] == data.positive_label).to_numpy(dtype=np.int64)
        counts["positives"] = np.bincount(score_bins, weights=y_true, minlength=width).astype(
            np.int64
        )
        threshold_bin = np.searchsorted(score_edges, fingerprint["decision_threshold"])
        y_pred = (score_bins > threshold_bin).astype(np.int64)
        for feature, groups in fingerprint["groups"].items():
            counts[f"group:{feature}"] = _group_cells(chunk[feature], groups, y_true, y_pred, data)
    return BatchSummary(len(chunk), labelled, counts, missing)


def _group_cells(
    values: pd.Series,
    groups: list[str],
    y_true: np.ndarray,
    y_pred: np.ndarray,
    data: DataConfig,
) -> np.ndarray:
    import pandas as pd

    labels = group_labels(values, data.sensitive_bins.get(str(values.name)))
    codes = pd.Categorical(labels, categories=groups).codes
    codes = np.where(codes < 0, len(groups), codes)
    cells = codes * 4 + y_true * 2 + y_pred
    return np.bincount(cells, minlength=4 * (len(groups) + 1)).reshape(len(groups) + 1, 4)
