"""The monitoring tests' contract: a registry of test functions, as the checks have theirs.

A monitoring test is one function ``test(inputs) -> record`` registered under an id with its title,
what it needs beyond the batch's counts (labels), and the ``TypedDict`` of the details its judged
record writes. The record is ``{"status", "p_value", ...details}``, or ``{"status": "skip",
"reason"}``: :func:`mlgate.monitor.outcome.skip`. The judge runs every registered test in
registration order (the order their random draws are taken in), the summary renders every test it
finds, and the reference page and a contract test read this registry, so a new test can neither
be left unrun nor vanish from the summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from mlgate.config.checks.fairness import GroupParityConfig
from mlgate.config.monitor import MonitorConfig
from mlgate.monitor.summary import BatchSummary

#: What a test may need beyond the batch's counts and the fingerprint.
LABELS = "labels"


@dataclass(frozen=True)
class BatchInputs:
    """Everything a monitoring test reads: one batch's counts against the fingerprint.

    Attributes
    ----------
    summary : BatchSummary
        The batch's counts over the fingerprint's bins.
    fingerprint : dict
        ``models/fingerprint.json``.
    simulated : dict
        The scores' predictive draws (:func:`mlgate.monitor.performance.simulated_metrics`).
    cfg : MonitorConfig
        Levels, tolerances, draws and seed.
    fairness : GroupParityConfig or None
        The fairness limits the gate applies, if configured.
    rng : numpy.random.Generator
        The run's generator, drawn from in the tests' registration order.
    """

    summary: BatchSummary
    fingerprint: dict
    simulated: dict
    cfg: MonitorConfig
    fairness: GroupParityConfig | None
    rng: np.random.Generator


MonitorTestFunction = Callable[[BatchInputs], dict[str, Any]]


@dataclass(frozen=True)
class MonitorTest:
    """A registered monitoring test."""

    id: str
    title: str
    function: MonitorTestFunction
    needs: tuple[str, ...]
    details: type

    @property
    def needs_labels(self) -> bool:
        """Whether the test judges only a batch whose labels were asked for and are present."""
        return LABELS in self.needs


MONITOR_TESTS: dict[str, MonitorTest] = {}


def register(
    test_id: str, *, title: str, details: type, needs: tuple[str, ...] = ()
) -> Callable[[MonitorTestFunction], MonitorTestFunction]:
    """Register ``function`` as monitoring test ``test_id``."""
    unknown = set(needs) - {LABELS}
    if unknown:
        raise ValueError(f"monitoring test {test_id!r} needs {sorted(unknown)}: only {LABELS!r}")

    def decorator(function: MonitorTestFunction) -> MonitorTestFunction:
        if test_id in MONITOR_TESTS:
            raise ValueError(f"monitoring test {test_id!r} is registered twice")
        MONITOR_TESTS[test_id] = MonitorTest(test_id, title, function, needs, details)
        return function

    return decorator
