"""Every mermaid block the report renders parses with mermaid's own parser (node, offline).

The parser is the ``mermaid`` npm package pinned in ``tests/mermaid/package-lock.json`` and
installed by ``make mermaid`` (``npm ci``); ``tests/mermaid/parse.mjs`` runs it under jsdom. A
syntax slip in a chart (an unescaped quote, exponent notation, a stray bracket) fails here
rather than as a broken chart in a pull request.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from mlgate.report.markdown import render_report
from tests.unit.report import builders as b

MERMAID_DIR = Path(__file__).resolve().parents[2] / "mermaid"
ODD_NAMES = [
    "< 25",
    "≥ 65",
    'say "hi"',
    "a & b",
    "<img src=x>",
    "&lt;",
    "x\\y",
    "#1",
    "[x]",
    "%%{init}%%",
    "a: b",
    "`code`",
    "é ü 中文",
    "a|b",
    "-->",
    "'",
    ";",
    "{}",
]


def node_and_parser() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the mermaid parser runs under node")
    if not (MERMAID_DIR / "node_modules" / "mermaid" / "package.json").is_file():
        pytest.skip("mermaid is not installed in tests/mermaid: run `make mermaid` (needs npm)")
    return node


def mermaid_blocks(text: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", text, flags=re.S)


def odd_evidence(label: str = "this branch"):
    groups = {name: b.group(10 + i, 0.1, 0.5, 0.0, 0.9) for i, name in enumerate(ODD_NAMES)}
    return b.complete(
        label,
        checks=b.checks(b.parity("race", groups, order=list(groups)), b.parity('x"y', groups)),
        importance={"mean_abs_shap": {name: 10.0 ** (i - 9) for i, name in enumerate(ODD_NAMES)}},
        shap_method={"explainer": "TreeExplainer", "output": 'log-"odds"', "explains": "it"},
        roc=[{"fpr": 1e-12, "tpr": 1e-9}, {"fpr": 1.0, "tpr": 1.0}, {"fpr": 0.5, "tpr": 0.5}],
        calibration=[{"mean_predicted": 0.1, "fraction_positive": 0.0}],
        precision_recall=[{"recall": 0.0, "precision": 1.0}, {"recall": 1.0, "precision": 0.2}],
    )


def rendered_reports() -> dict[str, str]:
    return {
        "complete, with a baseline": render_report(
            b.complete(), b.complete("main (abc1234)", roc=b.roc(0.2)), figures=b.NO_FIGURES
        ),
        "complete, alone": render_report(b.complete(), None, figures=b.NO_FIGURES),
        "odd names and numbers": render_report(
            odd_evidence(), odd_evidence("main"), figures=b.NO_FIGURES, top_features=50
        ),
        "huge importance": render_report(
            b.complete(importance={"mean_abs_shap": {"f": 1e308, "g": 5e-324}}),
            None,
            figures=b.NO_FIGURES,
        ),
    }


def parse(node: str, diagrams: list[str]) -> list[dict]:
    done = subprocess.run(
        [node, str(MERMAID_DIR / "parse.mjs")],
        input=json.dumps(diagrams),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_every_chart_of_the_report_parses_with_mermaid():
    node = node_and_parser()
    reports = rendered_reports()
    diagrams = [(name, d) for name, text in reports.items() for d in mermaid_blocks(text)]
    assert len(diagrams) >= 4 * len(reports) - 2  # fairness, SHAP, three curves per report
    outcomes = parse(node, [d for _, d in diagrams])
    failures = [
        f"{name}: {outcome['error']}\n{diagram}"
        for (name, diagram), outcome in zip(diagrams, outcomes, strict=True)
        if not outcome["ok"]
    ]
    assert not failures, "\n\n".join(failures)


def test_the_parser_rejects_a_broken_chart():
    node = node_and_parser()
    good = mermaid_blocks(rendered_reports()["complete, alone"])[0]
    broken = good.replace('title "', 'title "x"y"', 1).replace("bar [", "bar [1e-05, ", 1)
    assert [o["ok"] for o in parse(node, [good, broken, "xychart-beta\n    bar [1"])] == [
        True,
        False,
        False,
    ]
