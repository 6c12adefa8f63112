from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlgate.config import PrepareConfig, PreprocessingConfig
from mlgate.errors import DataError
from mlgate.model.preprocessing import build_preprocessor
from mlgate.stages.prepare import split_train_validation


def test_split_is_stratified_disjoint_and_seeded(adult_train, cfg):
    train, validation = split_train_validation(adult_train, target="income", cfg=cfg.prepare)
    assert len(train) + len(validation) == len(adult_train)
    assert len(validation) == pytest.approx(cfg.prepare.validation_size * len(adult_train), abs=1)
    rate = (adult_train["income"] == ">50K").mean()
    assert (validation["income"] == ">50K").mean() == pytest.approx(rate, abs=0.002)
    again_train, _ = split_train_validation(adult_train, target="income", cfg=cfg.prepare)
    pd.testing.assert_frame_equal(train, again_train)
    other_seed = cfg.prepare.model_copy(update={"seed": cfg.prepare.seed + 1})
    other_train, _ = split_train_validation(adult_train, target="income", cfg=other_seed)
    assert not train.equals(other_train)


def test_split_too_small_to_stratify():
    frame = pd.DataFrame({"x": [1, 2, 3], "y": ["a", "a", "b"]})
    with pytest.raises(DataError, match=r"cannot split 3 rows .* stratified on 'y'"):
        split_train_validation(frame, target="y", cfg=PrepareConfig(seed=0, validation_size=0.3))


@pytest.mark.parametrize("encoding", ["onehot", "ordinal"])
def test_preprocessor_tolerates_unseen_categories_and_missing_values(adult_sample, cfg, encoding):
    prep = PreprocessingConfig(categorical_encoding=encoding, min_category_frequency=1)
    transformer = build_preprocessor(cfg.data, prep).fit(adult_sample)
    odd = adult_sample.head(3).copy()
    odd.loc[0, "workclass"] = "Never-seen-before"
    odd.loc[1, "age"] = np.nan
    odd.loc[2, "occupation"] = np.nan
    out = transformer.transform(odd)
    assert out.shape[0] == 3
    assert np.isfinite(out).all()


def test_onehot_groups_rare_categories(adult_sample, cfg):
    rare = PreprocessingConfig(min_category_frequency=50)
    common = PreprocessingConfig(min_category_frequency=1)
    width_rare = build_preprocessor(cfg.data, rare).fit_transform(adult_sample).shape[1]
    width_all = build_preprocessor(cfg.data, common).fit_transform(adult_sample).shape[1]
    assert width_rare < width_all


def test_unscaled_numeric_passes_values_through(adult_sample, cfg):
    prep = PreprocessingConfig(scale_numeric=False)
    out = build_preprocessor(cfg.data, prep).fit_transform(adult_sample)
    np.testing.assert_array_equal(out[:, 0], adult_sample["age"].to_numpy())
