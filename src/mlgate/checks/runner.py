"""Run the configured checks, turning exceptions into ``error`` results, and validate their params.

Check modules are imported here (and only here), so that importing ``mlgate.checks.runner``
fills the registry; each check module imports its heavy libraries inside the check function.
"""

from __future__ import annotations

import dataclasses
import importlib
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from mlgate.checks.base import REGISTRY, CheckConfig, CheckContext, CheckResult, Status, result

#: Every module that registers checks. Adding a check module means adding it here.
CHECK_MODULES = (
    "mlgate.checks.data.schema",
    "mlgate.checks.data.missing_values",
    "mlgate.checks.data.duplicates",
    "mlgate.checks.data.label_balance",
    "mlgate.checks.data.leakage",
    "mlgate.checks.data.denied_inputs",
    "mlgate.checks.data.personal_data",
    "mlgate.checks.data.unseen_categories",
    "mlgate.checks.drift.features",
    "mlgate.checks.drift.psi",
    "mlgate.checks.drift.multivariate",
    "mlgate.checks.drift.prediction",
    "mlgate.checks.performance.metrics",
    "mlgate.checks.performance.slices",
    "mlgate.checks.performance.trivial_baseline",
    "mlgate.checks.comparison.champion",
    "mlgate.checks.fairness.group_parity",
    "mlgate.checks.model.reproducibility",
    "mlgate.checks.explain.sensitive_ranking",
    "mlgate.checks.explain.rank_stability",
    "mlgate.checks.robustness.inputs",
    "mlgate.checks.robustness.invariance",
    "mlgate.checks.robustness.monotonic",
    "mlgate.checks.robustness.counterfactual",
)


def load_registry() -> dict:
    """Import every check module and return the filled registry."""
    for module in CHECK_MODULES:
        importlib.import_module(module)
    return REGISTRY


def run_checks(
    ctx: CheckContext,
    configs: dict[str, CheckConfig],
    *,
    suites: Iterable[str] | None = None,
    on_result: Callable[[CheckResult], None] | None = None,
) -> list[CheckResult]:
    """Run each configured check (of ``suites``, if given) and return every result, in order.

    A check that raises becomes an ``error`` result carrying the exception, never a pass. A
    result is required when its check's params say so, unless the check marked it evidence only.
    """
    registry = load_registry()
    wanted = set(suites) if suites is not None else None
    results: list[CheckResult] = []
    for check_id, cfg in configs.items():
        entry = registry[check_id]
        if wanted is not None and entry.suite not in wanted:
            continue
        for outcome in _run_one(entry, ctx, cfg):
            # A check may mark a result as evidence only (required=False); never the reverse.
            outcome = dataclasses.replace(outcome, required=cfg.required and outcome.required)
            results.append(outcome)
            if on_result is not None:
                on_result(outcome)
    return results


def _run_one(entry: Any, ctx: CheckContext, cfg: CheckConfig) -> list[CheckResult]:
    try:
        produced = entry.function(ctx, cfg)
    except Exception as exc:  # a check that raises is evidence of nothing: an error result
        return [
            result(
                entry.id,
                entry.title,
                Status.ERROR,
                f"Could not be computed: {type(exc).__name__}: {exc}",
                details={"traceback": traceback.format_exc(limit=8)},
            )
        ]
    outcomes = produced if isinstance(produced, list) else [produced]
    for outcome in outcomes:
        if outcome.id != entry.id and not outcome.id.startswith(f"{entry.id}."):
            raise RuntimeError(f"check {entry.id} returned a result with id {outcome.id!r}")
    return outcomes


def blocking(results: Iterable[CheckResult]) -> list[CheckResult]:
    """The results that stop a verdict: required checks that failed or could not be computed."""
    return [r for r in results if r.blocking]
