"""Recompute, never trust: does current, untouched evidence back the commit being promoted.

Promotion judges a commit, so the working folder must hold that commit exactly (no change to a
tracked file). Then: every evidence file is committed; ``dvc status`` finds nothing stale (an
output edited after ``dvc repro``, a params or code change not reproduced, a model missing from
the workspace); the gate, run again from ``params.yaml`` on the files, says promote; and the
committed ``reports/gate.json`` says what the gate says now; and the checks, run again, give the
statuses the evidence records.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mlgate import paths
from mlgate.checks import SUITES
from mlgate.errors import DataError
from mlgate.gate.card_completeness import card_problems
from mlgate.gate.decision_schema import committed_decision
from mlgate.gate.expected import current_fingerprint, decide_from_files
from mlgate.git import read_json_at, resolve, tracked_changes
from mlgate.registry.evidence import (
    MISSING,
    evidence_digest,
    evidence_hashes,
    evidence_hashes_at,
    read_checks_evidence,
)
from mlgate.report.card import read_card_sections
from mlgate.stages.check import run_check_stage

if TYPE_CHECKING:
    from mlgate.config import Config
    from mlgate.gate.decide import Decision


@dataclass(frozen=True)
class Verification:
    """What the recomputation found for one commit.

    Attributes
    ----------
    commit : str
        The commit judged.
    decision : Decision or None
        The gate's decision, recomputed (None when the folder could not be judged).
    hashes : dict
        Each evidence file's SHA-256.
    problems : list of str
        Why the commit cannot be promoted; empty when it can.
    """

    commit: str
    decision: Decision | None
    hashes: dict[str, str]
    problems: list[str]

    @property
    def digest(self) -> str:
        """The evidence digest a tag carries."""
        return evidence_digest(self.hashes)


def dvc_stale() -> list[str]:
    """What ``dvc status`` reports for the pipeline, one line per stage; empty when current."""
    from dvc.repo import Repo

    with Repo(".") as repo:
        status: dict[str, Any] = repo.status()
    lines = []
    for stage, changes in sorted(status.items()):
        parts = []
        for change in changes:
            if isinstance(change, dict):
                for kind, files in change.items():
                    described = (
                        files
                        if isinstance(files, str)
                        else ", ".join(f"{name} {state}" for name, state in sorted(files.items()))
                    )
                    parts.append(f"{kind}: {described}")
            else:
                parts.append(str(change))
        lines.append(f"stage {stage}: {'; '.join(parts)}")
    return lines


def verify_head(cfg: Config, *, rerun_checks: bool = True) -> Verification:
    """Recompute the gate on the checked-out commit; every reason it cannot be promoted.

    With ``rerun_checks``, and when nothing else is wrong, the checks run again too
    (:func:`recheck`): the slow part, about as long as the ``check`` stage.
    """
    commit = resolve("HEAD")
    if commit is None:
        return Verification("", None, {}, ["this folder is not a git repository with a commit."])
    changed = tracked_changes()
    if changed:
        return Verification(
            commit,
            None,
            {},
            [
                "the working folder differs from the commit: "
                f"{', '.join(changed[:8])}{' ...' if len(changed) > 8 else ''}. Promotion judges "
                "a commit: commit or stash the changes."
            ],
        )
    hashes = evidence_hashes()
    problems = [
        f"{path} is not committed at {commit[:12]}: run `dvc repro` and commit the evidence."
        for path, committed in evidence_hashes_at(commit).items()
        if committed == MISSING
    ]
    problems += [
        f"the evidence is stale or was edited after `dvc repro` ({line}). Run `dvc repro` and "
        "commit its outputs (or `dvc pull` a model that is missing)."
        for line in dvc_stale()
    ]
    current = current_fingerprint(cfg)
    decision = decide_from_files(cfg, current)
    if not decision.promote:
        problems.append(
            "the gate, recomputed from params.yaml and the evidence, rejects: "
            + "; ".join(decision.reasons)
        )
    problems += [
        f"the model card ({paths.MODEL_CARD_MD}) is incomplete: {problem}. Fill `card:` in "
        "params.yaml and run `dvc repro`."
        for problem in card_problems(read_card_sections(cfg))
    ]
    source = f"{paths.GATE} at {commit[:12]}"
    try:
        recorded = committed_decision(read_json_at(commit, paths.GATE), source=source)
    except DataError as exc:
        problems.append(str(exc))
    else:
        if recorded.decision != decision.decision:
            problems.append(
                f"{source} says {recorded.decision!r}, but the gate recomputed "
                f"{decision.decision!r}: the committed decision was edited or is stale."
            )
    if rerun_checks and not problems:
        problems += recheck(cfg)
    return Verification(commit, decision, hashes, problems)


#: Suites whose results depend on something outside the commit: the champion is whatever holds
#: production when the checks run, so a re-run may rightly judge it differently.
NOT_RECHECKED = ("comparison",)


def recheck(cfg: Config) -> list[str]:
    """Run the checks again and name every result whose status differs from the evidence's.

    The checks are seeded and deterministic, so a status that differs means the evidence was
    edited into a consistent story (a ``fail`` turned ``pass`` and ``dvc commit`` run), which no
    hash can tell from a true one.
    """
    recorded = {
        str(r.get("id")): r.get("status")
        for r in read_checks_evidence().get("results", [])
        if isinstance(r, dict)
    }
    suites = tuple(s for s in SUITES if s not in NOT_RECHECKED)
    run = run_check_stage(cfg, None, suites=suites)
    return [
        f"{paths.CHECKS} says {result.id}: {recorded.get(result.id)}, but the check, run again, "
        f"says {result.status.value}: the evidence was edited."
        for result in run.results
        if recorded.get(result.id) != result.status.value
    ]
