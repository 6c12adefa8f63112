"""Markdown for monitored batches: the run summary, and the body of the alert issue.

Reads the evidence of ``mlgate monitor`` (``reports/monitor/<batch>.json``) only; every name that
came from data (batch identifiers, features, groups, revisions, reasons that quote them) is
inert text (:mod:`mlgate.report.format`): the alert issue mentions nobody and links nowhere.
"""

from __future__ import annotations

from mlgate.report.format import code, metric, num, p_value, prose, signed, text

#: How each test is named for people, in the order the summary lists them.
TEST_TITLES = {
    "data_drift": "Data drift",
    "multivariate_drift": "Multivariate drift",
    "prediction_drift": "Prediction drift",
    "estimated_performance": "Estimated performance (no labels)",
    "realized_performance": "Realized performance",
    "concept_drift": "Concept drift",
    "fairness": "Fairness",
}

_STATUS = {"alert": "🔴 alert", "ok": "🟢 no alert", "unjudged": "⚪ not judged"}
_METRIC_TITLES = {"roc_auc": "ROC AUC", "accuracy": "accuracy"}


def issue_marker(model: str) -> str:
    """The hidden line that finds a model's open alert issue again (one issue per model)."""
    return f"<!-- mlgate-monitor: model={model} -->"


def render_batch(evidence: dict) -> str:
    """One batch: its verdict, the alert statistic, and a table of the tests."""
    batch, model = evidence["batch"], evidence["model"]
    labels = "with labels" if batch["labelled"] else "without labels"
    lines = [
        f"### Batch {code(batch['id'])}: {_STATUS[evidence['status']]}",
        "",
        f"{num(batch['rows'])} rows {labels}; model {text(model['version'])} "
        f"(sha256 {code(model['sha256'][:12])}).",
        "",
        _alert_line(evidence),
        "",
        "| Test | Status | p-value | Found |",
        "|---|---|---|---|",
    ]
    for name, title in TEST_TITLES.items():
        test = evidence["tests"].get(name)
        if test is not None:
            lines.append(
                f"| {title} | {text(test['status'])} | {p_value(test.get('p_value'))} | "
                f"{_found(name, test)} |"
            )
    if "shadow" in evidence:
        lines += ["", *_shadow(evidence["shadow"])]
    features = evidence["tests"].get("data_drift", {}).get("features")
    if features:
        lines += ["", *_feature_table(features)]
    return "\n".join(lines) + "\n"


def _shadow(shadow: dict) -> list[str]:
    challenger = shadow.get("challenger", {})
    head = (
        f"**Shadow comparison** with {code(challenger.get('rev', ''))} "
        f"({code(str(challenger.get('commit', ''))[:12])}) on the same rows"
    )
    # Rows the challenger was trained on flatter it: said before any figure is read.
    warning = shadow.get("warning")
    loud = [f"⚠️ **Warning**: {prose(warning)}.", ""] if warning is not None else []
    if shadow.get("status") == "skip" and "decision_agreement" not in shadow:
        return [*loud, f"{head}: {prose(shadow['reason'])}."]
    rates = shadow["positive_rate"]
    lines = [
        *loud,
        f"{head}: the decisions agree on {shadow['decision_agreement']:.1%} of them; positive "
        f"rate {metric(rates['model'])} (model), {metric(rates['challenger'])} (challenger).",
    ]
    if shadow.get("status") == "skip":
        return [*lines, "", f"Not compared on labels: {prose(shadow['reason'])}."]
    if "metrics" not in shadow:
        return lines
    lines += [
        "",
        "| metric | model | challenger | difference (interval) | challenger is |",
        "|---|---|---|---|---|",
    ]
    for name, record in shadow["metrics"].items():
        lines.append(
            f"| {_METRIC_TITLES.get(name) or text(name)} | {metric(record['model'])} | "
            f"{metric(record['challenger'])} | {signed(record['difference'])} "
            f"({signed(record['low'])} to {signed(record['high'])}) | "
            f"{text(record['challenger_is'])} |"
        )
    mcnemar = shadow["mcnemar"]
    lines += [
        "",
        f"McNemar: the challenger alone is right on {num(mcnemar['challenger_only_right'])} rows, "
        f"the model alone on {num(mcnemar['model_only_right'])} (p = "
        f"{p_value(mcnemar['p_challenger_more_accurate'])} that the challenger is more "
        f"accurate, {p_value(mcnemar['p_challenger_less_accurate'])} less).",
    ]
    for feature, record in shadow.get("fairness", {}).items():
        if isinstance(record, dict) and "model" in record:
            lines.append(
                f"Equalized-odds difference by {code(feature)}: {metric(record['model'])} "
                f"(model), {metric(record['challenger'])} (challenger), limit "
                f"{metric(record['limit'])}."
            )
    return lines


def _alert_line(evidence: dict) -> str:
    alert = evidence["alert"]
    if alert["e_value"] is None:
        return (
            "No test could judge this batch: it is not a pass. The alert statistic stays at "
            f"{num(alert['statistic'])}."
        )
    verdict = "reached" if alert["alert"] else "is below"
    return (
        f"Alert statistic {_large(alert['statistic'])} {verdict} {num(alert['threshold'])} "
        f"(e-detector, false-alarm rate {num(alert['rate'])} per batch): the previous batches "
        f"left {_large(alert['previous'])}, this one's evidence is ×{_large(alert['e_value'])} "
        f"(run p-value {p_value(evidence['run_p_value'])})."
    )


def _large(value: float) -> str:
    """A statistic that may be astronomically large: three significant digits."""
    return f"{value:.3g}".replace("e+", "e")


def _found(name: str, test: dict) -> str:
    if test["status"] == "skip":
        return prose(test["reason"])
    if name == "data_drift":
        drifted = test["drifted"]
        worst = sorted(
            (f for f in test["features"].items() if "psi" in f[1]), key=lambda f: -f[1]["psi"]
        )
        if drifted:
            return "drifted: " + ", ".join(
                f"{code(f)} (PSI {num(test['features'][f]['psi'])})" for f in drifted
            )
        top = worst[0] if worst else None
        return f"largest PSI {code(top[0])} {num(top[1]['psi'])}" if top else "–"
    if name in ("multivariate_drift", "prediction_drift"):
        return f"PSI {num(test['psi'])}, KS {num(test['ks_statistic'])}"
    if name == "fairness":
        return "; ".join(_fairness(feature, r) for feature, r in test["features"].items())
    return "; ".join(_performance(name, m, r) for m, r in test["metrics"].items())


def _performance(name: str, metric_name: str, record: dict) -> str:
    title = _METRIC_TITLES.get(metric_name) or text(metric_name)
    if record.get("status") == "skip":
        return f"{title}: {prose(record['reason'])}"
    interval = f"({metric(record['low'])}–{metric(record['high'])})"
    if name == "estimated_performance":
        return f"{title} {metric(record['estimate'])} {interval}, floor {metric(record['floor'])}"
    if name == "realized_performance":
        return f"{title} {metric(record['value'])} {interval}, floor {metric(record['floor'])}"
    return f"{title} {metric(record['realized'])}, expected {metric(record['expected'])} {interval}"


def _fairness(feature: str, record: dict) -> str:
    if record["status"] == "skip":
        return f"{code(feature)}: {prose(record['reason'])}"
    return (
        f"{code(feature)}: equalized-odds difference "
        f"{metric(record['equalized_odds_difference'])} "
        f"({metric(record['low'])}–{metric(record['high'])}; validation "
        f"{metric(record.get('reference'))}), limit {metric(record['limit'])}"
    )


def _feature_table(features: dict) -> list[str]:
    lines = [
        "<details><summary>Features</summary>",
        "",
        "| Feature | Test | Statistic | p-value | adjusted | PSI | Drifted |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, record in features.items():
        if record.get("status") == "skip":
            lines.append(f"| {code(name)} | skip: {prose(record['reason'])} | | | | | |")
            continue
        lines.append(
            f"| {code(name)} | {text(record['test'])} | {num(record['statistic'])} | "
            f"{p_value(record['p_value'])} | {p_value(record.get('p_adjusted'))} | "
            f"{num(record['psi'])} | {'yes' if record.get('drifted') else 'no'} |"
        )
    return [*lines, "", "</details>"]


def render_summary(evidences: list[dict], *, model: str) -> str:
    """Every batch of one run, alerting ones first; the issue body when one alerts."""
    alerting = [e for e in evidences if e["status"] == "alert"]
    head = (
        f"## Monitoring of {code(model)}: {len(alerting)} of {len(evidences)} batches alert"
        if evidences
        else f"## Monitoring of {code(model)}: no new batch"
    )
    ordered = alerting + [e for e in evidences if e["status"] != "alert"]
    body = [head, "", issue_marker(model), ""] + [render_batch(e) for e in ordered]
    body.append(
        'Alerts are controlled over repeated runs (README, "Monitoring and retraining"). '
        "Retrain with a labelled batch: `mlgate retrain --with BATCH`."
    )
    return "\n".join(body) + "\n"
