"""Fairness mitigation: fairlearn's decisions, reproducible draws, saved safely, and it works.

The story the last tests tell is the one a team lives: a model learns from labels that short-
changed women, the fairness check rejects it, and the same training with mitigation switched on
passes the same check.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy import stats

from mlgate.checks.base import Status
from mlgate.checks.fairness.group_parity import GroupParityConfig, check_group_parity
from mlgate.model.estimators import fit_model
from mlgate.model.files import load_model, save_model
from mlgate.model.mitigation import MitigatedModel, row_uniforms, threshold_rules
from mlgate.model.preprocessing import features_and_labels

FAST_HGB = {"max_iter": 50}


def train_config(cfg, *, method, constraint="equalized_odds", estimator=None, **settings_):
    """The project's train section with mitigation ``method`` on ``sex``."""
    mitigation = cfg.train.mitigation.model_copy(
        update={"method": method, "sensitive_feature": "sex", "constraint": constraint}
    )
    if settings_:
        section = getattr(mitigation, method)
        mitigation = mitigation.model_copy(update={method: section.model_copy(update=settings_)})
    return cfg.train.model_copy(
        update={
            "mitigation": mitigation,
            "estimator": estimator or cfg.train.estimator,
            "hist_gradient_boosting": cfg.train.hist_gradient_boosting.model_copy(update=FAST_HGB),
        }
    )


@pytest.fixture(scope="module")
def splits(adult_train, cfg):
    """Disjoint train (12,000 rows), validation (6,000) and test (8,000) rows of Adult."""
    rows = adult_train.sample(n=26_000, random_state=7).reset_index(drop=True)
    return (
        rows.iloc[:12_000].reset_index(drop=True),
        rows.iloc[12_000:18_000].reset_index(drop=True),
        rows.iloc[18_000:].reset_index(drop=True),
    )


@pytest.fixture(scope="module")
def short_changed(splits, cfg):
    """The training rows with 70% of women's high-income labels turned to low: biased history."""
    train_rows = splits[0].copy()
    rng = np.random.default_rng(0)
    women_high = (train_rows["sex"] == "Female") & (train_rows[cfg.data.target] == ">50K")
    flip = women_high & (rng.random(len(train_rows)) < 0.7)
    train_rows.loc[flip, cfg.data.target] = cfg.data.negative_label
    return train_rows


def fit(rows, validation, cfg, train_cfg):
    return fit_model(
        rows,
        data=cfg.data,
        preprocessing=cfg.prepare.preprocessing,
        cfg=train_cfg,
        validation=validation,
        decision_threshold=cfg.evaluate.decision_threshold,
    )


@pytest.fixture(scope="module")
def threshold_optimized(short_changed, splits, cfg):
    return fit(short_changed, splits[1], cfg, train_config(cfg, method="threshold_optimizer"))


def sex_fairness(model, reference, test, make_context):
    config = GroupParityConfig(
        limits={"sex": {"max_equalized_odds_difference": 0.15}},
        intersections=False,
        n_bootstrap=300,
    )
    results = check_group_parity(make_context(reference, test, model=model), config)
    return next(r for r in results if r.id == "fairness.group_parity.sex")


def test_a_model_trained_to_be_unfair_fails_and_passes_after_mitigation(
    short_changed, splits, threshold_optimized, cfg, make_context
):
    _, _, test = splits
    unmitigated = fit(short_changed, splits[1], cfg, train_config(cfg, method="none"))
    before = sex_fairness(unmitigated, short_changed, test, make_context)
    assert before.status is Status.FAIL, before.summary
    after = sex_fairness(threshold_optimized, short_changed, test, make_context)
    assert after.status is Status.PASS, after.summary
    assert after.value < before.value / 3
    # The saved model is the mitigated one, and it still holds the model before mitigation.
    X, _ = features_and_labels(test, cfg.data)
    np.testing.assert_array_equal(
        threshold_optimized.base.predict_proba(X), unmitigated.predict_proba(X)
    )


def test_threshold_rules_give_fairlearns_probabilities(threshold_optimized, splits, cfg):
    from fairlearn.postprocessing import ThresholdOptimizer

    _, validation, test = splits
    base = threshold_optimized.base
    preprocess, classifier = base.named_steps["preprocess"], base.named_steps["classifier"]
    Xv, yv = features_and_labels(validation, cfg.data)
    optimizer = ThresholdOptimizer(
        estimator=classifier,
        constraints="equalized_odds",
        prefit=True,
        predict_method="predict_proba",
    ).fit(preprocess.transform(Xv), yv, sensitive_features=validation["sex"])
    groups, rules = threshold_rules(optimizer.interpolated_thresholder_.interpolation_dict)
    assert groups == threshold_optimized.groups == ["Female", "Male"]
    np.testing.assert_array_equal(rules, threshold_optimized.rules)
    X, _ = features_and_labels(test, cfg.data)
    expected = optimizer._pmf_predict(preprocess.transform(X), sensitive_features=test["sex"])
    np.testing.assert_allclose(threshold_optimized.positive_probability(X), expected[:, 1])


def test_decisions_follow_the_probabilities_and_never_change(threshold_optimized, splits, cfg):
    X, _ = features_and_labels(splits[2], cfg.data)
    probability = threshold_optimized.positive_probability(X)
    decided = threshold_optimized.predict(X)
    # Randomised as fairlearn randomises: per group, the share decided positive matches the
    # expected share (8,000 rows: a 4-standard-error band).
    for group in ("Female", "Male"):
        rows = (X["sex"] == group).to_numpy()
        expected, n = probability[rows].mean(), rows.sum()
        band = 4 * np.sqrt(probability[rows].var() / n + 1e-6)
        assert abs(decided[rows].mean() - expected) < band + 4 / n
    # Certain rows are decided by their probability alone.
    assert np.all(decided[probability == 1.0] == 1)
    assert np.all(decided[probability == 0.0] == 0)
    # The same row gets the same decision, whatever else is in the batch and in which order.
    order = np.random.default_rng(1).permutation(len(X))
    shuffled = threshold_optimized.predict(X.iloc[order])
    np.testing.assert_array_equal(shuffled, decided[order])
    np.testing.assert_array_equal(threshold_optimized.predict(X.iloc[:5]), decided[:5])


def test_scores_side_with_the_decision_and_rank_by_the_base_score(threshold_optimized, splits, cfg):
    X, _ = features_and_labels(splits[2], cfg.data)
    t = cfg.evaluate.decision_threshold
    scores = threshold_optimized.predict_proba(X)[:, 1]
    base = threshold_optimized.base.predict_proba(X)[:, 1]
    positive = threshold_optimized.predict(X) == 1
    np.testing.assert_allclose(scores[positive], t + (1 - t) * base[positive])
    np.testing.assert_allclose(scores[~positive], t * base[~positive])
    np.testing.assert_allclose(threshold_optimized.predict_proba(X).sum(axis=1), 1.0)


def test_a_mitigated_model_saves_and_loads_under_the_allow_list(
    threshold_optimized, splits, cfg, tmp_path
):
    path = tmp_path / "model.skops"
    save_model(path, threshold_optimized)
    loaded = load_model(path)
    assert isinstance(loaded, MitigatedModel)
    X, _ = features_and_labels(splits[2], cfg.data)
    np.testing.assert_array_equal(loaded.predict_proba(X), threshold_optimized.predict_proba(X))
    # Saving is reproducible byte for byte, like an unmitigated model's.
    again = tmp_path / "again.skops"
    save_model(again, loaded)
    assert again.read_bytes() == path.read_bytes()


@pytest.mark.filterwarnings("ignore::DeprecationWarning:fairlearn")
def test_exponentiated_gradient_removes_a_demographic_parity_gap(splits, cfg, make_context):
    from fairlearn.reductions import DemographicParity, ExponentiatedGradient

    # Logistic regression keeps the 30 refits quick; the unmitigated model's gap is Adult's own.
    rows, test = splits[0].iloc[:5000].reset_index(drop=True), splits[2]
    plain = fit(rows, None, cfg, train_config(cfg, method="none", estimator="logistic_regression"))
    mitigated = fit(
        rows,
        None,
        cfg,
        train_config(
            cfg,
            method="exponentiated_gradient",
            constraint="demographic_parity",
            estimator="logistic_regression",
            max_iter=30,
        ),
    )
    config = GroupParityConfig(
        limits={"sex": {"max_demographic_parity_difference": 0.1}},
        intersections=False,
        n_bootstrap=300,
    )

    def sex(model):
        results = check_group_parity(make_context(rows, test, model=model), config)
        return next(r for r in results if r.id == "fairness.group_parity.sex")

    assert sex(plain).status is Status.FAIL
    assert sex(mitigated).status is Status.PASS
    # The ensemble's probabilities are fairlearn's.
    preprocess = mitigated.base.named_steps["preprocess"]
    Xr, yr = features_and_labels(rows, cfg.data)
    reduction = ExponentiatedGradient(
        mitigated.base.named_steps["classifier"],
        constraints=DemographicParity(difference_bound=0.01),
        eps=0.01,
        max_iter=30,
    ).fit(preprocess.transform(Xr), yr, sensitive_features=rows["sex"])
    X, _ = features_and_labels(test, cfg.data)
    expected = reduction._pmf_predict(preprocess.transform(X))[:, 1]
    np.testing.assert_allclose(mitigated.positive_probability(X), expected)


@settings(max_examples=60)
@given(
    rows=arrays(
        np.float64,
        st.tuples(st.integers(1, 30), st.integers(1, 6)),
        elements=st.floats(allow_nan=True, allow_infinity=True),
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_row_draws_are_a_function_of_the_row_alone(rows, seed):
    draws = row_uniforms(rows, seed)
    assert draws.shape == (len(rows),)
    assert np.all((draws >= 0) & (draws < 1))
    # Each row's draw is the draw of that row on its own.
    for i in range(len(rows)):
        assert row_uniforms(rows[i : i + 1], seed)[0] == draws[i]


def test_row_draws_are_uniform_and_independent_of_near_identical_rows():
    rng = np.random.default_rng(0)
    base = rng.normal(size=(1, 5))
    # 20,000 rows that differ from each other in one value by one step: hashes must scatter.
    rows = np.repeat(base, 20_000, axis=0)
    rows[:, 2] += np.arange(20_000) * 1e-9
    draws = row_uniforms(rows, seed=3)
    assert stats.kstest(draws, "uniform").pvalue > 0.001
    assert abs(np.corrcoef(draws[:-1], draws[1:])[0, 1]) < 0.05
    assert not np.array_equal(draws, row_uniforms(rows, seed=4))
