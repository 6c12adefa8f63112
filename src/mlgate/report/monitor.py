"""Markdown for monitored batches: the run summary, and the body of the alert issue.

Reads the evidence of ``mlgate monitor`` (``reports/monitor/<batch>.json``) only; every name that
came from data (batch identifiers, features, groups, revisions, reasons that quote them) is
inert text (:mod:`mlgate.report.format`): the alert issue mentions nobody and links nowhere.
"""

from __future__ import annotations

from mlgate.monitor.batch_tests import MONITOR_TESTS
from mlgate.report.format import code, metric, num, p_value, prose, signed, text

_STATUS = {"alert": "🔴 alert", "ok": "🟢 no alert", "unjudged": "⚪ not judged"}
_METRIC_TITLES = {"roc_auc": "ROC AUC", "accuracy": "accuracy"}


def test_title(name: str) -> str:
    """A monitoring test's title from the registry; an unknown test (newer evidence) by its id."""
    test = MONITOR_TESTS.get(name)
    return test.title if test is not None else name


def ordered_tests(tests: dict) -> list[str]:
    """The evidence's tests in registry order, then those the registry does not know.

    None vanishes: a test newer than this renderer is listed under its id.
    """
    known = [name for name in MONITOR_TESTS if name in tests]
    return known + sorted(name for name in tests if name not in MONITOR_TESTS)


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
    for name in ordered_tests(evidence["tests"]):
        test = evidence["tests"][name]
        lines.append(
            f"| {text(test_title(name))} | {text(test['status'])} | "
            f"{p_value(test.get('p_value'))} | {_found(name, test)} |"
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
    """What a test found, in words: its reason when it skipped."""
    if test["status"] == "skip":
        return prose(test["reason"])
    finding = FINDINGS.get(name)
    return finding(name, test) if finding is not None else "–"


def _data_drift(name: str, test: dict) -> str:
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


def _binned(name: str, test: dict) -> str:
    return f"PSI {num(test['psi'])}, KS {num(test['ks_statistic'])}"


def _metrics(name: str, test: dict) -> str:
    return "; ".join(_performance(name, m, r) for m, r in test["metrics"].items())


def _fairness_found(name: str, test: dict) -> str:
    return "; ".join(_fairness(feature, r) for feature, r in test["features"].items())


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
        "Alerts are controlled over repeated runs (docs/tutorials/monitoring.md). "
        "Retrain with a labelled batch: `mlgate retrain --with BATCH`."
    )
    return "\n".join(body) + "\n"


#: How each registered monitoring test's finding is put in words (a contract test holds every
#: registered test to having one).
FINDINGS = {
    "data_drift": _data_drift,
    "multivariate_drift": _binned,
    "prediction_drift": _binned,
    "estimated_performance": _metrics,
    "realized_performance": _metrics,
    "concept_drift": _metrics,
    "fairness": _fairness_found,
}
