"""Robustness checks catch models built to fail them, and pass the project's model."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import numpy as np

from mlgate.checks.base import Status
from mlgate.checks.robustness.counterfactual import CounterfactualConfig, check_counterfactual
from mlgate.checks.robustness.inputs import InputsConfig, check_inputs
from mlgate.checks.robustness.invariance import InvarianceConfig, check_invariance
from mlgate.checks.robustness.monotonic import MonotonicConfig, check_monotonic
from mlgate.model.estimators import fit_model


class Wrapped:
    """The small model with its scores bent by ``bend(frame, scores)``."""

    named_steps: ClassVar[dict] = {}

    def __init__(self, model, bend):
        self.model, self.bend = model, bend

    def predict_proba(self, frame):
        scores = np.clip(self.bend(frame, self.model.predict_proba(frame)[:, 1]), 0, 1)
        return np.column_stack([1 - scores, scores])


def test_odd_inputs_pass_the_real_model(halves, make_context):
    assert check_inputs(make_context(*halves), InputsConfig(max_examples=30)).status is Status.PASS


def test_a_model_that_outputs_nan_is_caught(halves, make_context, small_model):
    def nan_for_huge_ages(frame, scores):
        return np.where(frame["age"].to_numpy(float) > 1000, np.nan, scores)

    ctx = make_context(*halves, model=Wrapped(small_model, nan_for_huge_ages))
    outcome = check_inputs(ctx, InputsConfig(max_examples=100))
    assert outcome.status is Status.FAIL
    assert "is not a probability" in outcome.summary
    assert any(row["age"] > 1000 for row in outcome.details["example"])


def test_a_model_that_crashes_on_a_new_category_is_caught(halves, make_context, small_model):
    known = set(halves[0]["workclass"].dropna())

    def strict(frame, scores):
        unseen = set(frame["workclass"].dropna()) - known
        if unseen:
            raise ValueError(f"unknown workclass {sorted(unseen)[0]!r}")
        return scores

    outcome = check_inputs(
        make_context(*halves, model=Wrapped(small_model, strict)), InputsConfig(max_examples=100)
    )
    assert outcome.status is Status.FAIL
    assert "ValueError: unknown workclass" in outcome.summary


def test_dependence_on_an_irrelevant_feature_is_caught(halves, make_context, small_model):
    config = InvarianceConfig(irrelevant=("native-country",), max_changed_share=0.01, max_rows=1000)
    assert check_invariance(make_context(*halves), config).status is Status.PASS

    def likes_americans(frame, scores):
        return scores + 0.4 * (frame["native-country"].to_numpy(object) == "United-States") - 0.2

    caught = check_invariance(
        make_context(*halves, model=Wrapped(small_model, likes_americans)), config
    )
    assert caught.status is Status.FAIL
    assert caught.value > 0.01


def test_a_monotonicity_violation_is_caught(halves, make_context, small_model, cfg, adult_sample):
    config = MonotonicConfig(increasing=("education-num",), max_rows=300)

    def penalises_degrees(frame, scores):
        return scores - 0.3 * (frame["education-num"].to_numpy(float) > 14)

    caught = check_monotonic(
        make_context(*halves, model=Wrapped(small_model, penalises_degrees)), config
    )
    assert caught.status is Status.FAIL
    assert caught.details["features"]["education-num"]["rows_violating"] > 0
    boosting = cfg.train.hist_gradient_boosting.model_copy(
        update={"max_iter": 30, "monotonic_increasing": ("education-num",)}
    )
    constrained = fit_model(
        adult_sample,
        data=cfg.data,
        preprocessing=cfg.prepare.preprocessing,
        cfg=cfg.train.model_copy(update={"hist_gradient_boosting": boosting}),
    )
    assert check_monotonic(make_context(*halves, model=constrained), config).status is Status.PASS


def test_a_model_leaning_on_sex_is_caught_by_the_counterfactual(halves, make_context, small_model):
    config = CounterfactualConfig(max_changed_share=0.05, max_rows=1000)
    assert check_counterfactual(make_context(*halves), config).status is Status.PASS

    def favours_men(frame, scores):
        return scores + 0.3 * (frame["sex"].to_numpy(object) == "Male")

    caught = check_counterfactual(
        make_context(*halves, model=Wrapped(small_model, favours_men)), config
    )
    assert caught.status is Status.FAIL
    assert caught.details["changed_share"]["sex"] > 0.05


def test_nothing_declared_is_skip(halves, make_context):
    ctx = make_context(*halves)
    assert check_invariance(ctx, InvarianceConfig()).status is Status.SKIP
    assert check_monotonic(ctx, MonotonicConfig()).status is Status.SKIP
    no_sensitive = dataclasses.replace(
        ctx, data=ctx.data.model_copy(update={"sensitive_features": ("age",)})
    )
    assert check_counterfactual(no_sensitive, CounterfactualConfig()).status is Status.SKIP


def test_a_counterfactual_with_nothing_to_flip_does_not_apply_and_blocks_nothing(cfg):
    """A table whose sensitive attribute is not an input: a skip, and no reject reason."""
    from mlgate.gate.expected import expected_checks

    data = cfg.data.model_copy(update={"sensitive_features": ("age",)})
    config = CounterfactualConfig()
    reason = config.not_applicable(data)
    assert reason is not None
    assert "no sensitive feature is a categorical model input" in reason
    assert config.not_applicable(cfg.data) is None  # sex and race are inputs: it applies
    expected = {e.id: e.blocking for e in expected_checks(cfg.checks, data)}
    assert expected["robustness.counterfactual"] == {"robustness.counterfactual": False}
    assert expected["data.schema"] == {"data.schema": True}


def test_the_counterfactuals_skip_says_it_does_not_apply(halves, make_context):
    ctx = make_context(*halves)
    data = ctx.data.model_copy(update={"sensitive_features": ("age",)})
    outcome = check_counterfactual(dataclasses.replace(ctx, data=data), CounterfactualConfig())
    assert outcome.status is Status.SKIP
    assert outcome.required is False
    assert outcome.summary.startswith("Not judged: does not apply: no sensitive feature")
