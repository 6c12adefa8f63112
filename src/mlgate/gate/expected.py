"""What the gate holds evidence to, computed from ``params.yaml`` and the files on disk.

Kept apart from :mod:`mlgate.gate.decide`, which stays pure: this module reads the configuration,
the evidence file and hashes files; the decision reads only what it is handed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from mlgate import io, paths
from mlgate.checks.evidence_schema import EVIDENCE_FORMAT
from mlgate.errors import DataError
from mlgate.gate.decide import Decision, ExpectedCheck, Fingerprint, decide
from mlgate.gate.decision_schema import GATE_FORMAT, RERUN_GATE, GateFile
from mlgate.provenance import fingerprint
from mlgate.versioned import check_written, read_versioned

if TYPE_CHECKING:
    from mlgate.config import Config, DataConfig


def expected_checks(checks: dict[str, Any], data: DataConfig) -> list[ExpectedCheck]:
    """Every check ``checks:`` configures, its item ids, and which of its results block."""
    expected = []
    for check_id, check_cfg in checks.items():
        items = check_cfg.item_ids(check_id, data)
        # A check that params.yaml says cannot apply blocks nothing: its skip says why.
        applies = check_cfg.not_applicable(data) is None
        blocking = {rid: applies and check_cfg.blocks(rid) for rid in (check_id, *items)}
        expected.append(ExpectedCheck(check_id, items, blocking))
    return expected


def read_evidence(path: Path = paths.CHECKS) -> tuple[dict | None, str | None]:
    """The evidence at ``path``, or None and why it cannot be used (missing, not JSON, ...)."""
    try:
        evidence = io.read_json(path)
    except DataError as exc:
        return None, f"no usable evidence: {exc}"
    if not isinstance(evidence, dict):
        return None, f"no usable evidence: {path} is not a JSON object"
    return evidence, None


def decide_from_files(cfg: Config, current: Fingerprint) -> Decision:
    """:func:`mlgate.gate.decide.decide` on ``reports/checks.json``, held to ``params.yaml``."""
    evidence, problem = read_evidence()
    return decide(
        evidence,
        current,
        policy=cfg.gate,
        expected=expected_checks(cfg.checks, cfg.data),
        evidence_problem=problem,
    )


def gate_document(decision: Decision, current: Fingerprint) -> dict:
    """``reports/gate.json``: the decision, in a versioned format, with the mlgate that made it."""
    document = {
        **decision.to_dict(),
        "format": GATE_FORMAT,
        "mlgate_version": current.mlgate_version,
    }
    return check_written(document, GateFile)


def verdict_metrics(decision: Decision) -> dict:
    """``reports/verdict.json``, a DVC metric: the decision as numbers, for ``dvc exp show``.

    ``promote`` is 1 or 0; ``reasons`` counts the reasons to reject; ``results`` counts the
    evidence's results by status.
    """
    return {
        "promote": int(decision.promote),
        "reasons": len(decision.reasons),
        "results": dict(sorted(decision.counts.items())),
    }


def current_fingerprint(cfg: Config) -> Fingerprint:
    """Hashes of the model, data, check params and check code as they are now.

    The same :func:`mlgate.provenance.fingerprint` that ``mlgate check`` records in the evidence.
    """
    return Fingerprint(**fingerprint(cfg), evidence_format=dict(EVIDENCE_FORMAT))


def read_recorded_decision(path: Path = paths.GATE) -> dict:
    """The decision ``reports/gate.json`` records (written by the gate), read and not recomputed.

    Raises
    ------
    DataError
        When the file is missing, or is not a gate decision of this format.
    """
    document = io.read_json(path)
    read_versioned(document, GateFile, source=str(path), remedy=RERUN_GATE)
    return document
