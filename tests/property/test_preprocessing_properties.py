"""Whatever rows arrive, the saved pipeline scores them: any order, new categories, gaps."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mlgate.model.preprocessing import features_and_labels

CATEGORY_VALUES = st.one_of(
    st.none(), st.text(max_size=12), st.sampled_from(["Private", "Male", "White"])
)
NUMBER_VALUES = st.one_of(
    st.none(),
    st.floats(allow_nan=True, allow_infinity=False, width=32),
    st.integers(-(10**6), 10**6),
)


@settings(max_examples=60)
@given(data=st.data())
def test_predict_never_crashes_on_odd_rows(small_model, adult_sample, cfg, data):
    X, _ = features_and_labels(adult_sample.head(8), cfg.data)
    X = X.copy().astype(object)
    for column in cfg.data.numeric:
        X[column] = data.draw(st.lists(NUMBER_VALUES, min_size=8, max_size=8), label=column)
    for column in cfg.data.categorical:
        X[column] = data.draw(st.lists(CATEGORY_VALUES, min_size=8, max_size=8), label=column)
    for column in cfg.data.numeric:
        X[column] = X[column].astype("float64")
    scores = small_model.predict_proba(X)[:, 1]
    assert scores.shape == (8,)
    assert np.isfinite(scores).all()
    assert ((scores >= 0) & (scores <= 1)).all()


@given(data=st.data())
def test_column_order_does_not_change_scores(small_model, adult_sample, cfg, data):
    X, _ = features_and_labels(adult_sample.head(50), cfg.data)
    shuffled = X.iloc[:, data.draw(st.permutations(list(range(X.shape[1]))))]
    np.testing.assert_array_equal(small_model.predict_proba(shuffled), small_model.predict_proba(X))
