"""Properties of the renderer over any valid evidence: it always renders, and always fits."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlgate.report.blocks import Figures
from mlgate.report.markdown import MAX_CHARS, render_report
from tests.unit.report import strategies

figures = st.builds(
    Figures,
    links=st.dictionaries(
        st.sampled_from(["roc.png", "calibration.png", "shap_importance.png"]),
        st.just("report/x.png"),
    ),
    embed=st.booleans(),
)


# The evidence is large to draw: fewer examples than the profile's default keep this test fast,
# and the profile's other settings (derandomised in CI, no deadline) still apply.
@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    current=strategies.evidence(),
    baseline=st.one_of(st.none(), strategies.evidence("main (abc1234)")),
    figures=figures,
    title=st.one_of(st.none(), st.text(max_size=80)),
    top_features=st.integers(1, 50),
    max_chars=st.one_of(st.just(MAX_CHARS), st.integers(40, 5_000)),
)
def test_the_report_renders_and_fits_for_any_valid_evidence(
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
