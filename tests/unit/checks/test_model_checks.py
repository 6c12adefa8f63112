from __future__ import annotations

import dataclasses
import itertools

from mlgate.checks.base import Status
from mlgate.checks.model.reproducibility import ReproducibilityConfig, check_reproducibility
from mlgate.checks.runner import run_checks
from mlgate.model.estimators import fit_model


def small_train_config(cfg, seed):
    boosting = cfg.train.hist_gradient_boosting.model_copy(update={"max_iter": 20})
    return cfg.train.model_copy(update={"seed": seed, "hist_gradient_boosting": boosting})


def test_a_seeded_training_is_reproducible(halves, make_context, cfg, adult_sample):
    def retrain():
        return fit_model(
            adult_sample,
            data=cfg.data,
            preprocessing=cfg.prepare.preprocessing,
            cfg=small_train_config(cfg, cfg.train.seed),
        )

    ctx = dataclasses.replace(make_context(*halves), retrain=retrain)
    outcome = check_reproducibility(ctx, ReproducibilityConfig(max_rows=500))
    assert outcome.status is Status.PASS, outcome.summary
    assert outcome.value == 0.0


def test_an_unseeded_training_is_caught(halves, make_context, cfg, adult_sample):
    seeds = itertools.count(1)
    rf = cfg.train.random_forest.model_copy(update={"n_estimators": 10})

    def retrain():  # a new seed every time: what forgetting to fix the seed looks like
        config = cfg.train.model_copy(
            update={"estimator": "random_forest", "seed": next(seeds), "random_forest": rf}
        )
        return fit_model(
            adult_sample, data=cfg.data, preprocessing=cfg.prepare.preprocessing, cfg=config
        )

    ctx = dataclasses.replace(make_context(*halves), retrain=retrain)
    outcome = check_reproducibility(ctx, ReproducibilityConfig(max_rows=500))
    assert outcome.status is Status.FAIL
    assert outcome.details["between_retrainings"] > 0


def test_a_batch_has_nothing_to_retrain_from(halves, make_context):
    """The check needs a retrain; the runner gives a skip with the reason when there is none."""
    (outcome,) = run_checks(
        make_context(*halves), {"model.reproducibility": ReproducibilityConfig()}
    )
    assert outcome.status is Status.SKIP
    assert "no training inputs to retrain from" in outcome.summary
