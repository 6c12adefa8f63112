"""Values that data can hold and markdown would obey, and evidence made of them."""

from __future__ import annotations

from hypothesis import strategies as st

from mlgate.report.evidence import Evidence
from tests.unit.report import builders as b

#: The values of the attacks, each a category value or a column name that data can hold.
HOSTILE = (
    "@octocat",
    "[more](https://example.com)",
    "![x](../../../../etc/passwd)",
    "<https://example.com>",
    "<img src=x onerror=alert(1)>",
    "https://example.com/a",
    "www.example.com",
    "admin@example.com",
    "#12",
    "GH-12",
    "a|b",
    "x`y",
    "&#64;octocat",
    "[x]: /etc/passwd",
    "* item",
    "<!-- c -->",
)
#: Real values of the Adult data set, which must read the same after escaping.
ORDINARY = ("<=50K", ">50K", "Married-civ-spouse", "25–45", "< 25", "≥ 65", "Self-emp-not-inc")


def hostile_evidence(values: tuple[str, ...], label: str = "this branch") -> Evidence:
    """Evidence whose every name that comes from data is one of ``values``."""
    groups = {value: b.group(100 + i, 0.2, 0.6, 0.1, 0.8) for i, value in enumerate(values)}
    first, second = values[0], values[1 % len(values)]
    return b.complete(
        label,
        checks=b.checks(
            b.result(f"data.{first}", "fail", f"Column {second} is not in the schema."),
            *b.drift(
                {v: b.feature_test(0.001, drifted=True) for v in values},
                dict.fromkeys(values, 0.3),
            ),
            b.parity(first, groups, insufficient={v: 12 for v in values}),
            b.result("explain.rank_stability", summary=f"Spearman 1.000; top {first}."),
        ),
        gate=b.gate("reject", f"data.{first} fail: {second}", f"stale: {first}"),
        importance={"mean_abs_shap": {v: 1.0 / (i + 1) for i, v in enumerate(values)}},
        confusion=b.confusion({(first, second): 2, (second, first): 1}),
        params={"train": {first: second}},
    )


#: Pieces a hostile value is drawn from: the attacks, markdown's punctuation, controls, entities.
PIECES = (
    *HOSTILE,
    *"`|\\*_~$!#&<>[]()-+=:@ ",
    "](",
    "]:",
    "\n",
    "\r\n",
    "\t",
    "\x00",
    "\u202e",
    "\u200b",
    "1.",
    "    ",
    "<sub>",
    "</details>",
    "&lt;",
    "&#64;",
    "\\|",
    "```",
    "~~~",
    ":+1:",
    "$x$",
    "www.",
    "//",
    "x" * 250,
)
hostile_text = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=4)), max_size=6).map(
    "".join
)
