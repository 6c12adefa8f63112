"""Stage ``check``: assemble what the checks look at, run them, and shape the evidence document.

The context is built from the pipeline's outputs (``data/``, ``models/``, ``reports/``): the
reference (training) rows, the rows under test (the test split, or a new batch), the model and its
scores, the champion at ``checks.comparison.champion.baseline_rev``, SHAP importance, and a retrain
function for the reproducibility check. A batch (``mlgate check --current``) gets no champion,
importance or retrain: only the data and drift suites run on it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlgate import io, paths
from mlgate.checks import BATCH_SUITES
from mlgate.checks.base import CheckResult
from mlgate.checks.budget import batch_levels, budget_record
from mlgate.checks.context import Baseline, CheckContext, Need
from mlgate.checks.runner import needs_of, run_checks
from mlgate.config import Config
from mlgate.engines import BatchEngine, PandasEngine
from mlgate.model.estimators import fit_model, positive_scores
from mlgate.model.files import load_model
from mlgate.model.preprocessing import features_and_labels
from mlgate.provenance import fingerprint
from mlgate.stages.champion import load_baseline, load_baseline_importance
from mlgate.stages.check_evidence import CheckRun

if TYPE_CHECKING:
    import pandas as pd


def build_context(
    cfg: Config,
    current_path: str | None,
    *,
    needs: frozenset[Need],
    champion_rev: str | None = None,
    champion_refusal: str | None = None,
    suites: set[str] | None = None,
    engine: BatchEngine | None = None,
) -> tuple[CheckContext, dict]:
    """Read the data, and what the checks to run need of the model, champion and SHAP values.

    Parameters
    ----------
    cfg : Config
        The validated params.
    current_path : str, optional
        A new batch to judge instead of the test split.
    needs : frozenset of Need
        What the checks to run need (:func:`mlgate.checks.runner.needs_of`): nothing else is
        loaded or computed, so a run of the data suite loads no model and scores nothing.
    champion_rev : str, optional
        The champion's revision, in place of ``checks.comparison.champion.baseline_rev``: the
        production model's registry tag, when the registry has one.
    champion_refusal : str, optional
        Why the production model's tag cannot be trusted: the comparison checks then say
        ``error`` with it, and no model is read from that tag.
    suites : set of str, optional
        The suites to run (None: all); the Dask engine counts what their checks read.
    engine : BatchEngine, optional
        What reads the batch (:func:`mlgate.engines.engine_for`; None: the pandas engine). The
        pandas engine reads its rows here; the Dask engine counts them on its cluster, and they
        are never held here (:mod:`mlgate.distributed.check_tallies`).

    Returns
    -------
    (CheckContext, dict)
        The context, and the provenance the evidence records (what was judged, by which code).
    """
    reference = io.read_parquet(paths.INGESTED_TRAIN)
    if current_path is None:
        current, current_name = io.read_parquet(paths.INGESTED_TEST), "test"
    else:
        # The engine fills in the batch below; until then, its side has the reference's columns.
        current, current_name = reference.iloc[:0], Path(current_path.rstrip("/")).name
    model = None
    if needs & _NEEDS_THE_MODEL and paths.MODEL.is_file():
        model = load_model(paths.MODEL, extra_types=cfg.train.trusted_types)
    y_true = None
    if current_path is None and cfg.data.target in current.columns:
        _, y_true = features_and_labels(current, cfg.data)
    reference_scores = current_scores = None
    if model is not None and Need.REFERENCE_SCORES in needs:
        reference_scores = positive_scores(model, _score_reference(reference))
    if current_path is None and model is not None and Need.SCORES in needs and len(current):
        current_scores = positive_scores(model, current)
    # A batch is judged on its own: no champion, importance or retrain belongs to it.
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
        baseline=_champion(
            cfg.checks.get("comparison.champion"),
            current,
            champion_rev,
            refusal=champion_refusal,
            trusted_types=cfg.train.trusted_types,
        )
        if Need.CHAMPION in needs and not is_batch
        else None,
        retrain=_retrain(cfg) if Need.RETRAIN in needs and not is_batch else None,
        importance=(importance := None if is_batch else _importance(needs)),
        baseline_importance=_baseline_importance(cfg.checks, importance),
        is_batch=is_batch,
    )
    if current_path is not None:
        ctx = (engine or PandasEngine()).current_context(
            ctx,
            current_path,
            rules=cfg.table_rules,
            checks=cfg.checks,
            needs=needs,
            suites=suites or set(),
        )
    return ctx, _provenance(cfg, current_path, ctx.rows, reference)


def _score_reference(reference: pd.DataFrame) -> pd.DataFrame:
    """The validation split (not fitted on): fitted rows' scores are overconfident, as drift."""
    if paths.PREPARED_VALIDATION.is_file():
        return io.read_parquet(paths.PREPARED_VALIDATION)
    return reference


#: The needs that take loading the model.
_NEEDS_THE_MODEL = frozenset({Need.MODEL, Need.SCORES, Need.REFERENCE_SCORES})


def _champion(
    champion: Any,
    current: pd.DataFrame,
    rev: str | None,
    *,
    refusal: str | None,
    trusted_types: frozenset[str],
) -> Baseline | None:
    """The champion the comparison checks read (``champion``: its params entry, if any)."""
    if champion is None or not paths.MODEL.is_file():
        return None
    rev = rev or champion.baseline_rev
    if refusal is not None:
        return Baseline(rev, error=refusal)
    try:
        return load_baseline(
            rev,
            current,
            current_model_md5=io.file_md5(paths.MODEL),
            extra_types=trusted_types,
        )
    except Exception as exc:  # a refused or failing champion is evidence: an error result
        return Baseline(rev, error=f"{type(exc).__name__}: {exc}")


def _importance(needs: frozenset[Need]) -> dict[str, float] | None:
    if Need.IMPORTANCE not in needs or not paths.SHAP_IMPORTANCE.is_file():
        return None
    return io.read_json(paths.SHAP_IMPORTANCE).get("mean_abs_shap")


def _baseline_importance(
    checks: dict[str, Any], importance: dict | None
) -> dict[str, float] | None:
    # Read only for explain.rank_stability, which says itself at which revision none was found.
    stability = checks.get("explain.rank_stability")
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


def _provenance(cfg: Config, current_path: str | None, current_rows: int, reference: Any) -> dict:
    return {
        "current": current_path or str(paths.INGESTED_TEST),
        "current_rows": current_rows,
        "reference": str(paths.INGESTED_TRAIN),
        "reference_rows": len(reference),
        **fingerprint(cfg),
    }


def suites_to_run(suites: tuple[str, ...], *, batch: bool) -> set[str] | None:
    """The suites a run judges: those asked for, or None for all.

    A batch only ever gets the suites that judge data alone (:data:`mlgate.checks.BATCH_SUITES`).
    """
    wanted = set(suites) or None
    if batch:
        wanted = (wanted or set(BATCH_SUITES)) & set(BATCH_SUITES)
    return wanted


def run_check_stage(
    cfg: Config,
    current_path: str | None,
    *,
    suites: tuple[str, ...] = (),
    on_result: Callable[[CheckResult], None] | None = None,
    champion_rev: str | None = None,
    champion_refusal: str | None = None,
    engine: BatchEngine | None = None,
) -> CheckRun:
    """Build the context the chosen suites need, and run their checks.

    Scoring and the checks run native code on one thread (see
    :func:`mlgate.model.estimators.positive_scores`): the same numbers on every machine, and no
    OpenMP threads waiting on each other on a busy one.
    """
    from threadpoolctl import threadpool_limits

    started = time.perf_counter()
    wanted = suites_to_run(suites, batch=current_path is not None)
    timings: dict[str, float] = {}
    ctx, provenance = build_context(
        cfg,
        current_path,
        needs=needs_of(cfg.checks, suites=wanted),
        champion_rev=champion_rev,
        champion_refusal=champion_refusal,
        suites=wanted,
        engine=engine,
    )
    context_seconds = time.perf_counter() - started
    configs, levels = cfg.checks, None
    if current_path is not None:
        # A batch run holds one false-alarm budget across its tests (mlgate.checks.budget).
        levels = batch_levels(cfg.checks, suites=wanted, budget=cfg.batches.false_alarm_budget)
        configs = levels.configs
        provenance = {**provenance, "false_alarm_budget": budget_record(levels)}
    # Entered once the model's libraries are loaded: threadpoolctl limits only loaded ones.
    with threadpool_limits(limits=1):
        results = run_checks(ctx, configs, suites=wanted, on_result=on_result, timings=timings)
    return CheckRun(results, provenance, timings, context_seconds, levels)
