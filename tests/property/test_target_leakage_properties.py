"""data.target_leakage's evidence names columns and statistics, never a value of the table."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from mlgate.checks.base import CheckContext
from mlgate.checks.data.target_leakage import check_target_leakage
from mlgate.config import DataConfig
from mlgate.config.checks.data import TargetLeakageConfig
from mlgate.data.post_outcome_names import post_outcome_hint

DATA = DataConfig(
    target="y", labels=("no", "yes"), positive_label="yes", categorical=("kind",), numeric=("x",)
)
#: Values no sentence of the evidence holds: six or more capitals (the evidence has "ROC AUC").
VALUES = st.from_regex(r"[A-Z]{6,12}", fullmatch=True)


@settings(max_examples=25, deadline=None)
@given(
    kinds=st.lists(VALUES, min_size=2, max_size=6, unique=True),
    tied=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_the_evidence_never_holds_a_value(kinds, tied, seed):
    rng = np.random.default_rng(seed)
    index = rng.integers(0, len(kinds), 400)
    y = index % 2 if tied else rng.integers(0, 2, 400)
    frame = pd.DataFrame(
        {
            "kind": np.array(kinds)[index],
            "x": np.where(rng.random(400) < 0.2, np.nan, rng.normal(size=400)),
            "y": np.where(y == 1, "yes", "no"),
        }
    )
    ctx = CheckContext(data=DATA, reference=frame, current=frame, current_name="t")
    outcome = check_target_leakage(ctx, TargetLeakageConfig(n_bootstrap=100))
    evidence = json.dumps(outcome.to_dict())
    assert [kind for kind in kinds if kind in evidence] == []
    if tied and 0 < y.sum() < len(y):
        assert "kind" in outcome.details["flagged"]


@given(values=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=50))
def test_a_hint_says_nothing_of_the_values(values):
    hint = post_outcome_hint("column", pd.Series(values), target="y")
    assert hint in (None, "it holds dates: was it known before the outcome?")
