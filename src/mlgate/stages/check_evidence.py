"""The record of one run of the checks: its evidence document, its verdict and its timings.

:mod:`mlgate.stages.check` runs the checks; this shapes what a run says and writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlgate.checks.runner import blocking
from mlgate.provenance import EVIDENCE_FORMAT

if TYPE_CHECKING:
    from pathlib import Path

    from mlgate.checks.base import CheckResult
    from mlgate.checks.budget import BatchLevels


def evidence(results: list[CheckResult], provenance: dict) -> dict:
    """The JSON document ``mlgate check`` writes: format, provenance, counts and every result."""
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status.value] = counts.get(r.status.value, 0) + 1
    return {
        "format": EVIDENCE_FORMAT,
        "provenance": provenance,
        "counts": counts,
        "blocking": [r.id for r in results if r.blocking],
        "results": [r.to_dict() for r in results],
    }


def judged(results: list[CheckResult]) -> list[CheckResult]:
    """Required results that judged and passed: a run without one proves nothing."""
    return [r for r in results if r.required and r.status.passes]


def verdict_line(results: list[CheckResult], stopping: list[CheckResult]) -> str:
    """One line: how many required checks failed, or that none could judge, or that all pass."""
    if stopping:
        return f"{len(stopping)} required checks failed"
    if not judged(results):
        return "no required check could judge (see the reasons above): not a pass"
    return "all required checks pass"


def timings_path(evidence_path: Path) -> Path:
    """Where each check's wall time is written, beside ``evidence_path`` (``x.timings.json``)."""
    return evidence_path.with_name(f"{evidence_path.stem}.timings.json")


@dataclass(frozen=True)
class CheckRun:
    """One run of the checks: every result, what was judged, and how long each part took."""

    results: list[CheckResult]
    provenance: dict
    timings: dict[str, float]
    context_seconds: float
    #: How a batch run shares its false-alarm budget (None for the test split).
    levels: BatchLevels | None = None

    @property
    def passed(self) -> bool:
        """No required result blocks, and at least one required result judged and passed."""
        return not blocking(self.results) and bool(judged(self.results))

    @property
    def verdict(self) -> str:
        """One line: the verdict of :meth:`passed`, in words."""
        return verdict_line(self.results, blocking(self.results))

    def timing_document(self) -> dict:
        """Wall time of building the context and of each check, in seconds (3 decimals)."""
        return {
            "context_seconds": round(self.context_seconds, 3),
            "checks": {check_id: round(s, 3) for check_id, s in self.timings.items()},
        }
