"""Fairness: the same numbers as fairlearn, small groups left unjudged, unfair models caught."""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pytest
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    demographic_parity_ratio,
    equalized_odds_difference,
    equalized_odds_ratio,
    false_negative_rate,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score

from mlgate.checks.base import Status
from mlgate.checks.fairness.group_parity import GroupParityConfig, check_group_parity
from mlgate.stats.group_rates import fairness_evidence

FAST = {"n_bootstrap": 300}


@settings(max_examples=40)
@given(seed=st.integers(0, 10_000), n=st.integers(40, 2000), n_groups=st.integers(2, 5))
def test_point_estimates_equal_fairlearn(seed, n, n_groups):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    pred = rng.integers(0, 2, n)
    groups = rng.choice(np.array([f"g{i}" for i in range(n_groups)], dtype=object), n)
    for g in set(groups):  # every group needs both labels for TPR and FPR to exist
        idx = np.flatnonzero(groups == g)[:2]
        if len(idx) == 2:
            y[idx] = [0, 1]
    evidence = fairness_evidence(y, pred, groups, n_resamples=50, confidence=0.95, seed=0)
    frame = MetricFrame(
        metrics={
            "selection_rate": selection_rate,
            "true_positive_rate": true_positive_rate,
            "false_positive_rate": false_positive_rate,
            "false_negative_rate": false_negative_rate,
            "accuracy": accuracy_score,
        },
        y_true=y,
        y_pred=pred,
        sensitive_features=groups,
    )
    for metric in evidence.metrics:
        expected = frame.by_group[metric].reindex(evidence.groups).to_numpy(float)
        np.testing.assert_allclose(evidence.metrics[metric], expected, equal_nan=True)
    fairlearn_values = {
        "demographic_parity_difference": demographic_parity_difference,
        "demographic_parity_ratio": demographic_parity_ratio,
        "equalized_odds_difference": equalized_odds_difference,
        "equalized_odds_ratio": equalized_odds_ratio,
    }
    for name, function in fairlearn_values.items():
        expected = function(y, pred, sensitive_features=groups)
        assert evidence.disparities[name] == pytest.approx(expected, abs=1e-12), name
    spreads = frame.difference(method="between_groups")
    for rate in ("false_positive_rate", "false_negative_rate"):
        expected = spreads[rate]
        assert evidence.disparities[f"{rate}_difference"] == pytest.approx(expected, abs=1e-12)
        # The groups named behind it hold the rate's two ends.
        driver = evidence.drivers[f"{rate}_difference"]
        by_group = frame.by_group[rate]
        assert by_group[driver["highest"]] == pytest.approx(by_group.max(), abs=1e-12)
        assert by_group[driver["lowest"]] == pytest.approx(by_group.min(), abs=1e-12)
    # Equalized odds is the larger of the TPR and FPR spreads: the one named behind it.
    eo_rate = evidence.drivers["equalized_odds_difference"]["rate"]
    assert spreads[eo_rate] == pytest.approx(evidence.disparities["equalized_odds_difference"])


def test_intervals_bracket_the_estimates_and_are_seeded():
    rng = np.random.default_rng(0)
    y, pred = rng.integers(0, 2, 5000), rng.integers(0, 2, 5000)
    groups = rng.choice(np.array(["a", "b"], dtype=object), 5000)
    first = fairness_evidence(y, pred, groups, n_resamples=500, confidence=0.95, seed=1)
    again = fairness_evidence(y, pred, groups, n_resamples=500, confidence=0.95, seed=1)
    assert first.disparity_intervals == again.disparity_intervals
    for name, (low, high) in first.disparity_intervals.items():
        assert low <= first.disparities[name] <= high, name


class UnfairModel:
    """The real model for men; women's scores pushed down: fewer true positives for women."""

    named_steps: ClassVar[dict] = {}

    def __init__(self, model):
        self.model = model

    def predict_proba(self, frame):
        scores = self.model.predict_proba(frame)[:, 1]
        scores = np.where(frame["sex"].to_numpy() == "Female", scores * 0.3, scores)
        return np.column_stack([1 - scores, scores])


def test_the_project_model_and_an_unfair_one(halves, make_context, cfg, small_model):
    config = GroupParityConfig(limits={"sex": {"max_equalized_odds_difference": 0.3}}, **FAST)
    fair = {r.id: r for r in check_group_parity(make_context(*halves), config)}
    assert fair["fairness.group_parity.sex"].status is Status.PASS
    unfair = {
        r.id: r
        for r in check_group_parity(make_context(*halves, model=UnfairModel(small_model)), config)
    }
    sex = unfair["fairness.group_parity.sex"]
    assert sex.status is Status.FAIL
    female = sex.details["groups"]["Female"]
    assert (
        female["true_positive_rate"]
        < fair["fairness.group_parity.sex"].details["groups"]["Female"]["true_positive_rate"]
    )


def test_small_groups_are_listed_not_judged(halves, make_context):
    config = GroupParityConfig(
        min_group_size=200, limits={"race": {"max_equalized_odds_difference": 0.9}}, **FAST
    )
    race = {r.id: r for r in check_group_parity(make_context(*halves), config)}[
        "fairness.group_parity.race"
    ]
    assert "Amer-Indian-Eskimo" in race.details["insufficient"]
    assert "Amer-Indian-Eskimo" not in race.details["groups"]
    assert "Not judged (< 200 rows)" in race.summary
    small = race.details["insufficient"]["Amer-Indian-Eskimo"]
    assert f"Amer-Indian-Eskimo ({small:,} rows)" in race.summary  # text, not a Python dict
    assert "{" not in race.summary
    every_group = [*race.details["groups"], *race.details["insufficient"]]
    assert race.details["group_order"] == sorted(every_group)


def test_groups_are_recorded_in_reading_order(halves, make_context):
    results = check_group_parity(make_context(*halves), GroupParityConfig(limits={}, **FAST))
    age = {r.id: r for r in results}["fairness.group_parity.age"]
    assert age.details["group_order"] == ["< 25", "25–45", "45–65", "≥ 65"]


def test_slices_without_limits_are_evidence_only(halves, make_context):
    results = check_group_parity(make_context(*halves), GroupParityConfig(limits={}, **FAST))
    assert all(r.status is Status.SKIP and r.required is False for r in results)
    assert {r.id for r in results} >= {
        "fairness.group_parity.sex",
        "fairness.group_parity.sex×race",
    }
    assert "demographic_parity_difference" in results[0].details["disparities"]


def test_ratio_limits_use_the_lower_bound(halves, make_context):
    strict = GroupParityConfig(limits={"sex": {"min_demographic_parity_ratio": 0.8}}, **FAST)
    sex = {r.id: r for r in check_group_parity(make_context(*halves), strict)}[
        "fairness.group_parity.sex"
    ]
    assert sex.status is Status.FAIL
    assert sex.ci_low < 0.8


def test_fairness_evidence_is_fast_at_a_million_rows():
    """Counts, not rows, are resampled: the work does not grow with the bootstrap."""
    rng = np.random.default_rng(0)
    n = 1_000_000
    y, pred = rng.integers(0, 2, n), rng.integers(0, 2, n)
    groups = rng.integers(0, 4, n)
    evidence = fairness_evidence(y, pred, groups, n_resamples=1000, confidence=0.95, seed=0)
    assert sum(evidence.sizes) == n


def test_small_groups_of_a_withheld_column_are_counted_not_named(halves, make_context):
    """A sensitive column with more values than data.max_listed_distinct: its small groups are
    values few rows share, so the evidence counts them; judged groups keep their names."""
    import dataclasses

    from mlgate.checks.performance.slices import SlicesConfig, check_slices

    ctx = make_context(*halves)
    ctx = dataclasses.replace(ctx, data=ctx.data.model_copy(update={"max_listed_distinct": 3}))
    config = GroupParityConfig(
        min_group_size=200, limits={"race": {"max_equalized_odds_difference": 0.9}}, **FAST
    )
    results = [
        *check_group_parity(ctx, config),
        *check_slices(ctx, SlicesConfig(min_group_size=200, min_value=0.5, **FAST)),
    ]
    for race in [r for r in results if r.id.endswith(".race") or "race" in r.id.split(".")[-1]]:
        text = f"{race.summary} {race.details}"
        for small in ("Amer-Indian-Eskimo", "Other", "Asian-Pac-Islander"):
            assert small not in text, race.id
        assert "groups not named (5 distinct values, more than data.max_listed_distinct" in text
    parity = {r.id: r for r in results}["fairness.group_parity.race"]
    assert "White" in parity.details["groups"]  # shared by thousands of rows: named
    sex = {r.id: r for r in results}["fairness.group_parity.sex"]
    assert set(sex.details["groups"]) == {"Female", "Male"}  # two values: listed as before
