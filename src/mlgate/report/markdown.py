"""The pull-request report as markdown: verdict first, then the evidence a reviewer decides from.

Rendering only: every number comes from the evidence files (see :mod:`mlgate.report.evidence`).
Charts are mermaid ``xychart-beta`` blocks, which GitHub draws natively in comments, so the
report needs no image host; PNG versions are linked for the workflow artifact, and embedded only
when the caller publishes images. The output is a pure function of its inputs: no clock, no
randomness, sorted wherever an order is not given.

The comment must fit GitHub's 65,536-character limit. Blocks carry a priority; when the whole is
too long, the lowest-priority blocks (collapsed detail first) are dropped, in place of which one
line says what was left out. The verdict is never dropped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlgate.stats import METRIC_NAMES

if TYPE_CHECKING:
    from mlgate.report.evidence import Evidence

#: GitHub rejects comments longer than 65,536 characters; leave room for CML's watermark.
MAX_CHARS = 65_000

STATUS_SYMBOL = {"pass": "✅", "warn": "⚠️", "fail": "❌", "error": "💥", "skip": "⏭️"}
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
LOWER_IS_BETTER = {"log_loss", "brier_score"}
#: Metrics with no better direction: a change is reported, not judged.
NEUTRAL = {"positive_rate"}
GROUP_METRICS = (
    ("selection_rate", "Selection rate"),
    ("true_positive_rate", "TPR"),
    ("false_positive_rate", "FPR"),
    ("accuracy", "Accuracy"),
)

# Priorities: what survives when the report must be cut to fit a comment.
VERDICT, SUMMARY, CHART, DETAIL = 3, 2, 1, 0


@dataclass(frozen=True)
class Block:
    """A piece of the report, and how much it matters when space runs out."""

    text: str
    priority: int


@dataclass(frozen=True)
class Figures:
    """Relative links to the PNG figures written next to the report, by name."""

    links: dict[str, str]
    embed: bool  # True when the images are published with the comment (CML --publish)


def render_report(
    current: Evidence,
    baseline: Evidence | None,
    *,
    figures: Figures,
    top_features: int = 10,
    max_chars: int = MAX_CHARS,
    title: str | None = None,
) -> str:
    """The whole report as markdown, at most ``max_chars`` characters.

    Parameters
    ----------
    current : Evidence
        This branch's evidence files.
    baseline : Evidence or None
        The baseline revision's evidence, if a baseline was asked for.
    figures : Figures
        The PNGs written next to the report, and whether to embed them.
    top_features : int
        How many features the SHAP chart and table show.
    max_chars : int
        Length limit; detail is dropped to meet it, never the verdict.
    title : str, optional
        What the report is about (a pull request's title): shown as plain text, never markup.
    """
    blocks = [
        *verdict_blocks(current, baseline, title=title),
        *metrics_blocks(current, baseline),
        *checks_blocks(current),
        *fairness_blocks(current),
        *drift_blocks(current),
        *importance_blocks(current, baseline, top_features=top_features),
        *curve_blocks(current, baseline, figures=figures),
        *provenance_blocks(current, baseline),
    ]
    return fit(blocks, max_chars)


def fit(blocks: list[Block], max_chars: int) -> str:
    """Join the blocks; drop the lowest-priority ones, last first, until the text fits."""
    kept = list(blocks)
    dropped = 0
    while True:
        text = "\n\n".join(b.text for b in kept) + "\n"
        if dropped:
            text += (
                f"\n> ✂️ {dropped} section(s) left out to stay under GitHub's comment limit; every "
                "result is in `reports/checks.json` (in the workflow artifact).\n"
            )
        if len(text) <= max_chars:
            return text
        candidates = [i for i, b in enumerate(kept) if b.priority < VERDICT]
        if not candidates:  # only the verdict is left: cut it hard rather than fail to post
            return text[: max_chars - 2] + "…\n"
        lowest = min(kept[i].priority for i in candidates)
        victim = max(i for i in candidates if kept[i].priority == lowest)
        del kept[victim]
        dropped += 1


# --- verdict -------------------------------------------------------------------------------


def verdict_blocks(
    current: Evidence, baseline: Evidence | None, *, title: str | None = None
) -> list[Block]:
    """Title, the gate's decision with its reasons, and the failing checks, one line each."""
    gate, checks = current.get("gate"), current.get("checks")
    against = f" · compared with `{baseline.label}`" if baseline else ""
    if gate is None:
        head = (
            "## ❓ mlgate: no gate decision\n\n`reports/gate.json` is missing: run `dvc repro` "
            "(stage `gate`) or `mlgate gate`. Without a decision this model is not promoted."
        )
    elif gate.get("decision") == "promote":
        head = f"## ✅ mlgate: promote{against}\n\nEvery required check passed."
    else:
        head = f"## ❌ mlgate: reject{against}"
        # Reasons about a failing check are listed below with the check; the others (missing,
        # stale or incomplete evidence, a skip the gate does not allow) are said here.
        failing_ids = {
            r["id"]
            for r in (checks or {}).get("results", [])
            if r.get("status") in ("fail", "error")
        }
        reasons = [
            f"- {_inline(r)}"
            for r in gate.get("reasons", [])
            if str(r).split(" ", 1)[0] not in failing_ids
        ]
        if reasons:
            head += "\n\n" + "\n".join(reasons)
    lines = [head]
    if title:
        lines.append(f"<sub>{plain_text(title)}</sub>")
    if checks is not None:
        failing = [r for r in checks.get("results", []) if r.get("status") in ("fail", "error")]
        if failing:
            lines.append(
                "\n".join(
                    f"- {STATUS_SYMBOL[r['status']]} `{r['id']}`"
                    f"{'' if r.get('required', True) else ' (optional)'}: {_inline(r['summary'])}"
                    for r in failing
                )
            )
        counts = checks.get("counts", {})
        lines.append(
            " · ".join(
                f"{STATUS_SYMBOL[s]} {counts.get(s, 0)} {word}"
                for s, word in (
                    ("pass", "passed"),
                    ("warn", "warned"),
                    ("fail", "failed"),
                    ("error", "errors"),
                    ("skip", "skipped"),
                )
            )
        )
    else:
        lines.append("`reports/checks.json` is missing: no check evidence.")
    return [Block("\n\n".join(lines), VERDICT)]


# --- metrics -------------------------------------------------------------------------------


def metrics_blocks(current: Evidence, baseline: Evidence | None) -> list[Block]:
    """Each test metric beside the baseline's, the change, and whether it is significant."""
    metrics = current.get("metrics")
    if metrics is None:
        return [Block("### Metrics\n\n`reports/metrics.json` is missing.", SUMMARY)]
    base = baseline.get("metrics") if baseline else None
    champion = _result(current, "comparison.champion.roc_auc")
    accuracy_test = _result(current, "comparison.champion.accuracy")
    differences = (champion or {}).get("details", {}).get("differences", {})
    base_label = baseline.label if baseline else "baseline"
    rows = [
        f"| Metric | This branch | {base_label} | Change | Significant? |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for name in METRIC_NAMES:
        if name not in metrics:
            continue
        value = metrics[name]
        before = base.get(name) if base else None
        change = value - before if before is not None else None
        interval = differences.get(name)
        rows.append(
            f"| {METRIC_LABELS[name]} | {_metric(value)} | {_metric(before)} | "
            f"{_change(change, name, significant=_excludes_zero(interval))} | "
            f"{_significance(name, interval, accuracy_test)} |"
        )
    notes = [f"Test set: {metrics.get('n_samples', '?'):,} rows."]
    if differences:
        rev = champion.get("details", {}).get("baseline_rev", "the champion")
        confidence = next(iter(differences.values())).get("confidence", 0.95)
        notes.append(
            f"Significant: the {confidence:.0%} paired-bootstrap interval of the change (both "
            f"models on the same resampled test rows, champion at `{rev}`) excludes 0; accuracy "
            "also by an exact McNemar test (two-sided p)."
        )
    else:
        skipped = _result(current, "comparison.champion")
        why = (
            _inline(skipped["summary"]).removeprefix("Not judged: ")
            if skipped
            else "comparison.champion did not run."
        )
        notes.append(f"Significance not tested: {why}")
    if baseline and base is None:
        notes.append(f"`{baseline.label}` has no `reports/metrics.json`.")
    return [Block("### Metrics\n\n" + "\n".join(rows) + "\n\n" + " ".join(notes), SUMMARY)]


def _excludes_zero(interval: dict | None) -> bool:
    return interval is not None and (interval["ci_low"] > 0 or interval["ci_high"] < 0)


def _significance(name: str, interval: dict | None, accuracy_test: dict | None) -> str:
    if interval is None:
        return "not tested"
    low, high = interval["ci_low"], interval["ci_high"]
    span = f"CI {_signed(low)} to {_signed(high)}"
    if not (math.isfinite(low) and math.isfinite(high)):
        return "not tested"
    if low > 0 or high < 0:
        better = (high < 0) if name in LOWER_IS_BETTER else (low > 0)
        direction = "" if name in NEUTRAL else f", {'better' if better else 'worse'}"
        verdict = f"**yes{direction}** ({span})"
    else:
        verdict = f"no ({span})"
    if name == "accuracy" and accuracy_test is not None:
        details = accuracy_test.get("details", {})
        p = mcnemar_two_sided(details.get("newly_wrong", 0), details.get("newly_right", 0))
        verdict += f"; McNemar p = {p:.3g}"
    return verdict


def mcnemar_two_sided(newly_wrong: int, newly_right: int) -> float:
    """Exact two-sided McNemar p-value from the discordant counts (1.0 when there are none)."""
    from scipy.stats import binomtest

    n = newly_wrong + newly_right
    if n == 0:
        return 1.0
    return float(binomtest(newly_wrong, n, 0.5).pvalue)


# --- checks --------------------------------------------------------------------------------


def checks_blocks(current: Evidence) -> list[Block]:
    """Every check result, grouped by suite; a suite with a failure is open, others collapsed."""
    checks = current.get("checks")
    if checks is None:
        return []
    suites: dict[str, list[dict]] = {}
    for r in checks.get("results", []):
        suites.setdefault(r.get("suite") or r["id"].split(".")[0], []).append(r)
    blocks = [Block("### Checks", SUMMARY)]
    for suite, results in suites.items():
        counts = " ".join(
            f"{STATUS_SYMBOL[s]}{n}"
            for s in ("fail", "error", "warn", "pass", "skip")
            if (n := sum(r["status"] == s for r in results))
        )
        bad = any(r["status"] in ("fail", "error") for r in results)
        rows = [
            "| | Check | Value | Threshold | Interval | Summary |",
            "| --- | --- | ---: | ---: | --- | --- |",
        ]
        for r in results:
            interval = (
                f"{_num(r['ci_low'])} – {_num(r['ci_high'])}"
                if r.get("ci_low") is not None and r.get("ci_high") is not None
                else ""
            )
            optional = "" if r.get("required", True) else " <sub>optional</sub>"
            rows.append(
                f"| {STATUS_SYMBOL.get(r['status'], r['status'])} | `{r['id']}`{optional} | "
                f"{_num(r.get('value'))} | {_num(r.get('threshold'))} | {interval} | "
                f"{_cell(r['summary'])} |"
            )
        blocks.append(
            Block(
                f"<details{' open' if bad else ''}><summary><b>{suite}</b> {counts}</summary>"
                "\n\n" + "\n".join(rows) + "\n\n</details>",
                SUMMARY if bad else DETAIL,
            )
        )
    return blocks


# --- fairness ------------------------------------------------------------------------------


def fairness_blocks(current: Evidence) -> list[Block]:
    """Per sensitive feature: the group table, the disparities, and a bar chart of the rates."""
    checks = current.get("checks")
    results = [
        r
        for r in (checks or {}).get("results", [])
        if r["id"].startswith("fairness.group_parity.") and "×" not in r["id"]
    ]
    blocks = []
    if results:
        blocks.append(Block("### Fairness", SUMMARY))
    for r in results:
        feature = r["id"].rsplit(".", 1)[1]
        details = r.get("details", {})
        groups = details.get("groups", {})
        rows = [
            "| Group | Rows | " + " | ".join(label for _, label in GROUP_METRICS) + " |",
            "| --- | ---: |" + " ---: |" * len(GROUP_METRICS),
        ]
        for group, values in groups.items():
            cells = [
                _with_interval(values.get(key), values.get(f"{key}_ci")) for key, _ in GROUP_METRICS
            ]
            rows.append(f"| {_cell(group)} | {values.get('n', 0):,} | " + " | ".join(cells) + " |")
        disparities = details.get("disparities", {})
        summary = _inline(r["summary"]).removeprefix(f"{feature}: ")
        lines = [
            f"{STATUS_SYMBOL.get(r['status'], '')} **{feature}**: {summary}",
            "\n".join(rows),
        ]
        if disparities:
            lines.append(
                " · ".join(
                    f"{name.replace('_', ' ')} {_num(d['value'])} "
                    f"({_num(d['ci'][0])}–{_num(d['ci'][1])})"
                    for name, d in disparities.items()
                )
            )
        insufficient = details.get("insufficient")
        if isinstance(insufficient, dict) and insufficient:
            lines.append(
                "Too small to judge: "
                + ", ".join(f"{_cell(g)} ({n:,} rows)" for g, n in insufficient.items())
            )
        blocks.append(Block("\n\n".join(lines), SUMMARY))
        if groups:
            blocks.append(Block(_group_chart(feature, groups), CHART))
    tradeoff = current.get("fairness")
    if tradeoff and "before_mitigation" in tradeoff.get("models", {}):
        blocks.append(Block(_mitigation_table(tradeoff), SUMMARY))
    return blocks


def _group_chart(feature: str, groups: dict[str, dict]) -> str:
    labels, values = [], []
    for key, label in GROUP_METRICS[:3]:
        for group, metrics in groups.items():
            if metrics.get(key) is not None:
                labels.append(f"{label} {group}")
                values.append(metrics[key])
    return _mermaid_bars(f"{feature}: group rates", labels, values, y_label="rate", y_max=1.0)


def _mitigation_table(tradeoff: dict) -> str:
    mitigation = tradeoff.get("mitigation", {})
    models = tradeoff["models"]
    features = sorted(k for k in models["deployed"] if isinstance(models["deployed"][k], dict))
    header = "| Model | Accuracy | ROC AUC | " + " | ".join(
        f"{f}: EO diff | {f}: DP diff" for f in features
    )
    rows = [header + " |", "| --- |" + " ---: |" * (2 + 2 * len(features))]
    for name, label in (("before_mitigation", "before mitigation"), ("deployed", "mitigated")):
        m = models[name]
        cells = [_metric(m.get("accuracy")), _metric(m.get("roc_auc"))]
        for f in features:
            cells += [
                _num(m[f].get("equalized_odds_difference")),
                _num(m[f].get("demographic_parity_difference")),
            ]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return (
        f"**Mitigation**: `{mitigation.get('method')}` on `{mitigation.get('sensitive_feature')}`"
        f" ({mitigation.get('constraint', '').replace('_', ' ')}); test set, all groups:\n\n"
        + "\n".join(rows)
    )


# --- drift ---------------------------------------------------------------------------------


def drift_blocks(current: Evidence) -> list[Block]:
    """The features that drifted with statistic, corrected p-value and PSI; all of them folded."""
    features = _result(current, "drift.features")
    if features is None:
        return []
    details = features.get("details", {})
    per_feature = details.get("features", {})
    psi_result = _result(current, "drift.psi")
    psi = (psi_result or {}).get("details", {}).get("psi", {})
    drifted = [f for f, d in per_feature.items() if d.get("drifted")]
    header = "| Feature | Test | Statistic | p-value | Corrected p | PSI |"
    rule = "| --- | --- | ---: | ---: | ---: | ---: |"

    def row(name: str) -> str:
        d = per_feature[name]
        return (
            f"| {'**' + name + '**' if d.get('drifted') else name} | {d.get('test', '')} | "
            f"{_num(d.get('statistic'))} | {_p(d.get('p_value'))} | "
            f"{_p(d.get('adjusted_p_value'))} | {_num(psi.get(name))} |"
        )

    lines = [f"### Drift (test set vs training data)\n\n{_inline(features['summary'])}"]
    if drifted:
        lines.append("\n".join([header, rule, *(row(f) for f in sorted(drifted))]))
    for other in ("drift.psi", "drift.multivariate", "drift.prediction"):
        r = _result(current, other)
        if r is not None:
            lines.append(f"{STATUS_SYMBOL.get(r['status'], '')} `{other}`: {_inline(r['summary'])}")
    blocks = [Block("\n\n".join(lines), SUMMARY)]
    ordered = sorted(per_feature, key=lambda f: (per_feature[f].get("adjusted_p_value", 1), f))
    blocks.append(
        Block(
            "<details><summary>Every feature's drift test</summary>\n\n"
            + "\n".join([header, rule, *(row(f) for f in ordered)])
            + "\n\n</details>",
            DETAIL,
        )
    )
    return blocks


# --- explanations --------------------------------------------------------------------------


def importance_blocks(
    current: Evidence, baseline: Evidence | None, *, top_features: int
) -> list[Block]:
    """Mean |SHAP| of the top features as a chart, and their change against the baseline."""
    recorded = current.get("importance")
    if not recorded or "mean_abs_shap" not in recorded:
        return []
    importance = recorded["mean_abs_shap"]
    ranked = sorted(importance, key=lambda f: (-importance[f], f))
    top = ranked[:top_features]
    base_recorded = baseline.get("importance") if baseline else None
    base = (base_recorded or {}).get("mean_abs_shap", {})
    base_rank = {f: i + 1 for i, f in enumerate(sorted(base, key=lambda f: (-base[f], f)))}
    unit = recorded.get("output", "log-odds")
    chart = _mermaid_bars(
        f"Mean |SHAP| ({unit}), top {len(top)}",
        top,
        [importance[f] for f in top],
        y_label="mean |SHAP|",
        horizontal=True,
    )
    rows = [
        f"| Rank | Feature | Mean \\|SHAP\\| | {baseline.label if baseline else 'Baseline'} | "
        "Change | Rank before |",
        "| ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    for rank, feature in enumerate(top, start=1):
        before = base.get(feature)
        change = importance[feature] - before if before is not None else None
        previous = base_rank.get(feature)
        moved = "" if previous in (None, rank) else (" ⬆️" if previous > rank else " ⬇️")
        rows.append(
            f"| {rank} | {_cell(feature)} | {_num(importance[feature])} | {_num(before)} | "
            f"{_signed(change) if change is not None else '–'} | "
            f"{previous if previous is not None else '–'}{moved} |"
        )
    stability = _result(current, "explain.rank_stability")
    note = (
        f"\n\n{STATUS_SYMBOL.get(stability['status'], '')} `explain.rank_stability`: "
        f"{_inline(stability['summary'])}"
        if stability
        else ""
    )
    return [
        Block(f"### What the model relies on (SHAP)\n\n{chart}", CHART),
        Block("\n".join(rows) + note, SUMMARY),
    ]


# --- curves --------------------------------------------------------------------------------

_GRID = [round(i / 20, 2) for i in range(21)]


def curve_blocks(current: Evidence, baseline: Evidence | None, *, figures: Figures) -> list[Block]:
    """ROC, precision-recall and calibration as line charts (baseline overlaid), the matrices."""
    base_name = baseline.label if baseline else None
    legend = (
        f"First line: this branch; second line: `{base_name}`."
        if baseline
        else "This branch only (no baseline)."
    )
    charts = []
    for name, title, x, y, x_label, y_label in (
        ("roc", "ROC curve", "fpr", "tpr", "False positive rate", "True positive rate"),
        ("precision_recall", "Precision-recall", "recall", "precision", "Recall", "Precision"),
        (
            "calibration",
            "Calibration",
            "mean_predicted",
            "fraction_positive",
            "Mean predicted score",
            "Observed positive rate",
        ),
    ):
        points = current.get(name)
        if not points:
            continue
        series = [resample_curve(points, x, y, _GRID)]
        base_points = baseline.get(name) if baseline else None
        if base_points:
            series.append(resample_curve(base_points, x, y, _GRID))
        charts.append(_mermaid_lines(title, _GRID, series, x_label=x_label, y_label=y_label))
    blocks = []
    if charts:
        blocks.append(Block("### Curves\n\n" + legend + "\n\n" + "\n\n".join(charts), CHART))
    matrix = confusion_counts(current.get("confusion"))
    if matrix:
        base_matrix = confusion_counts(baseline.get("confusion")) if baseline else None
        blocks.append(Block(_confusion_table(matrix, base_matrix, base_name), SUMMARY))
    if figures.links:
        if figures.embed:
            pictures = "\n".join(f"![{name}]({link})" for name, link in figures.links.items())
        else:
            pictures = "PNG figures, in the workflow artifact: " + ", ".join(
                f"[{name}]({link})" for name, link in figures.links.items()
            )
        blocks.append(Block(pictures, DETAIL))
    return blocks


def resample_curve(points: list[dict], x: str, y: str, grid: list[float]) -> list[float]:
    """The curve's y at each grid x, by linear interpolation over its points sorted by x."""
    import numpy as np

    xs = np.array([p[x] for p in points], dtype=float)
    ys = np.array([p[y] for p in points], dtype=float)
    order = np.argsort(xs, kind="stable")
    values = np.interp(grid, xs[order], ys[order])
    return [round(float(v), 3) for v in values]


def confusion_counts(records: list[dict] | None) -> dict[tuple[str, str], int] | None:
    """(actual, predicted) -> count, from DVC's one-record-per-row confusion data."""
    if not records:
        return None
    counts: dict[tuple[str, str], int] = {}
    for record in records:
        key = (str(record["actual"]), str(record["predicted"]))
        counts[key] = counts.get(key, 0) + 1
    return counts


def _confusion_table(
    matrix: dict[tuple[str, str], int],
    base: dict[tuple[str, str], int] | None,
    base_name: str | None,
) -> str:
    classes = sorted({a for a, _ in matrix} | {p for _, p in matrix})
    rows = [
        "| Actual \\ Predicted | " + " | ".join(_cell(c) for c in classes) + " |",
        "| --- |" + " ---: |" * len(classes),
    ]
    for actual in classes:
        cells = []
        for predicted in classes:
            count = matrix.get((actual, predicted), 0)
            cell = f"{count:,}"
            if base is not None:
                cell += f" ({base.get((actual, predicted), 0):,})"
            cells.append(cell)
        rows.append(f"| {_cell(actual)} | " + " | ".join(cells) + " |")
    caption = "**Confusion matrix** (test set" + (
        f"; `{base_name}` in brackets)" if base is not None else ")"
    )
    return caption + "\n\n" + "\n".join(rows)


# --- provenance ----------------------------------------------------------------------------


def provenance_blocks(current: Evidence, baseline: Evidence | None) -> list[Block]:
    """Which model, data and params were judged; which evidence files were missing."""
    gate = current.get("gate") or {}
    judged = gate.get("judged", {})
    parts = []
    if judged.get("model_sha256"):
        parts.append(f"model `{judged['model_sha256'][:12]}`")
    if judged.get("params_sha256"):
        parts.append(f"checks params `{judged['params_sha256'][:12]}`")
    if baseline:
        parts.append(f"baseline `{baseline.label}`")
    lines = []
    if parts:
        lines.append("<sub>Judged: " + " · ".join(parts) + "</sub>")
    for side in (current, baseline):
        if side is not None and side.missing:
            lines.append(
                f"<sub>Missing in {side.label}: "
                + ", ".join(f"`{m}`" for m in side.missing)
                + "</sub>"
            )
    return [Block("\n\n".join(lines), SUMMARY)] if lines else []


# --- mermaid and formatting ------------------------------------------------------------------


def _mermaid_bars(
    title: str,
    labels: list[str],
    values: list[float],
    *,
    y_label: str,
    y_max: float | None = None,
    horizontal: bool = False,
) -> str:
    top = y_max if y_max is not None else _nice_ceiling(max(values, default=1.0))
    return "\n".join(
        [
            "```mermaid",
            "xychart-beta" + (" horizontal" if horizontal else ""),
            f'    title "{_label(title)}"',
            "    x-axis [" + ", ".join(f'"{_label(x)}"' for x in labels) + "]",
            f'    y-axis "{_label(y_label)}" 0 --> {top:g}',
            "    bar [" + ", ".join(_decimal(v) for v in values) + "]",
            "```",
        ]
    )


def _mermaid_lines(
    title: str, grid: list[float], series: list[list[float]], *, x_label: str, y_label: str
) -> str:
    lines = [
        "```mermaid",
        "xychart-beta",
        f'    title "{_label(title)}"',
        f'    x-axis "{_label(x_label)}" [' + ", ".join(f'"{x:g}"' for x in grid) + "]",
        f'    y-axis "{_label(y_label)}" 0 --> 1',
    ]
    lines += ["    line [" + ", ".join(_decimal(v) for v in values) + "]" for values in series]
    lines.append("```")
    return "\n".join(lines)


def _decimal(value: float) -> str:
    """A number as mermaid's parser reads it: plain decimals, never exponent notation."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _nice_ceiling(value: float) -> float:
    if value <= 0 or not math.isfinite(value):
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return 10 * magnitude


def _label(text: str) -> str:
    """Text safe inside a mermaid double-quoted string."""
    return str(text).replace('"', "'").replace("\n", " ")


def plain_text(text: str) -> str:
    """User-supplied text shown literally: no markdown, no HTML, no mention, one line."""
    flat = " ".join(str(text).split())[:300]
    escaped = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for special in "\\`*_[]()#!|~@":
        escaped = escaped.replace(special, "\\" + special)
    return escaped


def _inline(text: Any) -> str:
    """One line of prose: no newlines, and no raw HTML (a summary may say "< 200 rows")."""
    return " ".join(str(text).split()).replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: Any) -> str:
    """Text safe inside a markdown table cell."""
    return _inline(text).replace("|", "\\|")


def _result(evidence: Evidence, result_id: str) -> dict | None:
    checks = evidence.get("checks") or {}
    return next((r for r in checks.get("results", []) if r["id"] == result_id), None)


def _num(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return _cell(value)
    if float(value).is_integer() and abs(value) >= 1:
        return f"{int(value):,}"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.4g}" if abs(value) >= 1e-3 else f"{value:.2g}"


def _metric(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


def _signed(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value:+.4f}".replace("-", "−")


def _change(change: float | None, name: str, *, significant: bool) -> str:
    """The signed change; coloured only when it is significant and has a better direction."""
    if change is None:
        return "–"
    if change == 0:
        return "0"
    if name in NEUTRAL or not significant:
        return _signed(change)
    better = change < 0 if name in LOWER_IS_BETTER else change > 0
    return f"{_signed(change)} {'🟢' if better else '🔴'}"


def _p(value: float | None) -> str:
    return "–" if value is None else f"{value:.3g}"


def _with_interval(value: float | None, interval: list | None) -> str:
    if value is None:
        return "–"
    if not interval:
        return f"{value:.3f}"
    return f"{value:.3f} <sub>({interval[0]:.3f}–{interval[1]:.3f})</sub>"
