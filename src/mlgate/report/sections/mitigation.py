"""The mitigation block: the fairness trade-off before and after mitigation, all test rows."""

from __future__ import annotations

from mlgate.report import format as fmt
from mlgate.report.blocks import SUMMARY, Block
from mlgate.report.evidence import Evidence

MODELS = (("before_mitigation", "before mitigation"), ("deployed", "mitigated"))
DISPARITIES = (
    ("equalized_odds_difference", "EO diff"),
    ("demographic_parity_difference", "DP diff"),
)


def mitigation_params(evidence: Evidence) -> dict:
    """``train.mitigation`` from the evidence's params.yaml.

    mlgate 0.1.0 wrote it into ``reports/fairness.json``, which now holds numbers only.
    """
    params = evidence.get("params")
    train = params.get("train") if isinstance(params, dict) else None
    found = train.get("mitigation") if isinstance(train, dict) else None
    if isinstance(found, dict):
        return found
    fairness = evidence.get("fairness")
    legacy = fairness.get("mitigation") if isinstance(fairness, dict) else None
    return legacy if isinstance(legacy, dict) else {}


def mitigation_blocks(current: Evidence) -> list[Block]:
    """Accuracy, ROC AUC and each feature's disparities before and after mitigation, if it ran."""
    tradeoff = current.get("fairness")
    models = tradeoff.get("models") if isinstance(tradeoff, dict) else None
    if not isinstance(models, dict) or not all(
        isinstance(models.get(name), dict) for name, _ in MODELS
    ):
        return []
    mitigation = mitigation_params(current)
    features = sorted(k for k, v in models["deployed"].items() if isinstance(v, dict))
    header = "| Model | Accuracy | ROC AUC | " + " | ".join(
        f"{fmt.text(f)}: {label}" for f in features for _, label in DISPARITIES
    )
    rows = [header + " |", "| --- |" + " ---: |" * (2 + len(DISPARITIES) * len(features))]
    for name, label in MODELS:
        recorded = models[name]
        cells = [fmt.metric(recorded.get("accuracy")), fmt.metric(recorded.get("roc_auc"))]
        for feature in features:
            per_feature = recorded.get(feature) if isinstance(recorded.get(feature), dict) else {}
            cells += [fmt.num(per_feature.get(key)) for key, _ in DISPARITIES]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    constraint = str(mitigation.get("constraint", "")).replace("_", " ")
    text = (
        f"**Mitigation**: {fmt.code(mitigation.get('method'))} on "
        f"{fmt.code(mitigation.get('sensitive_feature'))} ({fmt.prose(constraint)}); "
        "test set, all groups:\n\n" + "\n".join(rows)
    )
    return [Block(text, SUMMARY)]
