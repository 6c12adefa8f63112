"""The format of a batch's monitoring evidence, ``reports/monitor/<batch id>.json``.

:func:`mlgate.monitor.run.monitor_batch` writes it and the summary, the history and the trend are
drawn from it. A run killed while writing is completed by the next run, which reads the evidence
back (:mod:`mlgate.monitor.store`): so it is read through this model, not trusted as it lies.

Each test's record is checked against the registry (:mod:`mlgate.monitor.catalogue`): its id is a
registered test's, and a judged record holds the details its test declares.
"""

from __future__ import annotations

from functools import cache
from typing import Annotated, Any, Literal, Self

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, model_validator
from pydantic import Strict as StrictType

from mlgate.monitor.batch_tests import MONITOR_TESTS
from mlgate.monitor.outcome import BatchVerdict, TestStatus
from mlgate.versioned import FileFormat, Strict, VersionedFile, describe_errors

Count = Annotated[int, Field(ge=0)]


class ScoresCheck(Strict):
    """How the logged scores were checked: the rows scored again, drawn with this seed."""

    seed: int
    rows_per_chunk: Count
    chunk_rows: Count | Literal["partitions"]


class BatchRecord(Strict):
    """Which batch: its id, content hash, path, rows, and where its scores came from."""

    id: str
    sha256: str
    path: str
    rows: Count
    labelled: bool
    scores: str
    scores_check: ScoresCheck | None = None


class ModelRecord(Strict):
    """Which model judged it: its hash, and its registered version, tag and commit."""

    sha256: str
    version: str
    tag: str
    commit: str | None


class AlertRecord(Strict):
    """The alert policy's step on this batch (:mod:`mlgate.monitor.policy`)."""

    policy: Literal["e_detector"]
    rate: float
    kappa: float
    threshold: float
    previous: float
    e_value: float | None
    statistic: float
    alert: bool
    carried: float


class TestRecord(Strict):
    """One test's answer: a status, and its p-value and details, or the reason it skipped."""

    __test__ = False  # not a pytest class, whatever its name

    # A test's details are its own (checked against its registered TypedDict by the file).
    model_config = ConfigDict(extra="allow")

    status: Annotated[TestStatus, StrictType(False)]
    p_value: float | None = None
    reason: str | None = None

    @model_validator(mode="after")
    def _answered(self) -> Self:
        if self.status == TestStatus.SKIP and self.reason is None:
            raise ValueError("a skipped test says why (reason)")
        if self.status != TestStatus.SKIP and self.p_value is None:
            raise ValueError(f"a test that says {self.status.value} gives its p_value")
        return self


@cache
def _details_reader(test_id: str) -> TypeAdapter:
    return TypeAdapter(MONITOR_TESTS[test_id].details)


class MonitorFile(VersionedFile):
    """``reports/monitor/<batch id>.json``: every test on one batch, and the alert decision."""

    FORMAT = FileFormat("mlgate.monitor", 1)

    format: Literal["mlgate.monitor/1"]
    batch: BatchRecord
    status: Annotated[BatchVerdict, StrictType(False)]
    model: ModelRecord
    monitored_at: str
    tests: dict[str, TestRecord]
    judged: list[str]
    run_p_value: float | None
    alert: AlertRecord
    # A challenger's comparison on the same rows (:func:`mlgate.monitor.shadow.compare_shadow`).
    shadow: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _tests_are_registered(self) -> Self:
        for test_id, record in self.tests.items():
            if test_id not in MONITOR_TESTS:
                raise ValueError(f"tests.{test_id}: no monitoring test has this id")
            if record.status == TestStatus.SKIP:
                continue
            try:
                _details_reader(test_id).validate_python(record.model_extra)
            except ValidationError as exc:
                raise ValueError(f"tests.{test_id}: {describe_errors(exc)}") from None
        if set(self.judged) - set(self.tests):
            raise ValueError("judged: names a test the file does not hold")
        return self
