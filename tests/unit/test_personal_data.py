"""Columns that identify people are recognised by name or by their values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlgate.data.personal_data import identifying_reason, name_words

N = 100


@pytest.mark.parametrize(
    ("name", "values", "reason"),
    [
        ("customerId", np.arange(N) % 7, "its name says so (id)"),
        ("Date of Birth", ["1990-01-01"] * N, "its name says so (date of birth)"),
        ("contact", [f"user{i}@example.com" for i in range(N)], "100% of its values are email"),
        ("cell", [f"+44 20 7946 0{i:03d}" for i in range(N)], "100% of its values are phone"),
        ("born", [f"19{50 + i % 40}-0{1 + i % 9}-1{i % 9}" for i in range(N)], "are dates"),
        ("customer", np.arange(N) * 3.0, "every value is a different whole number"),
        ("ref", [f"R{i:05d}" for i in range(N)], "every value is different"),
        ("notes", [f"called about order {i}, wants a refund soon" for i in range(N)], "free text"),
    ],
)
def test_identifying_columns_are_flagged_with_the_reason(name, values, reason):
    assert reason in identifying_reason(name, pd.Series(values))


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("age", np.arange(N) % 60 + 18.0),
        ("income", np.linspace(1000.5, 90000.5, N)),
        ("colour", ["red", "green", "blue", "grey"] * (N // 4)),
        ("handle", [f"v{i % 10}@x" for i in range(N)]),
        ("small", [1.0, 2.0, 3.0]),
    ],
)
def test_ordinary_features_are_not_flagged(name, values):
    assert identifying_reason(name, pd.Series(values)) is None


def test_name_words_split_camel_case_and_separators():
    assert name_words("DateOfBirth") == ["date", "of", "birth"]
    assert name_words("e-mail_address") == ["e", "mail", "address"]
    assert name_words("paid") == ["paid"]
