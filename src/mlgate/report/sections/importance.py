"""The importance block: mean |SHAP| of the top features, and their move against the baseline."""

from __future__ import annotations

from mlgate.checks.status import Status
from mlgate.report import format as fmt
from mlgate.report.blocks import CHART, SUMMARY, Block
from mlgate.report.evidence import Evidence

STABILITY = "explain.rank_stability"


def _importance(evidence: Evidence | None) -> dict[str, float]:
    recorded = evidence.get("importance") if evidence else None
    values = recorded.get("mean_abs_shap") if isinstance(recorded, dict) else None
    return {f: v for f, v in (values or {}).items() if fmt.finite(v)}


def _ranked(importance: dict[str, float]) -> list[str]:
    return sorted(importance, key=lambda f: (-importance[f], f))


def importance_blocks(
    current: Evidence, baseline: Evidence | None, *, top_features: int
) -> list[Block]:
    """Mean |SHAP| of the top features as a chart, and their change against the baseline."""
    importance = _importance(current)
    if not importance:
        return []
    top = _ranked(importance)[:top_features]
    base = _importance(baseline)
    base_rank = {f: i for i, f in enumerate(_ranked(base), start=1)}
    unit = shap_unit(current)
    chart = fmt.bar_chart(
        f"Mean |SHAP| ({unit}), top {len(top)}",
        top,
        [importance[f] for f in top],
        y_label="mean |SHAP|",
        horizontal=True,
    )
    base_label = fmt.text(baseline.label) if baseline else "Baseline"
    rows = [
        f"| Rank | Feature | Mean \\|SHAP\\| | {base_label} | Change | Rank before |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for rank, feature in enumerate(top, start=1):
        before = base.get(feature)
        change = importance[feature] - before if before is not None else None
        previous = base_rank.get(feature)
        moved = "" if previous in (None, rank) else (" ⬆️" if previous > rank else " ⬇️")
        rows.append(
            f"| {rank} | {fmt.text(feature)} | {fmt.num(importance[feature])} | "
            f"{fmt.num(before)} | {fmt.signed(change)} | "
            f"{previous if previous is not None else fmt.NO_VALUE}{moved} |"
        )
    stability = current.result(STABILITY)
    note = (
        f"\n\n{Status(stability['status']).symbol} `{STABILITY}`: "
        f"{fmt.prose(stability.get('summary', ''))}"
        if stability
        else ""
    )
    return [
        Block(f"### What the model relies on (SHAP)\n\n{chart}", CHART),
        Block("\n".join(rows) + note, SUMMARY),
    ]


def shap_unit(evidence: Evidence) -> str:
    """What the SHAP values add up to (``log-odds``, ``probability``), from the explain stage.

    ``reports/shap_method.json`` says; mlgate 0.1.0 wrote it into the importance file.
    """
    for name in ("shap_method", "importance"):
        recorded = evidence.get(name)
        if isinstance(recorded, dict) and isinstance(recorded.get("output"), str):
            return recorded["output"]
    return "log-odds"
