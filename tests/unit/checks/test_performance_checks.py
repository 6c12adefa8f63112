"""Performance and comparison checks: limits on intervals, slices, trivial rules, champion."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest

from mlgate.checks.base import Status
from mlgate.checks.comparison.champion import ChampionConfig, check_champion
from mlgate.checks.context import Baseline
from mlgate.checks.performance.metrics import MetricsConfig, check_metrics
from mlgate.checks.performance.slices import SlicesConfig, check_slices
from mlgate.checks.performance.trivial_baseline import TrivialBaselineConfig, check_trivial_baseline
from mlgate.checks.runner import run_checks

FAST = {"n_bootstrap": 200}


class Constant:
    """A 'model' that scores every row the same: no better than the majority class."""

    named_steps: ClassVar[dict] = {}

    def __init__(self, score):
        self.score = score

    def predict_proba(self, frame):
        return np.column_stack(
            [np.full(len(frame), 1 - self.score), np.full(len(frame), self.score)]
        )


class OneFeature:
    """A 'model' that is exactly a one-feature rule: married or not."""

    named_steps: ClassVar[dict] = {}

    def predict_proba(self, frame):
        married = frame["relationship"].isin(["Husband", "Wife"]).to_numpy(float)
        score = 0.1 + 0.35 * married
        return np.column_stack([1 - score, score])


def test_each_limit_is_its_own_result_judged_on_the_interval(halves, make_context):
    ctx = make_context(*halves)
    results = check_metrics(
        ctx, MetricsConfig(min={"roc_auc": 0.8, "accuracy": 0.95}, max={"log_loss": 0.5}, **FAST)
    )
    by_id = {r.id: r for r in results}
    assert set(by_id) == {
        "performance.metrics.roc_auc",
        "performance.metrics.accuracy",
        "performance.metrics.log_loss",
    }
    auc = by_id["performance.metrics.roc_auc"]
    assert auc.status is Status.PASS
    assert auc.ci_low <= auc.value <= auc.ci_high
    assert by_id["performance.metrics.accuracy"].status is Status.FAIL
    assert by_id["performance.metrics.log_loss"].status is Status.PASS


def test_a_point_estimate_above_the_limit_is_not_enough(halves, make_context):
    ctx = make_context(*halves)
    auc = check_metrics(ctx, MetricsConfig(min={"roc_auc": 0.5}, **FAST))[0]
    tight = check_metrics(
        ctx, MetricsConfig(min={"roc_auc": (auc.value + auc.ci_low) / 2}, **FAST)
    )[0]
    assert tight.value > tight.threshold
    assert tight.status is Status.FAIL


def test_too_few_rows_or_no_labels_is_skip(halves, make_context):
    reference, current = halves
    few = check_metrics(
        make_context(reference, current.head(50)), MetricsConfig(min={"roc_auc": 0.5}, **FAST)
    )
    assert [r.status for r in few] == [Status.SKIP]
    assert "fewer than min_samples" in few[0].summary
    unlabeled = make_context(reference, current.drop(columns=["income"]), is_batch=True)
    assert check_metrics(unlabeled, MetricsConfig(min={"roc_auc": 0.5}))[0].status is Status.SKIP


def test_slices_list_small_groups_without_judging_them(halves, make_context, cfg):
    results = check_slices(
        make_context(*halves), SlicesConfig(min_group_size=200, min_value=0.7, **FAST)
    )
    by_feature = {r.id.rsplit(".", 1)[1]: r for r in results}
    assert set(by_feature) == set(cfg.data.sensitive_features)
    race = by_feature["race"]
    assert "Amer-Indian-Eskimo" in race.details["insufficient"]
    assert "White" in race.details["groups"]
    assert "Not judged" in race.summary
    assert set(by_feature["age"].details["groups"]) | set(
        by_feature["age"].details["insufficient"]
    ) == {"< 25", "25–45", "45–65", "≥ 65"}


def test_slices_fail_when_a_group_is_poorly_served(halves, make_context):
    results = check_slices(make_context(*halves), SlicesConfig(min_value=0.99, **FAST))
    assert all(r.status is Status.FAIL for r in results)


def test_a_model_no_better_than_trivial_fails(halves, make_context):
    reference, current = halves
    for model in (Constant(0.2), OneFeature()):
        outcome = check_trivial_baseline(
            make_context(reference, current, model=model), TrivialBaselineConfig(**FAST)
        )
        assert outcome.status is Status.FAIL, type(model).__name__
    real = check_trivial_baseline(make_context(reference, current), TrivialBaselineConfig(**FAST))
    assert real.status is Status.PASS
    assert real.details["best_rule_feature"] in ("relationship", "marital-status")


def champion_context(make_context, halves, champion_scores):
    reference, current = halves
    return make_context(reference, current, baseline=Baseline("main", scores=champion_scores))


def test_an_equal_challenger_passes(halves, make_context):
    ctx = make_context(*halves)
    results = check_champion(
        champion_context(make_context, halves, ctx.current_scores.copy()), ChampionConfig(**FAST)
    )
    assert [r.status for r in results] == [Status.PASS, Status.PASS]
    assert results[0].p_value == 1.0


def test_a_worse_challenger_fails_both_comparisons(halves, make_context):
    ctx = make_context(*halves)
    # The champion is the real model; the challenger (the context's model) is made worse by noise.
    better = ctx.current_scores
    worse_model = NoisyModel(ctx.model, noise=0.25)
    reference, current = halves
    worse_ctx = make_context(
        reference, current, model=worse_model, baseline=Baseline("main", scores=better)
    )
    results = {r.id: r for r in check_champion(worse_ctx, ChampionConfig(**FAST))}
    assert results["comparison.champion.roc_auc"].status is Status.FAIL
    assert results["comparison.champion.roc_auc"].ci_high < 0
    assert results["comparison.champion.accuracy"].status is Status.FAIL


def test_no_champion_is_skip_with_the_reason(halves, make_context):
    reference, current = halves
    ctx = make_context(
        reference,
        current,
        baseline=Baseline("main", unavailable_reason="git revision 'main' does not exist here."),
    )
    results = run_checks(ctx, {"comparison.champion": ChampionConfig()})
    assert [r.status for r in results] == [Status.SKIP]
    assert "no champion to compare with: git revision 'main' does not exist" in results[0].summary


class NoisyModel:
    def __init__(self, model, noise):
        self.model, self.noise = model, noise
        self.named_steps = model.named_steps

    def predict_proba(self, frame):
        scores = self.model.predict_proba(frame)[:, 1]
        noisy = np.clip(scores + np.random.default_rng(0).normal(0, self.noise, len(scores)), 0, 1)
        return np.column_stack([1 - noisy, noisy])


@pytest.mark.parametrize("tolerance", [0.5, 0.0])
def test_tolerance_on_the_roc_auc_drop(halves, make_context, tolerance):
    reference, current = halves
    ctx = make_context(*halves)
    slightly_worse = make_context(
        reference,
        current,
        model=NoisyModel(ctx.model, noise=0.02),
        baseline=Baseline("main", scores=ctx.current_scores),
    )
    config = ChampionConfig(max_roc_auc_drop=tolerance, **FAST)
    roc = {r.id: r for r in check_champion(slightly_worse, config)}["comparison.champion.roc_auc"]
    assert roc.value < 0
    beyond_tolerance = -roc.value > tolerance
    significantly_worse = roc.ci_high < 0
    expected = Status.FAIL if beyond_tolerance or significantly_worse else Status.PASS
    assert roc.status is expected
    if tolerance == 0.0:
        assert roc.status is Status.FAIL
