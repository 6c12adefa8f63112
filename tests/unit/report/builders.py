"""Evidence records for the report's tests, built here rather than read from reports/.

Each builder returns the JSON shape the pipeline writes (a check result, ``checks.json``,
``gate.json``, plot records...), with plain defaults a test overrides where it matters.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from mlgate.report.blocks import Figures
from mlgate.report.evidence import Evidence

NO_FIGURES = Figures(links={}, embed=False)

METRICS = {
    "accuracy": 0.87,
    "balanced_accuracy": 0.8,
    "precision": 0.77,
    "recall": 0.66,
    "f1": 0.71,
    "roc_auc": 0.926,
    "log_loss": 0.278,
    "brier_score": 0.089,
    "positive_rate": 0.2,
    "n_samples": 16281,
}


def result(result_id: str, status: str = "pass", summary: str | None = None, **fields) -> dict:
    """One check result as ``checks.json`` records it."""
    recorded = {
        "id": result_id,
        "suite": result_id.split(".")[0],
        "title": result_id,
        "status": status,
        "summary": summary if summary is not None else f"{result_id}: {status}.",
        "required": True,
        "value": None,
        "threshold": None,
        "statistic": None,
        "p_value": None,
        "ci_low": None,
        "ci_high": None,
        "n": None,
        "details": {},
    }
    recorded.update(fields)
    return recorded


def checks(*results: dict) -> dict:
    """``checks.json`` holding ``results``, with the counts the runner writes beside them."""
    return {
        "format": {"name": "mlgate.checks", "version": 2},
        "results": list(results),
        "counts": dict(Counter(r["status"] for r in results)),
        "blocking": [r["id"] for r in results if r["status"] in ("fail", "error")],
    }


def gate(decision: str = "promote", *reasons: str) -> dict:
    """``gate.json`` with a decision and its reasons."""
    return {"decision": decision, "reasons": list(reasons), "judged": {"model_sha256": "ab" * 32}}


def group(n: int, selection: float, tpr: float, fpr: float, accuracy: float) -> dict:
    """One group's row of a fairness result, each rate with a narrow interval."""
    row: dict[str, Any] = {"n": n}
    for key, value in (
        ("selection_rate", selection),
        ("true_positive_rate", tpr),
        ("false_positive_rate", fpr),
        ("false_negative_rate", round(1 - tpr, 6)),
        ("accuracy", accuracy),
    ):
        row[key] = value
        row[f"{key}_ci"] = [max(value - 0.01, 0.0), min(value + 0.01, 1.0)]
    return row


def parity(
    feature: str,
    groups: dict[str, dict],
    *,
    status: str = "pass",
    order: list[str] | None = None,
    insufficient: dict | None = None,
    disparities: dict | None = None,
) -> dict:
    """A ``fairness.group_parity.<feature>`` result."""
    details: dict[str, Any] = {
        "groups": groups,
        "insufficient": insufficient or {},
        "disparities": disparities
        or {"demographic_parity_difference": {"value": 0.17, "ci": [0.16, 0.18]}},
    }
    if order is not None:
        details["group_order"] = order
    return result(f"fairness.group_parity.{feature}", status, f"{feature}: fine.", details=details)


def drift(features: dict[str, dict], psi: dict[str, float] | None = None) -> list[dict]:
    """``drift.features`` (feature -> test record) and, with ``psi``, ``drift.psi``."""
    drifted = sorted(f for f, d in features.items() if d.get("drifted"))
    found = [
        result(
            "drift.features",
            "fail" if drifted else "pass",
            f"{len(drifted)} of {len(features)} features drifted.",
            details={"features": features, "drifted": drifted},
        )
    ]
    if psi is not None:
        found.append(result("drift.psi", details={"psi": psi}))
    return found


def feature_test(p: float, *, drifted: bool = False, test: str = "ks") -> dict:
    """One feature's drift test record."""
    return {
        "test": test,
        "statistic": 0.1,
        "p_value": p,
        "adjusted_p_value": min(p * 13, 1.0),
        "drifted": drifted,
    }


def champion(differences: dict[str, tuple[float, float, float]], *, p_value: float) -> list[dict]:
    """``comparison.champion``'s two results: metric -> (estimate, low, high) and McNemar's p."""
    return [
        result(
            "comparison.champion.accuracy",
            "pass",
            f"Accuracy vs main (one-sided p = {p_value:.3g}).",
            p_value=p_value,
            threshold=-0.01,
            details={"baseline_rev": "main", "newly_wrong": 40, "newly_right": 10},
        ),
        result(
            "comparison.champion.roc_auc",
            "pass",
            "ROC AUC vs main.",
            threshold=-0.01,
            details={
                "baseline_rev": "main",
                "differences": {
                    name: {"estimate": e, "ci_low": lo, "ci_high": hi, "confidence": 0.95}
                    for name, (e, lo, hi) in differences.items()
                },
            },
        ),
    ]


def roc(bend: float = 0.6) -> list[dict]:
    """ROC curve records: a concave curve whose height at small FPR grows with ``bend``."""
    return [
        {"fpr": x / 10, "tpr": round(min(1.0, (x / 10) ** (1 - bend)), 6), "threshold": 1 - x / 10}
        for x in range(11)
    ]


def confusion(counts: dict[tuple[str, str], int]) -> list[dict]:
    """DVC's confusion records: one per test row."""
    return [{"actual": a, "predicted": p} for (a, p), n in counts.items() for _ in range(n)]


def evidence(label: str = "this branch", missing: tuple[str, ...] = (), **files) -> Evidence:
    """An :class:`Evidence` of ``files`` (named as in :data:`mlgate.report.evidence.FILES`)."""
    return Evidence(label, {k: v for k, v in files.items() if v is not None}, list(missing))


def complete(label: str = "this branch", **changes) -> Evidence:
    """Evidence of a whole, promoted run: every block of the report has something to show."""
    files: dict[str, Any] = {
        "gate": gate("promote"),
        "checks": checks(
            result("data.schema"),
            *drift({"age": feature_test(0.4), "sex": feature_test(0.9)}, {"age": 0.01}),
            parity(
                "age",
                {
                    "25–45": group(8140, 0.2, 0.62, 0.06, 0.86),
                    "< 25": group(2862, 0.01, 0.4, 0.0, 0.99),
                    "≥ 65": group(751, 0.13, 0.52, 0.03, 0.88),
                },
                order=["< 25", "25–45", "≥ 65"],
            ),
            result("explain.rank_stability", summary="Spearman 1.000."),
        ),
        "metrics": dict(METRICS),
        "importance": {"mean_abs_shap": {"age": 1.0, "sex": 0.2}, "base_value": -1.2, "rows": 9},
        "shap_method": {
            "explainer": "TreeExplainer",
            "output": "log-odds",
            "explains": "the model",
        },
        "roc": roc(),
        "confusion": confusion({("no", "no"): 3, ("no", "yes"): 1, ("yes", "yes"): 2}),
        "params": {"train": {"learning_rate": 0.1, "max_iter": 200}, "data": {"target": "y"}},
    }
    files.update(changes)
    return evidence(label, **files)
