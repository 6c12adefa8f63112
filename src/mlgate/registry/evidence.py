"""What a promotion tag carries: the evidence's digest, the hashes it binds, the key metrics.

A promotion tag's message is one human line, a blank line, then a JSON record
(:data:`RECORD_SCHEMA`). The record names the evidence files by their SHA-256, so anyone can check
a tag against the commit it points at (:func:`evidence_hashes_at`): a tag made by hand, or a commit
whose evidence was edited after the promotion, does not verify and does not deploy.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from mlgate import io, paths
from mlgate.errors import DataError
from mlgate.git import read_bytes_at
from mlgate.registry.record_schema import PromotionRecord
from mlgate.versioned import check_written, read_versioned

#: The ``schema`` of the JSON record in every tag mlgate writes; a tag without it is not mlgate's.
RECORD_SCHEMA: str = PromotionRecord.FORMAT.recorded

#: The files that are the evidence for a model, all kept in git. ``dvc.lock`` binds the model's
#: and the data's hashes (the model itself is in DVC's cache); ``params.yaml`` the thresholds;
#: the model card is versioned with them (the same tags point at it).
EVIDENCE_FILES: tuple[Path, ...] = (
    paths.CHECKS,
    paths.GATE,
    paths.VERDICT,
    paths.METRICS,
    paths.FAIRNESS,
    paths.VALIDATION_METRICS,
    paths.SHAP_IMPORTANCE,
    paths.SHAP_METHOD,
    paths.MODEL_CARD_MD,
    Path("dvc.lock"),
    Path("params.yaml"),
)

#: What :func:`evidence_hashes_at` says of a file the commit does not hold.
MISSING = "missing"


def _sha256(data: bytes | None) -> str:
    return MISSING if data is None else f"sha256:{hashlib.sha256(data).hexdigest()}"


def evidence_hashes() -> dict[str, str]:
    """Each evidence file's SHA-256 as it is in the working folder (``missing`` if absent)."""
    return {
        path.as_posix(): _sha256(path.read_bytes() if path.is_file() else None)
        for path in EVIDENCE_FILES
    }


def evidence_hashes_at(commit: str) -> dict[str, str]:
    """Each evidence file's SHA-256 as committed at ``commit`` (``missing`` if absent there)."""
    return {path.as_posix(): _sha256(read_bytes_at(commit, path)) for path in EVIDENCE_FILES}


def evidence_digest(hashes: dict[str, str]) -> str:
    """One SHA-256 over every evidence file's path and hash: what a tag and an alias carry."""
    text = json.dumps(dict(sorted(hashes.items())), separators=(",", ":"))
    return f"sha256:{hashlib.sha256(text.encode('utf-8')).hexdigest()}"


def key_metrics(evidence: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The judged performance metrics of ``reports/checks.json``, each with its interval."""
    metrics = {}
    for result in evidence.get("results", []):
        rid = str(result.get("id", ""))
        if rid.startswith("performance.metrics."):
            metrics[rid.removeprefix("performance.metrics.")] = {
                "value": result.get("value"),
                "ci": [result.get("ci_low"), result.get("ci_high")],
                "status": result.get("status"),
            }
    return dict(sorted(metrics.items()))


def locked_hashes(lock: dict[str, Any]) -> dict[str, str]:
    """The MD5 ``dvc.lock`` records for the model and the ingested data."""
    wanted = {p.as_posix() for p in (paths.MODEL, paths.INGESTED_TRAIN, paths.INGESTED_TEST)}
    found = {}
    for stage in (lock.get("stages") or {}).values():
        for out in stage.get("outs", []) or []:
            if out.get("path") in wanted:
                found[out["path"]] = f"md5:{out.get('md5')}"
    return dict(sorted(found.items()))


def format_message(record: dict[str, Any]) -> str:
    """A tag's message: a line a person reads in ``git tag -n``, then the JSON record."""
    check_written(record, PromotionRecord)
    head = (
        f"mlgate {record['action']} {record['artifact']} {record['version']}"
        + (f" -> {record['stage']}" if record.get("stage") else "")
        + f" (gate: {record['decision']}, evidence {record['evidence_digest'][:19]})"
    )
    return f"{head}\n\n{json.dumps(record, sort_keys=True, indent=1, ensure_ascii=False)}"


def parse_message(message: str | None) -> tuple[dict[str, Any] | None, str | None]:
    """The JSON record of a tag's message, or None and why it holds none this mlgate reads.

    A message with no JSON record is not mlgate's (None, None). A record that claims to be a
    promotion record but is of another version, or does not fit :class:`PromotionRecord`, is
    None with the reason, so that the tag is refused saying what is wrong with it.
    """
    if not message or "\n\n" not in message:
        return None, None
    # A signed tag's signature follows its message; it is not part of the record.
    message = message.split("-----BEGIN SSH SIGNATURE-----", 1)[0]
    try:
        record = json.loads(message.split("\n\n", 1)[1])
    except ValueError:
        return None, None
    claimed, _ = PromotionRecord.FORMAT.found_in(record)
    if claimed != PromotionRecord.FORMAT.name:
        return None, None
    try:
        read_versioned(record, PromotionRecord, source="its record", remedy="")
    except DataError as exc:
        return None, str(exc).strip()
    return record, None


def read_checks_evidence() -> dict[str, Any]:
    """``reports/checks.json`` as a mapping ({} when it is absent or not an object)."""
    try:
        evidence = io.read_json(paths.CHECKS)
    except DataError:  # the gate reports a missing or broken file itself
        return {}
    return evidence if isinstance(evidence, dict) else {}


def verify_tag_record(
    record: dict[str, Any] | None, *, tag: str, target: str, problem: str | None = None
) -> list[str]:
    """Why the tag ``tag`` (pointing at ``target``) cannot be trusted; empty when it can.

    A tag is trusted when mlgate wrote its record, the record names the commit the tag points at,
    the gate's decision in it is promote, and the evidence committed there still has the digest
    the record carries (git commits are immutable, so only a hand-made or edited tag fails this).
    ``problem`` is why the tag's record could not be read (:func:`parse_message`).
    """
    if record is None:
        if problem is not None:
            return [f"{tag} carries a promotion record mlgate cannot read: {problem}"]
        return [f"{tag} carries no mlgate promotion record: it was not made by `mlgate promote`."]
    problems = []
    if record.get("commit") != target:
        problems.append(
            f"{tag} points at {target[:12]} but its record names commit "
            f"{str(record.get('commit'))[:12]}."
        )
    if record.get("decision") != "promote":
        problems.append(f"{tag}'s record says the gate decided {record.get('decision')!r}.")
    found = evidence_digest(evidence_hashes_at(target))
    if record.get("evidence_digest") != found:
        problems.append(
            f"the evidence at {target[:12]} has digest {found}, not the "
            f"{record.get('evidence_digest')} {tag} records."
        )
    return problems
