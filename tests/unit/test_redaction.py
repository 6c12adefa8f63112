"""Values of personal or many-valued columns are counted, never written: one rule, every writer."""

from __future__ import annotations

import json
import string
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlgate.checks.base import Status
from mlgate.checks.data.schema import SchemaConfig, check_schema
from mlgate.checks.data.unseen_categories import UnseenCategoriesConfig, check_unseen_categories
from mlgate.data.redaction import hashed_buckets, withheld_reason

NAMES = [f"{a}{b}" for a in ("Ansel", "Brigid", "Cosimo", "Orrin") for b in string.ascii_lowercase]


@given(
    distinct=st.integers(1, 300),
    limit=st.integers(1, 300),
)
def test_more_distinct_values_than_the_limit_are_always_withheld(distinct, limit):
    values = pd.Series([f"c{i % distinct}" for i in range(max(distinct * 5, 20))])
    reason = withheld_reason("plain", values, max_listed_distinct=limit)
    assert (reason is not None) == (distinct > limit)
    if reason is not None:
        assert f"more than data.max_listed_distinct ({limit:,})" in reason


def test_personal_columns_are_withheld_whatever_the_limit():
    values = pd.Series(list(np.random.default_rng(0).choice(NAMES, 500)))
    reason = withheld_reason("given", values, max_listed_distinct=10_000)
    assert reason.startswith("personal data: person names")


@given(
    values=st.lists(st.one_of(st.none(), st.text(max_size=8), st.integers()), max_size=40),
    buckets=st.integers(1, 64),
)
def test_hash_buckets_are_stable_keep_missing_and_say_nothing_of_the_values(values, buckets):
    series = pd.Series(values, dtype=object)
    first, again = hashed_buckets(series, buckets), hashed_buckets(series.copy(), buckets)
    assert first.equals(again)
    assert first.isna().tolist() == series.isna().tolist()
    assert set(first.dropna()) <= {f"#{k}" for k in range(buckets)}
    by_value = {}
    for value, bucket in zip(series.dropna().astype(str), first.dropna(), strict=True):
        assert by_value.setdefault(value, bucket) == bucket


@pytest.fixture
def with_names(halves):
    """Training rows and a batch with a column of person names, some new in the batch."""
    reference, current = halves
    rng = np.random.default_rng(0)
    reference = reference.assign(occupation=rng.choice(NAMES, len(reference)))
    new = [f"Zephyrin{c}" for c in "abc"]
    current = current.assign(occupation=rng.choice(NAMES + new * 20, len(current)))
    return reference, current


def test_unseen_person_names_are_counted_not_named(with_names, make_context):
    outcome = check_unseen_categories(
        make_context(*with_names, model=None), UnseenCategoriesConfig(max_unseen_rate=0.01)
    )
    assert outcome.status is Status.FAIL
    occupation = outcome.details["columns"]["occupation"]
    assert "categories" not in occupation
    assert occupation["categories_withheld"]["withheld"] == 3
    assert occupation["categories_withheld"]["reason"].startswith("personal data: person names")
    assert "occupation: " in outcome.summary
    assert "3 values not shown" in outcome.summary
    assert "Zephyrin" not in json.dumps(outcome.to_dict())


def test_a_column_past_the_distinct_limit_is_counted_not_named(halves, make_context, cfg):
    reference, current = halves
    novel = current.copy()
    novel.loc[:9, "workclass"] = "Space-agency"
    data = cfg.data.model_copy(update={"max_listed_distinct": 5})
    ctx = make_context(reference, novel, model=None)
    outcome = check_unseen_categories(replace(ctx, data=data), UnseenCategoriesConfig())
    workclass = outcome.details["columns"]["workclass"]
    assert workclass["categories_withheld"]["withheld"] == 1
    assert "more than data.max_listed_distinct (5)" in workclass["categories_withheld"]["reason"]
    assert "Space-agency" not in json.dumps(outcome.to_dict())


def test_schema_examples_of_a_personal_column_hold_no_values(with_names, make_context):
    reference, current = with_names
    cfg = SchemaConfig(allowed_categories={"occupation": tuple(NAMES[:10])})
    outcome = check_schema(make_context(reference, current, model=None), cfg)
    assert outcome.status is Status.FAIL
    violations = [v for v in outcome.details["violations"] if v["column"] == "occupation"]
    assert violations
    for violation in violations:
        assert {e["value"] for e in violation["examples"]} == {None}
        assert violation["values_withheld"]["reason"].startswith("personal data")
    text = json.dumps(outcome.to_dict())
    assert not any(name in text for name in NAMES[10:])


def test_many_distinct_numbers_keep_their_schema_examples_an_id_does_not(halves, make_context):
    reference, current = halves
    bad = current.copy()
    bad.loc[:2, "capital-gain"] = -5.0
    cfg = SchemaConfig(ranges={"capital-gain": (0, 99999)})
    ctx = make_context(reference, bad, model=None)
    # capital-gain has more distinct values than this: numbers are no list of categories.
    data = ctx.data.model_copy(update={"max_listed_distinct": 5})
    outcome = check_schema(replace(ctx, data=data), cfg)
    (gain,) = [v for v in outcome.details["violations"] if v["column"] == "capital-gain"]
    assert {e["value"] for e in gain["examples"]} == {-5.0}
    assert "values_withheld" not in gain


@settings(max_examples=25)
@given(
    new=st.lists(
        # Marked, so that no word of a summary can pass for one.
        st.text(string.ascii_letters + " '-", min_size=3, max_size=20).map("Qx{}".format),
        min_size=1,
        max_size=15,
        unique=True,
    )
)
def test_no_new_value_of_a_withheld_column_is_ever_written(halves, cfg, new):
    """Whatever new values a batch brings to a column of names, none reaches the evidence."""
    from mlgate.checks.base import CheckContext

    reference, current = halves
    rng = np.random.default_rng(1)
    reference = reference.assign(occupation=rng.choice(NAMES, len(reference)))
    current = current.head(200).assign(occupation=rng.choice(NAMES, 200))
    current.loc[: len(new) - 1, "occupation"] = new
    ctx = CheckContext(data=cfg.data, reference=reference, current=current, current_name="batch")
    outcome = check_unseen_categories(ctx, UnseenCategoriesConfig())
    text = json.dumps(outcome.to_dict())
    assert not [value for value in new if json.dumps(value) in text or value in text]
