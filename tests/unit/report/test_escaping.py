"""Data is inert text in all markdown mlgate writes: no link, image, HTML, mention, broken table.

Category values, column names, batch names and reasons come from data that someone other than
the reviewer may control. Each renderer is fed the values of the attacks found in issue 20 and
its output parsed as GitHub would (see :mod:`tests.unit.report.markup`).
"""

from __future__ import annotations

import re

import pytest

from mlgate.config import CardConfig
from mlgate.project.experiments import ExperimentEvidence
from mlgate.report import format as fmt
from mlgate.report.blocks import Figures
from mlgate.report.card import card_sections, render_card
from mlgate.report.markdown import render_report
from mlgate.report.monitor import render_summary
from mlgate.report.retrain import render_retraining
from tests.unit.report import builders as b
from tests.unit.report.hostile import HOSTILE, ORDINARY, hostile_evidence
from tests.unit.report.markup import broken_tables, comment_refusal, live_markup, shown_text


def report_of(values: tuple[str, ...], **options) -> str:
    return render_report(
        hostile_evidence(values),
        hostile_evidence(values, label=values[-1]),
        figures=Figures({"roc.png": "report/roc.png"}, embed=True),
        title=" ".join(values),
        **options,
    )


@pytest.mark.parametrize("value", HOSTILE)
def test_a_category_value_is_never_a_link_mention_or_html_in_the_report(value):
    text = report_of((value, "Female"))
    assert live_markup(text) == []
    assert broken_tables(text) == []


def test_the_attacks_all_at_once_leave_the_report_inert():
    text = report_of(HOSTILE)
    assert live_markup(text) == []
    assert broken_tables(text) == []


def test_ordinary_values_read_the_same_when_rendered():
    text = report_of(ORDINARY)
    shown = shown_text(text)
    for value in ORDINARY:
        assert value in shown


def test_hostile_values_read_as_they_are_written():
    shown = shown_text(report_of(HOSTILE))
    for value in HOSTILE:
        assert value in shown, value


def card_of(cfg, values: tuple[str, ...]) -> str:
    data = cfg.data.model_copy(
        update={"target": values[0], "positive_label": values[-1], "sensitive_features": values}
    )
    config = cfg.model_copy(update={"data": data, "card": CardConfig(owners="The ML team.")})
    evidence = hostile_evidence(values)
    for value in values:  # one fairness section per sensitive feature
        evidence.files["checks"]["results"].append(
            b.parity(value, {v: b.group(9, 0.1, 0.5, 0.1, 0.9) for v in values})
        )
    provenance = {
        "estimator": values[1 % len(values)],
        "model": {"sha256": values[0]},
        "data": {"train": {"path": values[0], "sha256": values[-1]}},
        "versions": {value: value for value in values},
        "params": {"prepare": {"seed": values[0]}},
    }
    return render_card(
        config.registry.artifact, card_sections(config, evidence, provenance=provenance)
    )


@pytest.mark.parametrize("value", HOSTILE)
def test_a_column_or_category_value_is_never_live_in_the_model_card(cfg, value):
    text = card_of(cfg, (value, "Female"))
    assert live_markup(text) == []
    assert broken_tables(text) == []


def test_a_backtick_or_pipe_in_a_column_name_keeps_the_cards_tables(cfg):
    text = card_of(cfg, ("a|b", "x`y", "`", "c\\|d"))
    assert broken_tables(text) == []
    shown = shown_text(text)
    for value in ("a|b", "x`y", "c\\|d"):
        assert value in shown


def monitor_evidence(value: str) -> dict:
    """A monitored batch whose names (batch, features, groups, revs) and reasons are ``value``."""
    skipped = {"status": "skip", "reason": f"{value} has one class"}
    return {
        "batch": {"id": value, "rows": 500, "labelled": True},
        "model": {"version": value, "sha256": "ab" * 32},
        "status": "alert",
        "run_p_value": 0.001,
        "alert": {
            "e_value": 50.0,
            "statistic": 120.0,
            "alert": True,
            "threshold": 100.0,
            "rate": 0.01,
            "previous": 2.4,
        },
        "tests": {
            "data_drift": {
                "status": "alert",
                "p_value": 0.001,
                "drifted": [value],
                "features": {
                    value: {
                        "test": "chi2",
                        "statistic": 9.0,
                        "p_value": 0.001,
                        "p_adjusted": 0.01,
                        "psi": 0.4,
                        "drifted": True,
                    },
                    f"{value} 2": skipped,
                },
            },
            "multivariate_drift": {"status": "skip", "reason": f"{value}: too few rows"},
            "realized_performance": {
                "status": "ok",
                "p_value": 0.5,
                "metrics": {value: skipped},
            },
            "fairness": {"status": "ok", "p_value": 0.5, "features": {value: skipped}},
        },
        "shadow": {
            "challenger": {"rev": value, "commit": value},
            "status": "skip",
            "reason": f"{value} is not labelled",
            "decision_agreement": 0.9,
            "positive_rate": {"model": 0.2, "challenger": 0.3},
            "training_overlap": {"rows": 400, "share": 0.8, "max_share": 0.01, "source": value},
            "warning": f"400 of the 500 rows are rows the challenger was trained on ({value})",
        },
    }


@pytest.mark.parametrize("value", HOSTILE)
def test_the_monitor_summary_and_alert_issue_body_show_data_as_text(value):
    text = render_summary([monitor_evidence(value)], model="model")
    assert live_markup(text, own_text=()) == []
    assert broken_tables(text) == []


@pytest.mark.parametrize("compared", [True, False])
def test_the_shadow_comparisons_warning_stands_out(compared):
    evidence = monitor_evidence("main")
    if not compared:  # every row was one the challenger was trained on
        del evidence["shadow"]["decision_agreement"]
    lines = render_summary([evidence], model="model").splitlines()
    warning = fmt.prose("400 of the 500 rows are rows the challenger was trained on (main)")
    shadow = next(i for i, line in enumerate(lines) if line.startswith("**Shadow comparison**"))
    assert lines[shadow - 2] == f"⚠️ **Warning**: {warning}."


@pytest.mark.parametrize("value", HOSTILE)
def test_the_retraining_pull_request_and_experiments_show_data_as_text(value):
    from mlgate.report.experiments import render_experiments

    record = {
        "batch_id": value,
        "batch_file": value,
        "branch": value,
        "rows": 10,
        "positives": 3,
        "metrics_before": {"roc_auc": 0.9},
        "metrics_after": {"roc_auc": 0.91},
        "gate": {"decision": value, "reasons": [value]},
    }
    experiment = ExperimentEvidence(
        name=value,
        rev=value,
        state=value,
        params={value: value},
        decision=None,
        reasons=[value],
    )
    for text in (render_retraining(record), render_experiments([experiment])):
        assert live_markup(text) == []
        assert broken_tables(text) == []


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("a\nb", "a␊b"),
        ("tab\there", "tab␉here"),
        ("bell\x07", "bell␇"),
        ("right-to-left \u202eevil", "right-to-left ⟨U+202E⟩evil"),
    ],
)
def test_a_control_character_is_shown_not_obeyed(value, shown):
    assert shown_text(fmt.text(value)).strip() == shown


def test_a_very_long_value_is_cut_with_a_note():
    shown = shown_text(fmt.text("x" * 5000)).strip()
    assert shown.startswith("x" * 100)
    assert len(shown) < 400
    assert shown.endswith("… (5,000 characters, cut)")


def test_a_feature_name_cannot_name_a_figure_outside_the_figures_folder():
    import matplotlib.pyplot as plt

    from mlgate.report.pull_request import report_figures

    group = {"a": b.group(300, 0.2, 0.6, 0.1, 0.8)}
    features = ("../../../x", "a)b", "sex", "a b", "a_b")
    evidence = b.complete(checks=b.checks(*(b.parity(f, group) for f in features)))
    drawn = report_figures(evidence, None, top_features=3)
    plt.close("all")
    names = [name for name in drawn if name.startswith("fairness_")]
    assert len(names) == len(features)  # one file per feature, none shared
    assert all(re.fullmatch(r"fairness_[A-Za-z0-9_-]+\.png", name) for name in names)
    assert "fairness_sex.png" in names  # a plain name keeps its file name


def test_a_verdict_cut_to_fit_stays_postable():
    failing = [b.result(f"data.{value}", "fail", value * 20) for value in HOSTILE * 20]
    current = b.complete(checks=b.checks(*failing), gate=b.gate("reject"))
    baseline = b.complete("@octocat and @team")
    for max_chars in (20, 31, 40, 52, 333, 1_000, 4_321):
        for against in (None, baseline):
            text = render_report(current, against, figures=b.NO_FIGURES, max_chars=max_chars)
            assert len(text) <= max_chars
            assert comment_refusal(text) is None
            assert live_markup(text) == []
