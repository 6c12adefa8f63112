"""The fairness block: per sensitive feature, the group rates, the disparities and a chart.

The chart draws every rate a disparity comes from: selection rate, TPR, FPR and FNR.

Groups are shown in the order the check recorded (``group_order``: bins by ascending lower bound),
falling back to the order of the groups in the evidence when an older check did not record one.
The disparities sit beside the baseline's where the baseline recorded the same slice.
"""

from __future__ import annotations

from typing import cast

from mlgate.checks.fairness.group_parity import GroupParityDetails
from mlgate.checks.status import Status
from mlgate.report import format as fmt
from mlgate.report.blocks import CHART, SUMMARY, Block
from mlgate.report.evidence import Evidence
from mlgate.report.sections.disparities import disparity_table

PARITY = "fairness.group_parity."
GROUP_METRICS = (
    ("selection_rate", "Selection rate"),
    ("true_positive_rate", "TPR"),
    ("false_positive_rate", "FPR"),
    ("false_negative_rate", "FNR"),
    ("accuracy", "Accuracy"),
)
#: The rates charted, with the short name each bar's label starts with.
CHARTED = (
    ("selection_rate", "selected"),
    ("true_positive_rate", "TPR"),
    ("false_positive_rate", "FPR"),
    ("false_negative_rate", "FNR"),
)


def parity_results(evidence: Evidence | None) -> dict[str, dict]:
    """Sensitive feature -> its ``fairness.group_parity`` result (intersections left out)."""
    if evidence is None:
        return {}
    return {
        r["id"].removeprefix(PARITY): r
        for r in evidence.results()
        if str(r["id"]).startswith(PARITY) and "×" not in r["id"]
    }


def ordered_groups(details: dict) -> list[tuple[str, dict]]:
    """The recorded groups, in the check's ``group_order`` where it gave one."""
    groups = details.get("groups") or {}
    order = [g for g in details.get("group_order") or [] if g in groups]
    return [(g, groups[g]) for g in order + [g for g in groups if g not in order]]


def fairness_blocks(current: Evidence, baseline: Evidence | None = None) -> list[Block]:
    """Per sensitive feature: the group table, the disparities, and a chart of the rates."""
    results = parity_results(current)
    base = parity_results(baseline)
    blocks = [Block("### Fairness", SUMMARY)] if results else []
    for feature, recorded in results.items():
        details = cast(GroupParityDetails, recorded.get("details") or {})
        groups = ordered_groups(details)
        summary = fmt.prose(str(recorded.get("summary", "")).removeprefix(f"{feature}: "))
        lines = [f"{Status(recorded['status']).symbol} **{fmt.text(feature)}**: {summary}"]
        if groups:
            lines.append(_group_table(groups))
        disparities = details.get("disparities") or {}
        if disparities:
            lines.append(disparity_table(disparities, dict(groups), base.get(feature), baseline))
        small = _small_groups(details.get("insufficient"))
        if small:
            lines.append(f"Too small to judge: {small}.")
        blocks.append(Block("\n\n".join(lines), SUMMARY))
        if groups:
            blocks.append(Block(_group_chart(feature, groups), CHART))
    return blocks


def _group_table(groups: list[tuple[str, dict]]) -> str:
    rows = [
        "| Group | Rows | " + " | ".join(label for _, label in GROUP_METRICS) + " |",
        "| --- | ---: |" + " ---: |" * len(GROUP_METRICS),
    ]
    for group, values in groups:
        cells = [fmt.with_interval(values.get(k), values.get(f"{k}_ci")) for k, _ in GROUP_METRICS]
        rows.append(
            f"| {fmt.text(group)} | {fmt.num(values.get('n'))} | " + " | ".join(cells) + " |"
        )
    return "\n".join(rows)


def _small_groups(insufficient: object) -> str:
    """Groups too small to judge, as "A (159 rows), B (135 rows)"."""
    if not isinstance(insufficient, dict):
        return ""
    parts = []
    for group, recorded in insufficient.items():
        n = recorded.get("n") if isinstance(recorded, dict) else recorded
        parts.append(f"{fmt.text(group)} ({fmt.num(n)} rows)")
    return ", ".join(parts)


def _group_chart(feature: str, groups: list[tuple[str, dict]]) -> str:
    """Horizontal bars, one per rate and group: a label per row never overlaps its neighbour."""
    labels, values = [], []
    for key, short in CHARTED:
        for group, rates in groups:
            if fmt.finite(rates.get(key)):
                labels.append(f"{short} · {group}")
                values.append(rates[key])
    return fmt.bar_chart(
        f"{feature}: selection rate, TPR, FPR and FNR by group",
        labels,
        values,
        y_label="rate",
        y_max=1.0,
        horizontal=True,
    )
