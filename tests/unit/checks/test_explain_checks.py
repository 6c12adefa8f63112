from __future__ import annotations

import dataclasses

from mlgate.checks.base import Status
from mlgate.checks.explain.rank_stability import RankStabilityConfig, check_rank_stability
from mlgate.checks.explain.sensitive_ranking import SensitiveRankingConfig, check_sensitive_ranking

IMPORTANCE = {
    "marital-status": 1.2,
    "age": 1.0,
    "capital-gain": 0.7,
    "education-num": 0.5,
    "hours-per-week": 0.36,
    "occupation": 0.35,
    "sex": 0.2,
    "race": 0.08,
}


def with_importance(ctx, importance, baseline=None):
    return dataclasses.replace(ctx, importance=importance, baseline_importance=baseline)


def test_sensitive_feature_in_the_top_ranks_fails(halves, make_context):
    ctx = with_importance(make_context(*halves), IMPORTANCE)
    assert (
        check_sensitive_ranking(
            ctx, SensitiveRankingConfig(top_k=5, features=("sex", "race"))
        ).status
        is Status.PASS
    )
    caught = check_sensitive_ranking(ctx, SensitiveRankingConfig(top_k=5))  # age is sensitive too
    assert caught.status is Status.FAIL
    assert caught.details["sensitive_ranks"]["age"] == 2
    assert "in the top 5: ['age']" in caught.summary


def test_without_importance_it_skips(halves, make_context):
    assert (
        check_sensitive_ranking(make_context(*halves), SensitiveRankingConfig()).status
        is Status.SKIP
    )


def test_rank_stability(halves, make_context):
    ctx = make_context(*halves)
    same = with_importance(ctx, IMPORTANCE, dict(IMPORTANCE))
    assert check_rank_stability(same, RankStabilityConfig()).value == 1.0
    reversed_order = dict(zip(IMPORTANCE, sorted(IMPORTANCE.values()), strict=True))
    upside_down = check_rank_stability(
        with_importance(ctx, IMPORTANCE, reversed_order), RankStabilityConfig()
    )
    assert upside_down.status is Status.FAIL
    assert upside_down.value == -1.0
    none = check_rank_stability(with_importance(ctx, IMPORTANCE, None), RankStabilityConfig())
    assert none.status is Status.SKIP


def test_a_baseline_explaining_another_tables_inputs_is_not_compared(halves, make_context):
    """A copied template's main explains Adult: three names in common say nothing."""
    ctx = make_context(*halves)
    other = {"age": 0.9, "sex": 0.1, "race": 0.2, "duration": 1.4, "amount": 1.1, "purpose": 0.8}
    other |= {f"history_{i}": 0.1 * i for i in range(6)}
    outcome = check_rank_stability(with_importance(ctx, IMPORTANCE, other), RankStabilityConfig())
    assert outcome.status is Status.SKIP
    assert "explains another model's inputs: it shares 3 of the 17 features" in outcome.summary
