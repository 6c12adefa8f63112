"""What init removes of the old table: comments naming it, found by YAML's scanner, whole blocks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlgate.io import parse_yaml
from mlgate.project.group_sizes import TEST_SIZES, Grouping, plan_groups, smallest_judged_group
from mlgate.project.judgement_sizes import monitor_min_rows
from mlgate.project.template_leftovers import drop_comments_naming, old_table_words

TEXT = """\
# About the file.
data:
  target: income   # what adult predicts
  labels: ['a # age', b]  # not about it
  # fnlwgt is a weight: this block
  # goes as a whole
  numeric: [x]
  usage: 1         # usage is not age
  rows: 5          # age > 50 in the rows,
                   # continued under itself
  seed: 0
"""


def test_a_comment_naming_the_old_table_goes_as_a_block_and_values_stay():
    text, removed = drop_comments_naming(TEXT, {"age", "fnlwgt", "adult"})
    assert removed == 4
    assert "fnlwgt" not in text
    assert "goes as a whole" not in text
    assert "continued" not in text
    assert "# what adult predicts" not in text
    assert "# usage is not age" not in text  # whole words: "age" is named here
    assert "# About the file." in text
    assert "# not about it" in text
    assert parse_yaml(text, source="t") == parse_yaml(TEXT, source="t")  # '#' in a value stays


def test_words_match_whole_and_inside_no_longer_name():
    text, removed = drop_comments_naming(
        "a: 1  # usage and page\nb: 2  # native-country\n", {"age", "native"}
    )
    assert removed == 0
    assert text.count("#") == 2


def test_the_old_tables_words_are_its_columns_labels_and_file_name():
    words = old_table_words(
        {
            "data": {"target": "income", "labels": ["<=50K", ">50K"], "numeric": ["age"]},
            "ingest": {"train_path": "data/source/adult.data.gz", "column_names": ["fnlwgt"]},
        }
    )
    assert words == {"income", "<=50K", ">50K", "age", "adult", "fnlwgt"}


@given(st.lists(st.text(min_size=1, max_size=12), min_size=1, max_size=5))
def test_dropping_comments_never_changes_a_value(words):
    text, _ = drop_comments_naming(TEXT, words)
    assert parse_yaml(text, source="t") == parse_yaml(TEXT, source="t")


@pytest.mark.parametrize(
    ("limit", "share", "class_rows", "rows"),
    [(0.2, 0.5, 49, 98), (0.2, 0.24, 49, 205), (0.1, 0.5, 193, 386), (0.9, 0.5, 3, 10)],
)
def test_a_group_holds_enough_of_its_rarer_class_for_the_limit(limit, share, class_rows, rows):
    size = smallest_judged_group(limit, share)
    assert (size.class_rows, size.rows) == (class_rows, rows)
    assert f"= {class_rows} rows of the rarer class" in size.arithmetic()


def test_monitoring_judges_batches_as_small_as_the_examples():
    assert monitor_min_rows(200, batch_rows=60) == 60
    assert monitor_min_rows(200, batch_rows=5000) == 200
    assert monitor_min_rows(200, batch_rows=3) == 10


def _halves_and_quarters(balance: float) -> tuple[Grouping, ...]:
    return (
        Grouping((1.0, 2.0, 3.0), (0.25, 0.25, 0.25, 0.25)),
        Grouping((2.0,), (balance, 1 - balance)),
    )


@given(
    rows=st.integers(100, 100_000),
    rarer=st.floats(0.02, 0.5),
    balance=st.floats(0.5, 0.9),
    category=st.lists(st.floats(0.01, 1), min_size=2, max_size=6),
)
def test_the_group_plan_is_the_smallest_test_share_that_judges_every_feature(
    rows, rarer, balance, category
):
    shares = tuple(sorted((c / sum(category) for c in category), reverse=True))
    candidates = {"age": _halves_and_quarters(balance), "sex": (Grouping(None, shares),)}
    plan = plan_groups(rows=rows, test_rows=None, rarer_share=rarer, candidates=candidates)
    assert plan.test_size in TEST_SIZES
    assert plan.test_rows == int(rows * plan.test_size)
    if plan.reach == "unjudged":
        assert plan.test_size == TEST_SIZES[0]
        return
    age, sex = plan.groupings["age"], plan.groupings["sex"]
    # Every bin of a number is large enough; two groups of a category are.
    assert min(age.shares) * plan.test_rows >= plan.group_rows
    assert sorted(sex.shares)[-2] * plan.test_rows >= plan.group_rows
    for test_size in [s for s in TEST_SIZES if s < plan.test_size]:
        # No smaller share judges both features at the same group size.
        held_out = int(rows * test_size)
        age_fits = max(0.25, min(balance, 1 - balance)) * held_out >= plan.group_rows
        sex_fits = sorted(shares)[-2] * held_out >= plan.group_rows
        assert not (age_fits and sex_fits)
    if age.edges == (2.0,):  # halves only when quarters were too small
        assert 0.25 * plan.test_rows < plan.group_rows


def test_a_separate_test_file_fixes_the_rows_and_only_the_grouping_is_chosen():
    plan = plan_groups(
        rows=10_000,
        test_rows=800,
        rarer_share=0.5,
        candidates={"age": _halves_and_quarters(0.5)},
    )
    assert (plan.test_size, plan.test_rows) == (None, 800)
    assert plan.groupings["age"].edges == (2.0,)  # 200-row quarters are under 204 powered rows
    assert plan.reach == "powered"


def test_leakage_limit_rises_with_the_noise_of_rows_that_repeat_by_chance():
    from types import SimpleNamespace

    from mlgate.project.judgement_sizes import size_data_checks

    # Caravan: 15% of rows repeat another, 1,164 test rows: ±1.05 points by chance.
    coarse = SimpleNamespace(duplicate_share=0.15, test_rows=1164, positive_share=0.06)
    checks = {"leakage": {"max_shared_rate": 0.005}}
    notes = size_data_checks(checks, coarse)
    assert checks["leakage"]["max_shared_rate"] == 0.04  # ceil(3 x 1.05 points)
    assert any("varies by ±1.0% by chance alone" in note for note in notes)
    # A table whose rows are distinct keeps the template's limit, and says nothing.
    distinct = SimpleNamespace(duplicate_share=0.0, test_rows=1164, positive_share=0.5)
    checks = {"leakage": {"max_shared_rate": 0.005}}
    assert size_data_checks(checks, distinct) == []
    assert checks["leakage"]["max_shared_rate"] == 0.005
