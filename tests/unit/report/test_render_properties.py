"""Properties of the renderers over any valid evidence: they always render, fit, and stay inert.

Inert: whatever names, values and summaries the evidence holds (links, mentions, HTML, controls;
see :mod:`tests.unit.report.hostile`), the markdown parsed as GitHub reads it holds no link, image,
HTML, mention, issue reference or autolink that mlgate did not write, every table keeps its
columns, and the comment job's own check lets the report through.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlgate.config import CardConfig
from mlgate.project.experiments import ExperimentEvidence
from mlgate.report.blocks import Figures
from mlgate.report.card import card_sections, render_card
from mlgate.report.experiments import render_experiments
from mlgate.report.markdown import MAX_CHARS, render_report
from mlgate.report.monitor import render_summary
from mlgate.report.retrain import render_retraining
from tests.unit.report import strategies
from tests.unit.report.hostile import hostile_text
from tests.unit.report.markup import broken_tables, comment_refusal, live_markup

FIGURE_NAMES = ["roc.png", "calibration.png", "shap_importance.png"]
figures = st.builds(
    Figures,
    links=st.dictionaries(
        st.sampled_from(FIGURE_NAMES), st.sampled_from(FIGURE_NAMES).map(lambda n: f"report/{n}")
    ),
    embed=st.booleans(),
)


def assert_inert(markdown: str) -> None:
    assert live_markup(markdown) == []
    assert broken_tables(markdown) == []


# The evidence is large to draw: fewer examples than the profile's default keep this test fast,
# and the profile's other settings (derandomised in CI, no deadline) still apply.
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    current=strategies.evidence(),
    baseline=st.one_of(
        st.none(),
        strategies.evidence("main (abc1234)"),
        hostile_text.flatmap(strategies.evidence),
    ),
    figures=figures,
    title=st.one_of(st.none(), st.text(max_size=80), hostile_text),
    top_features=st.integers(1, 50),
    max_chars=st.one_of(st.just(MAX_CHARS), st.integers(40, 5_000)),
)
def test_the_report_renders_fits_and_stays_inert_for_any_valid_evidence(
    current, baseline, figures, title, top_features, max_chars
):
    text = render_report(
        current,
        baseline,
        figures=figures,
        title=title,
        top_features=top_features,
        max_chars=max_chars,
    )
    assert len(text) <= max_chars
    assert text.startswith("## ")
    assert (
        render_report(
            current,
            baseline,
            figures=figures,
            title=title,
            top_features=top_features,
            max_chars=max_chars,
        )
        == text
    )
    assert_inert(text)
    assert comment_refusal(text, figures=tuple(FIGURE_NAMES)) is None


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    evidence=strategies.evidence(),
    names=st.lists(hostile_text.filter(bool), min_size=2, max_size=4, unique=True),
    value=hostile_text,
)
def test_the_model_card_stays_inert_for_any_names(cfg, evidence, names, value):
    data = cfg.data.model_copy(
        update={"target": names[0], "positive_label": value, "sensitive_features": tuple(names)}
    )
    config = cfg.model_copy(update={"data": data, "card": CardConfig(owners="The ML team.")})
    provenance = {
        "estimator": value,
        "model": {"sha256": value},
        "data": {value: {"path": value, "sha256": value}},
        "versions": dict.fromkeys(names, value),
        "params": {"prepare": {"seed": value, "validation_size": value}},
    }
    assert_inert(
        render_card(
            config.registry.artifact, card_sections(config, evidence, provenance=provenance)
        )
    )


@settings(max_examples=40)
@given(value=hostile_text, other=hostile_text)
def test_the_monitor_summary_retraining_and_experiments_stay_inert(value, other):
    from tests.unit.report.test_escaping import monitor_evidence

    assert_inert(render_summary([monitor_evidence(value)], model="model"))
    record = {
        "batch_id": value,
        "batch_file": other,
        "branch": value,
        "rows": 10,
        "positives": 3,
        "metrics_before": {"roc_auc": 0.9},
        "metrics_after": {"roc_auc": 0.91},
        "gate": {"decision": other, "reasons": [value, other]},
    }
    assert_inert(render_retraining(record))
    experiment = ExperimentEvidence(
        name=value, rev=other, state=value, params={value: other}, decision=None, reasons=[other]
    )
    assert_inert(render_experiments([experiment]))
