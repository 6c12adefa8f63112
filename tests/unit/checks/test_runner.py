from __future__ import annotations

import dataclasses

import pytest

from mlgate.checks.base import REGISTRY, CheckConfig, Status, register, result
from mlgate.checks.context import Baseline, Need
from mlgate.checks.runner import blocking, needs_of, run_checks
from mlgate.config.checks import validate_checks_config


@pytest.fixture
def exploding_check():
    check_id = "testing.explodes"

    @register(check_id, title="Explodes", config=CheckConfig)
    def explode(ctx, cfg):
        raise ZeroDivisionError("no rows to divide by")

    yield check_id
    del REGISTRY[check_id]


def test_an_exception_is_an_error_result_never_a_pass(exploding_check, halves, make_context):
    results = run_checks(make_context(*halves), {exploding_check: CheckConfig()})
    assert [r.status for r in results] == [Status.ERROR]
    assert "ZeroDivisionError: no rows to divide by" in results[0].summary
    assert "Traceback" in results[0].details["traceback"]
    assert blocking(results) == results


def test_required_comes_from_params(exploding_check, halves, make_context):
    results = run_checks(make_context(*halves), {exploding_check: CheckConfig(required=False)})
    assert results[0].required is False
    assert blocking(results) == []


def test_suites_filter(halves, make_context, cfg):
    results = run_checks(make_context(*halves), cfg.checks, suites={"data"})
    assert {r.suite for r in results} == {"data"}


def test_registering_an_id_twice_or_malformed_is_refused():
    with pytest.raises(ValueError, match="registered twice"):
        register("data.schema", title="again", config=CheckConfig)(lambda ctx, cfg: None)
    with pytest.raises(ValueError, match=r"'<suite>\.<name>'"):
        register("flat", title="flat", config=CheckConfig)


def test_config_validation_names_unknown_checks_and_keys():
    with pytest.raises(ValueError, match=r"unknown checks \['drift\.vibes'\]"):
        validate_checks_config({"drift": {"vibes": {}}})
    with pytest.raises(ValueError, match=r"drift\.features\.alpha: Input should be less than 1"):
        validate_checks_config({"drift": {"features": {"alpha": 2}}})
    with pytest.raises(ValueError, match=r"data\.schema\.colour: Extra inputs are not permitted"):
        validate_checks_config({"data": {"schema": {"colour": "red"}}})


def test_result_round_trips_through_a_dict():
    record = result("data.x", "X", Status.WARN, "a summary", value=float("nan"), n=3)
    as_dict = record.to_dict()
    assert as_dict["value"] is None
    assert as_dict["status"] == "warn"
    assert type(record).from_dict(as_dict).status is Status.WARN


def test_a_check_can_mark_a_result_evidence_only_but_never_required(halves, make_context):
    from mlgate.checks.fairness.group_parity import GroupParityConfig

    results = run_checks(
        make_context(*halves), {"fairness.group_parity": GroupParityConfig(n_bootstrap=100)}
    )
    assert results
    assert all(r.required is False for r in results)  # no limits: evidence only
    optional = run_checks(
        make_context(*halves),
        {
            "fairness.group_parity": GroupParityConfig(
                required=False,
                n_bootstrap=100,
                limits={"sex": {"max_equalized_odds_difference": 0.5}},
            )
        },
    )
    assert all(r.required is False for r in optional)


@pytest.fixture
def needy_check():
    check_id = "testing.needy"
    calls = []

    @register(check_id, title="Needy", config=CheckConfig, needs=(Need.MODEL, Need.CHAMPION))
    def needy(ctx, cfg):
        calls.append(ctx)
        return result(check_id, "Needy", Status.PASS, "judged")

    yield check_id, calls
    del REGISTRY[check_id]


def test_a_missing_input_is_a_skip_with_the_reason_and_the_check_never_runs(
    needy_check, halves, make_context
):
    check_id, calls = needy_check
    without_model = dataclasses.replace(make_context(*halves), model=None)
    (outcome,) = run_checks(without_model, {check_id: CheckConfig()})
    assert outcome.status is Status.SKIP
    assert outcome.summary.startswith("Not judged: no model to score with")
    (outcome,) = run_checks(make_context(*halves), {check_id: CheckConfig()})
    assert outcome.summary == "Not judged: no champion to compare with: no baseline was loaded."
    assert calls == []


def test_an_input_that_could_not_be_computed_is_an_error(needy_check, halves, make_context):
    check_id, calls = needy_check
    ctx = dataclasses.replace(
        make_context(*halves),
        model=object(),
        baseline=Baseline("main", error="ValueError: columns differ"),
    )
    (outcome,) = run_checks(ctx, {check_id: CheckConfig()})
    assert outcome.status is Status.ERROR
    assert (
        outcome.summary == "Could not run: could not use the champion: ValueError: columns differ"
    )
    assert outcome.blocking
    assert calls == []


def test_needs_of_is_what_the_chosen_suites_need(cfg):
    # label_balance counts the labels the rows under test have: it needs no more than them
    assert needs_of(cfg.checks, suites={"data"}) == frozenset()
    assert Need.CHAMPION in needs_of(cfg.checks)
    assert Need.CHAMPION not in needs_of(cfg.checks, suites={"data", "drift"})


def test_every_status_has_its_meaning_symbol_mark_and_word():
    """One table beside the enum serves the gate, the report and the terminal."""
    for status in Status:
        assert status.symbol
        assert len(status.mark) == 1
        assert status.word
        assert not (status.passes and status.blocks)
    assert {s for s in Status if s.passes} == {Status.PASS, Status.WARN}
    assert {s for s in Status if s.blocks} == {Status.FAIL, Status.ERROR}
