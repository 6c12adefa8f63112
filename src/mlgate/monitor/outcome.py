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
    """A test over several metrics: Bonferroni over their p-values."""
    if not metrics:
        return skip("monitor.performance.max_drop lists no metric")
    p_value = min(1.0, len(metrics) * min(m["p_value"] for m in metrics.values()))
    return {"status": status(p_value, cfg), "p_value": p_value, "metrics": metrics}
