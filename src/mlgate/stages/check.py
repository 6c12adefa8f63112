"""Stage ``check``: assemble what the checks look at, run them, and shape the evidence document.

The context is built from the pipeline's outputs (``data/``, ``models/``, ``reports/``): the
reference (training) rows, the rows under test (the test split, or a new batch), the model and its
scores, the champion at ``checks.comparison.champion.baseline_rev``, SHAP importance, and a retrain
function for the reproducibility check. A batch (``mlgate check --current``) gets no champion,
importance or retrain: only the data and drift suites run on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlgate import io, paths
from mlgate.checks.base import CheckContext, CheckResult
from mlgate.config import Config
from mlgate.model.estimators import fit_model
from mlgate.model.files import load_model
from mlgate.model.preprocessing import features_and_labels
from mlgate.provenance import (
    EVIDENCE_FORMAT,
    checks_params_sha256,
    evidence_code_sha256,
    mlgate_version,
)
from mlgate.stages.champion import load_baseline, load_baseline_importance
from mlgate.stages.ingest import read_batch

if TYPE_CHECKING:
    import pandas as pd


def build_context(cfg: Config, current_path: str | None) -> tuple[CheckContext, dict]:
    """Read the data, the model and (for comparison checks) the champion into a CheckContext.

    Parameters
    ----------
    cfg : Config
        The validated params.
    current_path : str, optional
        A new batch to judge instead of the test split.

    Returns
    -------
    (CheckContext, dict)
        The context, and the provenance the evidence records (what was judged, by which code).
    """
    reference = io.read_parquet(paths.INGESTED_TRAIN)
    if current_path is None:
        current, current_name = io.read_parquet(paths.INGESTED_TEST), "test"
    else:
        current = read_batch(current_path, ingest=cfg.ingest, data=cfg.data)
        current_name = Path(current_path).name
    trusted = cfg.train.trusted_types
    model = load_model(paths.MODEL, extra_types=trusted) if paths.MODEL.is_file() else None
    y_true = None
    if cfg.data.target in current.columns:
        _, y_true = features_and_labels(current, cfg.data)
    reference_scores = current_scores = None
    if model is not None:
        reference_scores = model.predict_proba(reference)[:, 1]
        current_scores = model.predict_proba(current)[:, 1] if len(current) else current_scores
    is_batch = current_path is not None
    ctx = CheckContext(
        data=cfg.data,
        reference=reference,
        current=current,
        current_name=current_name,
        reference_scores=reference_scores,
        current_scores=current_scores,
        y_true=y_true,
        model=model,
        decision_threshold=cfg.evaluate.decision_threshold,
        baseline=None if is_batch else _champion(cfg, current, model),
        retrain=None if is_batch else _retrain(cfg),
        importance=(importance := None if is_batch else _importance()),
        baseline_importance=_baseline_importance(cfg, importance),
        is_batch=is_batch,
    )
    return ctx, _provenance(cfg, current_path, current, reference, model)


def _champion(cfg: Config, current: pd.DataFrame, model: Any) -> Any:
    champion = cfg.checks.get("comparison.champion")
    if champion is None or model is None:
        return None
    return load_baseline(
        champion.baseline_rev,
        current,
        current_model_md5=io.file_md5(paths.MODEL),
        extra_types=cfg.train.trusted_types,
    )


def _importance() -> dict[str, float] | None:
    if not paths.SHAP_IMPORTANCE.is_file():
        return None
    return io.read_json(paths.SHAP_IMPORTANCE).get("mean_abs_shap")


def _baseline_importance(cfg: Config, importance: dict | None) -> dict[str, float] | None:
    stability = cfg.checks.get("explain.rank_stability")
    if stability is None or importance is None:
        return None
    return load_baseline_importance(stability.baseline_rev)


def _retrain(cfg: Config) -> Any:
    if not paths.PREPARED_TRAIN.is_file():
        return None

    def retrain() -> Any:
        return fit_model(
            io.read_parquet(paths.PREPARED_TRAIN),
            data=cfg.data,
            preprocessing=cfg.prepare.preprocessing,
            cfg=cfg.train,
            validation=io.read_parquet(paths.PREPARED_VALIDATION),
            decision_threshold=cfg.evaluate.decision_threshold,
        )

    return retrain


def _provenance(
    cfg: Config, current_path: str | None, current: Any, reference: Any, model: Any
) -> dict:
    return {
        "current": current_path or str(paths.INGESTED_TEST),
        "current_rows": len(current),
        "reference": str(paths.INGESTED_TRAIN),
        "reference_rows": len(reference),
        "model_sha256": io.file_sha256(paths.MODEL) if model is not None else None,
        "data_sha256": {
            str(p): io.file_sha256(p) for p in (paths.INGESTED_TRAIN, paths.INGESTED_TEST)
        },
        "params_sha256": checks_params_sha256(cfg),
        "mlgate_version": mlgate_version(),
        "code_sha256": evidence_code_sha256(),
    }


def evidence(results: list[CheckResult], provenance: dict) -> dict:
    """The JSON document ``mlgate check`` writes: format, provenance, counts and every result."""
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status.value] = counts.get(r.status.value, 0) + 1
    return {
        "format": EVIDENCE_FORMAT,
        "provenance": provenance,
        "counts": counts,
        "blocking": [r.id for r in results if r.blocking],
        "results": [r.to_dict() for r in results],
    }


def judged(results: list[CheckResult]) -> list[CheckResult]:
    """Required results that judged and passed: a run without one proves nothing."""
    return [r for r in results if r.required and r.status.passes]


def verdict_line(results: list[CheckResult], stopping: list[CheckResult]) -> str:
    """One line: how many required checks failed, or that none could judge, or that all pass."""
    if stopping:
        return f"{len(stopping)} required checks failed"
    if not judged(results):
        return "no required check could judge (see the reasons above): not a pass"
    return "all required checks pass"
