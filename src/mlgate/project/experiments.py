"""DVC experiments and the gate's word on each: what ``mlgate experiments`` ranks.

The experiments are DVC's (``dvc exp run``, queued or not; ``dvc.api.exp_show``); the evidence of
each is what its commit holds: ``reports/gate.json`` (the decision and its reasons) and
``reports/checks.json`` (each metric with its interval, from ``performance.metrics``). An
experiment still queued, running or failed has no evidence, and is listed as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlgate import paths
from mlgate.git import read_json_at

#: Metrics shown for each experiment, with their intervals.
SHOWN_METRICS = ("roc_auc", "accuracy")

#: exp_show's columns that are neither params nor metrics.
_META = {"Experiment", "rev", "typ", "Created", "parent", "State", "Executor"}

#: The ``rev`` of exp_show's workspace row.
_WORKSPACE = "workspace"


@dataclass(frozen=True)
class ExperimentEvidence:
    """One experiment: its params that differ from the baseline, and what its gate decided."""

    name: str
    rev: str
    state: str
    params: dict[str, Any]
    decision: str | None
    reasons: list[str] = field(default_factory=list)
    metrics: dict[str, dict[str, float]] = field(default_factory=dict)


def collect_experiments(rows: list[dict], *, params: set[str]) -> list[ExperimentEvidence]:
    """Each experiment of ``rows`` (``dvc.api.exp_show``) with the evidence its commit holds.

    Parameters
    ----------
    rows : list of dict
        What ``dvc.api.exp_show()`` returns: the workspace row, then each baseline commit's row
        followed by its experiments' rows.
    params : set of str
        The params' dotted names (the columns compared with the baseline's).
    """
    baseline = None
    found = []
    for row in rows:
        if row.get("typ") == "baseline":
            # The workspace row is typed "baseline" too, but after a plain `dvc exp run` it holds
            # that experiment's params: an experiment's baseline is the commit row above it.
            if row.get("rev") != _WORKSPACE:
                baseline = row
            continue
        if row.get("typ") not in ("branch_commit", "branch_base"):
            continue
        changed = {
            key: value
            for key, value in row.items()
            if key in params and baseline is not None and value != baseline.get(key)
        }
        state = str(row.get("State") or "Success")
        gate = read_json_at(row["rev"], paths.GATE) if state == "Success" else None
        checks = read_json_at(row["rev"], paths.CHECKS) if state == "Success" else None
        found.append(
            ExperimentEvidence(
                name=str(row.get("Experiment") or row["rev"]),
                rev=str(row["rev"]),
                state=state,
                params=changed,
                decision=(gate or {}).get("decision"),
                reasons=[str(r) for r in (gate or {}).get("reasons", [])],
                metrics=_metrics(checks),
            )
        )
    return rank(found)


def _metrics(checks: dict | None) -> dict[str, dict[str, float]]:
    for result in (checks or {}).get("results", []):
        if str(result.get("id", "")).startswith("performance.metrics"):
            every = (result.get("details") or {}).get("all_metrics") or {}
            return {name: every[name] for name in SHOWN_METRICS if name in every}
    return {}


def rank(experiments: list[ExperimentEvidence]) -> list[ExperimentEvidence]:
    """Promotable first, then rejected, then those without evidence; by ROC AUC within each."""
    order = {"promote": 0, "reject": 1}

    def key(experiment: ExperimentEvidence) -> tuple[int, float]:
        auc = experiment.metrics.get("roc_auc", {}).get("estimate")
        return order.get(experiment.decision or "", 2), -(auc if auc is not None else -1.0)

    return sorted(experiments, key=key)


def param_names(params: dict, prefix: str = "") -> set[str]:
    """Every leaf of the params mapping as a dotted name, as exp_show names its columns."""
    names = set()
    for key, value in params.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            names |= param_names(value, prefix=f"{name}.")
        else:
            names.add(name)
    return names
