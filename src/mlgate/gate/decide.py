"""Decide ``promote`` or ``reject`` from the evidence: a pure function, failing closed.

The gate promotes only when the evidence is present, readable, about the very model, data and
params being judged, and every required check passed. Anything else rejects, with every reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class GateConfig(BaseModel):
    """Gate policy (``gate:`` in ``params.yaml``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    allow_skip: tuple[str, ...] = Field(
        default=(),
        description="Required checks that may say 'skip' without rejecting (e.g. the champion "
        "comparison of a first model, which has no champion). Ids or id prefixes.",
    )
    min_results: int = Field(1, ge=1, description="Fewer results than this: evidence is missing.")


@dataclass(frozen=True)
class Fingerprint:
    """What the evidence must be about: hashes of the model, the data and the check params."""

    model_sha256: str | None
    data_sha256: dict[str, str]
    params_sha256: str


@dataclass(frozen=True)
class Decision:
    """The gate's verdict, its reasons, and what it judged."""

    decision: str  # "promote" or "reject"
    reasons: list[str]
    judged: dict[str, Any]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def promote(self) -> bool:
        """True when the model may be promoted."""
        return self.decision == "promote"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "decision": self.decision,
            "reasons": self.reasons,
            "judged": self.judged,
            "counts": self.counts,
        }


def decide(
    evidence: dict[str, Any] | None,
    current: Fingerprint,
    *,
    policy: GateConfig,
    evidence_problem: str | None = None,
) -> Decision:
    """Return ``promote`` only if the evidence is complete, current and every required check passed.

    Parameters
    ----------
    evidence : dict or None
        The parsed ``reports/checks.json``; None when it is missing or unreadable.
    current : Fingerprint
        Hashes of the model, data and check params as they are now.
    policy : GateConfig
        Which required checks may skip, and how many results make complete evidence.
    evidence_problem : str, optional
        Why ``evidence`` is None (missing, not JSON, ...), quoted as the reason.
    """
    judged = {
        "model_sha256": current.model_sha256,
        "data_sha256": current.data_sha256,
        "params_sha256": current.params_sha256,
    }
    if evidence is None:
        return Decision(
            "reject", [evidence_problem or "no evidence: reports/checks.json missing"], judged
        )
    reasons = _stale(evidence.get("provenance") or {}, current)
    results = evidence.get("results")
    if not isinstance(results, list) or len(results) < policy.min_results:
        reasons.append(
            f"evidence incomplete: {0 if not isinstance(results, list) else len(results)} check "
            f"results (at least {policy.min_results} expected)"
        )
        results = results if isinstance(results, list) else []
    counts: dict[str, int] = {}
    for result in results:
        status = str(result.get("status"))
        counts[status] = counts.get(status, 0) + 1
        reason = _blocking_reason(result, policy)
        if reason:
            reasons.append(reason)
    return Decision("reject" if reasons else "promote", reasons, judged, counts)


def _stale(provenance: dict[str, Any], current: Fingerprint) -> list[str]:
    reasons = []
    if current.model_sha256 is None:
        reasons.append("no model to judge: models/model.skops is missing")
    elif provenance.get("model_sha256") != current.model_sha256:
        judged = str(provenance.get("model_sha256"))[:12]
        reasons.append(
            f"stale evidence: reports/checks.json judged model {judged}, "
            f"the model is now {current.model_sha256[:12]}"
        )
    for path, digest in current.data_sha256.items():
        if (provenance.get("data_sha256") or {}).get(path) != digest:
            reasons.append(f"stale evidence: {path} changed since the checks ran")
    if provenance.get("params_sha256") != current.params_sha256:
        reasons.append("stale evidence: the checks' params changed since the checks ran")
    return reasons


def _blocking_reason(result: dict[str, Any], policy: GateConfig) -> str | None:
    check_id, status = str(result.get("id")), result.get("status")
    required = result.get("required", True) is not False  # unknown means required: fail closed
    summary = result.get("summary", "")
    if status == "pass" or status == "warn":
        return None
    if not required:
        return None
    if status == "skip":
        if any(check_id == p or check_id.startswith(p + ".") for p in policy.allow_skip):
            return None
        return f"{check_id} could not judge (skip) and is required: {summary}"
    if status in ("fail", "error"):
        return f"{check_id} {status}: {summary}"
    return f"{check_id} has an unknown status {status!r}"
