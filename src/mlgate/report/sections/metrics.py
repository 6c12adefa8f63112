"""The metrics block: each test metric beside the baseline's, the change, and its significance.

Significance is read from ``comparison.champion``: its paired-bootstrap interval of every metric's
change (both models on the same resampled test rows) and, for accuracy, the McNemar p-value the
check decided with. Nothing here is computed again.
"""

from __future__ import annotations

from typing import cast

from mlgate.checks.comparison.champion import ChampionDetails, Difference
from mlgate.report import format as fmt
from mlgate.report.blocks import SUMMARY, Block
from mlgate.report.evidence import Evidence
from mlgate.stats import METRIC_NAMES

CHAMPION = "comparison.champion"
METRIC_LABELS = {
    "accuracy": "Accuracy",
    "balanced_accuracy": "Balanced accuracy",
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1",
    "roc_auc": "ROC AUC",
    "log_loss": "Log loss",
    "brier_score": "Brier score",
    "positive_rate": "Positive rate",
}
LOWER_IS_BETTER = frozenset({"log_loss", "brier_score"})
#: Metrics with no better direction: a change is reported, not judged.
NEUTRAL = frozenset({"positive_rate"})


def paired_differences(evidence: Evidence) -> dict[str, Difference]:
    """Metric -> the champion check's interval of its change (empty when it did not run)."""
    recorded = evidence.result(f"{CHAMPION}.roc_auc") or {}
    details = cast(ChampionDetails, recorded.get("details") or {})
    differences = details.get("differences") or {}
    return {name: d for name, d in differences.items() if isinstance(d, dict)}


def direction(name: str, interval: dict | None) -> str | None:
    """The side of 0 the change's interval lies on: "better", "worse", or None if it spans 0.

    Reading the interval is all that is done here: the interval is the check's.
    """
    if interval is None or name in NEUTRAL:
        return None
    low, high = interval.get("ci_low"), interval.get("ci_high")
    if not (fmt.finite(low) and fmt.finite(high)) or low <= 0 <= high:
        return None
    increased = low > 0
    return "better" if increased != (name in LOWER_IS_BETTER) else "worse"


def metrics_blocks(current: Evidence, baseline: Evidence | None) -> list[Block]:
    """Each test metric beside the baseline's, the change, and whether it is significant."""
    metrics = current.get("metrics")
    if not isinstance(metrics, dict):
        return [Block("### Metrics\n\n`reports/metrics.json` is missing.", SUMMARY)]
    base = baseline.get("metrics") if baseline else None
    base = base if isinstance(base, dict) else None
    differences = paired_differences(current)
    accuracy_test = current.result(f"{CHAMPION}.accuracy")
    rows = [
        f"| Metric | This branch | {fmt.text(baseline.label) if baseline else 'Baseline'} | "
        "Change | Significant? |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name in METRIC_NAMES:
        if not fmt.finite(metrics.get(name)):
            continue
        value = metrics[name]
        before = base.get(name) if base else None
        change = value - before if fmt.finite(before) else None
        interval = differences.get(name)
        rows.append(
            f"| {METRIC_LABELS[name]} | {fmt.metric(value)} | {fmt.metric(before)} | "
            f"{fmt.signed(change)} | "
            f"{_significance(name, interval, accuracy_test)} |"
        )
    notes = [f"Test set: {fmt.num(metrics.get('n_samples'))} rows."]
    if differences:
        first = next(iter(differences.values()))
        confidence = first.get("confidence") if fmt.finite(first.get("confidence")) else 0.95
        rev = (current.result(f"{CHAMPION}.roc_auc") or {}).get("details", {}).get("baseline_rev")
        notes.append(
            f"Significant: the {confidence:.0%} paired-bootstrap interval of the change (both "
            f"models on the same resampled test rows, champion at {fmt.code(rev or 'main')}) "
            "excludes 0; accuracy also by the check's exact McNemar test (one-sided: is this "
            "branch worse?)."
        )
    else:
        skipped = current.result(CHAMPION)
        why = (
            fmt.prose(str(skipped.get("summary", "")).removeprefix("Not judged: "))
            if skipped
            else f"{CHAMPION} did not run."
        )
        notes.append(f"Significance not tested: {why}")
    if baseline and base is None:
        notes.append(f"{fmt.code(baseline.label)} has no `reports/metrics.json`.")
    return [Block("### Metrics\n\n" + "\n".join(rows) + "\n\n" + " ".join(notes), SUMMARY)]


def _significance(name: str, interval: dict | None, accuracy_test: dict | None) -> str:
    if interval is None:
        return "not tested"
    low, high = interval.get("ci_low"), interval.get("ci_high")
    if not (fmt.finite(low) and fmt.finite(high)):
        return "not tested"
    span = f"CI {fmt.signed(low)} to {fmt.signed(high)}"
    judged = direction(name, interval)
    if judged:
        # The mark sits with the interval it reads: the change column is the difference of the
        # two recorded values, which need not come from the same test rows.
        verdict = f"{'🟢' if judged == 'better' else '🔴'} **yes, {judged}** ({span})"
    elif low > 0 or high < 0:  # a neutral metric that moved: reported, not judged
        verdict = f"**yes** ({span})"
    else:
        verdict = f"no ({span})"
    if (
        name == "accuracy"
        and accuracy_test is not None
        and fmt.finite(accuracy_test.get("p_value"))
    ):
        verdict += f"; McNemar one-sided p = {fmt.p_value(accuracy_test['p_value'])}"
    return verdict
