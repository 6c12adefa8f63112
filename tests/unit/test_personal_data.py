"""Columns that identify people are recognised by their values; a name is only a hint."""

from __future__ import annotations

import string

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlgate.data.personal_data import (
    IDENTIFYING_WORDS,
    MAX_CATEGORY_VALUES,
    identifying_reason,
    name_words,
)

N = 100
RNG = np.random.default_rng(0)
#: Made-up names no dictionary holds: only their shape can tell they are names.
GIVEN = [
    f"{a}{b}"
    for a in ("Ansel", "Brigid", "Cosimo", "Delphine", "Orrin", "Lorcan", "Marisol", "Thaddeus")
    for b in ("", "a", "o", "ine", "ette", "ius", "an", "el")
]
FAMILY = [f"{a}{b}" for a in ("Abernethy", "Galbraith", "Quigley", "Vasquez") for b in "aeiou"]


def draws(values, n=N):
    return list(RNG.choice(values, n))


@pytest.mark.parametrize(
    ("name", "values", "reason"),
    [
        ("customerId", np.arange(N) % 70, "its name says so (id)"),
        ("first_name", draws(GIVEN, 300), "its name says so (name)"),
        ("Date of Birth", [f"19{50 + i % 40}-0{1 + i % 9}-1{i % 9}" for i in range(N)], "birth"),
        ("contact", [f"user{i}@example.com" for i in range(N)], "100% of its values are email"),
        ("cell", [f"+44 20 7946 0{i:03d}" for i in range(N)], "100% of its values are phone"),
        ("born", [f"19{50 + i % 40}-0{1 + i % 9}-1{i % 9}" for i in range(N)], "are dates"),
        ("customer", np.arange(N) * 3.0, "every value is a different whole number"),
        ("ref", [f"R{i:05d}" for i in range(N)], "every value is different"),
        ("notes", [f"called about order {i}, wants a refund soon" for i in range(N)], "free text"),
        ("lives", [f"{i + 1} {w} Road" for i, w in enumerate(draws(GIVEN))], "street addresses"),
        (
            "kin",
            [f"{f} {s}" for f, s in zip(draws(GIVEN, 400), draws(FAMILY, 400), strict=True)],
            "distinct values, of capitalised words",
        ),
        ("first", draws(["james", "mary", "john", "linda", "omar", "wei"], 400), None),
    ],
)
def test_identifying_columns_are_flagged_with_the_reason(name, values, reason):
    found = identifying_reason(name, pd.Series(values))
    if reason is None:  # a few lower-case names: a category, whatever they are
        assert found is None
    else:
        assert reason in found


def test_lower_case_first_names_are_names_by_the_dictionary():
    known = ["james", "mary", "john", "linda", "wei", "maria", "david", "sarah", "ali", "emma"]
    rare = [name.lower() for name in GIVEN]  # names no dictionary holds, written in lower case
    reason = identifying_reason("first", pd.Series(known * 20 + rare * 2))
    assert reason == "person names: 74 distinct values, many of them first names"


def test_a_few_dozen_capitalised_words_are_places_not_names_unless_first_names():
    states = [f"{a}{b}" for a in ("Ohio", "Utah", "Iowa", "Maine", "Texas") for b in "aeiouylnrs"]
    assert identifying_reason("state", pd.Series(draws(states, 2000))) is None
    known = ["James", "Mary", "John", "Linda", "Wei", "Maria", "David", "Sarah", "Ali", "Emma"]
    names = pd.Series(draws(known + states[:30], 2000))
    assert identifying_reason("given", names) == (
        "person names: 40 distinct values, many of them first names"
    )


@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("age", np.arange(N) % 60 + 18.0),
        ("income", np.linspace(1000.5, 90000.5, N)),
        ("colour", ["red", "green", "blue", "grey"] * (N // 4)),
        ("handle", [f"v{i % 10}@x" for i in range(N)]),
        ("small", [1.0, 2.0, 3.0]),
        # The table: a 4-valued account status is its best predictor, not personal data.
        ("checking_account", draws(["A11", "A12", "A13", "A14"], 1000)),
        ("customerId", np.arange(N) % 7),  # seven codes, whatever the name says
        ("account_balance", np.linspace(-500.25, 9000.75, N)),
        ("country", draws([f"{c}-land" for c in string.ascii_uppercase[:20]] * 2, 2000)),
    ],
)
def test_ordinary_features_are_not_flagged(name, values):
    assert identifying_reason(name, pd.Series(values)) is None


def test_name_words_split_camel_case_and_separators():
    assert name_words("DateOfBirth") == ["date", "of", "birth"]
    assert name_words("e-mail_address") == ["e", "mail", "address"]
    assert name_words("paid") == ["paid"]


@given(
    word=st.sampled_from(sorted(IDENTIFYING_WORDS)),
    categories=st.lists(
        st.text(string.ascii_letters + string.digits, min_size=1, max_size=12),
        min_size=1,
        max_size=MAX_CATEGORY_VALUES,
        unique=True,
    ),
    repeats=st.integers(20, 40),  # 20 values or more: judged by them, not the name
)
def test_a_few_categories_are_never_personal_whatever_the_name(word, categories, repeats):
    values = pd.Series(categories * repeats)
    assert identifying_reason(f"checking_{word}", values) is None


@given(
    names=st.lists(
        st.text(string.ascii_lowercase, min_size=3, max_size=10).map(str.capitalize),
        min_size=100,
        max_size=200,
        unique=True,
    ),
    header=st.sampled_from(["col7", "given", "kin", "party", "x"]),
)
def test_many_distinct_capitalised_names_are_flagged_under_any_header(names, header):
    assert identifying_reason(header, pd.Series(names * 3)) is not None


def test_surname_comma_title_given_names_are_names_with_repeats_and_any_header():
    """Passenger lists and Kaggle's tables write "Surname, Title. Given (Maiden)": with a few
    names repeated (not an id) and a neutral header, they are still names."""
    rng = np.random.default_rng(4)
    surnames = ["".join(rng.choice(list("aeioulnrstkmb"), 6)).capitalize() for _ in range(300)]
    values = [
        f"{rng.choice(surnames)}, {rng.choice(['Mr.', 'Mrs.', 'Miss.'])} "
        f"{rng.choice(['Elisabeth Walton', 'Hudson J C', 'William'])}"
        + (" (Bessie Waldo Daniels)" if i % 7 == 0 else "")
        for i in range(600)
    ]
    values[:40] = values[40:80]  # repeats: not every value is different
    reason = identifying_reason("passenger", pd.Series(values))
    assert reason is not None
    assert reason.startswith("person names")
