"""How often each verdict-bearing check cries wolf, and how often it catches a stated effect.

False alarms: seeded random splits of the same data (no effect). Power: the same splits with a
stated effect applied. Sample sizes are those of the Adult test set (16,281 rows). Each test
prints its measured rate; the documentation quotes them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlgate.checks.base import Status
from mlgate.checks.comparison.champion import ChampionConfig, check_champion
from mlgate.checks.context import Baseline, CheckContext
from mlgate.checks.drift.features import FeatureDriftConfig, check_feature_drift
from mlgate.checks.drift.multivariate import MultivariateDriftConfig, check_multivariate_drift
from mlgate.checks.drift.prediction import PredictionDriftConfig, check_prediction_drift
from mlgate.checks.drift.psi import PsiConfig, check_psi
from mlgate.stats.bootstrap import bootstrap_metrics
from tests.statistical.figures import figure

pytestmark = pytest.mark.slow

TEST_SET_ROWS = 16_281
ALPHA = 0.05


def report(name: str, rate: float, runs: int) -> None:
    figure(name, f"{rate:.1%} of {runs} runs")


def upper_binomial(rate: float, runs: int) -> float:
    """Rate plus three standard errors: what a correct procedure stays under, almost surely."""
    return rate + 3 * np.sqrt(rate * (1 - rate) / runs)


def halves(frame: pd.DataFrame, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    order = np.random.default_rng(seed).permutation(len(frame))
    half = len(frame) // 2
    return frame.iloc[order[:half]].reset_index(drop=True), frame.iloc[order[half:]].reset_index(
        drop=True
    )


def context(cfg, reference, current, *, model=None) -> CheckContext:
    scores = (lambda f: model.predict_proba(f)[:, 1]) if model is not None else None
    return CheckContext(
        data=cfg.data,
        reference=reference,
        current=current,
        current_name="current",
        reference_scores=scores(reference) if scores else None,
        current_scores=scores(current) if scores else None,
        model=model,
    )


def shift(frame: pd.DataFrame, column: str, sds: float) -> pd.DataFrame:
    out = frame.copy()
    out[column] = out[column] + sds * frame[column].std()
    return out


@pytest.fixture(scope="module")
def adult(adult_train):
    return adult_train  # 32,561 rows: halves of 16,280 rows, the size of the Adult test set


def test_feature_drift_false_alarms_and_power(adult, cfg):
    runs, config = 200, FeatureDriftConfig(alpha=ALPHA, correction="bonferroni")
    false_alarms = power = 0
    for seed in range(runs):
        reference, current = halves(adult, seed)
        false_alarms += (
            check_feature_drift(context(cfg, reference, current), config).status is Status.FAIL
        )
        drifted = check_feature_drift(
            context(cfg, reference, shift(current, "hours-per-week", 0.2)), config
        )
        power += "hours-per-week" in drifted.details["drifted"]
    report("drift.features false alarms (alpha 0.05, Bonferroni)", false_alarms / runs, runs)
    report("drift.features power (0.2 SD shift of hours-per-week)", power / runs, runs)
    assert false_alarms / runs <= upper_binomial(ALPHA, runs)
    assert power / runs >= 0.9


def test_psi_false_alarms_and_power(adult, cfg):
    runs, config = 200, PsiConfig()
    false_alarms = power = 0
    for seed in range(runs):
        reference, current = halves(adult, seed)
        false_alarms += check_psi(context(cfg, reference, current), config).status is Status.FAIL
        power += (
            check_psi(context(cfg, reference, shift(current, "age", 0.5)), config).status
            is Status.FAIL
        )
    report("drift.psi false alarms (PSI > 0.25)", false_alarms / runs, runs)
    report("drift.psi power (0.5 SD shift of age)", power / runs, runs)
    assert false_alarms == 0
    assert power / runs >= 0.9


def test_psi_at_its_minimum_sample_size(adult, cfg):
    """At min_samples (500) rows a batch, PSI's small-sample bias must not fail or warn often.

    Undrifted batches of 500 rows drawn from the test half; the reference is the other half.
    """
    runs, config = 200, PsiConfig()
    failed = warned = power = 0
    for seed in range(runs):
        reference, current = halves(adult, seed)
        batch = current.sample(n=config.min_samples, random_state=seed)
        status = check_psi(context(cfg, reference, batch), config).status
        failed += status is Status.FAIL
        warned += status is Status.WARN
        moved = shift(batch, "age", 0.5)
        power += check_psi(context(cfg, reference, moved), config).status is Status.FAIL
    report("drift.psi false alarms at 500 rows (PSI > 0.25)", failed / runs, runs)
    report("drift.psi warnings at 500 rows (PSI > 0.1)", warned / runs, runs)
    report("drift.psi power at 500 rows (0.5 SD shift of age)", power / runs, runs)
    assert failed == 0
    assert power / runs >= 0.9


def test_multivariate_drift_false_alarms_and_power(adult, cfg, small_model):
    runs = 100
    config = MultivariateDriftConfig(alpha=ALPHA, max_rows=1000, n_permutations=200)
    false_alarms = power = 0
    for seed in range(runs):
        reference, current = halves(adult, seed)
        config = config.model_copy(update={"seed": seed})
        false_alarms += (
            check_multivariate_drift(
                context(cfg, reference, current, model=small_model), config
            ).status
            is Status.FAIL
        )
        moved = shift(current, "hours-per-week", 0.3)
        power += (
            check_multivariate_drift(
                context(cfg, reference, moved, model=small_model), config
            ).status
            is Status.FAIL
        )
    report(
        "drift.multivariate false alarms (alpha 0.05, 1,000 rows a side)", false_alarms / runs, runs
    )
    report("drift.multivariate power (0.3 SD shift of hours-per-week)", power / runs, runs)
    assert false_alarms / runs <= upper_binomial(ALPHA, runs)
    assert power / runs >= 0.9


def test_prediction_drift_false_alarms_and_power(adult, cfg, small_model):
    runs, config = 200, PredictionDriftConfig(alpha=ALPHA)
    positives = adult[adult["income"] == ">50K"]
    negatives = adult[adult["income"] == "<=50K"]
    false_alarms = power = 0
    for seed in range(runs):
        reference, current = halves(adult, seed)
        false_alarms += (
            check_prediction_drift(
                context(cfg, reference, current, model=small_model), config
            ).status
            is Status.FAIL
        )
        # Stated effect: the population's share of high earners doubles (24% to 48%).
        richer = pd.concat(
            [positives.sample(3900, random_state=seed), negatives.sample(4200, random_state=seed)],
            ignore_index=True,
        )
        power += (
            check_prediction_drift(
                context(cfg, reference, richer, model=small_model), config
            ).status
            is Status.FAIL
        )
    report("drift.prediction false alarms", false_alarms / runs, runs)
    report("drift.prediction power (share of positives doubled)", power / runs, runs)
    assert false_alarms / runs <= upper_binomial(ALPHA, runs)
    assert power / runs >= 0.9


def test_metric_interval_coverage_and_threshold_power(cfg, project_root, small_model):
    """The 95% interval covers the population value; a model 0.01 above the limit passes."""
    from mlgate import io as mio
    from mlgate.tables.read import read_source

    path = project_root / cfg.ingest.test_path
    with mio.open_source(str(path)) as handle:
        population = read_source(handle, source=str(path), ingest=cfg.ingest, data=cfg.data)
    y_all = (population["income"] == ">50K").to_numpy(np.int64)
    scores_all = small_model.predict_proba(population)[:, 1]
    from sklearn.metrics import roc_auc_score

    true_auc = roc_auc_score(y_all, scores_all)
    runs = 100
    covered = at_limit_passes = above_limit_passes = 0
    for seed in range(runs):
        rows = np.random.default_rng(seed).integers(0, len(y_all), TEST_SET_ROWS)
        interval = bootstrap_metrics(
            y_all[rows],
            scores_all[rows],
            threshold=0.5,
            n_resamples=400,
            confidence=0.95,
            seed=seed,
        )["roc_auc"]
        covered += interval.low <= true_auc <= interval.high
        at_limit_passes += interval.low >= true_auc  # limit equal to the true value
        above_limit_passes += interval.low >= true_auc - 0.01  # model 0.01 above the limit
    report("performance.metrics 95% interval coverage of ROC AUC", covered / runs, runs)
    report(
        "performance.metrics passes at a limit equal to the true AUC", at_limit_passes / runs, runs
    )
    report(
        "performance.metrics power (true AUC 0.01 above the limit)", above_limit_passes / runs, runs
    )
    assert covered / runs >= 0.88
    assert at_limit_passes / runs <= upper_binomial(0.025, runs)
    assert above_limit_passes / runs >= 0.9


def paired_population(seed: int, n: int, *, accuracy_gap: float, auc_noise: float):
    """Labels, a champion's scores, and a challenger's: equal (gap 0, same noise) or worse."""
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.24).astype(np.int64)
    latent = y * 1.6 + rng.normal(size=n)
    champion = 1 / (1 + np.exp(-(latent + rng.normal(0, 0.5, n) - 1.5)))
    challenger = 1 / (1 + np.exp(-(latent + rng.normal(0, auc_noise, n) - 1.5)))
    if accuracy_gap:
        right = np.flatnonzero((challenger >= 0.5) == y)
        flip = rng.choice(right, int(accuracy_gap * n), replace=False)
        challenger[flip] = 1 - challenger[flip]
    return y, champion, challenger


def champion_verdicts(y, champion, challenger, seed):
    ctx = CheckContext(
        data=None,
        reference=None,
        current=None,
        current_name="test",
        current_scores=challenger,
        y_true=y,
        baseline=Baseline("main", scores=champion),
    )
    config = ChampionConfig(
        alpha=ALPHA, max_accuracy_drop=1.0, max_roc_auc_drop=1.0, n_bootstrap=300, seed=seed
    )
    return {r.id.rsplit(".", 1)[1]: r.status is Status.FAIL for r in check_champion(ctx, config)}


def test_champion_comparison_false_alarms_and_power():
    """Tolerances are switched off, so only significance decides."""
    runs = 100
    false_accuracy = false_auc = power_accuracy = power_auc = 0
    for seed in range(runs):
        equal = champion_verdicts(
            *paired_population(seed, TEST_SET_ROWS, accuracy_gap=0, auc_noise=0.5), seed
        )
        false_accuracy += equal["accuracy"]
        false_auc += equal["roc_auc"]
        worse = champion_verdicts(
            *paired_population(seed, TEST_SET_ROWS, accuracy_gap=0.01, auc_noise=0.9), seed
        )
        power_accuracy += worse["accuracy"]
        power_auc += worse["roc_auc"]
    report(
        "comparison.champion.accuracy false alarms (McNemar, alpha 0.05)",
        false_accuracy / runs,
        runs,
    )
    report("comparison.champion.roc_auc false alarms (95% paired interval)", false_auc / runs, runs)
    report(
        "comparison.champion.accuracy power (1 point less accurate)", power_accuracy / runs, runs
    )
    report("comparison.champion.roc_auc power (noisier challenger)", power_auc / runs, runs)
    assert false_accuracy / runs <= upper_binomial(ALPHA, runs)
    assert false_auc / runs <= upper_binomial(0.025, runs)
    assert power_accuracy / runs >= 0.9
    assert power_auc / runs >= 0.9
