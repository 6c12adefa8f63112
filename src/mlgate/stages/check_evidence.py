"""The record of one run of the checks: its evidence document, its verdict and its timings.

:mod:`mlgate.stages.check` runs the checks; this shapes what a run says and writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from mlgate.checks.evidence_schema import EVIDENCE_FORMAT, ChecksFile
from mlgate.checks.runner import blocking
from mlgate.versioned import check_written

if TYPE_CHECKING:
    from pathlib import Path

    from mlgate.checks.base import CheckResult
    from mlgate.checks.budget import BatchLevels


def evidence(results: list[CheckResult], provenance: dict) -> dict:
    """The JSON document ``mlgate check`` writes: format, provenance, counts and every result."""
    counts: dict[str, int] = {}
    for r in results:
        counts[r.status.value] = counts.get(r.status.value, 0) + 1
    document = {
        "format": EVIDENCE_FORMAT,
        "provenance": provenance,
        "counts": counts,
        "blocking": [r.id for r in results if r.blocking],
        "results": [r.to_dict() for r in results],
    }
    return check_written(document, ChecksFile)


def judged(results: list[CheckResult]) -> list[CheckResult]:
    """Required results that judged and passed: a run without one proves nothing."""
    return [r for r in results if r.required and r.status.passes]


def unjudged_suites(results: list[CheckResult]) -> list[str]:
    """Suites with required checks of which none judged and passed.

    A batch of 20 rows passes the data checks, but every drift test needs more rows: a pass of
    the run would say the batch did not drift, which nothing measured.
    """
    suites = dict.fromkeys(r.suite for r in results if r.required)
    return [s for s in suites if not any(r.suite == s for r in judged(results))]


def verdict_line(
    results: list[CheckResult], stopping: list[CheckResult], *, every_suite: bool = False
) -> str:
    """One line: how many required checks failed, or what could not judge, or that all pass."""
    if stopping:
        return f"{len(stopping)} required checks failed"
    if not judged(results):
        return "no required check could judge (see the reasons above): not a pass"
    unjudged = unjudged_suites(results) if every_suite else []
    if unjudged:
        return (
            f"no required check of the {' and '.join(unjudged)} suite could judge (see the "
            "reasons above): not a pass"
        )
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
        """No required result blocks, and a required result judged and passed.

        On a batch, in every suite run: the data checks alone do not say it did not drift.
        """
        return (
            not blocking(self.results)
            and bool(judged(self.results))
            and not (self.is_batch and unjudged_suites(self.results))
        )

    @property
    def is_batch(self) -> bool:
        """Whether the rows under test are a batch (``check --current``), not the test split."""
        return self.levels is not None

    @property
    def verdict(self) -> str:
        """One line: the verdict of :meth:`passed`, in words."""
        return verdict_line(self.results, blocking(self.results), every_suite=self.is_batch)

    def timing_document(self) -> dict:
        """Wall time of building the context and of each check, in seconds (3 decimals)."""
        return {
            "context_seconds": round(self.context_seconds, 3),
            "checks": {check_id: round(s, 3) for check_id, s in self.timings.items()},
        }
