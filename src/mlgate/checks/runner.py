"""Run the configured checks: what each needs, a skip or error when it is missing, every result.

Check modules are imported here (and only here), so that importing ``mlgate.checks.runner``
fills the registry; each check module imports its heavy libraries inside the check function.
Their params are validated with ``params.yaml`` (:mod:`mlgate.config.checks`).
"""

from __future__ import annotations

import dataclasses
import time
import traceback
from collections.abc import Callable, Iterable
from typing import Any

from mlgate.checks.base import REGISTRY, CheckConfig, CheckResult, Status, result, skip
from mlgate.checks.comparison import champion
from mlgate.checks.context import CheckContext, Need
from mlgate.checks.data import (
    denied_inputs,
    duplicates,
    label_balance,
    leakage,
    missing_values,
    personal_data,
    schema,
    target_leakage,
    unseen_categories,
)
from mlgate.checks.drift import features, multivariate, prediction, psi
from mlgate.checks.explain import rank_stability, sensitive_ranking
from mlgate.checks.fairness import group_parity
from mlgate.checks.model import reproducibility
from mlgate.checks.performance import metrics, slices, trivial_baseline
from mlgate.checks.robustness import counterfactual, inputs, invariance, monotonic

#: Every module that registers checks, in the order results are reported. Imported here, at
#: module level, so that the registry is full once the runner is imported, and so that the static
#: import closure of the check stage holds every check (see :mod:`mlgate.code_closure`).
CHECK_MODULES = tuple(
    module.__name__
    for module in (
        schema,
        missing_values,
        duplicates,
        label_balance,
        leakage,
        target_leakage,
        denied_inputs,
        personal_data,
        unseen_categories,
        features,
        psi,
        multivariate,
        prediction,
        metrics,
        slices,
        trivial_baseline,
        champion,
        group_parity,
        reproducibility,
        sensitive_ranking,
        rank_stability,
        inputs,
        invariance,
        monotonic,
        counterfactual,
    )
)


def load_registry() -> dict:
    """The filled registry: every check module is imported with this module."""
    return REGISTRY


def run_checks(
    ctx: CheckContext,
    configs: dict[str, CheckConfig],
    *,
    suites: Iterable[str] | None = None,
    on_result: Callable[[CheckResult], None] | None = None,
    timings: dict[str, float] | None = None,
) -> list[CheckResult]:
    """Run each configured check (of ``suites``, if given) and return every result, in order.

    A check that raises becomes an ``error`` result carrying the exception, never a pass. A
    result is required when its check's params say so, unless the check marked it evidence only.
    ``timings``, when given, receives each check's wall time in seconds, by check id.
    """
    registry = load_registry()
    wanted = set(suites) if suites is not None else None
    results: list[CheckResult] = []
    for check_id, cfg in configs.items():
        entry = registry[check_id]
        if wanted is not None and entry.suite not in wanted:
            continue
        started = time.perf_counter()
        outcomes = _run_one(entry, ctx, cfg)
        if timings is not None:
            timings[check_id] = time.perf_counter() - started
        for outcome in outcomes:
            # A check may mark a result as evidence only (required=False); never the reverse.
            outcome = dataclasses.replace(outcome, required=cfg.required and outcome.required)
            results.append(outcome)
            if on_result is not None:
                on_result(outcome)
    return results


def needs_of(
    configs: dict[str, CheckConfig], *, suites: Iterable[str] | None = None
) -> frozenset[Need]:
    """The inputs the configured checks (of ``suites``, if given) need: what to provide.

    Inputs a check only ``uses`` are not provided for it alone (the data suite reads no model
    because one of its checks would look at the model's inputs if it were there).
    """
    wanted = set(suites) if suites is not None else None
    return frozenset(
        need
        for check_id in configs
        if wanted is None or REGISTRY[check_id].suite in wanted
        for need in REGISTRY[check_id].needs
    )


def _run_one(entry: Any, ctx: CheckContext, cfg: CheckConfig) -> list[CheckResult]:
    for need in entry.needs:
        missing = ctx.unavailable(need)
        if missing is None:
            continue
        if missing.error:
            return [result(entry.id, entry.title, Status.ERROR, f"Could not run: {missing.reason}")]
        return [skip(entry.id, entry.title, missing.reason)]
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
