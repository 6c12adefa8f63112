"""How the report writes numbers and text: no negative zero, no markup, charts mermaid reads."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlgate.report import format as fmt


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        (fmt.num(-0.0), "0"),
        (fmt.num(-1e-9), "-1e-09"),
        (fmt.num(-0.00001), "-1e-05"),
        (fmt.num(12345.0), "12,345"),
        (fmt.num(0.00030710644), "0.00031"),
        (fmt.num(float("nan")), "–"),
        (fmt.num(None), "–"),
        (fmt.metric(-0.00001), "0.0000"),
        (fmt.rate(-0.0004), "0.000"),
        (fmt.signed(-0.00001), "0.0000"),
        (fmt.signed(0.0), "0.0000"),
        (fmt.signed(-0.0123), "−0.0123"),
        (fmt.signed(0.0123), "+0.0123"),
        (fmt.p_value(-0.0), "0"),
        (fmt.decimal(-0.00001), "0"),
        (fmt.decimal(2.1e-05), "0"),
        (fmt.decimal(0.12345), "0.1235"),
        (fmt.decimal(float("inf")), "0"),
    ],
)
def test_numbers(shown, expected):
    assert shown == expected


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_no_number_is_ever_a_negative_zero(value):
    for shown in (
        fmt.num(value),
        fmt.metric(value),
        fmt.rate(value),
        fmt.signed(value),
        fmt.p_value(value),
        fmt.decimal(value),
    ):
        assert not re.fullmatch(r"[-−+]0([.,]0*)?", shown), (value, shown)
    assert re.fullmatch(r"-?\d+(\.\d+)?", fmt.decimal(value))
    if math.isfinite(value) and abs(value) < 1e12:
        assert float(fmt.decimal(value)) == pytest.approx(value, abs=1e-4)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("< 25", "under 25"),
        ("TPR · ≥ 65", "TPR · 65 and over"),
        ("Female & < 25", "Female and under 25"),
        ('say "hi" <b>', "say 'hi' ‹b›"),
        ("&lt; 25", "under 25"),
    ],
)
def test_chart_text_has_no_markup_and_no_entities(text, shown):
    assert fmt.chart_text(text) == shown


@given(st.text(max_size=60))
def test_chart_text_is_safe_in_a_mermaid_string(text):
    shown = fmt.chart_text(text)
    assert not set(shown) & set('"<>&#\n')
    assert "%%" not in shown


@given(st.text(max_size=300))
def test_text_is_one_line_of_escaped_text(value):
    shown = fmt.text(value)
    assert "\n" not in shown
    assert "<" not in shown
    assert ">" not in shown
    # Every markdown-active character is escaped, and no "@" or "#1" is left whole.
    assert not re.search(r"(?<!\\)[`*_\[\]()#!|~$]", shown.replace("\\\\", ""))
    assert not re.search(r"@[^\u200b]|#\d", shown)
    assert len(shown) < 3 * 200 + 60


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("<=50K", "&lt;=50K"),
        ("Married-civ-spouse", "Married-civ-spouse"),
        ("- x", "\\- x"),  # else a list item at the start of a line
        ("---", "\\---"),  # else a thematic break
        ("1. first", "1\\. first"),
        ("-1", "-1"),
        ("0.1.0", "0.1.0"),
        ("@octocat", "@\u200boctocat"),
        ("#12", "\\#\u200b12"),
        ("https://x.org", "https:\u200b//x.org"),
        ("www.x.org", "www\u200b.x.org"),
        (":+1:", ":\u200b+1:"),
        ("[a](b)", "\\[a\\]\\(b\\)"),
        ("a|b", "a\\|b"),
        ("&#64;", "&amp;\\#\u200b64;"),
        ("$x$", "\\$x\\$"),
    ],
)
def test_text_escapes_what_markdown_and_github_would_act_on(value, shown):
    assert fmt.text(value) == shown


def test_prose_is_one_line_and_shows_other_controls():
    assert fmt.prose("a\n  b\tc") == "a b c"
    assert fmt.prose("bell\x07") == "bell␇"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("age", "`age`"),
        ("<=50K", "`<=50K`"),
        ("[0.1, 0.2]", "`[0.1, 0.2]`"),
        ("", "`''`"),
        # what a code span cannot hold as it is: escaped text in <code>, read the same
        ("a|b", "<code>a\\|b</code>"),
        ("a `b`", "<code>a \\`b\\`</code>"),
        ("<img>", "<code>&lt;img&gt;</code>"),
        ("[x](y)", "<code>\\[x\\]\\(y\\)</code>"),
        ("a\nb", "<code>a␊b</code>"),
    ],
)
def test_a_code_span_shows_its_text_as_it_is(value, shown):
    assert fmt.code(value) == shown


def test_html_text_uses_entities_only():
    assert fmt.html_text('<b>a_b</b> & "@x"') == "&lt;b&gt;a_b&lt;/b&gt; &amp; &quot;@\u200bx&quot;"


def test_charts_name_their_colours_and_size_horizontal_bars():
    bars = fmt.bar_chart("t", ["a", "b"], [0.5, 1.5], y_label="y", horizontal=True)
    assert f'"plotColorPalette": "{fmt.BRANCH_COLOUR}"' in bars
    assert '"height": 204' in bars
    assert 'y-axis "y" 0 --> 2' in bars
    lines = fmt.line_chart("t", [0, 1], [0.1, 0.2], [0.3, 0.4], x_label="x", y_label="y")
    assert f'"plotColorPalette": "{fmt.BASELINE_COLOUR}, {fmt.BRANCH_COLOUR}"' in lines
    assert lines.index("line [0.3, 0.4]") < lines.index("line [0.1, 0.2]")
