"""What every monitoring test returns: a status from its p-value, or a skip with the reason.

The monitoring tests share the checks' vocabulary through a documented mapping
(:meth:`TestStatus.as_check_status`): a test's ``pass`` is a check's pass, ``skip`` a skip, and
``signal`` (evidence of a change that matters on this batch) stands where a check would fail. A
signal is not yet an alert: the alert policy (:mod:`mlgate.monitor.policy`) decides over the run's
history, and a batch's verdict is one of :class:`BatchVerdict`.
"""

from __future__ import annotations

import enum

from mlgate.checks.status import Status
from mlgate.config.monitor import MonitorConfig


class TestStatus(enum.StrEnum):
    """A monitoring test's answer on one batch."""

    __test__ = False  # not a pytest class, whatever its name

    PASS = "pass"
    SIGNAL = "signal"
    SKIP = "skip"

    def as_check_status(self) -> Status:
        """The check status that means the same: a signal is where a check would fail."""
        return {TestStatus.PASS: Status.PASS, TestStatus.SIGNAL: Status.FAIL}.get(self, Status.SKIP)


class BatchVerdict(enum.StrEnum):
    """A batch's verdict after the alert policy.

    ``alert``, ``ok``, or ``unjudged`` when no test judged the batch: never an ok.
    """

    OK = "ok"
    ALERT = "alert"
    UNJUDGED = "unjudged"


def skip(reason: str) -> dict:
    """A test that could not judge, and why."""
    return {"status": TestStatus.SKIP, "reason": reason}


def status(p_value: float, cfg: MonitorConfig) -> TestStatus:
    """``signal`` when the p-value is at or below ``monitor.signal_level``, else ``pass``."""
    return TestStatus.SIGNAL if p_value <= cfg.signal_level else TestStatus.PASS


def family(metrics: dict, cfg: MonitorConfig) -> dict:
    """A test over several metrics: Bonferroni over the p-values of those defined on the batch.

    A metric the batch cannot have (no p-value) is marked ``skip`` with the reason; a family
    with none defined is itself a skip, never a pass.
    """
    if not metrics:
        return skip("monitor.performance.max_drop lists no metric")
    for record in metrics.values():
        if record["p_value"] is None:
            record.update(status=TestStatus.SKIP, reason="undefined on this batch")
    judged = [m["p_value"] for m in metrics.values() if m["p_value"] is not None]
    if not judged:
        return skip("no metric is defined on this batch") | {"metrics": metrics}
    p_value = min(1.0, len(judged) * min(judged))
    return {"status": status(p_value, cfg), "p_value": p_value, "metrics": metrics}
