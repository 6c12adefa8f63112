"""The disparities of one sensitive feature, each with the rate and the groups behind it.

A bare "equalized odds difference 0.08" does not say what to look at; "FPR: A 0.120 vs B 0.030"
does. The baseline's value sits beside this branch's where it recorded the same slice.
"""

from __future__ import annotations

from mlgate.report import format as fmt
from mlgate.report.evidence import Evidence

#: A rate's short name, as the table says it.
RATE_LABELS = {
    "selection_rate": "selection rate",
    "true_positive_rate": "TPR",
    "false_positive_rate": "FPR",
    "false_negative_rate": "FNR",
}


def _disparity(recorded: dict | None) -> str:
    if not isinstance(recorded, dict):
        return fmt.NO_VALUE
    interval = recorded.get("ci")
    return fmt.with_interval(recorded.get("value"), interval)


def disparity_table(
    disparities: dict, groups: dict, base: dict | None, baseline: Evidence | None
) -> str:
    """The table: each disparity, its interval, what is behind it, and the baseline's value."""
    base_disparities = ((base or {}).get("details") or {}).get("disparities") or {}
    header = "| Disparity | This branch | Behind it |"
    rule = "| --- | ---: | --- |"
    if baseline is not None:
        header += f" {fmt.text(baseline.label)} |"
        rule += " ---: |"
    rows = [header, rule]
    for name, recorded in disparities.items():
        row = (
            f"| {fmt.text(name.replace('_', ' '))} | {_disparity(recorded)} | "
            f"{_behind(recorded, groups)} |"
        )
        if baseline is not None:
            row += f" {_disparity(base_disparities.get(name))} |"
        rows.append(row)
    return "\n".join(rows)


def _behind(recorded: object, groups: dict) -> str:
    """The rate and the groups a disparity comes from ("FPR: A 0.120 vs B 0.030"), if recorded."""
    if not isinstance(recorded, dict) or recorded.get("highest") is None:
        return fmt.NO_VALUE  # evidence of an earlier mlgate records no drivers
    rate = str(recorded.get("rate"))
    ends = []
    for group in (recorded["highest"], recorded.get("lowest")):
        value = (groups.get(group) or {}).get(rate)
        ends.append(f"{fmt.text(str(group))} {fmt.rate(value)}")
    return f"{fmt.text(RATE_LABELS.get(rate, rate))}: {' vs '.join(ends)}"
