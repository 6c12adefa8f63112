"""The format of ``reports/checks.json``: what ``mlgate check`` computed, for the gate to decide.

The gate does not read it through this model: it reads each result's id and status one by one
and lists every problem as a reason to reject (:mod:`mlgate.gate.decide`), since a gate names all
that is wrong with forged evidence. The model is what the writer holds itself to and what the
documentation publishes.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field
from pydantic import Strict as StrictType

from mlgate.checks.status import Status
from mlgate.versioned import FileFormat, Strict, VersionedFile

#: A number a check could not give is null (JSON has no NaN).
Number = float | None


class FormatRecord(Strict):
    """``{"name": "mlgate.checks", "version": 2}``."""

    name: Literal["mlgate.checks"]
    version: Literal[2]


class FalseAlarmBudget(Strict):
    """A batch run's one false-alarm budget, shared by its required tests (Bonferroni)."""

    rule: Literal["bonferroni"]
    false_alarm_budget: float
    tests: dict[str, float]


class Provenance(Strict):
    """What the evidence is about: the rows judged and the hashes the gate compares."""

    current: str
    current_rows: Annotated[int, Field(ge=0)]
    reference: str
    reference_rows: Annotated[int, Field(ge=0)]
    model_sha256: str | None
    data_sha256: dict[str, str]
    params_sha256: str
    code_sha256: str
    mlgate_version: str
    #: Only on a batch (``mlgate check --current``): how its tests share the budget.
    false_alarm_budget: FalseAlarmBudget | None = None


class ResultRecord(Strict):
    """One check's result (:class:`mlgate.checks.base.CheckResult`), the same for every suite."""

    id: str
    suite: str
    title: str
    # JSON holds the status as its text; strict mode would accept only the enum member.
    status: Annotated[Status, StrictType(False)]
    summary: str
    required: bool
    value: Number
    threshold: Number
    statistic: Number
    p_value: Number
    ci_low: Number
    ci_high: Number
    n: int | None
    details: dict[str, Any]


class ChecksFile(VersionedFile):
    """``reports/checks.json``: provenance, counts by status, blocking ids and every result."""

    FORMAT = FileFormat("mlgate.checks", 2, style="mapping")

    format: FormatRecord
    provenance: Provenance
    counts: dict[str, Annotated[int, Field(ge=0)]]
    blocking: list[str]
    results: list[ResultRecord]


#: The format of the evidence ``mlgate check`` writes; the gate refuses any other.
EVIDENCE_FORMAT: dict[str, Any] = ChecksFile.FORMAT.recorded
