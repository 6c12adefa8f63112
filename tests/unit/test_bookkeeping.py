"""Each fitted field scoring trusts is checked against its sources, and named when it lies.

The file corpus (tests/security/corpus.py) crafts files; here the same checks are driven on
models changed in memory, one field each, for the fields the corpus does not reach.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from mlgate.errors import ModelError
from mlgate.model.bookkeeping import check_fitted_bookkeeping
from mlgate.model.mitigation import MitigatedModel


def _steps(model):
    preprocess = model.named_steps["preprocess"]
    return (
        preprocess.named_transformers_["numeric"].named_steps,
        preprocess.named_transformers_["categorical"].named_steps,
        model.named_steps["classifier"],
    )


def _scale_zero(model):
    _steps(model)[0]["scale"].scale_[0] = 0.0


def _indicator(model):
    _steps(model)[0]["impute"].indicator_ = object()


def _baseline_wide(model):
    _steps(model)[2]._baseline_prediction = np.zeros((1, 2))


def _too_many_iterations(model):
    classifier = _steps(model)[2]
    classifier._predictors = classifier._predictors * 2


def _classifier_narrow(model):
    classifier = _steps(model)[2]  # one input fewer, consistently within the classifier
    classifier.n_features_in_ -= 1
    classifier._bin_mapper.is_categorical_ = classifier._bin_mapper.is_categorical_[:-1]


def _encoder_parameter(model):
    _steps(model)[1]["encode"].handle_unknown = "explode"


def _label_encoder(model):
    _steps(model)[2]._label_encoder.classes_ = np.array([0, 2])


CHANGES = {
    "scale": (_scale_zero, r"StandardScaler at preprocess/numeric/scale: scale_ holds a scale"),
    "indicator": (_indicator, r"SimpleImputer at preprocess/numeric/impute: has a missing-value"),
    "baseline": (
        _baseline_wide,
        r"HistGradientBoostingClassifier at classifier: _baseline_prediction has shape \(1, 2\)",
    ),
    "iterations": (
        _too_many_iterations,
        r"HistGradientBoostingClassifier at classifier: _predictors holds 40 iterations, not "
        r"1\.\.20",
    ),
    "width": (
        _classifier_narrow,
        r"HistGradientBoostingClassifier at classifier: n_features_in_ \d+ disagrees with the "
        r"\d+ columns its preprocessing outputs",
    ),
    "parameter": (
        _encoder_parameter,
        r"OneHotEncoder at preprocess/categorical/encode: a parameter is invalid: .*handle_unknown",
    ),
    "label_encoder": (
        _label_encoder,
        r"HistGradientBoostingClassifier at classifier: _label_encoder\.classes_ disagrees",
    ),
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_a_changed_field_is_refused_naming_its_place(small_model, change):
    model = copy.deepcopy(small_model)
    check_fitted_bookkeeping(model, source="m")  # the genuine model passes
    edit, expected = CHANGES[change]
    edit(model)
    with pytest.raises(ModelError, match=rf"^m: {expected}"):
        check_fitted_bookkeeping(model, source="m")


def _mitigated(small_model, **changes) -> MitigatedModel:
    settings = dict(
        method="exponentiated_gradient",
        sensitive_feature="sex",
        constraint="equalized_odds",
        bins=None,
        decision_threshold=0.5,
        seed=1,
        ensemble=[small_model.named_steps["classifier"]],
        ensemble_weights=np.array([1.0]),
    )
    return MitigatedModel(small_model, **{**settings, **changes})


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"ensemble_weights": np.array([0.5])}, r"ensemble_weights are not the weights"),
        ({"sensitive_feature": "shoe size"}, r"sensitive_feature 'shoe size' is not an input"),
        ({"decision_threshold": 1.5}, r"decision_threshold 1\.5 is not a number in \(0, 1\)"),
        ({"bins": (40.0, 30.0)}, r"bins \[40\.0, 30\.0\] are not increasing"),
        (
            {"method": "threshold_optimizer", "ensemble": [], "groups": ["a"]},
            r"rules has shape \(0, 8\), expected \(1, 8\)",
        ),
    ],
)
def test_a_mitigated_models_numbers_must_agree(small_model, changes, expected):
    check_fitted_bookkeeping(_mitigated(small_model), source="m")
    with pytest.raises(ModelError, match=rf"^m: MitigatedModel at the top: {expected}"):
        check_fitted_bookkeeping(_mitigated(small_model, **changes), source="m")


def test_an_ordinal_encoders_missing_index_must_be_its_missing_category(small_model, cfg):
    from mlgate.model.estimators import fit_model

    preprocessing = cfg.prepare.preprocessing.model_copy(update={"categorical_encoding": "ordinal"})
    train_cfg = cfg.train.model_copy(
        update={
            "hist_gradient_boosting": cfg.train.hist_gradient_boosting.model_copy(
                update={"max_iter": 3}
            )
        }
    )
    frame = _training_rows(small_model, cfg)
    model = fit_model(frame, data=cfg.data, preprocessing=preprocessing, cfg=train_cfg)
    check_fitted_bookkeeping(model, source="m")
    _steps(model)[1]["encode"]._missing_indices = {0: 1}
    with pytest.raises(ModelError, match=r"OrdinalEncoder at preprocess/categorical/encode: "):
        check_fitted_bookkeeping(model, source="m")


def _training_rows(small_model, cfg):
    from mlgate.model.probe_run import probe_batch

    rows = probe_batch(small_model).iloc[[0, 1] * 50].reset_index(drop=True)
    rows[cfg.data.target] = [cfg.data.labels[0], cfg.data.positive_label] * 50
    return rows
