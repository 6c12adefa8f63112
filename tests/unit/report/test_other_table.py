"""A baseline of another table: said at the top of the report, and never compared with.

A team that copies the template and points it at its own table opens its first pull requests
against a main that still holds Adult's model: "ROC AUC −0.2154" against it means nothing.
"""

from __future__ import annotations

import pytest

from mlgate.report.evidence import Evidence, other_table
from mlgate.report.markdown import render_report
from tests.unit.report import builders as b

ADULT = {
    "target": "income",
    "labels": ["<=50K", ">50K"],
    "numeric": ["age", "hours-per-week", "capital-gain"],
    "categorical": ["workclass", "education", "sex"],
}


def side(label: str = "this branch", **data) -> Evidence:
    return b.complete(label, params={"data": {**ADULT, **data}})


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"target": "credit_risk"}, "its target is 'income', this branch's is 'credit_risk'"),
        ({"labels": ["good", "bad"]}, "its labels are ['<=50K', '>50K'], this branch's are"),
        (
            {"numeric": ["duration", "amount", "age"], "categorical": ["purpose", "housing"]},
            "it shares 1 of the 10 inputs",
        ),
    ],
)
def test_another_target_labels_or_inputs_make_another_table(data, reason):
    found = other_table(side(**data), side("main"))
    assert found is not None
    assert found.startswith(reason)


def test_a_few_inputs_added_or_dropped_keep_the_comparison():
    grown = side(numeric=[*ADULT["numeric"], "education-num"], categorical=["workclass", "sex"])
    assert other_table(grown, side("main")) is None
    assert other_table(side(), side("main")) is None


def test_without_either_sides_params_nothing_is_said():
    assert other_table(side(), b.complete("main", params=None)) is None
    assert other_table(side(), None) is None


def test_the_report_says_so_at_the_top_and_shows_no_delta():
    current, main = side(target="credit_risk"), side("main")
    text = render_report(current, main, figures=b.NO_FIGURES)
    heading, note = text.split("\n\n")[:2]
    assert heading == "## ✅ mlgate: promote"  # not "compared with `main`"
    assert note.startswith("> ℹ️ `main` is a model of another table (its target is 'income'")
    assert "nothing below is compared with it" in note
    assert "`main`" not in text.split(note, 1)[1]
    compared = render_report(side(), main, figures=b.NO_FIGURES)
    assert "compared with `main`" in compared
    assert "another table" not in compared
