"""Decide ``promote`` or ``reject`` from the evidence: a pure function, failing closed.

Evidence is untrusted input: a pull request can edit ``reports/checks.json``. So the gate takes
*what* must have been checked, and whether each result blocks, from ``params.yaml``
(:class:`ExpectedCheck`), and reads only each result's id and status from the evidence. It
promotes only when the evidence is in the format this mlgate writes, was made by the same check
code, is about the very model, data and params being judged, holds a result for every configured
check and item and nothing else, and every blocking result passed. Anything else rejects, with
every reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlgate.checks.status import Status
from mlgate.config.gate import GateConfig

STATUSES = frozenset(status.value for status in Status)


@dataclass(frozen=True)
class ExpectedCheck:
    """What ``params.yaml`` says one configured check must report, and what blocks.

    Attributes
    ----------
    id : str
        The check's id.
    items : tuple of str
        Result ids it gives when it judges item by item; empty for one result under ``id``.
    blocking : dict
        Result id (``id`` and each item) -> whether it stops the verdict when it does not pass.
    """

    id: str
    items: tuple[str, ...]
    blocking: dict[str, bool]


@dataclass(frozen=True)
class Fingerprint:
    """What the evidence must be about: the model, data, params, code and evidence format."""

    model_sha256: str | None
    data_sha256: dict[str, str]
    params_sha256: str
    code_sha256: str = ""
    mlgate_version: str = ""
    evidence_format: dict[str, Any] = field(default_factory=dict)


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
    expected: list[ExpectedCheck],
    evidence_problem: str | None = None,
) -> Decision:
    """Return ``promote`` only if complete, current evidence shows every blocking result passed.

    Parameters
    ----------
    evidence : dict or None
        The parsed ``reports/checks.json``; None when it is missing or unreadable.
    current : Fingerprint
        Hashes of the model, data, check params and check code as they are now.
    policy : GateConfig
        Which blocking checks may skip, and how many results make complete evidence.
    expected : list of ExpectedCheck
        The configured checks, from ``params.yaml``.
    evidence_problem : str, optional
        Why ``evidence`` is None (missing, not JSON, ...), quoted as the reason.
    """
    judged = {
        "model_sha256": current.model_sha256,
        "data_sha256": current.data_sha256,
        "params_sha256": current.params_sha256,
        "code_sha256": current.code_sha256,
    }
    if evidence is None:
        return Decision(
            "reject", [evidence_problem or "no evidence: reports/checks.json missing"], judged
        )
    reasons = _stale(evidence, current)
    records = evidence.get("results")
    if not isinstance(records, list):
        records = []
        reasons.append("evidence incomplete: reports/checks.json has no list of results")
    results, malformed = _valid_records(records)
    reasons += malformed
    if len(results) < policy.min_results:
        reasons.append(
            f"evidence incomplete: {len(results)} check results "
            f"(at least {policy.min_results} expected)"
        )
    counts: dict[str, int] = {}
    for _, status, _ in results:
        counts[status] = counts.get(status, 0) + 1
    judging = _judge_against_params(results, expected, policy)
    reasons += judging.reasons
    if not judging.passed_blocking and not reasons:
        reasons.append("no required check could judge: every blocking result was skipped")
    return Decision("reject" if reasons else "promote", reasons, judged, counts)


def _stale(evidence: dict[str, Any], current: Fingerprint) -> list[str]:
    provenance = evidence.get("provenance")
    provenance = provenance if isinstance(provenance, dict) else {}
    reasons = []
    if evidence.get("format") != current.evidence_format:
        reasons.append(
            f"stale evidence: reports/checks.json is in format {evidence.get('format')!r}, "
            f"this mlgate reads {current.evidence_format!r}; run `mlgate check` again"
        )
    if provenance.get("mlgate_version") != current.mlgate_version:
        reasons.append(
            f"stale evidence: written by mlgate {provenance.get('mlgate_version')!r}, "
            f"this is {current.mlgate_version!r}"
        )
    if provenance.get("code_sha256") != current.code_sha256:
        reasons.append("stale evidence: the check code changed since the checks ran")
    if current.model_sha256 is None:
        reasons.append("no model to judge: models/model.skops is missing")
    elif provenance.get("model_sha256") != current.model_sha256:
        judged = str(provenance.get("model_sha256"))[:12]
        reasons.append(
            f"stale evidence: reports/checks.json judged model {judged}, "
            f"the model is now {current.model_sha256[:12]}"
        )
    recorded_data = provenance.get("data_sha256")
    recorded_data = recorded_data if isinstance(recorded_data, dict) else {}
    for path, digest in current.data_sha256.items():
        if recorded_data.get(path) != digest:
            reasons.append(f"stale evidence: {path} changed since the checks ran")
    if provenance.get("params_sha256") != current.params_sha256:
        reasons.append("stale evidence: the checks' params changed since the checks ran")
    return reasons


def _valid_records(records: list[Any]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """``(id, status, summary)`` of each well-formed record, and a reason for each other one."""
    results, reasons = [], []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            reasons.append(f"malformed evidence: result #{index} is not an object")
        elif not isinstance(record.get("id"), str):
            reasons.append(f"malformed evidence: result #{index} has no string id")
        elif record.get("status") not in STATUSES:
            reasons.append(
                f"malformed evidence: {record['id']} has status {record.get('status')!r}, "
                f"not one of {sorted(STATUSES)}"
            )
        else:
            results.append((record["id"], record["status"], str(record.get("summary", ""))))
    ids = [check_id for check_id, _, _ in results]
    for twice in sorted({i for i in ids if ids.count(i) > 1}):
        reasons.append(f"malformed evidence: {twice} has more than one result")
    return results, reasons


@dataclass
class _Judging:
    reasons: list[str] = field(default_factory=list)
    passed_blocking: int = 0


def _judge_against_params(
    results: list[tuple[str, str, str]], expected: list[ExpectedCheck], policy: GateConfig
) -> _Judging:
    summaries = {rid: summary for rid, _, summary in results}
    judging = _Judging()
    claimed: set[str] = set()
    for check in expected:
        mine = {
            rid: status
            for rid, status, _ in results
            if rid == check.id or rid.startswith(check.id + ".")
        }
        claimed |= set(mine)
        for reason in _completeness(check, mine):
            judging.reasons.append(reason)
        for rid, status in mine.items():
            if rid not in check.blocking:
                continue  # reported by _completeness
            _judge_one(rid, status, summaries[rid], check.blocking[rid], policy, judging)
    for rid in sorted({rid for rid, _, _ in results} - claimed):
        judging.reasons.append(f"unknown check {rid}: params.yaml configures no such check")
    return judging


def _completeness(check: ExpectedCheck, mine: dict[str, str]) -> list[str]:
    if not mine:
        return [f"evidence incomplete: no result for {check.id}, which params.yaml configures"]
    whole = mine.get(check.id)
    if whole is not None and len(mine) == 1:
        if check.items and Status(whole).passes:
            return [
                f"evidence incomplete: {check.id} reports one {whole} where params.yaml expects "
                f"a result per item ({', '.join(check.items)})"
            ]
        return []
    reasons = []
    missing = [item for item in check.items if item not in mine]
    if missing:
        reasons.append(f"evidence incomplete: no result for {', '.join(missing)}")
    for rid in sorted(set(mine) - set(check.items)):
        reasons.append(f"unknown check {rid}: params.yaml expects no such result")
    return reasons


def _judge_one(
    rid: str, status: str, summary: str, blocks: bool, policy: GateConfig, judging: _Judging
) -> None:
    # The summary is quoted for the reader only: nothing in it is trusted or decides anything.
    if not blocks:
        return
    if Status(status).passes:
        judging.passed_blocking += 1
    elif status == Status.SKIP:
        if not any(rid == p or rid.startswith(p + ".") for p in policy.allow_skip):
            judging.reasons.append(f"{rid} could not judge (skip) and is required: {summary}")
    else:
        judging.reasons.append(f"{rid} {status}: {summary}")
