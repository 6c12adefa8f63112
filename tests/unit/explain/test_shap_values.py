from __future__ import annotations

import numpy as np
import pytest

from mlgate.model.estimators import fit_model
from mlgate.model.preprocessing import original_features
from mlgate.model.shap_values import explain, global_importance


def fitted(cfg, sample, estimator, encoding="onehot"):
    config = cfg.train.model_copy(
        update={
            "estimator": estimator,
            "random_forest": cfg.train.random_forest.model_copy(
                update={"n_estimators": 10, "max_depth": 6}
            ),
            "hist_gradient_boosting": cfg.train.hist_gradient_boosting.model_copy(
                update={"max_iter": 20}
            ),
        }
    )
    preprocessing = cfg.prepare.preprocessing.model_copy(update={"categorical_encoding": encoding})
    return fit_model(sample, data=cfg.data, preprocessing=preprocessing, cfg=config)


@pytest.mark.parametrize(
    ("estimator", "explainer", "output"),
    [
        ("hist_gradient_boosting", "TreeExplainer", "log-odds"),
        ("random_forest", "TreeExplainer", "probability"),
        ("logistic_regression", "LinearExplainer", "log-odds"),
    ],
)
def test_values_add_up_to_the_model_output(cfg, adult_sample, estimator, explainer, output):
    model = fitted(cfg, adult_sample, estimator)
    rows = adult_sample.head(40)
    explanation = explain(model, rows, background=adult_sample.tail(100), seed=0)
    assert (explanation.explainer, explanation.output) == (explainer, output)
    assert explanation.values.shape == (40, len(cfg.data.features))
    assert explanation.features == list(cfg.data.features)
    classifier = model.named_steps["classifier"]
    Xt = model.named_steps["preprocess"].transform(rows)
    if output == "probability":
        expected = classifier.predict_proba(Xt)[:, 1]
    else:
        expected = classifier.decision_function(Xt)
    np.testing.assert_allclose(
        explanation.values.sum(axis=1) + explanation.base_value, expected, atol=1e-6
    )


def test_one_hot_columns_are_summed_back_to_their_feature(cfg, adult_sample):
    model = fitted(cfg, adult_sample, "hist_gradient_boosting")
    features, columns = original_features(model.named_steps["preprocess"])
    assert features == list(cfg.data.features)
    names = model.named_steps["preprocess"].get_feature_names_out()
    assert len(columns) == len(names)
    education_num = features.index("education-num")
    education = features.index("education")
    owned = {names[j] for j, i in enumerate(columns) if i == education_num}
    assert owned == {"numeric__education-num"}
    assert all("education_" in names[j] for j, i in enumerate(columns) if i == education)


def test_global_importance_is_sorted_mean_absolute_value(cfg, adult_sample):
    model = fitted(cfg, adult_sample, "hist_gradient_boosting")
    explanation = explain(model, adult_sample.head(200), background=adult_sample.tail(50), seed=0)
    importance = global_importance(explanation)
    values = list(importance.values())
    assert values == sorted(values, reverse=True)
    top = next(iter(importance))
    assert importance[top] == pytest.approx(
        np.abs(explanation.values[:, explanation.features.index(top)]).mean(), abs=1e-6
    )
