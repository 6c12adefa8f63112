"""What the gate holds evidence to, computed from ``params.yaml`` and the files on disk.

Kept apart from :mod:`mlgate.gate.decide`, which stays pure: this module reads the configuration
and hashes files; the decision reads only what it is handed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlgate import io, paths
from mlgate.gate.decide import Decision, ExpectedCheck, Fingerprint
from mlgate.provenance import (
    EVIDENCE_FORMAT,
    GATE_FORMAT,
    checks_params_sha256,
    evidence_code_sha256,
    mlgate_version,
)

if TYPE_CHECKING:
    from mlgate.config import Config


def expected_checks(cfg: Config) -> list[ExpectedCheck]:
    """Every check ``checks:`` configures, its item ids, and which of its results block."""
    expected = []
    for check_id, check_cfg in cfg.checks.items():
        items = check_cfg.item_ids(check_id, cfg.data)
        blocking = {rid: check_cfg.blocks(rid) for rid in (check_id, *items)}
        expected.append(ExpectedCheck(check_id, items, blocking))
    return expected


def gate_document(decision: Decision, current: Fingerprint) -> dict:
    """``reports/gate.json``: the decision, in a versioned format, with the mlgate that made it."""
    return {**decision.to_dict(), "format": GATE_FORMAT, "mlgate_version": current.mlgate_version}


def current_fingerprint(cfg: Config) -> Fingerprint:
    """Hashes of the model, data, check params and check code as they are now."""
    return Fingerprint(
        model_sha256=io.file_sha256(paths.MODEL) if paths.MODEL.is_file() else None,
        data_sha256={
            str(p): io.file_sha256(p) if p.is_file() else "missing"
            for p in (paths.INGESTED_TRAIN, paths.INGESTED_TEST)
        },
        params_sha256=checks_params_sha256(cfg),
        code_sha256=evidence_code_sha256(),
        mlgate_version=mlgate_version(),
        evidence_format=dict(EVIDENCE_FORMAT),
    )
