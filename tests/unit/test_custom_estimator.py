"""Your own scikit-learn classifier by import path, loadable only through types listed in params."""

from __future__ import annotations

import numpy as np
import pytest

from mlgate.config import CustomEstimatorConfig
from mlgate.errors import ConfigError, ModelError
from mlgate.model.estimators import build_custom_estimator, fit_model
from mlgate.model.files import load_model, save_model
from mlgate.model.preprocessing import features_and_labels
from tests.security.corpus import decision_tree_child_out_of_bounds

GB_TYPES = (
    "sklearn.dummy.DummyClassifier",
    "sklearn.ensemble._gb.GradientBoostingClassifier",
    "sklearn.tree._classes.DecisionTreeRegressor",
)


def custom_train(cfg, trusted=()):
    custom = CustomEstimatorConfig(
        class_path="sklearn.ensemble.GradientBoostingClassifier",
        params={"n_estimators": 10},
        trusted_types=trusted,
    )
    return cfg.train.model_copy(update={"estimator": "custom", "custom": custom})


@pytest.fixture(scope="module")
def boosted(cfg, adult_sample):
    train_cfg = custom_train(cfg, GB_TYPES)
    model = fit_model(
        adult_sample, data=cfg.data, preprocessing=cfg.prepare.preprocessing, cfg=train_cfg
    )
    return model, train_cfg


def test_the_estimator_is_built_from_its_path_and_seeded(cfg):
    estimator = build_custom_estimator(custom_train(cfg).custom, seed=7)
    assert type(estimator).__name__ == "GradientBoostingClassifier"
    assert estimator.get_params()["n_estimators"] == 10
    assert estimator.get_params()["random_state"] == 7


@pytest.mark.parametrize(
    ("class_path", "params", "message"),
    [
        ("sklearn.ensemble.NoSuchBoost", {}, r"train.custom.class_path: cannot import"),
        ("no_such_package.Model", {}, r"train.custom.class_path: cannot import"),
        ("sklearn.linear_model.LinearRegression", {}, r"is not a scikit-learn classifier"),
        ("sklearn.ensemble.GradientBoostingClassifier", {"trees": 3}, r"train.custom.params"),
        ("sklearn.utils.check_array", {}, r"is not a class"),
    ],
)
def test_a_wrong_estimator_is_a_params_error_naming_the_key(class_path, params, message):
    custom = CustomEstimatorConfig(class_path=class_path, params=params)
    with pytest.raises(ConfigError, match=message):
        build_custom_estimator(custom, seed=0)


def test_custom_without_its_section_is_refused(cfg):
    with pytest.raises(ValueError, match=r"estimator: custom needs train\.custom\.class_path"):
        type(cfg.train).model_validate({**cfg.train.model_dump(), "estimator": "custom"})


def test_saving_names_every_type_params_must_trust_and_writes_nothing(tmp_path, boosted):
    model, _ = boosted
    with pytest.raises(ConfigError, match=r"train.custom.trusted_types: the fitted model holds "):
        save_model(tmp_path / "model.skops", model)
    assert list(tmp_path.iterdir()) == []


def test_with_its_types_trusted_the_model_round_trips(tmp_path, boosted, adult_sample, cfg):
    model, train_cfg = boosted
    save_model(tmp_path / "model.skops", model, extra_types=train_cfg.trusted_types)
    loaded = load_model(tmp_path / "model.skops", extra_types=train_cfg.trusted_types)
    X, _ = features_and_labels(adult_sample, cfg.data)
    np.testing.assert_array_equal(loaded.predict_proba(X), model.predict_proba(X))
    with pytest.raises(ModelError, match=r"GradientBoostingClassifier.*not on mlgate.s allow-list"):
        load_model(tmp_path / "model.skops")


def test_trusted_types_do_not_trust_a_crafted_tree(tmp_path, boosted):
    model, train_cfg = boosted
    save_model(tmp_path / "model.skops", model, extra_types=train_cfg.trusted_types)
    crafted = decision_tree_child_out_of_bounds(
        (tmp_path / "model.skops").read_bytes(), tmp_path / "marker"
    )
    (tmp_path / "model.skops").write_bytes(crafted)
    with pytest.raises(ModelError, match=r"decision tree: node 0 has right child \d+, outside"):
        load_model(tmp_path / "model.skops", extra_types=train_cfg.trusted_types)
