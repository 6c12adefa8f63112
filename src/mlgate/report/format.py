"""How the report writes things: numbers, data as inert text, and mermaid charts.

Every section formats through here, so a number looks the same wherever it appears: never in
exponent notation inside a chart, never as a negative zero, "–" where there is no value.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from typing import Any

# Data as inert markdown text: the one escaping layer, named here too for the sections' use.
from mlgate.report.escape import ZERO_WIDTH_SPACE, code, html_text, prose, text, visible

__all__ = ["code", "html_text", "prose", "text", "visible"]

#: The colours of the two sides of a comparison, in mermaid's ``plotColorPalette`` order, with
#: the emoji that names each colour in the markdown legend beside a chart (mermaid's xychart on
#: GitHub draws no legend). Both are dark enough to read on GitHub's light and dark themes; without
#: them mermaid's default palette drew this branch's line near-white.
BRANCH_COLOUR, BASELINE_COLOUR = "#1f6feb", "#e16f24"
BRANCH_SWATCH, BASELINE_SWATCH = "🟦", "🟧"

NO_VALUE = "–"


def drop_negative_zero(text: str) -> str:
    """A formatted number without the sign it has when it rounds to zero ("-0", "+0.0000")."""
    if text[:1] in "-−+" and not re.search("[1-9]", text):
        return text[1:]
    return text


def finite(value: Any) -> bool:
    """True for a real number (not bool, not NaN or infinite)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) or math.isfinite(value)


def num(value: Any) -> str:
    """A measured value, compactly: integers with separators, others to 4 significant digits."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_VALUE
    if isinstance(value, bool) or not isinstance(value, int | float):
        return text(value)
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if float(value).is_integer() and abs(value) >= 1:
        shown = f"{int(value):,}"
    elif abs(value) >= 1000:
        shown = f"{value:,.0f}"
    else:
        shown = f"{value:.4g}" if abs(value) >= 1e-3 else f"{value:.2g}"
    return drop_negative_zero(shown)


def metric(value: Any) -> str:
    """A metric to four decimals."""
    return drop_negative_zero(f"{value:.4f}") if finite(value) else NO_VALUE


def rate(value: Any) -> str:
    """A rate or share to three decimals."""
    return drop_negative_zero(f"{value:.3f}") if finite(value) else NO_VALUE


def signed(value: Any) -> str:
    """A change, with its sign (a typographic minus); zero is shown unsigned."""
    if not finite(value):
        return NO_VALUE
    return drop_negative_zero(f"{value:+.4f}").replace("-", "−")


def p_value(value: Any) -> str:
    """A p-value to three significant digits."""
    return drop_negative_zero(f"{value:.3g}") if finite(value) else NO_VALUE


def with_interval(value: Any, interval: Sequence | None) -> str:
    """A rate with its interval in small print, when it has one."""
    if not finite(value):
        return NO_VALUE
    if not interval or len(interval) != 2 or not all(finite(v) for v in interval):
        return rate(value)
    return f"{rate(value)} <sub>({rate(interval[0])}–{rate(interval[1])})</sub>"


def compact(value: Any) -> str:
    """A params value on one line: scalars as written in YAML, lists and mappings as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int | float):
        return num(value) if isinstance(value, float) else str(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


# --- mermaid ---------------------------------------------------------------------------------


def chart_text(value: Any) -> str:
    """Text for a mermaid double-quoted string, shown as it reads.

    GitHub's mermaid escapes ``<`` and ``&`` itself, so ``&lt;`` in a label shows literally and a
    raw ``<`` may be taken for a tag: bins such as "< 25" and "≥ 65" are written in words instead.
    """
    words = " ".join(str(value).split())
    for entity, raw in (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")):
        words = words.replace(entity, raw)
    words = re.sub(r"<\s*(-?\d[\d.,]*)", r"under \1", words)
    words = re.sub(r"(?:≥|>=)\s*(-?\d[\d.,]*)", r"\1 and over", words)
    # "%%" would start a mermaid directive or comment, even inside a string.
    for raw, shown in (("&", "and"), ("<", "‹"), (">", "›"), ('"', "'"), ("#", "no. ")):
        words = words.replace(raw, shown)
    # The comment job refuses "](" and "]:" anywhere, a chart included: a zero-width space
    # keeps them apart and reads the same.
    words = re.sub(r"\](?=[(:])", "]" + ZERO_WIDTH_SPACE, words)
    return re.sub("%{2,}", "%", words)


def decimal(value: float) -> str:
    """A number as mermaid's parser reads it: plain decimals, never exponent notation or -0."""
    if not finite(value):
        return "0"
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten at or above ``value`` (1 if none)."""
    if not finite(value) or value <= 0:
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    ceiling = next(step * magnitude for step in (1, 2, 2.5, 5, 10) if value <= step * magnitude)
    return ceiling if math.isfinite(ceiling) else float(value)


def _init(colours: Sequence[str], *, height: int | None = None) -> str:
    """Mermaid's init directive: the plot colours and, where given, the chart's height."""
    config: dict[str, Any] = {
        "themeVariables": {"xyChart": {"plotColorPalette": ", ".join(colours)}}
    }
    if height is not None:
        config["xyChart"] = {"height": height}
    return "%%{init: " + json.dumps(config) + "}%%"


def bar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    y_label: str,
    y_max: float | None = None,
    horizontal: bool = False,
) -> str:
    """A mermaid bar chart of one series, drawn in this branch's colour.

    A horizontal chart is sized to its bars (mermaid's default 500 px makes a few bars fat).
    """
    top = y_max if y_max is not None else nice_ceiling(max(values, default=1.0))
    height = min(max(140 + 32 * len(labels), 200), 700) if horizontal else None
    return "\n".join(
        [
            "```mermaid",
            _init([BRANCH_COLOUR], height=height),
            "xychart-beta" + (" horizontal" if horizontal else ""),
            f'    title "{chart_text(title)}"',
            "    x-axis [" + ", ".join(f'"{chart_text(x)}"' for x in labels) + "]",
            f'    y-axis "{chart_text(y_label)}" 0 --> {decimal(top)}',
            "    bar [" + ", ".join(decimal(v) for v in values) + "]",
            "```",
        ]
    )


def line_chart(
    title: str,
    grid: Sequence[float],
    branch: Sequence[float],
    baseline: Sequence[float] | None = None,
    *,
    x_label: str,
    y_label: str,
) -> str:
    """A mermaid line chart of this branch's curve, over the baseline's where there is one.

    The baseline is drawn first so that this branch's line stays visible where the two coincide.
    """
    series = [(BASELINE_COLOUR, baseline)] if baseline is not None else []
    series.append((BRANCH_COLOUR, branch))
    lines = [
        "```mermaid",
        _init([colour for colour, _ in series]),
        "xychart-beta",
        f'    title "{chart_text(title)}"',
        f'    x-axis "{chart_text(x_label)}" [' + ", ".join(f'"{decimal(x)}"' for x in grid) + "]",
        f'    y-axis "{chart_text(y_label)}" 0 --> 1',
    ]
    lines += ["    line [" + ", ".join(decimal(v) for v in values) + "]" for _, values in series]
    lines.append("```")
    return "\n".join(lines)


def legend(baseline: str | None) -> str:
    """The markdown legend of the charts' colours (mermaid's xychart draws none on GitHub)."""
    text = f"**Legend:** {BRANCH_SWATCH} this branch"
    if baseline:
        text += f" · {BASELINE_SWATCH} {code(baseline)}"
    return text
