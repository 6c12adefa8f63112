"""The ranking of DVC experiments by the gate, as markdown (reads the collected evidence only)."""

from __future__ import annotations

from mlgate.project.experiments import SHOWN_METRICS, ExperimentEvidence
from mlgate.report.format import code, compact, metric, prose, text

_VERDICT = {"promote": "✅ promote", "reject": "❌ reject"}


def render_experiments(experiments: list[ExperimentEvidence]) -> str:
    """One row per experiment, promotable first: params changed, verdict, metrics, why not."""
    if not experiments:
        return "No DVC experiment to rank: queue some with `dvc exp run --queue -S key=value`.\n"
    header = ["experiment", "params changed", "gate"]
    header += [f"{name} (95% interval)" for name in SHOWN_METRICS] + ["fails on"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for experiment in experiments:
        changed = ", ".join(f"{code(k)}={code(compact(v))}" for k, v in experiment.params.items())
        verdict = _VERDICT.get(experiment.decision or "", f"no evidence ({text(experiment.state)})")
        values = []
        for name in SHOWN_METRICS:
            found = experiment.metrics.get(name)
            values.append(
                f"{metric(found['estimate'])} ({metric(found['low'])}–{metric(found['high'])})"
                if found
                else "–"
            )
        reasons = "; ".join(prose(reason) for reason in experiment.reasons[:3]) or "–"
        row = [f"{code(experiment.name)} {code(experiment.rev[:7])}", changed or "–", verdict]
        lines.append("| " + " | ".join([*row, *values, reasons]) + " |")
    return "\n".join(lines) + "\n"
