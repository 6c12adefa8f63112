"""Any valid params round-trip through YAML unchanged; any out-of-range value is refused by key."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from mlgate.config import config_from_mapping
from mlgate.errors import ConfigError
from mlgate.io import parse_yaml

positive_floats = st.floats(min_value=1e-9, max_value=1e6, allow_nan=False, allow_infinity=False)
unit_open = st.floats(min_value=1e-6, max_value=1 - 1e-6)

train_sections = st.fixed_dictionaries(
    {
        "estimator": st.sampled_from(
            ["logistic_regression", "random_forest", "hist_gradient_boosting"]
        ),
        "seed": st.integers(0, 2**32),
        "logistic_regression": st.fixed_dictionaries(
            {
                "C": positive_floats,
                "max_iter": st.integers(1, 10**5),
                "class_weight": st.sampled_from([None, "balanced"]),
            }
        ),
        "random_forest": st.fixed_dictionaries(
            {
                "n_estimators": st.integers(1, 5000),
                "max_depth": st.none() | st.integers(1, 100),
                "min_samples_leaf": st.integers(1, 1000),
                "max_features": st.sampled_from(["sqrt", "log2"]) | unit_open,
            }
        ),
        "hist_gradient_boosting": st.fixed_dictionaries(
            {
                "learning_rate": positive_floats,
                "max_iter": st.integers(1, 10**4),
                "max_leaf_nodes": st.integers(2, 1000),
                "l2_regularization": st.floats(0, 1e3),
            }
        ),
    }
)


def dump_yaml(mapping) -> str:
    stream = io.StringIO()
    YAML(typ="safe", pure=True).dump(mapping, stream)
    return stream.getvalue()


@pytest.fixture(scope="module")
def base(project_root):
    return parse_yaml((project_root / "params.yaml").read_text(), source="params.yaml")


@given(train=train_sections, validation_size=unit_open, threshold=unit_open)
def test_valid_params_round_trip_through_yaml(base, train, validation_size, threshold):
    raw = {
        **base,
        "train": train,
        "prepare": {**base["prepare"], "validation_size": validation_size},
    }
    raw["evaluate"] = {**base["evaluate"], "decision_threshold": threshold}
    cfg = config_from_mapping(raw)
    again = config_from_mapping(parse_yaml(dump_yaml(cfg.model_dump(mode="json")), source="x"))
    assert again == cfg
    assert (
        cfg.train.hist_gradient_boosting.learning_rate
        == train["hist_gradient_boosting"]["learning_rate"]
    )


@given(
    key=st.sampled_from(
        [
            ("prepare", "validation_size"),
            ("evaluate", "decision_threshold"),
        ]
    ),
    value=st.floats(allow_nan=False).filter(lambda v: not 0 < v < 1),
)
def test_out_of_range_fractions_are_refused_by_key(base, key, value):
    section, name = key
    raw = {**base, section: {**base[section], name: value}}
    with pytest.raises(ConfigError, match=rf"{section}\.{name}:"):
        config_from_mapping(raw)


def _is_integer_text(text: str) -> bool:
    try:
        int(text.replace("_", "x"))
    except ValueError:
        return False
    return True


# Text that spells an integer ("7") is read as that integer, as pydantic's lax mode does; anything
# else in an integer field must be refused, naming the key.
@given(
    value=st.one_of(
        st.text(min_size=1).filter(lambda t: not _is_integer_text(t)),
        st.lists(st.integers()),
        st.floats(allow_nan=False).filter(lambda f: not f.is_integer()),
    )
)
def test_wrong_types_are_refused_by_key(base, value):
    raw = {**base, "train": {**base["train"], "seed": value}}
    with pytest.raises(ConfigError, match=r"train\.seed:"):
        config_from_mapping(raw)
