"""Every registered check obeys the result contract, whatever it is given."""

from __future__ import annotations

import dataclasses
import json
import typing

import numpy as np
import pytest

from mlgate.checks.base import CheckResult, Status
from mlgate.checks.context import Baseline
from mlgate.checks.runner import CHECK_MODULES, load_registry, run_checks
from mlgate.config.checks import CHECK_CONFIGS

REGISTRY = load_registry()
CHECK_IDS = sorted(REGISTRY)


def test_every_check_module_registers_a_check():
    suites = {entry.function.__module__ for entry in REGISTRY.values()}
    assert suites == set(CHECK_MODULES)


def test_every_check_takes_the_params_class_config_validates_it_with():
    """params.yaml is validated by CHECK_CONFIGS; each check is handed exactly that class."""
    assert {check_id: e.config_class for check_id, e in REGISTRY.items()} == CHECK_CONFIGS


def judge(check_id: str, ctx, config) -> list[CheckResult]:
    """Run one check as ``mlgate check`` does: through the runner, which provides its needs."""
    results = run_checks(ctx, {check_id: config})
    for r in results:
        # An error result is an exception the runner caught: a crash, whatever the input.
        assert r.status is not Status.ERROR, r.summary
    return results


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_config_is_strict_and_has_defaults(check_id):
    config_class = REGISTRY[check_id].config_class
    default = config_class()
    assert default.required is True
    with pytest.raises(ValueError, match="Extra inputs are not permitted"):
        config_class(surprise=1)


def assert_contract(check_id: str, outcome) -> list[CheckResult]:
    results = outcome if isinstance(outcome, list) else [outcome]
    assert results, f"{check_id} returned no result"
    for r in results:
        assert isinstance(r, CheckResult)
        assert r.id == check_id or r.id.startswith(check_id + ".")
        assert r.suite == check_id.split(".")[0]
        assert isinstance(r.status, Status)
        assert r.summary.strip()
        json.dumps(r.to_dict(), allow_nan=False)
        if r.status is Status.SKIP:
            assert r.summary.startswith("Not judged:")
    return results


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_result_contract_on_ordinary_data(check_id, halves, make_context, cfg):
    ctx = make_context(*halves)
    config = cfg.checks.get(check_id) or REGISTRY[check_id].config_class()
    assert_contract(check_id, judge(check_id, ctx, config))


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_an_empty_batch_is_skipped_or_judged_never_a_crash(check_id, halves, make_context, cfg):
    reference, current = halves
    ctx = make_context(reference, current.iloc[:0], is_batch=True)
    config = cfg.checks.get(check_id) or REGISTRY[check_id].config_class()
    results = assert_contract(check_id, judge(check_id, ctx, config))
    for r in results:
        assert r.status is not Status.FAIL or check_id == "data.denied_inputs"


@pytest.mark.parametrize("check_id", CHECK_IDS)
def test_no_model_means_skip_for_model_checks(check_id, halves, make_context, cfg):
    ctx = make_context(*halves, model=None)
    config = cfg.checks.get(check_id) or REGISTRY[check_id].config_class()
    results = assert_contract(check_id, judge(check_id, ctx, config))
    if check_id.startswith(("performance.", "comparison.")) or check_id in (
        "drift.prediction",
        "drift.multivariate",
    ):
        assert all(r.status is Status.SKIP for r in results)


DETAILED = sorted(check_id for check_id, entry in REGISTRY.items() if entry.details is not None)


def assert_details_match(check_id: str, results: list[CheckResult]) -> int:
    """Each judged result's details have the declared keys, and no other: what readers rely on."""
    declared = REGISTRY[check_id].details
    keys = set(typing.get_type_hints(declared))
    judged = [r for r in results if r.status in (Status.PASS, Status.WARN, Status.FAIL)]
    for r in judged:
        assert set(r.details) <= keys, (r.id, sorted(set(r.details) - keys))
        assert declared.__required_keys__ <= set(r.details), (r.id, declared.__required_keys__)
    return len(judged)


def test_every_check_declares_its_details():
    assert DETAILED == CHECK_IDS


@pytest.mark.parametrize("check_id", DETAILED)
def test_judged_results_write_the_details_their_check_declares(check_id, halves, make_context, cfg):
    reference, current = halves
    ctx = make_context(reference, current)
    # Every input a check may need, so that each judges (a missing one is the runner's skip).
    importance = {f: 1.0 / (i + 1) for i, f in enumerate(ctx.data.features)}
    ctx = dataclasses.replace(
        ctx,
        importance=importance,
        baseline_importance=dict(importance),
        retrain=lambda: ctx.model,
    )
    if check_id == "comparison.champion":
        # A champion that scores every row a little differently: both results judge.
        rng = np.random.default_rng(0)
        scores = np.clip(ctx.current_scores + rng.normal(0, 0.05, len(current)), 0, 1)
        ctx = dataclasses.replace(ctx, baseline=Baseline("main", scores=scores))
    config = cfg.checks.get(check_id) or REGISTRY[check_id].config_class()
    assert assert_details_match(check_id, judge(check_id, ctx, config)) > 0


def test_a_drifted_detail_is_caught():
    """The contract bites: a check writing a key its type does not declare fails it."""
    stray = CheckResult("drift.psi", "drift", "PSI", Status.PASS, "ok", details={"colour": 1})
    with pytest.raises(AssertionError, match="colour"):
        assert_details_match("drift.psi", [stray])
