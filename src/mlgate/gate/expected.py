"""What the gate holds evidence to, computed from ``params.yaml`` and the files on disk.

Kept apart from :mod:`mlgate.gate.decide`, which stays pure: this module reads the configuration
and hashes files; the decision reads only what it is handed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlgate.gate.decide import Decision, ExpectedCheck, Fingerprint
from mlgate.provenance import EVIDENCE_FORMAT, GATE_FORMAT, fingerprint

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
