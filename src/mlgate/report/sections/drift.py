"""The drift block: which features drifted (test set against training data), and since when.

Each feature's test, statistic, p-values and PSI come from ``drift.features`` and ``drift.psi``;
where the baseline recorded the same checks, its corrected p-value and PSI stand beside them and
the features whose verdict changed are named.
"""

from __future__ import annotations

from typing import cast

from mlgate.checks.drift.features import FeatureDriftDetails
from mlgate.checks.drift.psi import PsiDetails
from mlgate.checks.status import Status
from mlgate.report import format as fmt
from mlgate.report.blocks import DETAIL, SUMMARY, Block
from mlgate.report.evidence import Evidence

FEATURES, PSI = "drift.features", "drift.psi"
OTHERS = (PSI, "drift.multivariate", "drift.prediction")


def _tables(evidence: Evidence | None) -> tuple[dict[str, dict], dict[str, float]] | None:
    """(feature -> its drift test, feature -> PSI), or None if ``drift.features`` is absent."""
    recorded = evidence.result(FEATURES) if evidence else None
    if recorded is None:
        return None
    details = cast(FeatureDriftDetails, recorded.get("details") or {})
    per_feature = details.get("features") or {}
    psi_details = cast(PsiDetails, (evidence.result(PSI) or {}).get("details") or {})
    psi = psi_details.get("psi") or {}
    return {f: d for f, d in per_feature.items() if isinstance(d, dict)}, psi


def drift_blocks(current: Evidence, baseline: Evidence | None = None) -> list[Block]:
    """The drifted features with statistic, corrected p-value and PSI; all of them folded."""
    tables = _tables(current)
    if tables is None:
        return []
    per_feature, psi = tables
    base = _tables(baseline)
    header = "| Feature | Test | Statistic | p-value | Corrected p | PSI |"
    rule = "| --- | --- | ---: | ---: | ---: | ---: |"
    if base is not None:
        header += f" Corrected p, {fmt.text(baseline.label)} | PSI, {fmt.text(baseline.label)} |"
        rule += " ---: | ---: |"

    def row(name: str) -> str:
        d = per_feature[name]
        shown = f"**{fmt.text(name)}**" if d.get("drifted") else fmt.text(name)
        text = (
            f"| {shown} | {fmt.text(d.get('test', ''))} | {fmt.num(d.get('statistic'))} | "
            f"{fmt.p_value(d.get('p_value'))} | {fmt.p_value(d.get('adjusted_p_value'))} | "
            f"{fmt.num(psi.get(name))} |"
        )
        if base is not None:
            before = base[0].get(name) or {}
            text += (
                f" {fmt.p_value(before.get('adjusted_p_value'))} | {fmt.num(base[1].get(name))} |"
            )
        return text

    summary = fmt.prose(current.result(FEATURES).get("summary", ""))
    lines = [f"### Drift (test set vs training data)\n\n{summary}"]
    drifted = sorted(f for f, d in per_feature.items() if d.get("drifted"))
    if base is not None:
        lines.append(_changes(drifted, base[0], baseline.label))
    if drifted:
        lines.append("\n".join([header, rule, *(row(f) for f in drifted)]))
    for other in OTHERS:
        recorded = current.result(other)
        if recorded is not None:
            lines.append(
                f"{Status(recorded['status']).symbol} `{other}`: "
                f"{fmt.prose(recorded.get('summary', ''))}"
            )
    blocks = [Block("\n\n".join(lines), SUMMARY)]
    ordered = sorted(per_feature, key=lambda f: (_p_or_one(per_feature[f]), f))
    blocks.append(
        Block(
            "<details><summary>Every feature's drift test</summary>\n\n"
            + "\n".join([header, rule, *(row(f) for f in ordered)])
            + "\n\n</details>",
            DETAIL,
        )
    )
    return blocks


def _p_or_one(recorded: dict) -> float:
    value = recorded.get("adjusted_p_value")
    return value if fmt.finite(value) else 1.0


def _changes(drifted: list[str], base: dict[str, dict], label: str) -> str:
    """Which features drifted here and not at the baseline, and the other way round."""
    before = sorted(f for f, d in base.items() if d.get("drifted"))
    new = [f for f in drifted if f not in before]
    gone = [f for f in before if f not in drifted]
    if not new and not gone:
        which = ", ".join(fmt.text(f) for f in drifted) if drifted else "no feature"
        return f"Against {fmt.code(label)}: the same drifted there ({which})."
    parts = []
    if new:
        parts.append("newly drifted: " + ", ".join(f"**{fmt.text(f)}**" for f in new))
    if gone:
        parts.append("no longer drifted: " + ", ".join(fmt.text(f) for f in gone))
    return f"Against {fmt.code(label)}: " + "; ".join(parts) + "."
