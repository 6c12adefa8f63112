"""Batch predictions (``mlgate predict``): score a batch chunk by chunk into an audit parquet file.

Not a DVC stage: scoring new data is an action on a trained model, like promotion. Each chunk of
the batch (:mod:`mlgate.tables.batch_chunks`, the ingest rules) is scored with
:func:`~mlgate.model.estimators.positive_scores`, decided at ``evaluate.decision_threshold``,
optionally explained with SHAP per original feature (the ``explain`` stage's
:func:`~mlgate.model.shap_values.explain`), and streamed to a temporary file beside the output in
row groups of :data:`ROW_GROUP_ROWS` (:func:`mlgate.io.write_parquet_stream`). The file replaces
the output only once every chunk is written: a bad row anywhere leaves nothing behind. Memory holds
one chunk and one row group, whatever the size of the batch.

The output has one row per input row (:mod:`mlgate.scoring.audit_table`), and is the same bytes for
the same batch, model and ``scored_at`` whatever ``chunk_rows`` is.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlgate import io, paths
from mlgate.config import Config, DataConfig, ExplainConfig, IngestConfig
from mlgate.data.row_hash import row_sha256
from mlgate.model.estimators import positive_scores
from mlgate.model.preprocessing import original_features
from mlgate.model.shap_values import background_rows, explain, method_document, needs_background
from mlgate.scoring.audit_table import (
    SHAP_BASE_VALUE,
    SHAP_PREFIX,
    ModelIdentityLike,
    audit_table,
    prediction_schema,
)
from mlgate.tables.batch_chunks import read_batch_chunks

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

#: What the file's ``mlgate`` metadata calls its format.
PREDICTIONS_FORMAT = "mlgate.predictions/2"

#: Rows per row group of the output, whatever the chunk size: the bytes depend on the rows alone.
ROW_GROUP_ROWS = 65_536

#: How the file says what ``input_sha256`` hashes (see :mod:`mlgate.data.row_hash`).
INPUT_HASH = (
    "sha256 of json.dumps(inputs, sort_keys=True, separators=(',', ':'), ensure_ascii=False) in "
    "UTF-8; inputs maps each model input to its value: numeric ones as float, others as str, "
    "missing ones as null"
)


@dataclass(frozen=True)
class Predictions:
    """What a run of :func:`predict_batch` wrote.

    Attributes
    ----------
    output : Path
        The audit file.
    rows : int
        Rows scored (one output row each).
    positives : int
        Rows decided positive (``data.positive_label``).
    shap : dict or None
        With SHAP values: the explainer, the unit its values add up to, what it explains.
    """

    output: Path
    rows: int
    positives: int
    shap: dict | None


@dataclass
class _Totals:
    """What the chunks add up to, as they are written."""

    rows: int = 0
    positives: int = 0
    shap: dict | None = None


@dataclass(frozen=True)
class Scorer:
    """What scores a batch's rows, and what every row is stamped with.

    Attributes
    ----------
    model : estimator
        A model loaded by :mod:`mlgate.model.files`.
    identity : ModelIdentityLike
        The model's version, tag, SHA-256 and evidence digest, stamped on every row.
    data : DataConfig
        The schema and labels.
    decision_threshold : float
        A score at or above it decides ``data.positive_label``.
    explain_cfg : ExplainConfig, optional
        Add SHAP values, seeded by ``explain_cfg.seed``; None for none.
    background : pandas.DataFrame, optional
        The explainer's background (:func:`shap_background`).
    """

    model: Any
    identity: ModelIdentityLike
    data: DataConfig
    decision_threshold: float
    explain_cfg: ExplainConfig | None = None
    background: pd.DataFrame | None = None

    @classmethod
    def for_model(
        cls, model: Any, identity: ModelIdentityLike, cfg: Config, *, explained: bool
    ) -> Scorer:
        """The scorer of ``mlgate predict``: the params' threshold; SHAP when ``explained``."""
        return cls(
            model,
            identity,
            cfg.data,
            cfg.evaluate.decision_threshold,
            explain_cfg=cfg.explain if explained else None,
            background=shap_background(model, cfg.explain) if explained else None,
        )


def shap_background(model: Any, cfg: ExplainConfig) -> pd.DataFrame | None:
    """The explain stage's background rows, read only for explainers that need them."""
    if not needs_background(model):
        return None
    return background_rows(io.read_parquet(paths.INGESTED_TRAIN), cfg)


def predict_batch(
    path: str,
    output: Path,
    scorer: Scorer,
    *,
    ingest: IngestConfig,
    scored_at: datetime,
    chunk_rows: int = 50_000,
    on_rows: Callable[[int], None] | None = None,
) -> Predictions:
    """Score the batch at ``path`` into the audit parquet file ``output``, all or nothing.

    Parameters
    ----------
    path : str
        The batch: parquet (by extension) or text in the source files' format.
    output : Path
        The audit file to write (replaced only when every row is written).
    scorer : Scorer
        The model, what each row is stamped with, the threshold, and SHAP if asked for.
    ingest : IngestConfig
        How text is written.
    scored_at : datetime
        The run's time (timezone-aware), stamped on every row.
    chunk_rows : int
        Rows read, scored and explained at a time.
    on_rows : callable, optional
        Called with the number of rows of each chunk once it is scored (progress).

    Raises
    ------
    DataError
        When a chunk breaks the ingest rules (nothing is written).
    """
    chunks = read_batch_chunks(
        path, ingest=ingest, data=scorer.data, chunk_rows=chunk_rows, named_by="the --input path"
    )
    # The first chunk is read before the output is touched: a missing file, a file of another
    # kind or a missing column stops the run before any folder or temporary file is made.
    first = next(chunks)
    return write_predictions(
        itertools.chain([first], chunks),
        output,
        scorer,
        source=path,
        scored_at=scored_at,
        on_rows=on_rows,
    )


def write_predictions(
    chunks: Iterable[pd.DataFrame],
    output: Path,
    scorer: Scorer,
    *,
    source: str,
    scored_at: datetime,
    on_rows: Callable[[int], None] | None = None,
) -> Predictions:
    """Score validated ``chunks`` (indexed by row number in the batch) into the audit file.

    See :func:`predict_batch`; ``source`` is the batch the footer names.
    """
    model, data, threshold = scorer.model, scorer.data, scorer.decision_threshold
    features = None
    if scorer.explain_cfg is not None:
        features = original_features(model.named_steps["preprocess"])[0]
    schema = prediction_schema(features)
    totals = _Totals()

    def tables() -> Iterator[pa.Table]:
        for chunk in chunks:
            columns = _score(chunk, model, data=data, threshold=threshold)
            if scorer.explain_cfg is not None and len(chunk):
                columns.update(
                    _explain(chunk, model, totals, scorer.explain_cfg, scorer.background)
                )
            table = audit_table(columns, schema, identity=scorer.identity, scored_at=scored_at)
            totals.rows += table.num_rows
            totals.positives += int((columns["score"] >= threshold).sum())
            if on_rows is not None:
                on_rows(table.num_rows)
            yield table

    def footer() -> dict[str, str]:
        document = {
            "format": PREDICTIONS_FORMAT,
            "input": source,
            "rows": totals.rows,
            "positives": totals.positives,
            "inputs": list(data.features),
            "input_sha256": INPUT_HASH,
            "decision_threshold": threshold,
            "positive_label": data.positive_label,
            "negative_label": data.negative_label,
            "shap": totals.shap,
            "scored_at": scored_at.isoformat(),
        }
        return {"mlgate": json.dumps(document, sort_keys=True)}

    io.write_parquet_stream(
        output, tables(), schema=schema, row_group_rows=ROW_GROUP_ROWS, footer=footer
    )
    return Predictions(output, totals.rows, totals.positives, totals.shap)


def _score(
    chunk: pd.DataFrame, model: Any, *, data: DataConfig, threshold: float
) -> dict[str, Any]:
    """The per-row columns of a chunk that do not need SHAP."""
    import numpy as np

    # The whole chunk, as the check stage scores: a mitigated model also reads the sensitive
    # features. scikit-learn refuses to transform no rows: an empty chunk has no scores.
    scores = positive_scores(model, chunk) if len(chunk) else np.empty(0)
    labels = chunk[data.target].to_numpy(dtype=object) if data.target in chunk else None
    return {
        "row": chunk.index.to_numpy(dtype="int64"),
        "input_sha256": row_sha256(chunk.loc[:, list(data.features)], numeric=data.numeric),
        "score": scores,
        "decision": np.where(scores >= threshold, data.positive_label, data.negative_label),
        "label": labels,
    }


def _explain(
    chunk: pd.DataFrame,
    model: Any,
    totals: _Totals,
    cfg: ExplainConfig,
    background: pd.DataFrame | None,
) -> dict[str, Any]:
    """``shap_<feature>`` per original feature, and the base value they add up from."""
    import numpy as np

    explanation = explain(model, chunk, background=background, seed=cfg.seed)
    if totals.shap is None:
        totals.shap = {**method_document(model, explanation), "base_value": explanation.base_value}
    # explanation.features is the schema's list: both come from the model's preprocessing.
    values = explanation.values
    columns = {SHAP_PREFIX + f: values[:, i] for i, f in enumerate(explanation.features)}
    columns[SHAP_BASE_VALUE] = np.full(len(chunk), explanation.base_value)
    return columns
