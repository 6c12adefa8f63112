"""The body of a retraining pull request, from ``mlgate retrain``'s record only."""

from __future__ import annotations

from mlgate.report.format import code, metric, num, prose, signed, text

#: Metrics shown before and after, in this order.
SHOWN = ("roc_auc", "accuracy", "balanced_accuracy", "f1", "log_loss", "brier_score")


def render_retraining(record: dict) -> str:
    """What a reviewer needs: the batch, the metrics before and after, and the gate's word."""
    before, after = record["metrics_before"], record["metrics_after"]
    gate = record["gate"]
    share = record["positives"] / record["rows"] if record["rows"] else 0.0
    lines = [
        f"## Retrain with batch {code(record['batch_id'])}",
        "",
        f"{num(record['rows'])} labelled rows ({share:.1%} positive) added to the training data "
        f"as {code(record['batch_file'])} (a DVC-tracked file), and the pipeline reproduced on "
        f"{code(record['branch'])}.",
        "",
        "| metric (test set) | before | after | change |",
        "|---|---|---|---|",
    ]
    for name in SHOWN:
        if name in after:
            old, new = before.get(name), after.get(name)
            change = new - old if isinstance(old, int | float) else None
            lines.append(f"| {text(name)} | {metric(old)} | {metric(new)} | {signed(change)} |")
    decision = str(gate.get("decision"))
    lines += ["", f"The gate on the branch says **{text(decision)}**."]
    lines += [f"- {prose(reason)}" for reason in gate.get("reasons", [])]
    lines += [
        "",
        "This pull request's CI runs the full checks and gate again; merge only when they pass. "
        "Once merged, the model is promoted as any change to main is (`mlgate promote`).",
    ]
    return "\n".join(lines) + "\n"
