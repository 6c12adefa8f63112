"""What init removes of the old table: comments naming it, found by YAML's scanner, whole blocks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlgate.io import parse_yaml
from mlgate.project.judgement_sizes import monitor_min_rows, smallest_judged_group
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
