"""What every monitoring test returns: a status from its p-value, or a skip with the reason."""

from __future__ import annotations

from mlgate.config.monitor import MonitorConfig


def skip(reason: str) -> dict:
    """A test that could not judge, and why."""
    return {"status": "skip", "reason": reason}


def status(p_value: float, cfg: MonitorConfig) -> str:
    """``signal`` when the p-value is at or below ``monitor.signal_level``, else ``pass``."""
    return "signal" if p_value <= cfg.signal_level else "pass"


def family(metrics: dict, cfg: MonitorConfig) -> dict:
    """A test over several metrics: Bonferroni over the p-values of those defined on the batch.

    A metric the batch cannot have (no p-value) is marked ``skip`` with the reason; a family
    with none defined is itself a skip, never a pass.
    """
    if not metrics:
        return skip("monitor.performance.max_drop lists no metric")
    for record in metrics.values():
        if record["p_value"] is None:
            record.update(status="skip", reason="undefined on this batch")
    judged = [m["p_value"] for m in metrics.values() if m["p_value"] is not None]
    if not judged:
        return skip("no metric is defined on this batch") | {"metrics": metrics}
    p_value = min(1.0, len(judged) * min(judged))
    return {"status": status(p_value, cfg), "p_value": p_value, "metrics": metrics}
