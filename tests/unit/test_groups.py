"""Sensitive groups: labels, and the reading order a report shows them in."""

from __future__ import annotations

import pandas as pd

from mlgate.data.groups import MISSING_GROUP, group_labels, group_order


def test_bins_are_ordered_by_their_lower_bound_not_as_text():
    labels = group_labels(pd.Series([70, 30, 10, 50, None]), [25, 45, 65])
    assert sorted(set(labels)) == ["(missing)", "25–45", "45–65", "< 25", "≥ 65"]  # as text
    assert group_order(set(labels)) == ["< 25", "25–45", "45–65", "≥ 65", MISSING_GROUP]


def test_values_sort_by_name_and_intersections_by_their_parts():
    groups = ["Male & ≥ 65", "Female & 25–45", "Male & < 25", "Female & < 25"]
    assert group_order(groups) == ["Female & < 25", "Female & 25–45", "Male & < 25", "Male & ≥ 65"]
    assert group_order(["White", "Black", "-5–0", "< -10"]) == ["< -10", "-5–0", "Black", "White"]
    assert group_order(["A–B", "1–2"]) == ["1–2", "A–B"]  # a name that only looks like a bin
