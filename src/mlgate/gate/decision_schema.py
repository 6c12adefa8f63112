"""The format of ``reports/gate.json``: the decision ``mlgate gate`` made, and on what.

The registry reads it at a commit before it trusts a tag there (a tag's commit whose recorded
decision is not ``promote`` is never served), and ``mlgate gate --recorded`` prints it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from mlgate.errors import DataError
from mlgate.versioned import FileFormat, Strict, VersionedFile, read_versioned

#: What writes ``reports/gate.json`` again.
RERUN_GATE = "Run the gate again (dvc repro, or mlgate gate)."


class FormatRecord(Strict):
    """``{"name": "mlgate.gate", "version": 1}``."""

    name: Literal["mlgate.gate"]
    version: Literal[1]


class Judged(Strict):
    """The hashes the decision was made on (the model is null when there was none)."""

    model_sha256: str | None
    data_sha256: dict[str, str]
    params_sha256: str
    code_sha256: str


class GateFile(VersionedFile):
    """``reports/gate.json``: promote or reject, every reason, and the results counted by status."""

    FORMAT = FileFormat("mlgate.gate", 1, style="mapping")

    format: FormatRecord
    decision: Literal["promote", "reject"]
    reasons: list[str]
    judged: Judged
    counts: dict[str, Annotated[int, Field(ge=0)]]
    mlgate_version: str


#: The format of the decision ``mlgate gate`` writes.
GATE_FORMAT: dict[str, Any] = GateFile.FORMAT.recorded


def committed_decision(document: object, *, source: str) -> GateFile:
    """``reports/gate.json`` as committed somewhere (``document``, None if absent), read.

    Raises
    ------
    DataError
        Naming ``source``, when it is missing or not a gate decision of this format.
    """
    if document is None:
        raise DataError(f"{source} is missing: the gate never ran there.")
    return read_versioned(document, GateFile, source=source, remedy=RERUN_GATE)


def recorded_decision_problem(document: object, *, source: str) -> str | None:
    """Why ``document`` (``reports/gate.json`` as committed somewhere) records no promotion.

    None when it is a gate decision of this format that says ``promote``; otherwise one
    sentence naming ``source``: missing, unreadable, of another format, or a rejection.
    """
    try:
        recorded = committed_decision(document, source=source)
    except DataError as exc:
        return str(exc)
    if recorded.decision != "promote":
        return f"{source} says 'reject': the gate never promoted that commit."
    return None
